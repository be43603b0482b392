"""The SQLite backend: WAL mode, FTS5 search, migrations on open."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..model import (
    Article,
    Debris,
    InputError,
    NearDuplicate,
    Outlet,
    PreparedArticle,
    QueryError,
    SearchHit,
    Source,
)
from .migrations import migrate

_ARTICLE_COLUMNS = "a.id, a.title, a.text, a.date, a.lang, a.debris"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SQLiteStore:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=10000")
        self.db.execute("PRAGMA foreign_keys=ON")
        migrate(self.db)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- writing -----------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        row = self.db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def add_article(self, item: PreparedArticle) -> None:
        self.db.execute(
            "INSERT INTO articles (id, title, text, date, lang, debris, signature, added_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                item.id,
                item.title,
                item.text,
                item.doc.date,
                item.doc.lang,
                json.dumps([_debris_row(d) for d in item.debris], ensure_ascii=False),
                item.signature,
                now(),
            ),
        )
        self.db.executemany(
            "INSERT INTO minhash_bands (key, article_id) VALUES (?, ?)",
            [(key, item.id) for key in item.band_keys],
        )

    def add_source(self, item: PreparedArticle, outlet_id: int | None) -> bool:
        """Record where the article was read; False when this source was already known."""
        doc = item.doc
        key = doc.url or f"{outlet_id or ''}|{doc.origin}"
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO sources (article_id, source_key, outlet_id, url, origin, format,"
            " title, date, authors, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                item.id,
                key,
                outlet_id,
                doc.url,
                doc.origin,
                doc.format,
                doc.title,
                doc.date,
                json.dumps(list(doc.authors), ensure_ascii=False),
                now(),
            ),
        )
        return cursor.rowcount > 0

    def outlet_id(self, name: str, domain: str | None) -> int:
        """The id of the outlet called ``name``, created on first sight."""
        row = self.db.execute("SELECT id, domain FROM outlets WHERE name = ?", (name,)).fetchone()
        if row is not None:
            if domain and not row["domain"]:
                self.db.execute("UPDATE outlets SET domain = ? WHERE id = ?", (domain, row["id"]))
            return int(row["id"])
        cursor = self.db.execute("INSERT INTO outlets (name, domain) VALUES (?, ?)", (name, domain))
        return int(cursor.lastrowid or 0)

    def near_duplicate_candidates(
        self, band_keys: tuple[int, ...], limit: int = 25
    ) -> list[tuple[str, bytes]]:
        """Stored articles sharing a MinHash band with these keys, most shared bands first."""
        if not band_keys:
            return []
        marks = ",".join("?" * len(band_keys))
        rows = self.db.execute(
            f"SELECT a.id, a.signature FROM (SELECT article_id, count(*) AS shared"
            f" FROM minhash_bands WHERE key IN ({marks}) GROUP BY article_id"
            f" ORDER BY shared DESC LIMIT ?) b JOIN articles a ON a.id = b.article_id",
            (*band_keys, limit),
        ).fetchall()
        return [(row["id"], row["signature"]) for row in rows if row["signature"]]

    def link_near_duplicate(self, article_id: str, other_id: str, similarity: float) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO near_duplicates (article_id, other_id, similarity)"
            " VALUES (?, ?, ?)",
            (article_id, other_id, similarity),
        )

    def start_run(self, paths: list[str]) -> int:
        cursor = self.db.execute(
            "INSERT INTO ingest_runs (started_at, paths) VALUES (?, ?)", (now(), json.dumps(paths))
        )
        return int(cursor.lastrowid or 0)

    def record_reject(self, run_id: int, error: InputError) -> None:
        self.db.execute(
            "INSERT INTO rejects (run_id, origin, line, reason) VALUES (?, ?, ?, ?)",
            (run_id, error.origin, error.line, error.reason),
        )

    def finish_run(self, run_id: int, counts: dict[str, int]) -> None:
        self.db.execute(
            "UPDATE ingest_runs SET finished_at = ?, added = ?, duplicates = ?,"
            " near_duplicates = ?, rejected = ? WHERE id = ?",
            (
                now(),
                counts["added"],
                counts["duplicates"],
                counts["near_duplicates"],
                counts["rejected"],
                run_id,
            ),
        )

    # -- reading -----------------------------------------------------------------

    def resolve_id(self, prefix: str) -> str | None:
        """The full id of the article whose id is ``prefix`` or uniquely starts with it."""
        rows = self.db.execute(
            "SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT 2", (prefix, prefix + "g")
        ).fetchall()
        return rows[0]["id"] if len(rows) == 1 else None

    def article(self, article_id: str) -> Article | None:
        row = self.db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.id = ?", (article_id,)
        ).fetchone()
        return None if row is None else self._article(row, full=True)

    def iter_articles(self, batch: int = 500) -> Iterator[Article]:
        last = -1
        while True:
            rows = self.db.execute(
                f"SELECT a.num, {_ARTICLE_COLUMNS} FROM articles a WHERE a.num > ?"
                " ORDER BY a.num LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield self._article(row, full=False)
            last = rows[-1]["num"]

    def sources(self, article_id: str) -> list[Source]:
        rows = self.db.execute(
            "SELECT s.*, o.name AS outlet FROM sources s LEFT JOIN outlets o ON o.id = s.outlet_id"
            " WHERE s.article_id = ? ORDER BY s.id",
            (article_id,),
        ).fetchall()
        return [
            Source(
                outlet=r["outlet"],
                url=r["url"],
                origin=r["origin"],
                format=r["format"],
                title=r["title"],
                date=r["date"],
                authors=tuple(json.loads(r["authors"])),
                ingested_at=r["ingested_at"],
            )
            for r in rows
        ]

    def near_duplicates(self, article_id: str) -> list[NearDuplicate]:
        rows = self.db.execute(
            "SELECT n.id, a.title, n.similarity FROM ("
            " SELECT other_id AS id, similarity FROM near_duplicates WHERE article_id = ?"
            " UNION SELECT article_id, similarity FROM near_duplicates WHERE other_id = ?"
            ") n JOIN articles a ON a.id = n.id ORDER BY n.similarity DESC",
            (article_id, article_id),
        ).fetchall()
        return [NearDuplicate(r["id"], r["title"], r["similarity"]) for r in rows]

    def search(
        self, query: str, limit: int = 20, offset: int = 0, marks: tuple[str, str] = ("[", "]")
    ) -> list[SearchHit]:
        sql = (
            "SELECT a.id, a.title, snippet(articles_fts, 1, ?, ?, '…', 16) AS snippet,"
            " bm25(articles_fts, 4.0, 1.0) AS rank, a.date,"
            " (SELECT o.name FROM sources s JOIN outlets o ON o.id = s.outlet_id"
            "  WHERE s.article_id = a.id ORDER BY s.id LIMIT 1) AS outlet"
            " FROM articles_fts JOIN articles a ON a.num = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?"
        )
        try:
            rows = self.db.execute(sql, (*marks, query, limit, offset)).fetchall()
        except sqlite3.OperationalError as exc:
            raise QueryError(_query_message(query, exc)) from exc
        return [
            SearchHit(r["id"], r["title"], r["snippet"], r["outlet"], r["date"], r["rank"])
            for r in rows
        ]

    def outlets(self) -> list[Outlet]:
        rows = self.db.execute("SELECT * FROM outlets ORDER BY name").fetchall()
        return [Outlet(r["id"], r["name"], r["domain"], r["country"], r["lean"]) for r in rows]

    def stats(self) -> dict[str, Any]:
        one = self._scalar
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "sources": one("SELECT count(*) FROM sources"),
            "outlets": one("SELECT count(*) FROM outlets"),
            "near_duplicate_pairs": one("SELECT count(*) FROM near_duplicates"),
            "debris_removed": one(
                "SELECT count(*) FROM articles a, json_each(a.debris) d"
                " WHERE json_extract(d.value, '$[0]') != 'whitespace'"
            ),
            "first_date": one("SELECT min(date) FROM articles"),
            "last_date": one("SELECT max(date) FROM articles"),
            "ingest_runs": one("SELECT count(*) FROM ingest_runs"),
            "rejected_inputs": one("SELECT count(*) FROM rejects"),
            "top_outlets": [
                {"outlet": r[0], "articles": r[1]}
                for r in self.db.execute(
                    "SELECT o.name, count(DISTINCT s.article_id) AS n FROM sources s"
                    " JOIN outlets o ON o.id = s.outlet_id GROUP BY o.id ORDER BY n DESC, o.name"
                    " LIMIT 10"
                )
            ],
        }

    def _scalar(self, sql: str) -> Any:
        return self.db.execute(sql).fetchone()[0]

    def _article(self, row: sqlite3.Row, *, full: bool) -> Article:
        sources = self.sources(row["id"])
        first = sources[0] if sources else None
        return Article(
            id=row["id"],
            title=row["title"],
            text=row["text"],
            date=row["date"],
            lang=row["lang"],
            authors=first.authors if first else (),
            outlet=first.outlet if first else None,
            url=first.url if first else None,
            sources=tuple(sources),
            debris=tuple(_debris_from(d) for d in json.loads(row["debris"])) if full else (),
            near_duplicates=tuple(self.near_duplicates(row["id"])) if full else (),
        )


def _debris_row(d: Debris) -> list[Any]:
    return [d.rule, d.text, d.start, d.end, d.at, d.replacement]


def _debris_from(row: list[Any]) -> Debris:
    rule, text, start, end, at, replacement = row
    return Debris(rule, text, start, end, at, replacement)


def _query_message(query: str, exc: sqlite3.OperationalError) -> str:
    detail = str(exc).removeprefix("fts5: ")
    return (
        f'cannot parse the search query {query!r} ({detail}). Use words, "quoted phrases",'
        " AND / OR / NOT in capitals, parentheses and prefix*; quote terms that contain"
        ' punctuation, e.g. "al-shabab".'
    )
