"""Identity, duplicates, search and export on a real SQLite file."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from conftest import article_text
from dossier import Catalog, QueryError
from dossier.store.migrations import MIGRATIONS


def record(title: str, text: str, outlet: str, url: str | None = None) -> str:
    return json.dumps({"title": title, "text": text, "outlet": outlet, "url": url}) + "\n"


def test_ingesting_the_same_inputs_twice_adds_nothing(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    write("a.txt", "A\n\n" + article_text("Split"))
    write("b.txt", "B\n\n" + article_text("Zagreb"))
    first = catalog.ingest([write.folder])
    second = catalog.ingest([write.folder])
    assert (first.added, second.added, second.duplicates, second.new_sources) == (2, 0, 2, 0)
    assert catalog.stats()["sources"] == 2


def test_same_text_from_two_outlets_is_one_article_with_two_sources(
    catalog: Catalog, write
) -> None:  # type: ignore[no-untyped-def]
    text = article_text("Podgorica")
    path = write(
        "r.jsonl",
        record("Wire copy", text, "Adriatic Daily", "https://adriatic.example/1")
        + record(
            "Wire copy!",
            text.replace("In Podgorica", "IN PODGORICA"),
            "Danube Post",
            "https://www.danubepost.example/2",
        ),
    )
    report = catalog.ingest([path])
    assert (report.added, report.duplicates, report.new_sources) == (1, 1, 1)
    article = next(catalog.articles())
    assert [s.outlet for s in article.sources] == ["Adriatic Daily", "Danube Post"]
    domains = {o.name: o.domain for o in catalog.store.outlets()}
    assert domains == {"Adriatic Daily": "adriatic.example", "Danube Post": "danubepost.example"}


def test_near_duplicates_are_linked_not_merged(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    original = article_text("Skopje", sentences=12)
    edited = original.replace("reason 8.", "reason eight, officials added.") + (
        "\n\nThe mayor of Skopje was not available for comment on Tuesday evening."
    )
    path = write(
        "r.jsonl",
        record("Original", original, "A")
        + record("Syndicated", edited, "B")
        + record("Other", article_text("Ohrid"), "C"),
    )
    report = catalog.ingest([path])
    assert (report.added, report.near_duplicates) == (3, 1)
    by_title = {a.title: a.id for a in catalog.articles()}
    linked = catalog.article(by_title["Syndicated"]).near_duplicates
    assert [n.article_id for n in linked] == [by_title["Original"]]
    assert 0.5 <= linked[0].similarity < 1.0
    assert (
        catalog.article(by_title["Original"]).near_duplicates[0].article_id
        == by_title["Syndicated"]
    )
    assert catalog.article(by_title["Other"]).near_duplicates == ()


def test_search_folds_diacritics_ranks_and_highlights(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    write("a.txt", "Vučić visits Niš\n\n" + article_text("Niš") + "\n\nAleksandar Vučić spoke.")
    write("b.txt", "Port news\n\n" + article_text("Bar"))
    catalog.ingest([write.folder])
    hits = catalog.search("vucic")
    assert [h.title for h in hits] == ["Vučić visits Niš"]
    assert "[Vučić]" in hits[0].snippet
    assert catalog.search('nis AND "ferry schedule"')[0].title == "Vučić visits Niš"
    assert catalog.search("vucic", marks=("<b>", "</b>"))[0].snippet.count("<b>") >= 1


def test_malformed_query_is_a_clear_error(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    catalog.ingest([write("a.txt", "T\n\n" + article_text("Bar"))])
    with pytest.raises(QueryError, match="cannot parse the search query"):
        catalog.search('"unclosed AND (')
    assert catalog.search("council-member")  # punctuation inside a term is quoted for the user


def test_database_is_wal_and_versioned(catalog: Catalog, db_path: Path) -> None:
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = [r[0] for r in con.execute("SELECT name FROM schema_migrations")]
    assert names == [m.__name__ for m in MIGRATIONS]
    Catalog.open(db_path).close()  # re-opening applies nothing twice
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)


def test_debris_is_stored_and_reconstructs_the_source(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    body = article_text("Bitola") + "\n\nShare this:\nNotify of\nView all comments"
    catalog.ingest([write("a.txt", "T\n\n" + body)])
    article = catalog.article(next(catalog.articles()).id[:6])
    rules = [d.rule for d in article.debris if d.rule != "whitespace"]
    assert rules == ["share", "comments", "comments"]
    assert "Notify" not in article.text


def test_export_jsonl_and_csv_carry_the_fields(catalog: Catalog, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "r.jsonl",
        json.dumps(
            {
                "title": "T",
                "text": article_text("Kotor"),
                "outlet": "O",
                "date": "2024-01-02",
                "url": "https://o.example/t",
                "authors": "Ana Ilić, Ivo Lukić",
            }
        )
        + "\n",
    )
    catalog.ingest([path])
    out = io.StringIO()
    assert catalog.export("jsonl", out) == 1
    row = json.loads(out.getvalue())
    assert {k: row[k] for k in ("title", "outlet", "date", "url", "authors")} == {
        "title": "T",
        "outlet": "O",
        "date": "2024-01-02",
        "url": "https://o.example/t",
        "authors": ["Ana Ilić", "Ivo Lukić"],
    }
    assert row["text"].startswith("In Kotor") and len(row["id"]) == 16
    out = io.StringIO()
    catalog.export("csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["authors"] == "Ana Ilić; Ivo Lukić" and rows[0]["text"] == row["text"]
