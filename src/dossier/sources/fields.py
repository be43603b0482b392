"""Normalising metadata fields that every reader meets: dates, author lists, domains."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from dateutil import parser as dateparser

_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\|)\s*")
_BYLINE = re.compile(r"^\s*by\s+", re.IGNORECASE)


def parse_date(value: Any) -> str | None:
    """An ISO 8601 date (``YYYY-MM-DD``) or datetime string, or None when unparseable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    try:
        parsed = dateparser.parse(text)
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    if parsed.time() == datetime.min.time() and parsed.tzinfo is None:
        return parsed.date().isoformat()
    return parsed.isoformat()


def split_authors(value: Any) -> tuple[str, ...]:
    """Authors from a list or a string like "By Ann Lee, Bo Chen and Cy Dow"."""
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        items = [str(v) for v in value if v]
    else:
        items = _AUTHOR_SPLIT.split(_BYLINE.sub("", str(value)))
    cleaned = (" ".join(item.split()) for item in items)
    return tuple(dict.fromkeys(a for a in cleaned if a))


def domain_of(url: str | None) -> str | None:
    """The host of a URL without a leading ``www.``, lower-cased."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    if not host:
        return None
    return host.removeprefix("www.")
