"""The ``dossier`` command: a thin shell over :class:`dossier.Catalog`.

Each command parses its options, calls one library method, and turns library errors into
a one-line message (exit status 1) instead of a traceback.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .analysis import AnalyzeReport
from .catalog import EXPORT_FORMATS, Catalog, NotFound, technique_name
from .components import FACTORIES
from .components.techniques import SHOW_THRESHOLD
from .model import Article, IngestReport, QueryError, QuoteRecord
from .sources import READERS, ReadOptions, parse_field_map
from .sources.decode import DEFAULT_MAX_BYTES
from .store.techniques import GROUPINGS

F = TypeVar("F", bound=Callable[..., Any])
BOLD, RESET = "\x1b[1m", "\x1b[0m"
SHOWN_REJECTS = 25


def db_option(func: F) -> F:
    return click.option(
        "--db",
        default="dossier.db",
        envvar="DOSSIER_DB",
        show_default=True,
        type=click.Path(dir_okay=False),
        help="The catalog's SQLite file (env DOSSIER_DB). Created if missing.",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(func)


def techniques_option(func: F) -> F:
    return click.option(
        "--techniques",
        type=click.Choice(["full", "fast"]),
        default="full",
        show_default=True,
        envvar="DOSSIER_TECHNIQUES",
        help="Techniques model: full, or fast without its two MiniLM networks (about ten "
        "times faster on CPUs without int8 dot-product instructions, less accurate; see "
        "docs/techniques.md). Env DOSSIER_TECHNIQUES.",
    )(func)


def friendly_errors(func: F) -> F:
    """Library errors become a clean message and exit status 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (QueryError, NotFound, ValueError) as exc:
            raise click.ClickException(str(exc).strip("'\"")) from exc

    return wrapper  # type: ignore[return-value]


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


# a hint to use --techniques fast: the full model ran slower than this on enough articles
SLOW_TECHNIQUES_RATE = 3.0  # articles a second
SLOW_TECHNIQUES_MIN = 20  # articles


def _echo_analysed(report: AnalyzeReport, techniques: str, as_json: bool = False) -> None:
    """What each component analysed and how long it took; a hint if techniques crawled."""
    if not as_json:
        click.echo(
            "analysed "
            + ", ".join(
                f"{k}: {n} ({report.seconds.get(k, 0.0):.1f} s)" for k, n in report.analysed.items()
            )
        )
    rate = report.rate("techniques")
    if (
        techniques == "full"
        and rate is not None
        and rate < SLOW_TECHNIQUES_RATE
        and report.analysed["techniques"] >= SLOW_TECHNIQUES_MIN
    ):
        click.secho(
            f"hint: the techniques model ran at {rate:.1f} articles/s on this CPU; "
            "--techniques fast is about ten times faster, less accurate "
            "(docs/techniques.md, Speed).",
            err=True,
            fg="yellow",
        )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dossier")
def cli() -> None:
    """dossier: turn a pile of news articles into a searchable catalog.

    Start with `dossier ingest FOLDER`, then `dossier search`, `dossier show ID`,
    `dossier stats` and `dossier export`. Every command takes --db (default dossier.db).
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--outlet", help="Outlet name for every article read (overrides the input's own).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", *READERS]),
    default="auto",
    show_default=True,
    help="Input format; auto decides by file extension and content.",
)
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="OURS=THEIRS",
    help="For JSON/CSV records: read our field from another name, e.g. --field text=content.",
)
@click.option(
    "--max-bytes",
    type=int,
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Skip (and report) files larger than this.",
)
@click.option("--no-analyze", is_flag=True, help="Only store; run `dossier analyze` later.")
@techniques_option
@json_option
@friendly_errors
def ingest(
    paths: tuple[str, ...],
    db: str,
    outlet: str | None,
    fmt: str,
    fields: tuple[str, ...],
    max_bytes: int,
    no_analyze: bool,
    techniques: str,
    as_json: bool,
) -> None:
    """Read articles from PATHS into the catalog: clean, deduplicate, store, index.

    PATHS are files, folders (read recursively) or - for standard input. Formats:
    .txt/.md (title on the first line), .html, .jsonl/.json/.csv records, RSS/Atom
    feeds, each optionally .gz-compressed, in any common text encoding. Files that
    cannot be read are reported with the reason; the rest of the batch still goes in.
    """
    options = ReadOptions(
        format=fmt, outlet=outlet, field_map=parse_field_map(fields), max_bytes=max_bytes
    )
    progress = sys.stderr.isatty()
    with Catalog.open(db, techniques=techniques) as catalog:
        report = catalog.ingest(list(paths), options, progress=progress)
        analysed = None if no_analyze else catalog.analyze(progress=progress)
    if as_json:
        _echo_json({**report.to_dict(), **(analysed.to_dict() if analysed else {})})
    else:
        _print_report(report)
    if analysed:
        _echo_analysed(analysed, techniques, as_json)


def _print_report(report: IngestReport) -> None:
    click.echo(
        f"added {report.added}, duplicates {report.duplicates} "
        f"({report.new_sources} new sources), near-duplicates {report.near_duplicates}, "
        f"rejected {len(report.rejected)}"
    )
    for error in report.rejected[:SHOWN_REJECTS]:
        click.echo(f"  rejected {error}", err=True)
    if len(report.rejected) > SHOWN_REJECTS:
        click.echo(
            f"  … and {len(report.rejected) - SHOWN_REJECTS} more (--json lists all)", err=True
        )


@cli.command()
@click.argument("query")
@db_option
@click.option("--limit", default=20, show_default=True, help="How many results.")
@click.option("--offset", default=0, help="Skip this many results (paging).")
@json_option
@friendly_errors
def search(query: str, db: str, limit: int, offset: int, as_json: bool) -> None:
    """Full-text search over titles and texts, best matches first.

    QUERY uses SQLite FTS5 syntax: words, "quoted phrases", AND / OR / NOT (in
    capitals), parentheses and prefix* matches. Accents are ignored: vucic finds Vučić.

    Example: dossier search 'kosovo AND "security council"'
    """
    marks = ("[", "]") if as_json else (BOLD, RESET)
    with Catalog.open(db) as catalog:
        hits = catalog.search(query, limit=limit, offset=offset, marks=marks)
    if as_json:
        _echo_json([hit.to_dict() for hit in hits])
        return
    if not hits:
        click.echo("no matches")
    for hit in hits:
        meta = " · ".join(x for x in (hit.date, hit.outlet) if x)
        click.echo(f"{hit.id}  {hit.title}" + (f"  ({meta})" if meta else ""))
        click.echo("    " + " ".join(hit.snippet.split()))


@cli.command()
@click.argument("article_id")
@db_option
@click.option("--debris", is_flag=True, help="Also list what the cleaner removed, and why.")
@json_option
@friendly_errors
def show(article_id: str, db: str, debris: bool, as_json: bool) -> None:
    """Print one article: metadata, sources, clean text (ARTICLE_ID may be a prefix)."""
    with Catalog.open(db) as catalog:
        article = catalog.article(article_id)
        mentions = catalog.article_mentions(article.id)
        quotes = catalog.quotes(
            article_id=article.id, kinds=("direct", "indirect", "scare"), unattributed=True
        )
        spans = catalog.technique_spans(article.id)
    if as_json:
        _echo_json(
            {
                **article.to_dict(debris=debris),
                "mentions": mentions,
                "quotes": [q.to_dict() for q in quotes],
                "techniques": spans,
            }
        )
        return
    _print_article(article, [s for s in spans if s["field"] == "text"])
    for span in (s for s in spans if s["field"] == "title"):
        words = article.title[span["start"] : span["end"]]
        click.echo(f"  in the title: {span['technique']} {span['score']:.2f}: {words!r}")
    _print_mentions(mentions)
    _print_quotes([q for q in quotes if q.kind != "scare"])
    scare = [q.text for q in quotes if q.kind == "scare"]
    if scare:
        click.echo("scare quotes: " + ", ".join(f"“{t}”" for t in scare))
    if debris:
        _print_debris(article)


def _print_quotes(quotes: list[QuoteRecord], heading: bool = True) -> None:
    if not quotes:
        return
    if heading:
        click.echo()
        click.secho("quotes:", bold=True)
    for q in quotes:
        who = q.speaker_name or (f"{q.speaker_text}?" if q.speaker_text else "(unknown)")
        text = q.text if len(q.text) <= 160 else q.text[:157] + "…"
        mark = "“" + text + "”" if q.kind == "direct" else text
        click.echo(f"  {who} [{q.kind}, {q.cue or 'no cue'}]: {mark}")


def _print_mentions(mentions: list[dict[str, Any]]) -> None:
    if not mentions:
        return
    seen: dict[str, list[str]] = {}
    for m in mentions:
        seen.setdefault(f"{m['name']} ({m['kind']})", []).append(m["text"])
    click.echo()
    click.secho("actors:", bold=True)
    for actor, texts in seen.items():
        click.echo(f"  {actor}: " + ", ".join(dict.fromkeys(texts)))


def _print_article(article: Article, spans: list[dict[str, Any]] | None = None) -> None:
    click.secho(article.title, bold=True)
    click.echo(f"id {article.id}")
    for source in article.sources:
        where = source.url or source.origin
        click.echo(f"source: {source.outlet or '?'} · {source.date or 'no date'} · {where}")
    if article.authors:
        click.echo("by " + ", ".join(article.authors))
    for near in article.near_duplicates:
        click.echo(f"near-duplicate of {near.article_id} ({near.similarity:.0%}): {near.title}")
    click.echo()
    click.echo(_marked(article.text, spans or []))
    if spans:
        click.echo()
        click.secho("persuasion techniques (marked [n] in the text):", bold=True)
        for n, span in enumerate(_outermost(spans), 1):
            words = article.text[span["start"] : span["end"]]
            click.echo(
                f"  [{n}] {span['technique']} {span['score']:.2f} ({span['evidence']}): {words!r}"
            )


def _outermost(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Spans that do not start inside an earlier one (the terminal shows no nesting)."""
    kept: list[dict[str, Any]] = []
    for span in sorted(spans, key=lambda s: (s["start"], -s["end"])):
        if not kept or span["start"] >= kept[-1]["end"]:
            kept.append(span)
    return kept


def _marked(text: str, spans: list[dict[str, Any]]) -> str:
    """The text with each technique span underlined and numbered."""
    out, cursor = [], 0
    for n, span in enumerate(_outermost(spans), 1):
        out.append(text[cursor : span["start"]])
        out.append(click.style(text[span["start"] : span["end"]], underline=True, fg="red"))
        out.append(click.style(f"[{n}]", fg="red"))
        cursor = span["end"]
    out.append(text[cursor:])
    return "".join(out)


def _print_debris(article: Article) -> None:
    shown = [d for d in article.debris if d.rule != "whitespace"]
    spaces = len(article.debris) - len(shown)
    click.echo()
    click.secho(
        f"removed by the cleaner: {len(shown)} pieces, {spaces} whitespace fixes", bold=True
    )
    for item in shown:
        click.echo(f"  [{item.rule}] at {item.at} (source {item.start}-{item.end}): {item.text!r}")


@cli.command()
@db_option
@json_option
@friendly_errors
def stats(db: str, as_json: bool) -> None:
    """Summarise the catalog: articles, sources, outlets, duplicates, rejects."""
    with Catalog.open(db) as catalog:
        figures = catalog.stats()
    if as_json:
        _echo_json(figures)
        return
    for key, value in figures.items():
        if key == "top_outlets":
            click.echo("top outlets:")
            for row in value:
                click.echo(f"  {row['articles']:>6}  {row['outlet']}")
        else:
            click.echo(f"{key.replace('_', ' ')}: {value if value is not None else '-'}")


@cli.command()
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonl", show_default=True
)
@click.option(
    "--out",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="File to write (default: stdout).",
)
@friendly_errors
def export(db: str, fmt: str, out: Any) -> None:
    """Write every article (id, title, clean text, outlet, date, url, authors, sources)."""
    with Catalog.open(db) as catalog:
        count = catalog.export(fmt, out)
    if out is not sys.stdout and getattr(out, "name", "-") != "<stdout>":
        click.echo(f"exported {count} articles to {out.name}", err=True)


@cli.command()
@db_option
@click.option("--only", type=click.Choice(sorted(FACTORIES)), help="Run one component only.")
@click.option("--force", is_flag=True, help="Redo every article, not only stale ones.")
@click.option(
    "--model",
    type=click.Choice(["md", "sm"]),
    default="md",
    show_default=True,
    help="spaCy English model (md is better on groups; falls back to sm).",
)
@click.option("--processes", type=int, help="Worker processes (default: 2 for big batches).")
@techniques_option
@json_option
@friendly_errors
def analyze(
    db: str,
    only: str | None,
    force: bool,
    model: str,
    processes: int | None,
    techniques: str,
    as_json: bool,
) -> None:
    """Run the analysis components (actors, quotes, techniques) over stored articles.

    Only articles whose results are missing or were made by an older component
    version are analysed, unless --force. `dossier ingest` runs this already.
    """
    with Catalog.open(db, model=model, techniques=techniques) as catalog:
        report = catalog.analyze(
            only, force=force, progress=sys.stderr.isatty(), processes=processes
        )
    if as_json:
        _echo_json(report.to_dict())
    _echo_analysed(report, techniques, as_json)


@cli.command()
@db_option
@click.option("--actor", help="Quotes spoken by this actor (any spelling, or #ID).")
@click.option("--about", help="Quotes by others in articles that mention this actor.")
@click.option("--outlet", help="Only articles from this outlet.")
@click.option("--since", help="Only articles dated on or after this day (YYYY-MM-DD).")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["direct", "indirect", "scare"]),
    help="Kinds to list (default: direct and indirect).",
)
@click.option(
    "--unattributed",
    is_flag=True,
    help="Also list quotations whose speaker could not be found (speaker null, with the reason).",
)
@click.option("--limit", default=1000, show_default=True)
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of text.")
@json_option
@friendly_errors
def quotes(
    db: str,
    actor: str | None,
    about: str | None,
    outlet: str | None,
    since: str | None,
    kinds: tuple[str, ...],
    unattributed: bool,
    limit: int,
    as_csv: bool,
    as_json: bool,
) -> None:
    """Who said what: direct and reported quotes with their speakers, oldest first.

    Each quote carries its offsets in the article's clean text, the cue ("said",
    "according to"), the speaker as written and the actor it resolves to (or why not),
    and every article that repeats the same words. Quotations whose speaker could not
    be found are left out unless --unattributed is given.
    """
    with Catalog.open(db) as catalog:
        found = catalog.quotes(
            actor=actor,
            about=about,
            outlet=outlet,
            since=since,
            kinds=kinds or ("direct", "indirect"),
            unattributed=unattributed,
            limit=limit,
        )
    records = [q.to_dict() for q in found]
    if as_json:
        _echo_json(records)
    elif as_csv:
        writer = csv.writer(sys.stdout)
        columns = ["date", "outlet", "article_id", "kind", "speaker", "speaker_text", "cue", "text"]
        writer.writerow(columns)
        for r in records:
            speaker = r["speaker"]["name"] if r["speaker"] else ""
            writer.writerow(
                [
                    r["date"],
                    r["outlet"],
                    r["article_id"],
                    r["kind"],
                    speaker,
                    r["speaker_text"],
                    r["cue"],
                    r["text"],
                ]
            )
    else:
        for q in found:
            click.secho(f"{q.date or '----------'}  {q.outlet or '-'}  {q.title}", dim=True)
            _print_quotes([q], heading=False)


@cli.group()
def techniques() -> None:
    """Persuasion techniques: counts by outlet, actor, country or month; the PTC entry point."""


@techniques.command(name="stats")
@db_option
@click.option(
    "--by",
    type=click.Choice(GROUPINGS),
    default="outlet",
    show_default=True,
    help="Count by outlet, actor written about, country written about, month, or "
    "technique alone. Articles with no outlet, actor or date count in a group of their own.",
)
@click.option(
    "--technique",
    help="Only this technique, e.g. Loaded_Language (any case; the start of a name will do).",
)
@click.option(
    "--threshold",
    type=float,
    default=SHOW_THRESHOLD,
    show_default=True,
    help="Count spans scoring at least this.",
)
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of text.")
@json_option
@friendly_errors
def technique_stats(
    db: str, by: str, technique: str | None, threshold: float, as_csv: bool, as_json: bool
) -> None:
    """How often each persuasion technique is used, grouped as --by says."""
    with Catalog.open(db) as catalog:
        rows = catalog.technique_stats(by=by, technique=technique, threshold=threshold)
    if as_json:
        _echo_json(rows)
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, ["group", "technique", "spans", "articles"])
        writer.writeheader()
        writer.writerows(rows)
    elif not rows:
        name = technique_name(technique) if technique else None
        click.echo(
            f"No technique spans scoring {threshold:g} or more"
            + (f" of {name}" if name else "")
            + " (run `dossier analyze` first, or lower --threshold).",
            err=True,
        )
    else:
        none = "(no date)" if by == "month" else f"(no {by})"
        width = max(32, *(len(row["group"] or none) for row in rows))
        for row in rows:
            click.echo(
                f"{row['group'] or none:<{width}} {row['technique']:<36} {row['spans']:>6} spans"
                f" in {row['articles']:>5} articles"
            )


@techniques.command(name="predict")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.File("w", encoding="utf-8", lazy=False),  # written even when no span is found
    required=True,
    help="File for the predictions (ID, technique, start, end; tab-separated).",
)
@click.option(
    "--spans",
    "spans_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Classify exactly these spans (ID, technique or ?, start, end) instead.",
)
@friendly_errors
def technique_predict(folder: Path, out: Any, spans_file: Path | None) -> None:
    """Predict technique spans for article<ID>.txt files (PTC layout) as they are.

    Offsets are characters into each file as given, end exclusive. With --spans, one
    output line per input line, in the same order.
    """
    from . import ptc

    lines = ptc.classify_spans(folder, spans_file) if spans_file else ptc.predict_spans(folder)
    count = 0
    for line in lines:
        out.write(line + "\n")
        count += 1
    click.echo(f"wrote {count} spans", err=True)


@cli.command(name="catalog")
@db_option
@click.option("--country", help="ISO 3166 alpha-2 code (XK for Kosovo), e.g. RS.")
@click.option(
    "--kind",
    help="person, group, institution, country, place, or a group subkind "
    "(armed_group, criminal_organisation, party, movement).",
)
@json_option
@friendly_errors
def catalog_command(db: str, country: str | None, kind: str | None, as_json: bool) -> None:
    """The catalog: countries, each with its actors and how many articles mention them."""
    with Catalog.open(db) as catalog:
        groups = catalog.catalog(country=country, kind=kind)
    if as_json:
        _echo_json([g.to_dict() for g in groups])
        return
    for group in groups:
        click.secho(f"{group.country or '--'}  {group.name}", bold=True)
        for actor in group.actors:
            kind_text = actor.subkind or actor.kind
            click.echo(
                f"  {actor.articles:>4}  {actor.name}  [{kind_text}]  last {actor.last_seen or '-'}"
            )


@cli.command()
@click.argument("name")
@db_option
@json_option
@friendly_errors
def actor(name: str, db: str, as_json: bool) -> None:
    """An actor's profile: names seen, countries, articles, outlets, co-mentioned actors.

    NAME may be any spelling ("Hashim Thaci", "Thachi") or #ID.
    """
    with Catalog.open(db) as catalog:
        profile = catalog.actor(name)
    if as_json:
        _echo_json(profile.to_dict())
        return
    a = profile.actor
    click.secho(f"{a.name}  (#{a.id}, {a.subkind or a.kind})", bold=True)
    click.echo(f"countries: {', '.join(a.countries) or '-'}")
    click.echo(f"aliases seen: {', '.join(f'{t} ({n})' for t, n in profile.aliases)}")
    if profile.roles:
        click.echo(f"roles: {', '.join(profile.roles)}")
    click.echo(
        f"articles: {a.articles}, mentions: {a.mentions}, first seen {a.first_seen or '-'},"
        f" last seen {a.last_seen or '-'}"
    )
    click.echo("outlets: " + (", ".join(f"{o} ({n})" for o, n in profile.outlets) or "-"))
    click.echo("co-mentioned: " + ", ".join(f"{o.name} ({n})" for o, n in profile.co_mentioned))
    click.echo(f"quotes by: {len(profile.quotes_by)}, quoted about: {len(profile.quoted_about)}")
    _print_quotes(list(profile.quotes_by[:5]))
    for ref in profile.articles:
        click.echo(f"  {ref.date or '----------'}  {ref.id}  {ref.title}")


@cli.group()
def actors() -> None:
    """Curate actors: merge, split, rename, alias; export/import the curation as YAML.

    Curation is stored in the catalog and survives re-analysis.
    """


def _curate(db: str, method: str, *args: str) -> None:
    with Catalog.open(db) as catalog:
        actor_id = getattr(catalog, method)(*args)
        row = catalog.actors.actor_row(actor_id)
        name = row["name"] if row else "?"
    click.echo(f"ok: #{actor_id} {name}")


@actors.command()
@click.argument("keep")
@click.argument("other")
@db_option
@friendly_errors
def merge(keep: str, other: str, db: str) -> None:
    """Merge actor OTHER into actor KEEP (mentions, names, countries)."""
    _curate(db, "merge_actors", keep, other)


@actors.command()
@click.argument("name")
@click.option("--alias", "alias_text", required=True, help="The name whose mentions move out.")
@db_option
@friendly_errors
def split(name: str, alias_text: str, db: str) -> None:
    """Split the mentions written as --alias out of actor NAME into an actor of their own."""
    _curate(db, "split_actor", name, alias_text)


@actors.command()
@click.argument("name")
@click.argument("new")
@db_option
@friendly_errors
def rename(name: str, new: str, db: str) -> None:
    """Give actor NAME the canonical name NEW."""
    _curate(db, "rename_actor", name, new)


@actors.command(name="alias")
@click.argument("name")
@click.argument("alias_text", metavar="ALIAS")
@db_option
@friendly_errors
def alias_command(name: str, alias_text: str, db: str) -> None:
    """Make ALIAS a name of actor NAME; mentions written so move to it."""
    _curate(db, "alias_actor", name, alias_text)


@actors.command(name="export")
@click.option(
    "--out", type=click.File("w", encoding="utf-8"), default="-", help="YAML file (default stdout)."
)
@db_option
@friendly_errors
def export_curation(out: Any, db: str) -> None:
    """Write the curation log as YAML, to keep in version control."""
    with Catalog.open(db) as catalog:
        count = catalog.export_curation(out)
    click.echo(f"exported {count} operations", err=True)


@actors.command(name="import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@db_option
@friendly_errors
def import_curation(file: Any, db: str) -> None:
    """Replay a curation YAML file (from `dossier actors export`)."""
    with Catalog.open(db) as catalog:
        applied, problems = catalog.import_curation(file)
    click.echo(f"applied {applied} operations")
    for problem in problems:
        click.echo(f"  skipped {problem}", err=True)


@cli.command()
@db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (127.0.0.1: this machine only).",
)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(db: str, host: str, port: int) -> None:
    """Serve the catalog read-only in a browser: HTML pages, and JSON at the same URL + .json."""
    import uvicorn

    from .web import create_app

    try:
        app = create_app(db)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"dossier: serving {db} at http://{host}:{port}/  (Ctrl+C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def main() -> None:
    cli(prog_name="dossier")
