"""Quotes in SQLite: written per article, listed with filters, linked across articles."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

QUOTE_COLUMNS = (
    "q.id, q.article_id, q.kind, q.start, q.end, q.text, q.quote_key, q.cue, q.speaker_text,"
    " q.speaker_start, q.speaker_end, q.actor_id, ac.name AS speaker_name, q.reason,"
    " a.title, a.date,"
    " (SELECT s.origin FROM sources s WHERE s.article_id = a.id ORDER BY s.id LIMIT 1) AS origin,"
    " (SELECT o.name FROM sources s JOIN outlets o ON o.id = s.outlet_id"
    "  WHERE s.article_id = a.id ORDER BY s.id LIMIT 1) AS outlet"
)


class QuoteStore:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def replace_quotes(self, article_id: str, rows: Iterable[tuple[Any, ...]]) -> None:
        self.db.execute("DELETE FROM quotes WHERE article_id = ?", (article_id,))
        self.db.executemany(
            "INSERT INTO quotes (article_id, kind, start, end, text, quote_key, cue, cue_start,"
            " speaker_text, speaker_start, speaker_end, actor_id, reason, version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(article_id, *row) for row in rows],
        )

    def scare_quotes(self, article_id: str, version: str) -> tuple[tuple[int, int], ...] | None:
        """Offsets of the article's scare quotes, or ``None`` unless its quotes were
        analysed by quotes component ``version``."""
        current = self.db.execute(
            "SELECT 1 FROM analyses WHERE article_id = ? AND component = 'quotes' AND version = ?",
            (article_id, version),
        ).fetchone()
        if current is None:
            return None
        rows = self.db.execute(
            "SELECT start, end FROM quotes WHERE article_id = ? AND kind = 'scare'"
            " ORDER BY start, end",
            (article_id,),
        )
        return tuple((r["start"], r["end"]) for r in rows)

    def quotes(
        self,
        *,
        article_id: str | None = None,
        actor_id: int | None = None,
        about_id: int | None = None,
        outlet: str | None = None,
        since: str | None = None,
        kinds: tuple[str, ...] = ("direct", "indirect"),
        unattributed: bool = False,
        limit: int = 1000,
    ) -> list[sqlite3.Row]:
        where = [f"q.kind IN ({','.join('?' * len(kinds))})"]
        params: list[Any] = list(kinds)
        if not unattributed:  # quotations whose speaker was not found are not attributions
            where.append("(q.kind = 'scare' OR q.speaker_text IS NOT NULL)")
        if article_id:
            where.append("q.article_id = ?")
            params.append(article_id)
        if actor_id is not None:
            where.append("q.actor_id = ?")
            params.append(actor_id)
        if about_id is not None:
            where.append(
                "q.article_id IN (SELECT article_id FROM mentions WHERE actor_id = ?)"
                " AND (q.actor_id IS NULL OR q.actor_id != ?)"
            )
            params.extend([about_id, about_id])
        if outlet:
            where.append(
                "q.article_id IN (SELECT s.article_id FROM sources s JOIN outlets o"
                " ON o.id = s.outlet_id WHERE o.name = ? COLLATE NOCASE)"
            )
            params.append(outlet)
        if since:
            where.append("a.date >= ?")
            params.append(since)
        sql = (
            f"SELECT {QUOTE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id"
            " LEFT JOIN actors ac ON ac.id = q.actor_id WHERE "
            + " AND ".join(where)
            + " ORDER BY a.date IS NULL, a.date, a.num, q.start LIMIT ?"
        )
        return self.db.execute(sql, [*params, limit]).fetchall()

    def appearances(self, quote_key: str) -> list[sqlite3.Row]:
        """Every article quoting the same words, earliest first."""
        return self.db.execute(
            "SELECT q.article_id, q.text, a.date FROM quotes q JOIN articles a"
            " ON a.id = q.article_id WHERE q.quote_key = ?"
            " ORDER BY a.date IS NULL, a.date, a.num",
            (quote_key,),
        ).fetchall()
