"""Actors, mentions, analyses and curation in SQLite."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from ..model import ActorSummary, ArticleRef

_SUMMARY = """
    SELECT ac.id, ac.name, ac.kind, ac.subkind,
           (SELECT group_concat(country) FROM (SELECT country FROM actor_countries
             WHERE actor_id = ac.id ORDER BY country)) AS countries,
           count(DISTINCT m.article_id) AS articles, count(m.id) AS mentions,
           min(ar.date) AS first_seen, max(ar.date) AS last_seen
    FROM actors ac
    JOIN mentions m ON m.actor_id = ac.id
    JOIN articles ar ON ar.id = m.article_id
"""


def summary(row: sqlite3.Row) -> ActorSummary:
    countries = tuple(row["countries"].split(",")) if row["countries"] else ()
    return ActorSummary(
        row["id"],
        row["name"],
        row["kind"],
        row["subkind"],
        countries,
        row["articles"],
        row["mentions"],
        row["first_seen"],
        row["last_seen"],
    )


class ActorStore:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    # -- analyses ------------------------------------------------------------------

    def stale(self, component: str, version: str, force: bool = False) -> Iterator[sqlite3.Row]:
        """Articles whose ``component`` result is missing or from another version."""
        sql = (
            "SELECT a.id, a.title, a.text FROM articles a LEFT JOIN analyses n"
            " ON n.article_id = a.id AND n.component = ?"
            + ("" if force else " WHERE n.version IS NULL OR n.version != ?")
            + " ORDER BY a.num"
        )
        params = (component,) if force else (component, version)
        yield from self.db.execute(sql, params).fetchall()

    def count_stale(self, component: str, version: str, force: bool = False) -> int:
        if force:
            return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])
        return int(
            self.db.execute(
                "SELECT count(*) FROM articles a LEFT JOIN analyses n ON n.article_id = a.id"
                " AND n.component = ? WHERE n.version IS NULL OR n.version != ?",
                (component, version),
            ).fetchone()[0]
        )

    def mark_analysed(self, article_id: str, component: str, version: str, when: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO analyses (article_id, component, version, analysed_at)"
            " VALUES (?, ?, ?, ?)",
            (article_id, component, version, when),
        )

    def replace_sentences(self, article_id: str, sentences: Iterable[tuple[int, int]]) -> None:
        self.db.execute("DELETE FROM sentences WHERE article_id = ?", (article_id,))
        self.db.executemany(
            "INSERT OR IGNORE INTO sentences (article_id, start, end) VALUES (?, ?, ?)",
            [(article_id, s, e) for s, e in sentences],
        )

    def clear_mentions(self, article_id: str) -> None:
        self.db.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))

    def add_mention(self, article_id: str, actor_id: int, mention: Any, version: str) -> None:
        self.db.execute(
            "INSERT INTO mentions (article_id, start, end, text, actor_id, role, method, version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article_id,
                mention.start,
                mention.end,
                mention.text,
                actor_id,
                mention.role,
                mention.method,
                version,
            ),
        )

    # -- actors --------------------------------------------------------------------

    def actor_by_key(self, key: str, kind: str, curated_only: bool = False) -> int | None:
        row = self.db.execute(
            "SELECT actor_id FROM actor_keys WHERE key = ? AND kind = ?"
            + (" AND curated = 1" if curated_only else ""),
            (key, kind),
        ).fetchone()
        return int(row[0]) if row else None

    def persons_with_surname(self, surname_key: str) -> list[int]:
        rows = self.db.execute(
            "SELECT id FROM actors WHERE kind = 'person' AND key LIKE ? ESCAPE '!'",
            ("% " + surname_key.replace("%", "!%").replace("_", "!_"),),
        ).fetchall()
        return [int(r[0]) for r in rows]

    def create_actor(self, key: str, name: str, kind: str, subkind: str | None) -> int:
        cursor = self.db.execute(
            "INSERT INTO actors (key, name, kind, subkind) VALUES (?, ?, ?, ?)",
            (key, name, kind, subkind),
        )
        actor_id = int(cursor.lastrowid or 0)
        self.set_key(key, kind, actor_id)
        return actor_id

    def set_key(self, key: str, kind: str, actor_id: int, curated: bool = False) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO actor_keys (key, kind, actor_id, curated) VALUES (?, ?, ?, ?)",
            (key, kind, actor_id, int(curated)),
        )

    def add_countries(self, actor_id: int, countries: Iterable[str]) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO actor_countries (actor_id, country) VALUES (?, ?)",
            [(actor_id, c) for c in countries],
        )

    def actor_row(self, actor_id: int) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.db.execute(
            "SELECT * FROM actors WHERE id = ?", (actor_id,)
        ).fetchone()
        return row

    def find_actors(self, key: str) -> list[int]:
        rows = self.db.execute(
            "SELECT DISTINCT actor_id FROM actor_keys WHERE key = ? ORDER BY actor_id", (key,)
        ).fetchall()
        return [int(r[0]) for r in rows]

    def summaries(
        self, country: str | None = None, kind: str | None = None, ids: list[int] | None = None
    ) -> list[ActorSummary]:
        where: list[str] = []
        params: list[Any] = []
        if country:
            where.append("ac.id IN (SELECT actor_id FROM actor_countries WHERE country = ?)")
            params.append(country)
        if kind:
            where.append("(ac.kind = ? OR ac.subkind = ?)")
            params.extend([kind, kind])
        if ids is not None:
            where.append(f"ac.id IN ({','.join('?' * len(ids))})")
            params.extend(ids)
        sql = _SUMMARY + (" WHERE " + " AND ".join(where) if where else "")
        sql += " GROUP BY ac.id ORDER BY articles DESC, ac.name"
        return [summary(r) for r in self.db.execute(sql, params)]

    def aliases(self, actor_id: int) -> list[tuple[str, int]]:
        rows = self.db.execute(
            "SELECT text, count(*) AS n FROM mentions WHERE actor_id = ? GROUP BY text"
            " ORDER BY n DESC, text",
            (actor_id,),
        )
        return [(r[0], r[1]) for r in rows]

    def roles(self, actor_id: int) -> list[str]:
        rows = self.db.execute(
            "SELECT role, count(*) AS n FROM mentions WHERE actor_id = ? AND role IS NOT NULL"
            " GROUP BY role ORDER BY n DESC",
            (actor_id,),
        )
        return [r[0] for r in rows]

    def articles_of(self, actor_id: int, limit: int = 100, offset: int = 0) -> list[ArticleRef]:
        rows = self.db.execute(
            "SELECT a.id, a.title, a.date, count(m.id) AS n,"
            " (SELECT o.name FROM sources s JOIN outlets o ON o.id = s.outlet_id"
            "  WHERE s.article_id = a.id ORDER BY s.id LIMIT 1) AS outlet"
            " FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.actor_id = ?"
            " GROUP BY a.id ORDER BY a.date IS NULL, a.date DESC, a.num DESC LIMIT ? OFFSET ?",
            (actor_id, limit, offset),
        )
        return [ArticleRef(r["id"], r["title"], r["date"], r["outlet"], r["n"]) for r in rows]

    def outlets_of(self, actor_id: int) -> list[tuple[str, int]]:
        rows = self.db.execute(
            "SELECT o.name, count(DISTINCT s.article_id) AS n FROM mentions m"
            " JOIN sources s ON s.article_id = m.article_id JOIN outlets o ON o.id = s.outlet_id"
            " WHERE m.actor_id = ? GROUP BY o.id ORDER BY n DESC, o.name",
            (actor_id,),
        )
        return [(r[0], r[1]) for r in rows]

    def co_mentioned(self, actor_id: int, limit: int = 10) -> list[tuple[int, int]]:
        rows = self.db.execute(
            "SELECT other.actor_id, count(DISTINCT other.article_id) AS n"
            " FROM (SELECT DISTINCT article_id FROM mentions WHERE actor_id = ?) mine"
            " JOIN mentions other ON other.article_id = mine.article_id"
            " WHERE other.actor_id != ? GROUP BY other.actor_id ORDER BY n DESC LIMIT ?",
            (actor_id, actor_id, limit),
        )
        return [(r[0], r[1]) for r in rows]

    def article_mentions(self, article_id: str) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT m.start, m.end, m.text, m.role, m.method, ac.id AS actor_id, ac.name, ac.kind"
            " FROM mentions m JOIN actors ac ON ac.id = m.actor_id WHERE m.article_id = ?"
            " ORDER BY m.start",
            (article_id,),
        ).fetchall()

    # -- curation ------------------------------------------------------------------

    def record_curation(self, op: str, args: dict[str, Any], when: str) -> None:
        self.db.execute(
            "INSERT INTO curation (op, args, created_at) VALUES (?, ?, ?)",
            (op, json.dumps(args, ensure_ascii=False), when),
        )

    def curation_log(self) -> list[tuple[str, dict[str, Any]]]:
        rows = self.db.execute("SELECT op, args FROM curation ORDER BY id")
        return [(r[0], json.loads(r[1])) for r in rows]

    def merge(self, keep: int, gone: int) -> None:
        self.db.execute("UPDATE actor_keys SET actor_id = ? WHERE actor_id = ?", (keep, gone))
        self.db.execute("UPDATE mentions SET actor_id = ? WHERE actor_id = ?", (keep, gone))
        self.db.execute("UPDATE quotes SET actor_id = ? WHERE actor_id = ?", (keep, gone))
        self.db.execute(
            "INSERT OR IGNORE INTO actor_countries (actor_id, country)"
            " SELECT ?, country FROM actor_countries WHERE actor_id = ?",
            (keep, gone),
        )
        self.db.execute("DELETE FROM actors WHERE id = ?", (gone,))
        self.db.execute("UPDATE actors SET curated = 1 WHERE id = ?", (keep,))

    def move_mentions(self, source: int, target: int, text_keys: set[str], key_of: Any) -> int:
        rows = self.db.execute(
            "SELECT id, text FROM mentions WHERE actor_id = ?", (source,)
        ).fetchall()
        moving = [r["id"] for r in rows if key_of(r["text"]) in text_keys]
        self.db.executemany(
            "UPDATE mentions SET actor_id = ? WHERE id = ?", [(target, i) for i in moving]
        )
        speakers = self.db.execute(
            "SELECT id, speaker_text FROM quotes WHERE actor_id = ?", (source,)
        ).fetchall()
        self.db.executemany(
            "UPDATE quotes SET actor_id = ? WHERE id = ?",
            [(target, r["id"]) for r in speakers if key_of(r["speaker_text"] or "") in text_keys],
        )
        return len(moving)

    def rename(self, actor_id: int, name: str) -> None:
        self.db.execute("UPDATE actors SET name = ?, curated = 1 WHERE id = ?", (name, actor_id))
