"""The web face through an in-process client: every route as HTML and JSON, both
envelopes, errors, security headers, and hostile content escaped everywhere."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from conftest import EXAMPLES
from dossier import Catalog
from dossier.browse import QuoteSpan, TechniqueSpan, flag
from dossier.web import create_app
from dossier.web.highlight import Span, quote_spans, render, technique_spans

pytestmark = pytest.mark.slow  # builds a catalog with the real spaCy model (~10 s)

HOSTILE_TITLE = (
    '<script>alert("t")</script> Interior Minister Dragan Petrović <img src=x onerror=alert(1)>'
)
HOSTILE_TEXT = (
    "BELGRADE — Interior Minister Dragan Petrović said on Monday that the Gazela Bridge"
    ' would reopen. <script>alert("x")</script> Click <a href="javascript:alert(2)">here</a>'
    " or <img src=x onerror=alert(3)> to win.\n\n"
    "Petrović told reporters in Belgrade that the repairs were finished early."
    " \ue000Fake mark\ue001 and </mark><mark> tags must stay text."
)
HOSTILE = {
    "title": HOSTILE_TITLE,
    "text": HOSTILE_TEXT,
    "outlet": "<b onmouseover=alert(4)>Evil Outlet</b>",
    "url": "javascript:alert(5)",
    "date": "2024-11-02",
    "authors": ["<i>Mallory</i>"],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "in" / "hostile.jsonl"
    hostile.parent.mkdir()
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    db = folder / "web.db"
    with Catalog.open(db) as catalog:
        catalog.ingest([EXAMPLES, hostile.parent])
        catalog.analyze()
    return db


@pytest.fixture(scope="module")
def client(built: Path) -> Iterator[TestClient]:
    with TestClient(create_app(built)) as opened:
        yield opened


@pytest.fixture(scope="module")
def ids(built: Path) -> dict[str, Any]:
    """Ids of things to visit: the hostile article, an actor, an outlet, a country."""
    db = sqlite3.connect(built)
    found = {
        "hostile": db.execute("SELECT id FROM articles WHERE title LIKE '<script>%'").fetchone()[0],
        "actor": db.execute(
            "SELECT actor_id FROM mentions GROUP BY actor_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0],
        "petrovic": db.execute(
            "SELECT id FROM actors WHERE name LIKE '%Petrovi%' AND kind = 'person'"
        ).fetchone()[0],
        "outlet": db.execute("SELECT id FROM outlets WHERE name LIKE '<b%'").fetchone()[0],
        "kosovo": db.execute("SELECT id FROM articles WHERE title LIKE 'Kosovo power%'").fetchone()[
            0
        ],
    }
    db.close()
    return found


def pages(ids: dict[str, Any]) -> list[str]:
    return [
        "/",
        "/countries/RS",
        "/countries/none",
        f"/actors/{ids['actor']}",
        f"/articles/{ids['hostile']}",
        "/search?q=petrovic",
        "/outlets",
        f"/outlets/{ids['outlet']}",
    ]


class Tags(HTMLParser):
    """Every start tag with its attributes, to check what the browser would build."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


# -- every route, both faces --------------------------------------------------------------


def test_every_page_answers_as_html_and_as_json(client: TestClient, ids: dict[str, Any]) -> None:
    for path in pages(ids):
        html = client.get(path)
        assert html.status_code == 200, path
        assert html.headers["content-type"].startswith("text/html"), path
        base, _, query = path.partition("?")
        as_json = client.get(base + ".json" + ("?" + query if query else ""))
        assert as_json.status_code == 200, path
        assert as_json.json()["ok"] is True, path


def test_success_envelope_is_ok_data_meta(client: TestClient) -> None:
    body = client.get("/outlets.json").json()
    assert set(body) == {"ok", "data", "meta"}
    assert body["ok"] is True
    assert set(body["meta"]) == {"path", "html", "version", "api_version", "elapsed_ms"}
    assert body["meta"]["path"] == "/outlets.json"
    assert body["meta"]["html"] == "/outlets"
    assert {o["name"] for o in body["data"]["outlets"]} >= {"Balkan Wire", "Sahel Monitor"}


def test_error_envelope_is_ok_false_with_status_and_message(client: TestClient) -> None:
    response = client.get("/articles/ffffffffffffffff.json")
    assert response.status_code == 404
    body = response.json()
    assert set(body) == {"ok", "error"}
    assert body["ok"] is False
    assert set(body["error"]) == {"status", "message"}
    assert body["error"]["status"] == 404
    assert "ffffffffffffffff" in body["error"]["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/articles/ffffffffffffffff",
        "/actors/999999",
        "/outlets/999999",
        "/countries/ZZ",
        "/nowhere",
    ],
)
def test_unknown_things_are_404_in_both_faces(client: TestClient, path: str) -> None:
    html = client.get(path)
    assert html.status_code == 404
    assert html.headers["content-type"].startswith("text/html")
    assert "Not found" in html.text
    as_json = client.get(path + ".json")
    assert as_json.status_code == 404
    assert as_json.json()["error"]["status"] == 404


@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=0", "since=yesterday", "country=Serbia", "actor=x", 'q="unclosed'],
)
def test_bad_parameters_are_400_with_a_message(client: TestClient, query: str) -> None:
    response = client.get("/search.json?" + query)
    assert response.status_code == 400
    assert response.json()["error"]["message"]
    assert client.get("/search?" + query).status_code == 400


def test_openapi_describes_every_json_page(client: TestClient, ids: dict[str, Any]) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {
        "/.json",
        "/countries/{code}.json",
        "/actors/{actor_id}.json",
        "/articles/{article_id}.json",
        "/search.json",
        "/outlets.json",
        "/outlets/{outlet_id}.json",
    }
    assert set(spec["components"]["schemas"]) == {"Success", "Error"}


def test_an_id_prefix_redirects_to_the_canonical_article(
    client: TestClient, ids: dict[str, Any]
) -> None:
    full = ids["kosovo"]
    response = client.get(f"/articles/{full[:6]}.json", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == f"/articles/{full}.json"


def test_a_missing_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="dossier ingest"):
        create_app(tmp_path / "nope.db")


# -- safety -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/outlets.json", "/static/dossier.css", "/nowhere"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_pages_have_no_inline_script_or_style(client: TestClient, ids: dict[str, Any]) -> None:
    for path in pages(ids):
        for tag, attrs in tags_of(client.get(path).text):
            assert "style" not in attrs, (path, tag)
            assert tag != "style", path
            if tag == "script":
                assert attrs.get("src") == "/static/dossier.js", path


def test_hostile_content_is_escaped_on_every_page(client: TestClient, ids: dict[str, Any]) -> None:
    visited = [
        *pages(ids),
        "/search?q=gazela",
        "/search?q=mark",
        f"/search?outlet={ids['outlet']}",
        f"/actors/{ids['petrovic']}",
    ]
    for path in visited:
        html = client.get(path).text
        for tag, attrs in tags_of(html):
            assert tag not in ("img", "b", "i") or not attrs, (path, tag, attrs)
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            for value in attrs.values():
                assert not (value or "").strip().lower().startswith("javascript:"), (path, tag)
        assert "<script>alert" not in html, path


def test_hostile_article_text_shows_as_text(client: TestClient, ids: dict[str, Any]) -> None:
    html = client.get(f"/articles/{ids['hostile']}").text
    assert "&lt;script&gt;alert" in html and "&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(3)&gt;" in html
    assert "javascript:alert(5)" in html  # the source URL shown as code, never as a link
    assert 'href="javascript' not in html
    assert "&lt;b onmouseover=alert(4)&gt;Evil Outlet&lt;/b&gt;" in html


def test_search_snippets_escape_text_and_keep_only_real_marks(client: TestClient) -> None:
    html = client.get("/search?q=mark").text
    snippet = html.split('class="snippet">', 1)[1].split("</p>", 1)[0]
    assert snippet.count("<mark>") == snippet.count("</mark>") >= 1
    assert "&lt;/<mark>mark</mark>&gt;&lt;<mark>mark</mark>&gt;" in snippet  # the text's tags
    assert "<mark>Fake" not in snippet  # the text's own private-use characters forge nothing
    hit = client.get("/search.json?q=mark").json()["data"]["hits"][0]
    assert {hit["snippet"][start:end].lower() for start, end in hit["highlights"]} == {"mark"}
    assert "</mark><mark> tags" in hit["snippet"]  # plain text in JSON, marks as offsets


# -- catalog, actors, outlets -----------------------------------------------------------


def test_catalog_lists_countries_with_flags_and_counts(client: TestClient) -> None:
    countries = {c["code"]: c for c in client.get("/.json").json()["data"]["countries"]}
    assert countries["XK"]["flag"] == "🇽🇰" and countries["XK"]["name"] == "Kosovo"
    assert countries["RS"]["actors"] >= 3 and countries["RS"]["articles"] >= 2
    html = client.get("/").text
    assert 'href="/countries/RS"' in html and "🇷🇸" in html


def test_country_page_groups_actors_by_kind(client: TestClient) -> None:
    data = client.get("/countries/RS.json").json()["data"]
    kinds = [k["kind"] for k in data["kinds"]]
    assert "person" in kinds and kinds == sorted(
        kinds, key=["group", "person", "institution", "place", "country"].index
    )
    people = next(k for k in data["kinds"] if k["kind"] == "person")["actors"]
    assert any("Petrovi" in a["name"] for a in people)
    assert all({"articles", "last_seen"} <= set(a) for a in people)


def test_actor_page_has_profile_chart_outlets_and_paged_articles(
    client: TestClient, ids: dict[str, Any]
) -> None:
    data = client.get(f"/actors/{ids['actor']}.json").json()["data"]
    assert data["timeline"] and {"period", "articles", "mentions"} == set(data["timeline"][0])
    assert data["paging"]["total"] == len(data["articles"]) or data["paging"]["pages"] > 1
    html = client.get(f"/actors/{ids['actor']}").text
    assert html.count('<rect class="bar"') == len(data["timeline"])
    for other in data["co_mentioned"]:
        assert f'href="/actors/{other["id"]}"' in html


def test_outlet_page_lists_articles_and_top_actors(client: TestClient) -> None:
    outlets = client.get("/outlets.json").json()["data"]["outlets"]
    wire = next(o for o in outlets if o["name"] == "Balkan Wire")
    data = client.get(f"/outlets/{wire['id']}.json").json()["data"]
    assert len(data["articles_page"]) == wire["articles"] == data["paging"]["total"]
    assert data["top_actors"]


# -- article layers -----------------------------------------------------------------------


def test_article_marks_each_mention_as_a_link_to_its_actor(
    client: TestClient, ids: dict[str, Any]
) -> None:
    data = client.get(f"/articles/{ids['kosovo']}.json").json()["data"]
    html = client.get(f"/articles/{ids['kosovo']}").text
    links = [a for t, a in tags_of(html) if t == "a" and "mention" in (a.get("class") or "")]
    assert len(links) == len(data["mentions"]) > 3
    assert {a["href"] for a in links} == {f"/actors/{m['actor_id']}" for m in data["mentions"]}
    assert '<details class="debris">' in html and "Legend" in html


def test_the_layer_form_works_without_javascript(client: TestClient, ids: dict[str, Any]) -> None:
    off = client.get(f"/articles/{ids['kosovo']}?layers=1").text
    assert 'class="text"' in off
    on = client.get(f"/articles/{ids['kosovo']}?layers=1&layer=actors").text
    assert 'class="text show-actors"' in on
    assert 'value="actors" data-layer="actors" checked' in on


LAYER_TABLES = (
    "CREATE TABLE IF NOT EXISTS quotes (article_id TEXT, kind TEXT, start INTEGER,"
    " end INTEGER, cue TEXT, speaker_text TEXT, actor_id INTEGER);"
    "CREATE TABLE IF NOT EXISTS technique_spans (article_id TEXT, start INTEGER,"
    " end INTEGER, technique TEXT, score REAL, evidence TEXT);"
)


def add_sample_layers(db: Path, article_id: str, actor_id: int) -> None:
    """One quote and two technique spans in an article, stored as the analyses store them."""
    conn = sqlite3.connect(db)
    text = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
    quote = text.index("One of")
    conn.execute("DELETE FROM quotes WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM technique_spans WHERE article_id = ?", (article_id,))
    columns = {r[1] for r in conn.execute("PRAGMA table_info(quotes)")}
    values = {
        "article_id": article_id,
        "kind": "direct",
        "start": quote,
        "end": quote + 40,
        "text": text[quote : quote + 40],
        "quote_key": "k",
        "cue": "said",
        "speaker_text": "the minister",
        "actor_id": actor_id,
        "version": "test",
    }
    row = {k: v for k, v in values.items() if k in columns}
    conn.execute(
        f"INSERT INTO quotes ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )
    columns = {r[1] for r in conn.execute("PRAGMA table_info(technique_spans)")}
    extra = ", version" if "version" in columns else ""
    conn.executemany(
        f"INSERT INTO technique_spans (article_id, start, end, technique, score, evidence{extra})"
        f" VALUES (?, ?, ?, ?, ?, ?{', ?' if extra else ''})",
        [
            (article_id, 0, 6, "Loaded_Language", 0.91, "<b>cue</b>", "test")[: 6 + bool(extra)],
            (article_id, quote + 10, quote + 60, "Doubt", 0.55, "model", "test")[: 6 + bool(extra)],
        ],
    )
    conn.commit()
    conn.close()


def copy_catalog(built: Path, folder: Path, script: str) -> Path:
    db = folder / "copy.db"
    shutil.copy(built, db)
    conn = sqlite3.connect(db)
    conn.executescript(script)
    conn.close()
    return db


def forget_layers(db: Path) -> None:
    """Empty the quotes and techniques layers: as if those components had never run."""
    conn = sqlite3.connect(db)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in {"quotes", "technique_spans"} & tables:
        conn.execute(f"DELETE FROM {table}")
    conn.execute("DELETE FROM analyses WHERE component IN ('quotes', 'techniques')")
    conn.commit()
    conn.close()


@pytest.fixture(scope="module")
def bare(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The catalog as it was before quotes and techniques were analysed."""
    db = copy_catalog(built, tmp_path_factory.mktemp("bare"), "")
    forget_layers(db)
    with TestClient(create_app(db)) as opened:
        yield opened


@pytest.fixture(scope="module")
def layered(
    built: Path, ids: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """A copy of the catalog with known quotes and technique spans in one article."""
    db = copy_catalog(built, tmp_path_factory.mktemp("layered"), LAYER_TABLES)
    add_sample_layers(db, ids["kosovo"], ids["actor"])
    with TestClient(create_app(db)) as opened:
        yield opened


def test_unanalysed_layers_degrade_to_a_note(bare: TestClient, ids: dict[str, Any]) -> None:
    data = bare.get(f"/articles/{ids['kosovo']}.json").json()["data"]
    assert data["quotes"] is None and data["techniques"] is None
    html = bare.get(f"/articles/{ids['kosovo']}").text
    assert html.count("(not analysed yet)") == 2
    assert 'class="text show-actors"' in html
    actor = bare.get(f"/actors/{ids['actor']}.json").json()["data"]
    assert actor["quotes"] is None and actor["techniques"] is None
    assert "Quotes: not analysed yet." in bare.get(f"/actors/{ids['actor']}").text
    outlet = bare.get(f"/outlets/{ids['outlet']}.json").json()["data"]
    assert outlet["techniques"] is None


def test_quotes_and_techniques_appear_once_analysed(
    layered: TestClient, ids: dict[str, Any]
) -> None:
    data = layered.get(f"/articles/{ids['kosovo']}.json").json()["data"]
    assert len(data["quotes"]) == 1 and len(data["techniques"]) == 2
    assert data["quotes"][0]["speaker_id"] == ids["actor"]
    assert [t["technique"] for t in data["legend"]["techniques"]] == ["Doubt", "Loaded_Language"]
    html = layered.get(f"/articles/{ids['kosovo']}").text
    assert 'class="text show-actors show-quotes show-techniques"' in html
    assert html.count('<mark class="tech tech-0"') == 1
    assert 'data-tip="Loaded language · score 0.91 · &lt;b&gt;cue&lt;/b&gt;"' in html
    assert 'class="speaker">— <a href="/actors/' in html
    assert "(not analysed yet)" not in html


def test_actor_and_outlet_pages_profile_techniques_once_analysed(
    layered: TestClient, ids: dict[str, Any]
) -> None:
    actor = layered.get(f"/actors/{ids['actor']}.json").json()["data"]
    assert actor["quotes"]["by"] and actor["techniques"]
    wire = layered.get("/search.json?technique=Doubt").json()["data"]
    # the sample span, plus what the techniques component found in the other examples
    assert ids["kosovo"] in [h["id"] for h in wire["hits"]]


# -- search -----------------------------------------------------------------------------


def test_search_narrows_by_country_outlet_and_dates(client: TestClient) -> None:
    everything = client.get("/search.json?q=said").json()["data"]
    total = everything["paging"]["total"]
    assert total > 5 and everything["facets"]["country"] and everything["facets"]["outlet"]
    kosovo = client.get("/search.json?q=said&country=xk").json()["data"]
    assert 0 < kosovo["paging"]["total"] < total and kosovo["filters"]["country"] == "XK"
    outlet = everything["facets"]["outlet"][0]
    narrowed = client.get(f"/search.json?q=said&outlet={outlet['value']}").json()["data"]
    assert narrowed["paging"]["total"] == outlet["count"]
    dated = client.get("/search.json?q=said&since=2024-03-01&until=2024-03").json()["data"]
    assert all(h["date"][:7] == "2024-03" for h in dated["hits"]) and dated["hits"]


def test_facets_alone_list_articles_newest_first(client: TestClient, ids: dict[str, Any]) -> None:
    data = client.get(f"/search.json?actor={ids['actor']}").json()["data"]
    dates = [h["date"] for h in data["hits"] if h["date"]]
    assert data["hits"] and dates == sorted(dates, reverse=True)


def test_search_pages_link_to_shareable_urls(client: TestClient) -> None:
    first = client.get("/search.json?q=the").json()["data"]
    assert first["paging"]["pages"] >= 2
    second = client.get("/search.json?q=the&page=2").json()["data"]
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    html = client.get("/search?q=the&country=RS").text
    assert 'href="/search?q=the&amp;country=RS&amp;page=2"' in html or "Page 1 of 1" not in html


def test_search_accepts_punctuated_terms(client: TestClient) -> None:
    assert client.get("/search.json?q=al-shabaab").status_code == 200


# -- pure pieces --------------------------------------------------------------------------


def test_crossing_spans_are_closed_and_reopened_so_tags_nest() -> None:
    text = "abcdefghij"
    spans = [
        *quote_spans([QuoteSpan(1, 6, None, "<x>", "said", "direct")]),
        *technique_spans([TechniqueSpan(4, 9, "Doubt", 0.5, None)], {"Doubt": 1}),
        Span(2, 3, "actors", "a", (("class", "mention"), ("href", "/actors/1"))),
    ]
    html = str(render(text, spans))
    stack: list[str] = []
    for piece in html.replace(">", ">\n").split("<")[1:]:
        name = piece.split(">")[0].split()[0]
        if name.startswith("/"):
            assert stack.pop() == name[1:]
        else:
            stack.append(name)
    assert not stack
    assert "&lt;x&gt;" in html and html.count('tabindex="0"') == 1


def test_spans_outside_the_text_are_ignored() -> None:
    span = Span(5, 50, "actors", "a", (("href", "/actors/1"),))
    assert str(render("<short>", [span])) == "&lt;short&gt;"


def test_flags_come_from_iso_codes() -> None:
    assert (flag("RS"), flag("xk"), flag(""), flag("X1")) == ("🇷🇸", "🇽🇰", "", "")
