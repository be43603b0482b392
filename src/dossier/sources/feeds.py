"""RSS 2.0 and Atom feeds through feedparser, taking an entry's full content where present."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from ..model import InputError, RawDocument
from .fields import parse_date, split_authors
from .html import fragment_to_text
from .options import ReadOptions


def read_feed(text: str, origin: str, options: ReadOptions) -> Iterator[RawDocument | InputError]:
    parsed = feedparser.parse(text)
    if not parsed.entries:
        reason = "feed has no entries"
        if parsed.bozo:
            reason = f"not a readable RSS/Atom feed ({parsed.bozo_exception})"
        yield InputError(origin, reason)
        return
    outlet = options.outlet or parsed.feed.get("title") or None
    lang = parsed.feed.get("language") or None
    for index, entry in enumerate(parsed.entries, start=1):
        where = f"{origin}#{index}"
        body = fragment_to_text(_entry_html(entry))
        if not body:
            yield InputError(where, "feed entry has no content or summary")
            continue
        yield RawDocument(
            title=" ".join(fragment_to_text(entry.get("title", "")).split()),
            text=body,
            origin=where,
            format="feed",
            date=_entry_date(entry),
            authors=_entry_authors(entry),
            outlet=outlet,
            url=entry.get("link") or None,
            lang=lang,
        )


def _entry_html(entry: Any) -> str:
    contents = entry.get("content") or []
    full = max((c.get("value", "") for c in contents), key=len, default="")
    summary = entry.get("summary", "") or ""
    return str(full if len(full) >= len(summary) else summary)


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        struct = entry.get(key)
        if struct:
            return datetime(struct[0], struct[1], struct[2], tzinfo=UTC).date().isoformat()
    return parse_date(entry.get("published") or entry.get("updated"))


def _entry_authors(entry: Any) -> tuple[str, ...]:
    names = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
    return split_authors(names or entry.get("author"))
