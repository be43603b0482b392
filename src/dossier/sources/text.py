"""Plain text and Markdown articles: title on the first line, then paragraphs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import InputError, RawDocument
from .options import ReadOptions

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)


def read_text(text: str, origin: str, options: ReadOptions) -> Iterator[RawDocument | InputError]:
    if origin.lower().removesuffix(".gz").endswith(".md"):
        text = _strip_markdown(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        yield InputError(origin, "file has no text")
        return
    title = " ".join(lines[0].split())
    body = "\n".join(lines[1:]).strip("\n")
    if not body.strip():
        yield InputError(origin, "file has a title line but no article text after it")
        return
    yield RawDocument(title=title, text=body, origin=origin, format="txt", outlet=options.outlet)


def _strip_markdown(text: str) -> str:
    """Markdown markup that is not part of the words: link targets, heading marks."""
    return _MD_HEADING.sub("", _MD_LINK.sub(r"\1", text))
