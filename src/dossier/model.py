"""Typed records shared by every layer: what a source reads, what cleaning makes, what is stored.

Offsets are the contract: every annotation is a ``[start, end)`` character range into an
article's stored clean text, which never changes once stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RawDocument:
    """One article as read from a source, before cleaning."""

    title: str
    text: str
    origin: str  # file path (and "#line" for records) it came from
    format: str  # txt | html | jsonl | csv | feed
    date: str | None = None  # ISO 8601 date or datetime
    authors: tuple[str, ...] = ()
    outlet: str | None = None
    url: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class InputError:
    """A file or record that could not be read: reported, never fatal to the batch."""

    origin: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.origin}:{self.line}" if self.line is not None else self.origin
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Debris:
    """A piece of the source text the cleaner removed or replaced, kept for audit.

    ``start``/``end`` locate it in the text as read (before cleaning); ``at`` is the offset
    in the clean text where it used to be; ``replacement`` is what stands there now
    (empty for a deletion, one space or one blank line for collapsed whitespace).
    """

    rule: str
    text: str
    start: int
    end: int
    at: int
    replacement: str = ""


@dataclass(frozen=True)
class CleanText:
    text: str
    debris: tuple[Debris, ...]


@dataclass(frozen=True)
class Outlet:
    id: int
    name: str
    domain: str | None = None
    country: str | None = None
    lean: str | None = None


@dataclass(frozen=True)
class Source:
    """Where an article was found: one article may have several (syndication)."""

    outlet: str | None
    url: str | None
    origin: str
    format: str
    title: str
    date: str | None
    authors: tuple[str, ...]
    ingested_at: str


@dataclass(frozen=True)
class NearDuplicate:
    article_id: str
    title: str
    similarity: float


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    text: str
    date: str | None
    lang: str | None
    authors: tuple[str, ...]
    outlet: str | None
    url: str | None
    sources: tuple[Source, ...] = ()
    debris: tuple[Debris, ...] = ()
    near_duplicates: tuple[NearDuplicate, ...] = ()

    def to_dict(self, *, debris: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "outlet": self.outlet,
            "date": self.date,
            "url": self.url,
            "authors": list(self.authors),
            "lang": self.lang,
            "sources": [_source_dict(s) for s in self.sources],
            "near_duplicates": [
                {"id": n.article_id, "title": n.title, "similarity": round(n.similarity, 3)}
                for n in self.near_duplicates
            ],
        }
        if debris:
            data["debris"] = [_debris_dict(d) for d in self.debris]
        return data


def _source_dict(s: Source) -> dict[str, Any]:
    return {
        "outlet": s.outlet,
        "url": s.url,
        "origin": s.origin,
        "format": s.format,
        "title": s.title,
        "date": s.date,
        "authors": list(s.authors),
        "ingested_at": s.ingested_at,
    }


def _debris_dict(d: Debris) -> dict[str, Any]:
    return {
        "rule": d.rule,
        "text": d.text,
        "start": d.start,
        "end": d.end,
        "at": d.at,
        "replacement": d.replacement,
    }


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str
    snippet: str
    outlet: str | None
    date: str | None
    rank: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "snippet": self.snippet,
            "outlet": self.outlet,
            "date": self.date,
            "rank": round(self.rank, 4),
        }


@dataclass
class IngestReport:
    """What an ingest run did: the summary printed at the end."""

    added: int = 0
    duplicates: int = 0  # same clean text already stored (a new source may have been added)
    new_sources: int = 0  # of the duplicates, how many came from a new outlet/url
    near_duplicates: int = 0  # added articles linked to an earlier near-duplicate
    rejected: list[InputError] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "duplicates": self.duplicates,
            "new_sources": self.new_sources,
            "near_duplicates": self.near_duplicates,
            "rejected": [
                {"origin": e.origin, "line": e.line, "reason": e.reason} for e in self.rejected
            ],
        }


@dataclass(frozen=True)
class PreparedArticle:
    """A document cleaned and fingerprinted, ready to store."""

    id: str
    title: str
    text: str
    debris: tuple[Debris, ...]
    signature: bytes | None
    band_keys: tuple[int, ...]
    doc: RawDocument


class QueryError(ValueError):
    """A search query the full-text engine cannot parse; the message says how to fix it."""


@dataclass(frozen=True)
class ActorSummary:
    id: int
    name: str
    kind: str
    subkind: str | None
    countries: tuple[str, ...]
    articles: int
    mentions: int
    first_seen: str | None
    last_seen: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "subkind": self.subkind,
            "countries": list(self.countries),
            "articles": self.articles,
            "mentions": self.mentions,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
        }


@dataclass(frozen=True)
class ArticleRef:
    id: str
    title: str
    date: str | None
    outlet: str | None
    mentions: int


@dataclass(frozen=True)
class ActorProfile:
    actor: ActorSummary
    aliases: tuple[tuple[str, int], ...]  # surface form, times seen
    roles: tuple[str, ...]
    articles: tuple[ArticleRef, ...]  # newest first
    outlets: tuple[tuple[str, int], ...]  # outlet, articles
    co_mentioned: tuple[tuple[ActorSummary, int], ...]  # actor, shared articles
    quotes_by: tuple[QuoteRecord, ...] = ()
    quoted_about: tuple[QuoteRecord, ...] = ()  # others' quotes in articles about them

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.actor.to_dict(),
            "quotes_by": [q.to_dict() for q in self.quotes_by],
            "quoted_about": [q.to_dict() for q in self.quoted_about],
            "aliases": [{"text": t, "count": n} for t, n in self.aliases],
            "roles": list(self.roles),
            "articles": [
                {
                    "id": a.id,
                    "title": a.title,
                    "date": a.date,
                    "outlet": a.outlet,
                    "mentions": a.mentions,
                }
                for a in self.articles
            ],
            "outlets": [{"outlet": o, "articles": n} for o, n in self.outlets],
            "co_mentioned": [
                {"id": a.id, "name": a.name, "kind": a.kind, "shared_articles": n}
                for a, n in self.co_mentioned
            ],
        }


@dataclass(frozen=True)
class CountryGroup:
    country: str  # ISO code, or "" for actors with no known country
    name: str
    actors: tuple[ActorSummary, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country or None,
            "name": self.name,
            "actors": [a.to_dict() for a in self.actors],
        }


@dataclass(frozen=True)
class QuoteRecord:
    """A stored quote with its article and speaker, as listed by ``dossier quotes``."""

    article_id: str
    kind: str  # direct | indirect | scare
    text: str
    start: int
    end: int
    cue: str | None
    speaker_text: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_id: int | None
    speaker_name: str | None
    reason: str | None
    title: str
    origin: str | None
    outlet: str | None
    date: str | None
    appearances: tuple[tuple[str, str | None], ...] = ()  # (article id, date), first first

    def to_dict(self) -> dict[str, Any]:
        first = self.appearances[0] if self.appearances else (self.article_id, self.date)
        return {
            "article_id": self.article_id,
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "cue": self.cue,
            "speaker_text": self.speaker_text,
            "speaker_start": self.speaker_start,
            "speaker_end": self.speaker_end,
            "speaker": (
                {"id": self.speaker_id, "name": self.speaker_name}
                if self.speaker_id is not None
                else None
            ),
            "reason": self.reason,
            "title": self.title,
            "origin": self.origin,
            "outlet": self.outlet,
            "date": self.date,
            "appears_in": [{"article_id": a, "date": d} for a, d in self.appearances],
            "first_appearance": {"article_id": first[0], "date": first[1]},
        }
