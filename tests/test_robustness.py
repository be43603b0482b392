"""Bad input is reported with its name and reason; the rest of the batch still goes in."""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import article_text
from dossier import Catalog, ReadOptions

GOOD = "A good article\n\n" + article_text("Sarajevo")


def reasons(report) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {Path(e.origin.split(":")[0].split("#")[0]).name: e.reason for e in report.rejected}


def test_each_bad_file_is_reported_and_the_good_one_goes_in(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    write("good.txt", GOOD)
    write("empty.txt", b"")
    write("binary.txt", bytes([0, 1, 2, 255, 0, 7]) * 200)
    write("truncated.txt.gz", gzip.compress(GOOD.encode())[:-20])
    write("fake.txt.gz", b"not gzip at all")
    write("big.txt", "Big\n\n" + "word " * 300_000)
    write("title-only.txt", "Just a title\n\n\n")
    write("nomain.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    write("broken.rss", "<?xml version='1.0'?><rss><channel><item><title>x")
    report = catalog.ingest([write.folder], ReadOptions(max_bytes=1_000_000))
    assert report.added == 1
    why = reasons(report)
    assert why["empty.txt"] == "file is empty"
    assert "binary" in why["binary.txt"]
    assert "truncated or corrupt gzip" in why["truncated.txt.gz"]
    assert "not gzip" in why["fake.txt.gz"]
    assert "over the limit of 1,000,000" in why["big.txt"]
    assert "no article text" in why["title-only.txt"]
    assert "no main content" in why["nomain.html"]
    assert "broken.rss" in why
    stored = catalog.store.db.execute("SELECT count(*) FROM rejects").fetchone()[0]
    assert stored == len(report.rejected) == 8


def test_undecodable_bytes_are_rejected(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    write("noise.txt", bytes(rng.randrange(1, 32) for _ in range(5000)))
    report = catalog.ingest([write.folder])
    assert report.added == 0
    assert "binary" in report.rejected[0].reason or "encoding" in report.rejected[0].reason


def test_invalid_json_lines_are_reported_with_line_numbers(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    lines = [
        json.dumps({"title": "One", "text": article_text("Tuzla")}),
        "{not json",
        json.dumps({"title": "No text", "text": "   "}),
        json.dumps(["a", "list"]),
        json.dumps({"title": "Two", "text": article_text("Mostar")}),
    ]
    report = catalog.ingest([write("r.jsonl", "\n".join(lines))])
    assert report.added == 2
    by_line = {e.line: e.reason for e in report.rejected}
    assert set(by_line) == {2, 3, 4}
    assert "invalid JSON" in by_line[2]
    assert "no text" in by_line[3]
    assert "not an object" in by_line[4]
    assert str(report.rejected[0]).endswith("r.jsonl:2: " + by_line[2])


def test_a_folder_of_thousands_of_files(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    for i in range(2500):
        write(
            f"d{i % 10}/a{i}.txt",
            f"Article {i}\n\nThe harbour of Split reported cargo number {i} "
            f"on day {i % 28 + 1}, the port authority in Split said on Monday.",
        )
    report = catalog.ingest([write.folder])
    assert report.added == 2500 and not report.rejected
    assert catalog.stats()["articles"] == 2500


def test_hostile_title_is_stored_verbatim_and_searchable(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    title = '<script>alert("x")</script><img src=x onerror=alert(1)> Harbour'
    catalog.ingest([write("h.txt", title + "\n\n" + article_text("Zadar"))])
    article = next(catalog.articles())
    assert article.title == title
    assert catalog.search("harbour")[0].title == title


def _generate(path: Path, count: int) -> None:
    with path.open("w") as out:
        for i in range(count):
            text = "\n\n".join(
                f"Report {i}: the invented Port Board of Rijeka counted {i * 13 + j} ships "
                f"in week {j} of season {i}."
                for j in range(12)
            )
            out.write(
                json.dumps({"title": f"Report {i}", "text": text, "outlet": "Rijeka Wire"}) + "\n"
            )


def test_a_killed_run_leaves_a_consistent_database_that_a_rerun_completes(tmp_path: Path) -> None:
    data, db = tmp_path / "many.jsonl", tmp_path / "kill.db"
    _generate(data, 6000)  # streamed: no file-size limit for JSON Lines
    command = [
        sys.executable,
        "-m",
        "dossier",
        "ingest",
        str(data),
        "--db",
        str(db),
        "--no-analyze",
    ]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and child.poll() is None:
        time.sleep(0.05)
        if db.exists() and _count(db) >= 400:
            break
    assert child.poll() is None, "ingest finished before it could be killed; generate more"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    partial = _count(db)
    assert 0 < partial < 6000
    check = sqlite3.connect(db)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()
    rerun = subprocess.run([*command, "--json"], capture_output=True, text=True, check=True)
    report = json.loads(rerun.stdout)
    assert report["added"] == 6000 - partial
    assert report["duplicates"] == partial
    assert _count(db) == 6000
    check = sqlite3.connect(db)
    sources = check.execute("SELECT count(*), count(DISTINCT article_id) FROM sources").fetchone()
    assert sources == (6000, 6000)
    fts = check.execute(
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'rijeka'"
    ).fetchone()
    assert fts[0] == 6000


def _count(db: Path) -> int:
    try:
        con = sqlite3.connect(db, timeout=5)
        try:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0
