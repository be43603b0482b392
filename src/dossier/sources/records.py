"""One article per record: JSON Lines, JSON (an array or one object) and CSV."""

from __future__ import annotations

import csv
import io
import json
import sys
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

from ..model import InputError, RawDocument
from .decode import DecodeError, to_text
from .fields import parse_date, split_authors
from .options import ReadOptions

csv.field_size_limit(sys.maxsize)


def read_jsonl(text: str, origin: str, options: ReadOptions) -> Iterator[RawDocument | InputError]:
    for number, line in enumerate(text.splitlines(), start=1):
        yield from _jsonl_line(line, number, origin, options)


def read_jsonl_stream(
    lines: Iterable[bytes], origin: str, options: ReadOptions
) -> Iterator[RawDocument | InputError]:
    """JSON Lines read a line at a time, so memory does not grow with the file.

    The size limit applies to each record; a line that is not UTF-8 is decoded by detection.
    """
    number = 0
    try:
        for number, raw in enumerate(lines, start=1):
            if len(raw) > options.max_bytes:
                yield InputError(
                    origin, f"record over the limit of {options.max_bytes:,} bytes", number
                )
                continue
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                try:
                    line = to_text(raw)
                except DecodeError as exc:
                    yield InputError(origin, str(exc), number)
                    continue
            yield from _jsonl_line(line, number, origin, options)
    except (EOFError, OSError, zlib.error) as exc:
        yield InputError(origin, f"truncated or corrupt gzip data after line {number} ({exc})")


def _jsonl_line(
    line: str, number: int, origin: str, options: ReadOptions
) -> Iterator[RawDocument | InputError]:
    if not line.strip():
        return
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        yield InputError(origin, f"invalid JSON ({exc.msg} at column {exc.colno})", number)
        return
    yield record_to_document(value, origin, number, "jsonl", options)


def read_json(text: str, origin: str, options: ReadOptions) -> Iterator[RawDocument | InputError]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # JSON Lines saved as .json
            yield from read_jsonl(text, origin, options)
            return
        yield InputError(origin, f"invalid JSON ({exc.msg} at column {exc.colno})", exc.lineno)
        return
    records = _records_in(value)
    if records is None:
        yield InputError(origin, "JSON is neither an article object nor a list of them")
        return
    for index, record in enumerate(records, start=1):
        yield record_to_document(record, f"{origin}#{index}", None, "json", options)


def read_csv(text: str, origin: str, options: ReadOptions) -> Iterator[RawDocument | InputError]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            yield record_to_document(row, origin, reader.line_num, "csv", options)
    except csv.Error as exc:
        yield InputError(origin, f"malformed CSV ({exc})", reader.line_num)


def record_to_document(
    record: Any, origin: str, line: int | None, fmt: str, options: ReadOptions
) -> RawDocument | InputError:
    if not isinstance(record, dict):
        return InputError(origin, f"record is a JSON {type(record).__name__}, not an object", line)

    def get(name: str) -> Any:
        return record.get(options.source_field(name))

    text = get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(
            origin, f"record has no text (field {options.source_field('text')!r})", line
        )
    title = get("title")
    return RawDocument(
        title=" ".join(str(title).split()) if title else "",
        text=text,
        origin=f"{origin}:{line}" if line is not None else origin,
        format=fmt,
        date=parse_date(get("date")),
        authors=split_authors(get("authors")),
        outlet=options.outlet or _str_or_none(get("outlet")),
        url=_str_or_none(get("url")),
        lang=_str_or_none(get("lang")),
    )


def _records_in(value: Any) -> Iterable[Any] | None:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        for key in ("articles", "items", "records", "data"):
            if isinstance(value.get(key), list):
                return list(value[key])
        return [value]
    return None


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
