"""HTML pages: main text and metadata through trafilatura, comments excluded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import lxml.html
import trafilatura

from ..model import InputError, RawDocument
from .fields import parse_date, split_authors
from .options import ReadOptions

_BLOCKS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "tr",
        "table",
        "ul",
        "ol",
        "dl",
        "dd",
        "dt",
        "figcaption",
        "br",
        "hr",
    ]
)


# An article has at least one paragraph of this many words; what trafilatura falls back
# to on a page without one is navigation and notices ("Page not found"), not an article.
MIN_PARAGRAPH_WORDS = 15
MIN_PARAGRAPH_CHARS = 100  # scripts written without spaces (Chinese, Japanese)


@dataclass(frozen=True)
class HtmlExtract:
    title: str
    text: str
    date: str | None
    authors: tuple[str, ...]
    sitename: str | None
    url: str | None
    lang: str | None


def extract_html(html: str, url: str | None = None) -> HtmlExtract | None:
    """The page's main text (paragraphs separated by blank lines) and metadata, or None."""
    doc = trafilatura.bare_extraction(
        html, url=url, include_comments=False, with_metadata=True, include_tables=True
    )
    if not isinstance(doc, trafilatura.settings.Document):
        return None
    paragraphs = [p.strip() for p in (doc.text or "").split("\n") if p.strip()]
    if not _has_prose(paragraphs):
        return None
    return HtmlExtract(
        title=" ".join((doc.title or "").split()),
        text="\n\n".join(paragraphs),
        date=parse_date(doc.date),
        authors=split_authors(doc.author),
        sitename=doc.sitename or None,
        url=doc.url or url,
        lang=doc.language or None,
    )


def _has_prose(paragraphs: list[str]) -> bool:
    return any(
        len(p.split()) >= MIN_PARAGRAPH_WORDS or len(p) >= MIN_PARAGRAPH_CHARS for p in paragraphs
    )


def read_html(text: str, origin: str, options: ReadOptions) -> Iterator[RawDocument | InputError]:
    page = extract_html(text)
    if page is None:
        yield InputError(origin, "HTML page has no main content to extract")
        return
    yield RawDocument(
        title=page.title,
        text=page.text,
        origin=origin,
        format="html",
        date=page.date,
        authors=page.authors,
        outlet=options.outlet or page.sitename,
        url=page.url,
        lang=page.lang,
    )


def fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed's content), one paragraph per block element."""
    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return fragment.strip()
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    parts: list[str] = []
    _walk(root, parts)
    paragraphs = ("".join(parts)).split("\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _walk(element: lxml.html.HtmlElement, parts: list[str]) -> None:
    block = isinstance(element.tag, str) and element.tag.lower() in _BLOCKS
    if block:
        parts.append("\n")
    if element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append("\n")
