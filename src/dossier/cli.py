"""The ``dossier`` command: a thin shell over :class:`dossier.Catalog`.

Each command parses its options, calls one library method, and turns library errors into
a one-line message (exit status 1) instead of a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from . import __version__
from .catalog import EXPORT_FORMATS, Catalog, NotFound
from .model import Article, IngestReport, QueryError
from .sources import READERS, ReadOptions, parse_field_map
from .sources.decode import DEFAULT_MAX_BYTES

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
@json_option
@friendly_errors
def ingest(
    paths: tuple[str, ...],
    db: str,
    outlet: str | None,
    fmt: str,
    fields: tuple[str, ...],
    max_bytes: int,
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
    with Catalog.open(db) as catalog:
        report = catalog.ingest(list(paths), options, progress=sys.stderr.isatty())
    if as_json:
        _echo_json(report.to_dict())
    else:
        _print_report(report)


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
    if as_json:
        _echo_json(article.to_dict(debris=debris))
        return
    _print_article(article)
    if debris:
        _print_debris(article)


def _print_article(article: Article) -> None:
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
    click.echo(article.text)


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


def main() -> None:
    cli(prog_name="dossier")
