"""Reading articles from files, directories and stdin, in every supported format.

A new input format is a new module here and one line in ``READERS``.
"""

from __future__ import annotations

import gzip
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model import InputError, RawDocument
from .decode import DecodeError, gunzip, is_gzip, to_text
from .feeds import read_feed
from .html import read_html
from .options import ReadOptions, parse_field_map
from .records import read_csv, read_json, read_jsonl, read_jsonl_stream
from .text import read_text

__all__ = [
    "READERS",
    "InputFile",
    "ReadOptions",
    "find_inputs",
    "parse_field_map",
    "read_input",
]

Reader = Callable[[str, str, ReadOptions], Iterator[RawDocument | InputError]]

READERS: dict[str, Reader] = {
    "txt": read_text,
    "html": read_html,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "feed": read_feed,
}

EXTENSIONS = {
    ".txt": "txt",
    ".md": "txt",
    ".markdown": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}

# Repository furniture that is never an article when a directory is walked.
_SKIP_NAMES = ("readme", "license", "licence", "changelog", "contributing")

STDIN = "-"
# Formats holding many articles: their files may be this many times --max-bytes.
CONTAINERS = ("json", "csv", "feed")
CONTAINER_FACTOR = 50


@dataclass(frozen=True)
class InputFile:
    path: str  # a file path, or "-" for standard input
    size: int


def find_inputs(paths: list[str]) -> Iterator[InputFile | InputError]:
    """Expand files, directories (walked recursively, sorted) and ``-`` into input files."""
    for raw in paths:
        if raw == STDIN:
            yield InputFile(STDIN, 0)
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield InputFile(str(path), path.stat().st_size)
        else:
            yield InputError(raw, "no such file or directory")


def _walk(root: Path) -> Iterator[InputFile]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.lower().startswith(_SKIP_NAMES):
                continue
            if format_for_name(name) is None:
                continue
            full = Path(folder) / name
            yield InputFile(str(full), full.stat().st_size)


def format_for_name(name: str) -> str | None:
    base = name.lower().removesuffix(".gz")
    return EXTENSIONS.get(os.path.splitext(base)[1])


def read_input(item: InputFile, options: ReadOptions) -> Iterator[RawDocument | InputError]:
    """Every article in one input, or an :class:`InputError` per part that cannot be read."""
    if item.path != STDIN and (
        options.format == "jsonl"
        or (options.format == "auto" and format_for_name(item.path) == "jsonl")
    ):
        yield from _stream_jsonl(item, options)
        return
    try:
        text = _load_text(item, options)
    except DecodeError as exc:
        yield InputError(item.path, str(exc))
        return
    except OSError as exc:
        yield InputError(item.path, f"cannot read: {exc.strerror or exc}")
        return
    fmt = _choose_format(item.path, text, options.format)
    if fmt is None:
        yield InputError(item.path, "unknown format; pass --format txt|html|jsonl|json|csv|feed")
        return
    yield from READERS[fmt](text, item.path, options)


def _stream_jsonl(item: InputFile, options: ReadOptions) -> Iterator[RawDocument | InputError]:
    try:
        with open(item.path, "rb") as handle:
            magic = handle.peek(2)[:2] if hasattr(handle, "peek") else b""
            if is_gzip(magic):
                with gzip.open(handle) as unzipped:
                    yield from read_jsonl_stream(unzipped, item.path, options)
            else:
                yield from read_jsonl_stream(handle, item.path, options)
    except OSError as exc:
        yield InputError(item.path, f"cannot read: {exc.strerror or exc}")


def _limit(item: InputFile, options: ReadOptions) -> int:
    """Single-article files get the size limit; files of many records get 50 times it."""
    many = options.format in CONTAINERS or format_for_name(item.path) in CONTAINERS
    return options.max_bytes * (CONTAINER_FACTOR if many or item.path == STDIN else 1)


def _load_text(item: InputFile, options: ReadOptions) -> str:
    limit = _limit(item, options)
    if item.size > limit:
        raise DecodeError(f"file is {item.size:,} bytes, over the limit of {limit:,} (--max-bytes)")
    if item.path == STDIN:
        data = sys.stdin.buffer.read(limit + 1)
    else:
        with open(item.path, "rb") as handle:
            data = handle.read(limit + 1)
    if len(data) > limit:
        raise DecodeError(f"input is over the limit of {limit:,} bytes (--max-bytes)")
    if is_gzip(data):
        data = gunzip(data, limit)
    elif item.path.lower().endswith(".gz"):
        raise DecodeError("file is named .gz but is not gzip data")
    return to_text(data)


def _choose_format(path: str, text: str, requested: str) -> str | None:
    if requested != "auto":
        return requested
    by_name = format_for_name(path) if path != STDIN else None
    if by_name == "feed" or (by_name is None and path == STDIN):
        return _sniff(text) or by_name
    return by_name or _sniff(text)


def _sniff(text: str) -> str | None:
    head = text.lstrip("\ufeff \t\r\n")[:2048].lower()
    if head.startswith("<?xml") or head.startswith("<rss") or head.startswith("<feed"):
        return "feed" if ("<rss" in head or "<feed" in head or "<rdf" in head) else None
    if head.startswith("<!doctype html") or head.startswith("<html"):
        return "html"
    if head.startswith("{"):
        return "jsonl"
    if head.startswith("["):
        return "json"
    return "txt" if head else None
