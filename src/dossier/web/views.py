"""The pages: each view reads parameters, calls the library, and returns one :class:`Page`."""

from __future__ import annotations

from collections import Counter
from typing import Any

from markupsafe import Markup, escape
from starlette.requests import Request

from .. import browse
from ..catalog import Catalog, NotFound
from ..model import ActorSummary, QueryError
from . import highlight, params
from .chart import bar_chart
from .pages import Page, PageError

KINDS = {
    "group": "Groups",
    "person": "People",
    "institution": "Institutions",
    "place": "Places",
    "country": "Countries",
}


def index(request: Request, catalog: Catalog) -> Page:
    data = request.app.state.memo.get("index", catalog, lambda: _index_data(catalog))
    return Page("index.html", "Catalog", data)


def _index_data(catalog: Catalog) -> dict[str, Any]:
    rows = browse.countries(catalog)
    return {"countries": [r.to_dict() for r in rows], "stats": catalog.stats()}


def country(request: Request, catalog: Catalog) -> Page:
    code = str(request.path_params["code"])
    wanted = "" if code.lower() == "none" else code.upper()
    groups = [g for g in catalog.catalog(country=wanted or None) if g.country == wanted]
    if not groups:
        raise PageError(404, f"no actors for country {code!r}; see the catalog for countries")
    data = {
        "country": {"code": wanted or None, "name": groups[0].name, "flag": browse.flag(wanted)},
        "actors": len(groups[0].actors),
        "kinds": _by_kind(groups[0].actors),
    }
    return Page("country.html", f"{browse.flag(wanted)} {groups[0].name}".strip(), data)


def _by_kind(actors: tuple[ActorSummary, ...]) -> list[dict[str, Any]]:
    kinds: dict[str, list[dict[str, Any]]] = {}
    for actor in actors:
        kinds.setdefault(actor.kind, []).append(actor.to_dict())
    order = [*KINDS, *sorted(set(kinds) - set(KINDS))]
    return [
        {"kind": k, "label": KINDS.get(k, k.title()), "actors": kinds[k]}
        for k in order
        if k in kinds
    ]


def actor(request: Request, catalog: Catalog) -> Page:
    actor_id = int(request.path_params["actor_id"])
    page = params.page_number(request.query_params)
    data = request.app.state.memo.get(
        f"actor:{actor_id}:{page}", catalog, lambda: _actor_data(catalog, actor_id, page)
    )
    timeline = [browse.TimelinePoint(**p) for p in data["timeline"]]
    return Page("actor.html", data["name"], data, {"chart": bar_chart(timeline)})


def _actor_data(catalog: Catalog, actor_id: int, page: int) -> dict[str, Any]:
    try:
        profile = catalog.actor(f"#{actor_id}", limit=0)
    except (NotFound, ValueError) as exc:
        raise PageError(404, f"no actor #{actor_id} with mentions in this catalog") from exc
    articles, paging = browse.actor_articles(catalog, actor_id, profile.actor.articles, page)
    quotes = browse.actor_quotes(catalog, actor_id)
    return {
        **profile.to_dict(),
        "flags": {c: browse.flag(c) for c in profile.actor.countries},
        "timeline": [vars(p) for p in browse.actor_timeline(catalog, actor_id)],
        "articles": [vars(a) for a in articles],
        "paging": paging.to_dict(),
        "quotes": None if quotes is None else {k: [vars(q) for q in v] for k, v in quotes.items()},
        "techniques": _technique_list(browse.technique_counts(catalog, actor_id=actor_id)),
    }


def _technique_list(counts: list[tuple[str, int]] | None) -> list[dict[str, Any]] | None:
    if counts is None:
        return None
    return [
        {
            "technique": t,
            "label": highlight.technique_label(t),
            "slot": highlight.technique_slot(t),
            "spans": n,
        }
        for t, n in counts
    ]


def article(request: Request, catalog: Catalog) -> Page:
    wanted = str(request.path_params["article_id"])
    try:
        found = catalog.article(wanted)
    except NotFound as exc:
        raise PageError(404, str(exc)) from exc
    mentions = catalog.article_mentions(found.id)
    quotes = browse.quotes(catalog, found.id)
    techniques = browse.techniques(catalog, found.id)
    legend = _legend(mentions, quotes, techniques)
    data = {
        **found.to_dict(debris=True),
        "mentions": mentions,
        "quotes": None if quotes is None else [vars(q) for q in quotes],
        "techniques": None if techniques is None else [vars(t) for t in techniques],
        "legend": legend,
    }
    numbers = {t["technique"]: i + 1 for i, t in enumerate(legend["techniques"] or [])}
    spans = [
        *highlight.mention_spans(mentions),
        *highlight.quote_spans(quotes or []),
        *highlight.technique_spans(techniques or [], numbers),
    ]
    extra = {
        "text_html": highlight.render(found.text, spans),
        "layers": _layers(request, quotes is not None, techniques is not None),
        "canonical": found.id,
    }
    return Page("article.html", found.title, data, extra)


def _legend(
    mentions: list[dict[str, Any]],
    quotes: list[browse.QuoteSpan] | None,
    techniques: list[browse.TechniqueSpan] | None,
) -> dict[str, Any]:
    kinds = Counter(str(m["kind"]) for m in mentions)
    counts = Counter(t.technique for t in techniques or [])
    return {
        "actors": [{"kind": k, "mentions": n} for k, n in sorted(kinds.items())],
        "quotes": None if quotes is None else len(quotes),
        "techniques": _technique_list(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        if techniques is not None
        else None,
    }


def _layers(request: Request, quotes: bool, techniques: bool) -> list[dict[str, Any]]:
    """Each layer: available? shown? All shown unless the layer form said otherwise."""
    submitted = "layers" in request.query_params
    chosen = set(request.query_params.getlist("layer"))
    available = {"actors": True, "quotes": quotes, "techniques": techniques}
    return [
        {"name": name, "available": ok, "on": ok and (not submitted or name in chosen)}
        for name, ok in available.items()
    ]


def search(request: Request, catalog: Catalog) -> Page:
    query = request.query_params
    filters = browse.Filters(
        q=params.text(query, "q"),
        country=params.country(query),
        actor=params.positive_int(query, "actor"),
        outlet=params.positive_int(query, "outlet"),
        technique=params.text(query, "technique", 100),
        since=params.date(query, "since"),
        until=params.date(query, "until"),
    )
    try:
        results = browse.search(catalog, filters, params.page_number(query))
    except QueryError as exc:
        raise PageError(400, str(exc)) from exc
    choices = request.app.state.memo.get("choices", catalog, lambda: _choices(catalog))
    extra = {
        "snippets": [snippet_html(h) for h in results.hits],
        "labels": _filter_labels(catalog, filters),
        **choices,
    }
    title = f"Search: {filters.q}" if filters.q else "Search"
    return Page("search.html", title, results.to_dict(), extra)


def _choices(catalog: Catalog) -> dict[str, Any]:
    """The search form's country and outlet options."""
    return {"country_codes": browse.country_codes(catalog), "outlets": browse.outlets(catalog)}


def snippet_html(hit: browse.Hit) -> Markup:
    """The snippet escaped piece by piece, matched words inside <mark>."""
    out, last = [], 0
    for start, end in hit.highlights:
        out.append(escape(hit.snippet[last:start]))
        out.append(Markup("<mark>") + escape(hit.snippet[start:end]) + Markup("</mark>"))
        last = end
    out.append(escape(hit.snippet[last:]))
    return Markup("").join(out)


def _filter_labels(catalog: Catalog, f: browse.Filters) -> dict[str, str]:
    labels = {}
    if f.country:
        labels["country"] = f"{browse.flag(f.country)} {browse.country_name(catalog, f.country)}"
    if f.actor is not None:
        labels["actor"] = browse.actor_name(catalog, f.actor) or f"#{f.actor}"
    if f.outlet is not None:
        found = browse.outlet(catalog, f.outlet)
        labels["outlet"] = found.name if found else f"#{f.outlet}"
    return labels


def outlets(request: Request, catalog: Catalog) -> Page:
    rows = browse.outlets(catalog)
    return Page("outlets.html", "Outlets", {"outlets": [vars(r) for r in rows]})


def outlet(request: Request, catalog: Catalog) -> Page:
    outlet_id = int(request.path_params["outlet_id"])
    found = browse.outlet(catalog, outlet_id)
    if found is None:
        raise PageError(404, f"no outlet #{outlet_id}; see /outlets for the list")
    articles, paging = browse.outlet_articles(
        catalog, found, params.page_number(request.query_params)
    )
    data = {
        **vars(found),
        "articles_page": [vars(a) for a in articles],
        "paging": paging.to_dict(),
        "top_actors": [vars(a) for a in browse.outlet_actors(catalog, outlet_id)],
        "techniques": _technique_list(browse.technique_counts(catalog, outlet_id=outlet_id)),
    }
    return Page("outlet.html", found.name, data)
