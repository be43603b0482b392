"""Technique spans in SQLite: written per article, summarised by outlet, actor, country, month."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

# What a span is counted under for each grouping, as (join, group expression).
# LEFT JOINs: an article with no outlet, no actor or no date still counts, in a NULL group
_GROUPS = {
    "outlet": (
        " LEFT JOIN sources s ON s.article_id = t.article_id AND s.id = (SELECT min(id)"
        " FROM sources WHERE article_id = t.article_id) LEFT JOIN outlets o ON o.id = s.outlet_id",
        "o.name",
    ),
    "actor": (
        " LEFT JOIN (SELECT DISTINCT article_id, actor_id FROM mentions) m"
        " ON m.article_id = t.article_id LEFT JOIN actors ac ON ac.id = m.actor_id",
        "ac.name",
    ),
    "country": (
        " LEFT JOIN (SELECT DISTINCT m.article_id, c.country FROM mentions m"
        " JOIN actor_countries c ON c.actor_id = m.actor_id) ac ON ac.article_id = t.article_id",
        "ac.country",
    ),
    "month": (" JOIN articles a ON a.id = t.article_id", "substr(a.date, 1, 7)"),
    "technique": ("", "'all'"),
}
GROUPINGS = tuple(_GROUPS)


class TechniqueStore:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def replace_spans(self, article_id: str, rows: Iterable[tuple[Any, ...]]) -> None:
        self.db.execute("DELETE FROM technique_spans WHERE article_id = ?", (article_id,))
        self.db.executemany(
            "INSERT INTO technique_spans (article_id, start, end, technique, score, evidence,"
            " field, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(article_id, *row) for row in rows],
        )

    def spans(self, article_id: str, threshold: float) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT start, end, technique, score, evidence, field FROM technique_spans"
            " WHERE article_id = ? AND score >= ? ORDER BY field DESC, start, end DESC",
            (article_id, threshold),
        ).fetchall()

    def stats(self, by: str, threshold: float, technique: str | None = None) -> list[sqlite3.Row]:
        join, group = _GROUPS[by]
        where, params = ["t.score >= ?"], [threshold]
        if technique:
            where.append("t.technique = ?")
            params.append(technique)  # type: ignore[arg-type]
        sql = (
            f"SELECT {group} AS grp, t.technique, count(*) AS spans,"
            f" count(DISTINCT t.article_id) AS articles FROM technique_spans t{join}"
            f" WHERE {' AND '.join(where)} GROUP BY grp, t.technique"
            " ORDER BY grp IS NULL, grp, spans DESC"
        )
        return self.db.execute(sql, params).fetchall()
