"""Reading GET parameters: each helper validates one kind and says what was wrong."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from .pages import PageError

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_COUNTRY = re.compile(r"[A-Za-z]{2}")
MAX_PAGE = 10_000


def page_number(params: QueryParams) -> int:
    return positive_int(params, "page") or 1


def positive_int(params: QueryParams, name: str) -> int | None:
    raw = params.get(name, "").strip().lstrip("#")
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) <= MAX_PAGE * 1000:
        raise PageError(400, f"parameter {name!r} must be a positive whole number, not {raw!r}")
    if name == "page" and int(raw) > MAX_PAGE:
        raise PageError(400, f"parameter 'page' must be at most {MAX_PAGE}")
    return int(raw)


def date(params: QueryParams, name: str) -> str:
    raw = params.get(name, "").strip()
    if raw and not _DATE.fullmatch(raw):
        raise PageError(400, f"parameter {name!r} must be a date like 2024-03-31, not {raw!r}")
    return raw


def country(params: QueryParams, name: str = "country") -> str:
    raw = params.get(name, "").strip()
    if raw and not _COUNTRY.fullmatch(raw):
        raise PageError(400, f"parameter {name!r} must be a two-letter country code, not {raw!r}")
    return raw.upper()


def text(params: QueryParams, name: str, limit: int = 500) -> str:
    raw = params.get(name, "").strip()
    if len(raw) > limit:
        raise PageError(400, f"parameter {name!r} is longer than {limit} characters")
    return raw


def link(path: str, params: QueryParams | dict[str, str], **changes: object) -> str:
    """``path`` with ``params`` updated by ``changes`` (None or "" removes a key)."""
    merged = {k: str(v) for k, v in params.items()}
    for key, value in changes.items():
        if value in (None, ""):
            merged.pop(key, None)
        else:
            merged[key] = str(value)
    return path + ("?" + urlencode(merged) if merged else "")
