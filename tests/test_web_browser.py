"""What a person sees: the web face driven in Debian's headless chromium through Playwright.

Screenshots go to ``screenshots/`` at the repository root (named in docs/web.md). Skips
when /usr/bin/chromium is missing (`make test` installs it with apt-get).
"""

from __future__ import annotations

import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT
from dossier import Catalog
from dossier.web import create_app
from test_web import LAYER_TABLES, add_sample_layers

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "screenshots"

if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is not installed", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The examples catalog (with sample quote and technique layers) served on a free port."""
    db = tmp_path_factory.mktemp("browser") / "site.db"
    with Catalog.open(db) as catalog:
        catalog.ingest([EXAMPLES])
        catalog.analyze()
    conn = sqlite3.connect(db)
    conn.executescript(LAYER_TABLES)
    kosovo = conn.execute("SELECT id FROM articles WHERE title LIKE 'Kosovo power%'").fetchone()[0]
    actor = conn.execute("SELECT id FROM actors WHERE name = 'Kosovo'").fetchone()[0]
    conn.close()
    add_sample_layers(db, kosovo, actor)
    port = free_port()
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that fails the test on any console error (a CSP violation, a JS error)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: errors.append(str(e)))
    yield opened
    context.close()
    assert not errors, errors


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_catalog_to_country_to_actor_to_article(site: str, page: Any) -> None:
    page.goto(site + "/")
    assert page.locator("h1").inner_text() == "Catalog"
    shot(page, "1-catalog.png")
    page.get_by_role("link", name="Serbia").first.click()
    page.wait_for_url("**/countries/RS")
    assert "Serbia" in page.locator("h1").inner_text()
    shot(page, "2-country.png")
    page.locator("#kind-person + table a").first.click()
    page.wait_for_url("**/actors/*")
    assert page.locator("figure.chart svg rect.bar").count() >= 1
    shot(page, "3-actor.png")
    page.locator("ol.articles a").first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator("#article-text a.mention").count() >= 1


def test_toggling_a_layer_changes_the_text_and_the_url(site: str, page: Any) -> None:
    page.goto(site + "/search?q=%22power%20plant%22")
    page.locator("ol.hits a").first.click()
    page.wait_for_url("**/articles/*")
    text = page.locator("#article-text")
    mention = text.locator("a.mention").first
    tech = text.locator("mark.tech").first
    assert mention.evaluate("e => getComputedStyle(e).borderBottomStyle") != "none"
    tech.focus()
    tip = tech.evaluate("e => getComputedStyle(e, '::after').content")
    assert "Loaded language" in tip
    shot(page, "4-article-layers.png")
    toggle = page.get_by_label("Actors")
    toggle.click()
    assert "show-actors" not in (text.get_attribute("class") or "")
    assert mention.evaluate("e => getComputedStyle(e).borderBottomStyle") == "none"
    assert mention.get_attribute("tabindex") == "-1"
    assert "layers=1" in page.url and "layer=actors" not in page.url
    page.get_by_label("Techniques").focus()
    page.keyboard.press("Space")  # keyboard works too
    assert "show-techniques" not in (text.get_attribute("class") or "")
    shot(page, "5-article-layers-off.png")
    page.reload()  # the URL remembers the choice, rendered by the server
    assert text.get_attribute("class") == "text show-quotes"


def test_search_with_a_country_facet(site: str, page: Any) -> None:
    page.goto(site + "/search")
    page.get_by_role("searchbox", name="Words").fill("said")
    page.get_by_role("button", name="Search", exact=True).last.click()
    page.wait_for_url("**/search?*")
    before = int(page.locator("#h-results").inner_text().split()[0])
    page.get_by_role("combobox", name="Country").select_option("XK")
    page.locator("form.search button").click()
    page.wait_for_url("**country=XK*")
    after = int(page.locator("#h-results").inner_text().split()[0])
    assert 0 < after < before
    assert page.locator("ol.hits mark").count() >= 1
    assert page.locator("ul.chips").inner_text().startswith("country:")
    shot(page, "6-search-facet.png")


def test_article_fits_a_phone_screen(site: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, device_scale_factor=2)
    phone = context.new_page()
    phone.goto(site + "/search?q=%22power%20plant%22")
    phone.locator("ol.hits a").first.click()
    phone.wait_for_url("**/articles/*")
    width = phone.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 375
    shot(phone, "7-article-phone.png")
    context.close()


def test_screenshots_folder_is_at_the_repository_root() -> None:
    assert shutil.which("chromium") or CHROMIUM.exists()
    assert SHOTS.parent == ROOT
