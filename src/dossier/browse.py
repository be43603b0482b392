"""Read-only queries for browsing a catalog: countries, faceted search, outlets, timelines.

The web pages need a few views of the data that :class:`~dossier.Catalog` lacks. Each
function here takes an open ``Catalog`` and returns typed records; every SQL statement the
browsing faces need lives in this module. Layers from later analyses (``quotes``,
``technique_spans``) are read only when their tables exist, so pages degrade gracefully
on a catalog that has not been analysed for them yet.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any

from .catalog import Catalog, quote_punctuated
from .components.techniques import SHOW_THRESHOLD
from .model import QueryError

PAGE_SIZE = 20
TIMELINE_MAX_MONTHS = 60  # longer spans are shown by year
FACET_LIMIT = 10
FACET_SCOPE = 100  # facet counts are taken among this many best matches
_REGIONAL_A = 0x1F1E6


def flag(code: str | None) -> str:
    """The flag emoji for an ISO 3166 alpha-2 code (XK included), or "" for none."""
    if not code or len(code) != 2 or not code.isascii() or not code.isalpha():
        return ""
    return "".join(chr(_REGIONAL_A + ord(c) - ord("A")) for c in code.upper())


def has_table(catalog: Catalog, name: str) -> bool:
    row = catalog.store.db.execute(
        "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", (name,)
    ).fetchone()
    return row is not None


def analysed(catalog: Catalog, table: str, component: str, article_id: str | None = None) -> bool:
    """Whether a layer exists: its table does, and the component has run (here, or anywhere)."""
    if not has_table(catalog, table):
        return False
    scope, params = ("article_id = ? AND ", (article_id,)) if article_id else ("", ())
    ran = _rows(
        catalog,
        f"SELECT 1 FROM analyses WHERE {scope}component = ? LIMIT 1",
        (*params, component),
    )
    found = _rows(catalog, f"SELECT 1 FROM {table} WHERE {scope}1 LIMIT 1", params)
    return bool(ran or found)


def _columns(catalog: Catalog, table: str) -> set[str]:
    return {r[1] for r in catalog.store.db.execute(f"PRAGMA table_info({table})")}


def _pick(columns: set[str], *names: str) -> str:
    """The first of ``names`` the table has, as an SQL expression (NULL when none)."""
    return next((n for n in names if n in columns), "NULL")


def _rows(catalog: Catalog, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[Any]:
    return catalog.store.db.execute(sql, params).fetchall()


# -- paging -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Paging:
    page: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    def to_dict(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "size": self.size,
            "total": self.total,
            "pages": self.pages,
            "next": self.page + 1 if self.page < self.pages else None,
            "previous": self.page - 1 if self.page > 1 else None,
        }


# -- countries --------------------------------------------------------------------------


@dataclass(frozen=True)
class CountryRow:
    code: str  # ISO 3166 alpha-2, or "" for actors with no known country
    name: str
    flag: str
    actors: int
    articles: int

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "code": self.code or None}


def countries(catalog: Catalog) -> list[CountryRow]:
    """Every country with actors, with how many actors and articles about them."""
    rows = _rows(
        catalog,
        "SELECT c.country, count(DISTINCT c.actor_id), count(DISTINCT m.article_id)"
        " FROM actor_countries c JOIN mentions m ON m.actor_id = c.actor_id GROUP BY c.country",
    )
    rows += _rows(
        catalog,
        "SELECT '', count(DISTINCT actor_id), count(DISTINCT article_id) FROM mentions"
        " WHERE actor_id NOT IN (SELECT actor_id FROM actor_countries) HAVING count(*) > 0",
    )
    found = [CountryRow(r[0], country_name(catalog, r[0]), flag(r[0]), *r[1:]) for r in rows]
    return sorted(found, key=lambda c: (c.code == "", c.name))


def stamp(catalog: Catalog) -> tuple[Any, ...]:
    """Changes whenever articles, mentions, quotes or curation change: a cache key."""
    tables = ["articles", "mentions", "curation", "analyses"]
    parts = [f"(SELECT max(rowid) FROM {t})" for t in tables]
    parts.append("(SELECT max(analysed_at) FROM analyses)")
    return tuple(_rows(catalog, f"SELECT {', '.join(parts)}")[0])


def country_name(catalog: Catalog, code: str) -> str:
    return catalog.gazetteer.country_name(code) if code else "(no country)"


def country_codes(catalog: Catalog) -> list[tuple[str, str]]:
    """(code, "flag name") for every country that has actors, by name."""
    codes = [r[0] for r in _rows(catalog, "SELECT DISTINCT country FROM actor_countries")]
    named = [(c, f"{flag(c)} {country_name(catalog, c)}") for c in codes]
    return sorted(named, key=lambda c: c[1][2:])


# -- timelines --------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelinePoint:
    period: str  # YYYY-MM, or YYYY when the span is long
    articles: int
    mentions: int


def actor_timeline(catalog: Catalog, actor_id: int) -> list[TimelinePoint]:
    """Articles and mentions per month (per year over long spans), gaps filled with zeros."""
    rows = _rows(
        catalog,
        "SELECT substr(a.date, 1, 7) AS month, count(DISTINCT m.article_id), count(m.id)"
        " FROM mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE m.actor_id = ? AND a.date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'"
        " GROUP BY month ORDER BY month",
        (actor_id,),
    )
    counts = {r[0]: (r[1], r[2]) for r in rows}
    if not counts:
        return []
    months = _month_range(min(counts), max(counts))
    if len(months) > TIMELINE_MAX_MONTHS:
        return _by_year(counts)
    return [TimelinePoint(m, *counts.get(m, (0, 0))) for m in months]


def _month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out: list[str] = []
    while f"{year:04d}-{month:02d}" <= last and len(out) <= 12 * 1000:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _by_year(counts: dict[str, tuple[int, int]]) -> list[TimelinePoint]:
    years: dict[str, list[int]] = {}
    for month, (articles, mentions) in counts.items():
        total = years.setdefault(month[:4], [0, 0])
        total[0] += articles
        total[1] += mentions
    first, last = int(min(years)), int(max(years))
    return [TimelinePoint(str(y), *years.get(str(y), [0, 0])) for y in range(first, last + 1)]


# -- actors -----------------------------------------------------------------------------


def actor_articles(
    catalog: Catalog, actor_id: int, total: int, page: int
) -> tuple[list[Any], Paging]:
    """One page of the articles mentioning an actor, newest first."""
    paging = Paging(page, PAGE_SIZE, total)
    return catalog.actors.articles_of(actor_id, PAGE_SIZE, paging.offset), paging


def actor_name(catalog: Catalog, actor_id: int) -> str | None:
    row = _rows(catalog, "SELECT name FROM actors WHERE id = ?", (actor_id,))
    return str(row[0][0]) if row else None


# -- search -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """Search facets as given in a URL: every field optional."""

    q: str = ""
    country: str = ""
    actor: int | None = None
    outlet: int | None = None
    technique: str = ""
    since: str = ""  # YYYY-MM-DD, inclusive
    until: str = ""  # YYYY-MM-DD, inclusive

    @property
    def any_facet(self) -> bool:
        return bool(self.country or self.actor or self.outlet or self.technique)

    def active(self) -> bool:
        return bool(self.q.strip() or self.any_facet or self.since or self.until)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in ("", None)}


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    snippet: str  # plain text
    highlights: tuple[tuple[int, int], ...]  # [start, end) ranges of matched words in snippet
    outlet: str | None
    date: str | None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "highlights": [list(h) for h in self.highlights]}


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class SearchResults:
    filters: Filters
    hits: tuple[Hit, ...]
    paging: Paging
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    facet_scope: int = 0  # how many of the best matches the facet counts cover

    def to_dict(self) -> dict[str, Any]:
        return {
            "filters": self.filters.to_dict(),
            "hits": [h.to_dict() for h in self.hits],
            "paging": self.paging.to_dict(),
            "facets": {k: [asdict(v) for v in vs] for k, vs in self.facets.items()},
            "facet_scope": self.facet_scope,
        }


def _new_marks() -> tuple[str, str]:
    """Match marks no article text can forge: unpredictable, fresh for every search."""
    nonce = secrets.token_hex(6)
    return f"\ue000{nonce}[", f"]{nonce}\ue001"


def search(catalog: Catalog, filters: Filters, page: int = 1) -> SearchResults:
    """Full-text search narrowed by facets; with no words, the facets alone list articles."""
    if not filters.active():
        return SearchResults(filters, (), Paging(1, PAGE_SIZE, 0))
    query = filters.q.strip()
    try:
        return _search(catalog, filters, query, page)
    except QueryError:
        lenient = quote_punctuated(query)
        if not query or lenient == query:
            raise
        return _search(catalog, filters, lenient, page)


def _search(catalog: Catalog, filters: Filters, query: str, page: int) -> SearchResults:
    where, params = _where(catalog, filters, query)
    try:
        ranked = [r[0] for r in _rows(catalog, _ranked_sql(query, where), params)]
        paging = Paging(page, PAGE_SIZE, len(ranked))
        shown = ranked[paging.offset : paging.offset + PAGE_SIZE]
        marks = _new_marks()
        rows = _rows(catalog, _page_sql(query), [*_page_params(query, marks), json.dumps(shown)])
        facets = _facets(catalog, ranked[:FACET_SCOPE])
    except sqlite3.OperationalError as exc:
        raise QueryError(f"cannot parse the search query {query!r} ({exc})") from exc
    order = {article_id: i for i, article_id in enumerate(shown)}
    hits = tuple(sorted((_hit(r, marks) for r in rows), key=lambda h: order[h.id]))
    return SearchResults(filters, hits, paging, facets, min(len(ranked), FACET_SCOPE))


def _ranked_sql(query: str, where: str) -> str:
    """Every matching id, best first (a few thousand at most: paging and facets slice it)."""
    if query:
        return (
            "SELECT a.id FROM articles_fts JOIN articles a ON a.num = articles_fts.rowid"
            f" WHERE {where} ORDER BY bm25(articles_fts, 4.0, 1.0)"
        )
    return f"SELECT a.id FROM articles a WHERE {where} ORDER BY a.date IS NULL, a.date DESC, a.num DESC"


def _page_sql(query: str) -> str:
    """Titles, snippets and outlets for one page of ids (a JSON array parameter)."""
    outlet = (
        "(SELECT o.name FROM sources s JOIN outlets o ON o.id = s.outlet_id"
        " WHERE s.article_id = a.id ORDER BY s.id LIMIT 1)"
    )
    if query:
        return (
            f"SELECT a.id, a.title, snippet(articles_fts, 1, ?, ?, '…', 24) AS snippet, a.date,"
            f" {outlet} AS outlet FROM articles_fts JOIN articles a ON a.num = articles_fts.rowid"
            " WHERE articles_fts MATCH ? AND a.id IN (SELECT value FROM json_each(?))"
        )
    return (
        f"SELECT a.id, a.title, substr(a.text, 1, 240) AS snippet, a.date, {outlet} AS outlet"
        " FROM articles a WHERE a.id IN (SELECT value FROM json_each(?))"
    )


def _page_params(query: str, marks: tuple[str, str]) -> list[str]:
    return [*marks, query] if query else []


def _where(catalog: Catalog, f: Filters, query: str) -> tuple[str, list[Any]]:
    clauses: list[str] = ["articles_fts MATCH ?"] if query else ["1"]
    params: list[Any] = [query] if query else []
    if f.country:
        clauses.append(
            "a.id IN (SELECT m.article_id FROM mentions m JOIN actor_countries c"
            " ON c.actor_id = m.actor_id WHERE c.country = ?)"
        )
        params.append(f.country.upper())
    if f.actor is not None:
        clauses.append("a.id IN (SELECT article_id FROM mentions WHERE actor_id = ?)")
        params.append(f.actor)
    if f.outlet is not None:
        clauses.append("a.id IN (SELECT article_id FROM sources WHERE outlet_id = ?)")
        params.append(f.outlet)
    if f.technique and has_table(catalog, "technique_spans"):
        column = _pick(_columns(catalog, "technique_spans"), "technique", "label")
        clauses.append(
            f"a.id IN (SELECT article_id FROM technique_spans WHERE {column} = ? AND score >= ?)"
        )
        params.extend([f.technique, SHOW_THRESHOLD])
    if f.since:  # a prefix: "2024" means from 2024-01-01
        clauses.append("substr(a.date, 1, ?) >= ?")
        params.extend([len(f.since), f.since])
    if f.until:  # a prefix: "2024-03" means to the end of March 2024
        clauses.append("substr(a.date, 1, ?) <= ?")
        params.extend([len(f.until), f.until])
    return " AND ".join(clauses), params


def _facets(catalog: Catalog, ids: list[str]) -> dict[str, tuple[FacetValue, ...]]:
    """Countries, outlets and actors most common among ``ids`` (the best matches)."""
    hits = "SELECT value FROM json_each(?)"
    params = (json.dumps(ids),)
    countries = _rows(
        catalog,
        "SELECT c.country, count(DISTINCT m.article_id) AS n FROM mentions m"
        f" JOIN actor_countries c ON c.actor_id = m.actor_id WHERE m.article_id IN ({hits})"
        f" GROUP BY c.country ORDER BY n DESC, c.country LIMIT {FACET_LIMIT}",
        params,
    )
    outlets = _rows(
        catalog,
        "SELECT o.id, o.name, count(DISTINCT s.article_id) AS n FROM sources s"
        f" JOIN outlets o ON o.id = s.outlet_id WHERE s.article_id IN ({hits})"
        f" GROUP BY o.id ORDER BY n DESC, o.name LIMIT {FACET_LIMIT}",
        params,
    )
    actors = _rows(
        catalog,
        "SELECT ac.id, ac.name, count(DISTINCT m.article_id) AS n FROM mentions m"
        f" JOIN actors ac ON ac.id = m.actor_id WHERE m.article_id IN ({hits})"
        " AND ac.kind IN ('person', 'group', 'institution')"
        f" GROUP BY ac.id ORDER BY n DESC, ac.name LIMIT {FACET_LIMIT}",
        params,
    )
    return {
        "country": tuple(
            FacetValue(r[0], f"{flag(r[0])} {country_name(catalog, r[0])}".strip(), r[1])
            for r in countries
        ),
        "outlet": tuple(FacetValue(str(r[0]), r[1], r[2]) for r in outlets),
        "actor": tuple(FacetValue(str(r[0]), r[1], r[2]) for r in actors),
    }


def _hit(row: sqlite3.Row, marks: tuple[str, str]) -> Hit:
    text, highlights = split_marks(row["snippet"] or "", marks)
    return Hit(row["id"], row["title"], text, highlights, row["outlet"], row["date"])


def split_marks(marked: str, marks: tuple[str, str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Plain text and the [start, end) ranges that were between ``marks``."""
    opening, closing = marks
    out: list[str] = []
    ranges: list[tuple[int, int]] = []
    size = 0
    for i, piece in enumerate(marked.split(opening)):
        inside, _, after = piece.partition(closing) if i else ("", "", piece)
        if inside:
            ranges.append((size, size + len(inside)))
        out.extend((inside, after))
        size += len(inside) + len(after)
    return "".join(out), tuple(ranges)


# -- outlets ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OutletRow:
    id: int
    name: str
    domain: str | None
    articles: int


def outlets(catalog: Catalog) -> list[OutletRow]:
    rows = _rows(
        catalog,
        "SELECT o.id, o.name, o.domain, count(DISTINCT s.article_id) AS n FROM outlets o"
        " LEFT JOIN sources s ON s.outlet_id = o.id GROUP BY o.id ORDER BY n DESC, o.name",
    )
    return [OutletRow(*r) for r in rows]


def outlet(catalog: Catalog, outlet_id: int) -> OutletRow | None:
    row = _rows(
        catalog,
        "SELECT o.id, o.name, o.domain, (SELECT count(DISTINCT article_id) FROM sources"
        " WHERE outlet_id = o.id) FROM outlets o WHERE o.id = ?",
        (outlet_id,),
    )
    return OutletRow(*row[0]) if row else None


@dataclass(frozen=True)
class ArticleRow:
    id: str
    title: str
    date: str | None


def outlet_articles(
    catalog: Catalog, found: OutletRow, page: int
) -> tuple[list[ArticleRow], Paging]:
    paging = Paging(page, PAGE_SIZE, found.articles)
    rows = _rows(
        catalog,
        "SELECT a.id, a.title, a.date FROM articles a WHERE a.id IN"
        " (SELECT article_id FROM sources WHERE outlet_id = ?)"
        " ORDER BY a.date IS NULL, a.date DESC, a.num DESC LIMIT ? OFFSET ?",
        (found.id, PAGE_SIZE, paging.offset),
    )
    return [ArticleRow(*r) for r in rows], paging


@dataclass(frozen=True)
class ActorCount:
    id: int
    name: str
    kind: str
    articles: int


def outlet_actors(catalog: Catalog, outlet_id: int, limit: int = 15) -> list[ActorCount]:
    """The actors an outlet writes about most (people, groups, institutions)."""
    rows = _rows(
        catalog,
        "SELECT ac.id, ac.name, ac.kind, count(DISTINCT m.article_id) AS n FROM mentions m"
        " JOIN actors ac ON ac.id = m.actor_id WHERE m.article_id IN"
        " (SELECT article_id FROM sources WHERE outlet_id = ?)"
        " AND ac.kind IN ('person', 'group', 'institution')"
        " GROUP BY ac.id ORDER BY n DESC, ac.name LIMIT ?",
        (outlet_id, limit),
    )
    return [ActorCount(*r) for r in rows]


# -- analysis layers that may not exist yet --------------------------------------------


@dataclass(frozen=True)
class QuoteSpan:
    start: int
    end: int
    speaker_id: int | None
    speaker: str | None  # the actor's name, else the speaker as written
    cue: str | None
    kind: str | None  # direct | indirect | scare (when the component says)


@dataclass(frozen=True)
class TechniqueSpan:
    start: int
    end: int
    technique: str
    score: float | None
    evidence: str | None


def quotes(catalog: Catalog, article_id: str) -> list[QuoteSpan] | None:
    """The article's quotes, or None when quotes have not been analysed in this catalog."""
    if not analysed(catalog, "quotes", "quotes", article_id):
        return None
    cols = _columns(catalog, "quotes")
    speaker_id = _pick(cols, "speaker_id", "speaker_actor_id", "actor_id")
    rows = (
        _rows(
            catalog,
            f"SELECT q.start, q.end, q.{speaker_id} AS sid,"
            f" coalesce((SELECT name FROM actors WHERE id = q.{speaker_id}),"
            f" q.{_pick(cols, 'speaker', 'speaker_name', 'speaker_text')}) AS speaker,"
            f" q.{_pick(cols, 'cue')} AS cue, q.{_pick(cols, 'kind', 'type')} AS kind"
            " FROM quotes q WHERE q.article_id = ? ORDER BY q.start",
            (article_id,),
        )
        if speaker_id != "NULL"
        else _quotes_without_speaker_ids(catalog, cols, article_id)
    )
    return [QuoteSpan(*r) for r in rows]


def _quotes_without_speaker_ids(catalog: Catalog, cols: set[str], article_id: str) -> list[Any]:
    return _rows(
        catalog,
        f"SELECT start, end, NULL, {_pick(cols, 'speaker', 'speaker_name', 'speaker_text')},"
        f" {_pick(cols, 'cue')}, {_pick(cols, 'kind', 'type')}"
        " FROM quotes WHERE article_id = ? ORDER BY start",
        (article_id,),
    )


def techniques(catalog: Catalog, article_id: str) -> list[TechniqueSpan] | None:
    """The article's technique spans, or None when techniques have not been analysed."""
    if not analysed(catalog, "technique_spans", "techniques", article_id):
        return None
    cols = _columns(catalog, "technique_spans")
    rows = _rows(
        catalog,
        f"SELECT start, end, {_pick(cols, 'technique', 'label')},"
        f" {_pick(cols, 'score', 'confidence')}, {_pick(cols, 'evidence', 'cue')}"
        " FROM technique_spans WHERE article_id = ? AND score >= ? AND field = 'text'"
        " ORDER BY start, end DESC",
        (article_id, SHOW_THRESHOLD),
    )
    return [TechniqueSpan(*r) for r in rows]


def technique_counts(
    catalog: Catalog, *, actor_id: int | None = None, outlet_id: int | None = None
) -> list[tuple[str, int]] | None:
    """Technique spans in the articles about an actor or from an outlet; None if not analysed."""
    if not analysed(catalog, "technique_spans", "techniques"):
        return None
    column = _pick(_columns(catalog, "technique_spans"), "technique", "label")
    param: int | None
    if actor_id is not None:
        scope, param = "SELECT article_id FROM mentions WHERE actor_id = ?", actor_id
    else:
        scope, param = "SELECT article_id FROM sources WHERE outlet_id = ?", outlet_id
    rows = _rows(
        catalog,
        f"SELECT {column} AS t, count(*) AS n FROM technique_spans WHERE article_id IN"
        f" ({scope}) AND score >= ? GROUP BY t ORDER BY n DESC, t",
        (param, SHOW_THRESHOLD),
    )
    return [(r[0], r[1]) for r in rows]


@dataclass(frozen=True)
class ActorQuote:
    article_id: str
    title: str
    text: str
    speaker: str | None


def actor_quotes(
    catalog: Catalog, actor_id: int, limit: int = 10
) -> dict[str, list[ActorQuote]] | None:
    """Quotes by the actor and quotes in which the actor is named; None if not analysed."""
    if not analysed(catalog, "quotes", "quotes"):
        return None
    cols = _columns(catalog, "quotes")
    speaker_id = _pick(cols, "speaker_id", "speaker_actor_id", "actor_id")
    select = (
        "SELECT q.article_id, a.title, substr(a.text, q.start + 1, q.end - q.start),"
        f" (SELECT name FROM actors WHERE id = q.{speaker_id})"
        " FROM quotes q JOIN articles a ON a.id = q.article_id WHERE "
        + ("q.kind != 'scare' AND " if "kind" in cols else "")
    )
    by = (
        []
        if speaker_id == "NULL"
        else _rows(catalog, f"{select} q.{speaker_id} = ? LIMIT ?", (actor_id, limit))
    )
    about = _rows(
        catalog,
        f"{select} EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = q.article_id"
        " AND m.actor_id = ? AND m.start >= q.start AND m.end <= q.end) LIMIT ?",
        (actor_id, limit),
    )
    return {"by": [ActorQuote(*r) for r in by], "about": [ActorQuote(*r) for r in about]}
