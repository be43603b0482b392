"""The public API: open a catalog, ingest articles, search, read, export.

Every CLI command and web page is a thin shell over a method here::

    from dossier import Catalog
    with Catalog.open("dossier.db") as catalog:
        report = catalog.ingest(["articles/"])
        for hit in catalog.search('kosovo AND "security council"'):
            print(hit.title, hit.snippet)
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from tqdm import tqdm

from . import analysis, curation, dedupe
from .clean import clean_text, normalise_newlines
from .components import FACTORIES, Gazetteer, create
from .components.nlp import MULTIPROCESS_MIN
from .components.techniques import SHOW_THRESHOLD
from .components.techniques_model import TECHNIQUES
from .model import (
    ActorProfile,
    ActorSummary,
    Article,
    CountryGroup,
    IngestReport,
    InputError,
    PreparedArticle,
    QueryError,
    QuoteRecord,
    RawDocument,
    SearchHit,
)
from .sources import InputFile, ReadOptions, find_inputs, read_input
from .sources.fields import domain_of
from .store import SQLiteStore
from .store.actors import ActorStore
from .store.quotes import QuoteStore
from .store.techniques import GROUPINGS, TechniqueStore

EXPORT_FORMATS = ("jsonl", "csv")
CSV_COLUMNS = ("id", "title", "text", "outlet", "date", "url", "authors", "lang", "sources")
_FTS_BAREWORD = re.compile(r"[\w*]+|AND|OR|NOT")
# Cleaning and fingerprinting go to worker processes past this many documents.
PARALLEL_MIN = 64
PARALLEL_WINDOW = 512
WORKERS = min(4, os.cpu_count() or 1)
BATCH = 200  # articles per transaction: a killed run loses at most one batch, redone on re-run


class NotFound(LookupError):
    """No article (or a prefix matching several) for the id asked for."""


def prepare(doc: RawDocument) -> PreparedArticle | InputError:
    """Clean and fingerprint one document (pure: no database)."""
    cleaned = clean_text(normalise_newlines(doc.text))
    if not cleaned.text.strip():
        return InputError(doc.origin, "no article text left after removing page debris")
    title = doc.title or _first_words(cleaned.text)
    fp = dedupe.fingerprint(cleaned.text)
    return PreparedArticle(
        id=fp.article_id,
        title=title,
        text=cleaned.text,
        debris=cleaned.debris,
        signature=fp.signature,
        band_keys=fp.band_keys,
        doc=doc,
    )


def technique_name(name: str) -> str:
    """The corpus name of a technique from what a user types: the name itself, any case,
    or the start of one name ("doubt", "name_calling", "flag")."""
    if name in TECHNIQUES:
        return name
    folded = name.casefold()
    found = [t for t in TECHNIQUES if t.casefold() == folded] or [
        t for t in TECHNIQUES if t.casefold().startswith(folded)
    ]
    if len(found) != 1:
        raise ValueError(f"unknown technique {name!r}: one of {', '.join(TECHNIQUES)}")
    return found[0]


class Catalog:
    def __init__(self, store: SQLiteStore, model: str = "md", techniques: str = "full") -> None:
        """``model``: the spaCy English model (``md`` or ``sm``); ``techniques``: the
        techniques model (``full``, or ``fast`` without its MiniLM networks)."""
        self.store = store
        self.actors = ActorStore(store.db)
        self.quotes_store = QuoteStore(store.db)
        self.techniques_store = TechniqueStore(store.db)
        self.model = model
        self.techniques = techniques
        self._gazetteer: Gazetteer | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer()
        return self._gazetteer

    @classmethod
    def open(
        cls, path: str | Path = "dossier.db", model: str = "md", techniques: str = "full"
    ) -> Catalog:
        return cls(SQLiteStore(path), model=model, techniques=techniques)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- ingest --------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path],
        options: ReadOptions | None = None,
        *,
        progress: bool = False,
    ) -> IngestReport:
        """Read, clean, deduplicate and store every article under ``paths``.

        Bad inputs never stop the batch: each is reported in ``IngestReport.rejected``
        (and stored in the ``rejects`` table). Work is committed every ``BATCH`` articles,
        so an interrupted run leaves a consistent database that a re-run completes.
        """
        options = options or ReadOptions()
        names = [str(p) for p in paths]
        report = IngestReport()
        run_id = self.store.start_run(names)
        bar = tqdm(desc="ingest", unit=" article", disable=not progress, leave=True)
        items = self._prepared(names, options, bar)
        while chunk := list(islice(items, BATCH)):
            with self.store.transaction():
                for item in chunk:
                    self._store_one(item, report, run_id)
            bar.update(len(chunk))
            bar.set_postfix(added=report.added, dup=report.duplicates, bad=len(report.rejected))
        bar.close()
        with self.store.transaction():
            self.store.finish_run(
                run_id,
                {
                    "added": report.added,
                    "duplicates": report.duplicates,
                    "near_duplicates": report.near_duplicates,
                    "rejected": len(report.rejected),
                },
            )
        return report

    def _prepared(
        self, names: list[str], options: ReadOptions, bar: tqdm[Any]
    ) -> Iterator[PreparedArticle | InputError]:
        """Documents cleaned and fingerprinted, in input order; by worker processes when
        there are many (reading and writing stay in this process)."""
        docs = _read_all(names, options, bar)
        head = list(islice(docs, PARALLEL_MIN))
        if len(head) < PARALLEL_MIN or WORKERS < 2:
            yield from map(_prepare_item, chain(head, docs))
            return
        with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
            # a window at a time: Pool.imap would read the whole input ahead into memory
            window = head
            while window:
                yield from pool.imap(_prepare_item, window, chunksize=16)
                window = list(islice(docs, PARALLEL_WINDOW))

    def _store_one(
        self, item: PreparedArticle | InputError, report: IngestReport, run: int
    ) -> None:
        if isinstance(item, InputError):
            report.rejected.append(item)
            self.store.record_reject(run, item)
            return
        outlet_id = self._outlet_id(item.doc)
        if self.store.has_article(item.id):
            report.duplicates += 1
            report.new_sources += int(self.store.add_source(item, outlet_id))
            return
        candidates = self.store.near_duplicate_candidates(item.band_keys)
        self.store.add_article(item)
        self.store.add_source(item, outlet_id)
        report.added += 1
        report.article_ids.append(item.id)
        linked = False
        for other_id, signature in candidates:
            score = dedupe.similarity(item.signature or b"", signature)
            if score >= dedupe.NEAR_DUPLICATE_THRESHOLD:
                self.store.link_near_duplicate(item.id, other_id, score)
                linked = True
        report.near_duplicates += int(linked)

    def _outlet_id(self, doc: RawDocument) -> int | None:
        domain = domain_of(doc.url)
        name = doc.outlet or domain
        return self.store.outlet_id(name, domain) if name else None

    # -- analysis ------------------------------------------------------------------

    def analyze(
        self,
        only: str | None = None,
        *,
        force: bool = False,
        progress: bool = False,
        processes: int | None = None,
    ) -> analysis.AnalyzeReport:
        """Run the analysis components over articles whose results are missing or stale."""
        names = [only] if only else list(FACTORIES)
        components = []
        for name in names:
            component = create(
                name, gazetteer=self.gazetteer, model=self.model, techniques=self.techniques
            )
            wanted = processes
            if wanted is None:
                stale = self.actors.count_stale(component.name, component.version, force)
                wanted = 2 if stale >= MULTIPROCESS_MIN else 1
            if hasattr(component, "n_process"):
                component.n_process = wanted
            components.append(component)
        return analysis.run(self.store, components, force=force, progress=progress)

    # -- actors ----------------------------------------------------------------------

    def catalog(self, country: str | None = None, kind: str | None = None) -> list[CountryGroup]:
        """Countries, each with its actors (most-written-about first)."""
        groups: dict[str, list[ActorSummary]] = {}
        code = country.upper() if country else None
        for actor in self.actors.summaries(country=code, kind=kind):
            for place in actor.countries or ("",):
                if code is None or place == code:
                    groups.setdefault(place, []).append(actor)
        return sorted(
            (
                CountryGroup(c, self.gazetteer.country_name(c) if c else "(no country)", tuple(a))
                for c, a in groups.items()
            ),
            key=lambda g: (g.country == "", g.name),
        )

    def actor(self, name: str, limit: int = 100) -> ActorProfile:
        """An actor's profile by any of its names (spelling variants included) or #id."""
        actor_id = curation.find_actor(self.actors, name)
        found = self.actors.summaries(ids=[actor_id])
        if not found:
            raise NotFound(f"actor {name!r} has no mentions in any article")
        co = self.actors.co_mentioned(actor_id)
        others = {a.id: a for a in self.actors.summaries(ids=[i for i, _ in co])} if co else {}
        return ActorProfile(
            actor=found[0],
            aliases=tuple(self.actors.aliases(actor_id)),
            roles=tuple(self.actors.roles(actor_id)),
            articles=tuple(self.actors.articles_of(actor_id, limit=limit)),
            outlets=tuple(self.actors.outlets_of(actor_id)),
            co_mentioned=tuple((others[i], n) for i, n in co if i in others),
            quotes_by=tuple(self.quotes(actor=f"#{actor_id}", limit=limit)),
            quoted_about=tuple(self.quotes(about=f"#{actor_id}", limit=limit)),
        )

    def quotes(
        self,
        *,
        actor: str | None = None,
        about: str | None = None,
        outlet: str | None = None,
        since: str | None = None,
        article_id: str | None = None,
        kinds: tuple[str, ...] = ("direct", "indirect"),
        unattributed: bool = False,
        limit: int = 1000,
    ) -> list[QuoteRecord]:
        """Quotes, oldest first: by an actor, about an actor (their articles, other
        speakers), in an outlet, since a date; each with the articles repeating it.

        Only attributions (a speaker was found, resolved to an actor or not) unless
        ``unattributed``: quotations whose speaker could not be found, with the reason."""
        rows = self.quotes_store.quotes(
            unattributed=unattributed,
            article_id=article_id,
            actor_id=curation.find_actor(self.actors, actor) if actor else None,
            about_id=curation.find_actor(self.actors, about) if about else None,
            outlet=outlet,
            since=since,
            kinds=kinds,
            limit=limit,
        )
        return [self._quote(row) for row in rows]

    def _quote(self, row: Any) -> QuoteRecord:
        seen = self.quotes_store.appearances(row["quote_key"])
        return QuoteRecord(
            article_id=row["article_id"],
            kind=row["kind"],
            text=row["text"],
            start=row["start"],
            end=row["end"],
            cue=row["cue"],
            speaker_text=row["speaker_text"],
            speaker_start=row["speaker_start"],
            speaker_end=row["speaker_end"],
            speaker_id=row["actor_id"],
            speaker_name=row["speaker_name"],
            reason=row["reason"],
            title=row["title"],
            origin=row["origin"],
            outlet=row["outlet"],
            date=row["date"],
            appearances=tuple(dict.fromkeys((r["article_id"], r["date"]) for r in seen)),
        )

    def technique_spans(
        self, article_id: str, threshold: float = SHOW_THRESHOLD
    ) -> list[dict[str, Any]]:
        """The article's technique spans scoring at least ``threshold``."""
        return [dict(r) for r in self.techniques_store.spans(article_id, threshold)]

    def technique_stats(
        self, by: str = "outlet", technique: str | None = None, threshold: float = SHOW_THRESHOLD
    ) -> list[dict[str, Any]]:
        """Technique spans counted by outlet, actor written about, country or month."""
        if by not in GROUPINGS:
            raise ValueError(f"--by must be one of {', '.join(GROUPINGS)}")
        if technique is not None:
            technique = technique_name(technique)
        rows = self.techniques_store.stats(by, threshold, technique)
        return [
            {
                "group": r["grp"],
                "technique": r["technique"],
                "spans": r["spans"],
                "articles": r["articles"],
            }
            for r in rows
        ]

    def article_mentions(self, article_id: str) -> list[dict[str, Any]]:
        return [dict(row) for row in self.actors.article_mentions(article_id)]

    def merge_actors(self, keep: str, other: str) -> int:
        with self.store.transaction():
            return curation.merge(self.actors, keep, other)

    def split_actor(self, name: str, alias: str) -> int:
        with self.store.transaction():
            return curation.split(self.actors, name, alias)

    def rename_actor(self, name: str, new: str) -> int:
        with self.store.transaction():
            return curation.rename(self.actors, name, new)

    def alias_actor(self, name: str, alias: str) -> int:
        with self.store.transaction():
            return curation.alias(self.actors, name, alias)

    def export_curation(self, out: TextIO) -> int:
        return curation.export(self.actors, out)

    def import_curation(self, stream: TextIO) -> tuple[int, list[str]]:
        with self.store.transaction():
            return curation.load(self.actors, stream)

    # -- reading -------------------------------------------------------------------

    def search(
        self,
        query: str,
        limit: int = 20,
        offset: int = 0,
        marks: tuple[str, str] = ("[", "]"),
    ) -> list[SearchHit]:
        """Full-text search (FTS5 syntax, diacritics folded), best first.

        Snippets show matched words between ``marks``.
        """
        if not query.strip():
            raise QueryError("the search query is empty")
        try:
            return self.store.search(query, limit=limit, offset=offset, marks=marks)
        except QueryError:
            lenient = quote_punctuated(query)
            if lenient == query:
                raise
            return self.store.search(lenient, limit=limit, offset=offset, marks=marks)

    def article(self, article_id: str) -> Article:
        """The article with this id (or a unique prefix of it), with sources and debris."""
        full = self.store.resolve_id(article_id.strip().lower())
        found = self.store.article(full) if full else None
        if found is None:
            raise NotFound(f"no article with id {article_id!r} (or the prefix is ambiguous)")
        return found

    def articles(self) -> Iterator[Article]:
        return self.store.iter_articles()

    def stats(self) -> dict[str, Any]:
        return self.store.stats()

    def export(self, fmt: str, out: TextIO) -> int:
        """Write every article as JSON Lines or CSV to ``out``; returns how many."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(
                f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}"
            )
        count = 0
        writer = csv.DictWriter(out, CSV_COLUMNS) if fmt == "csv" else None
        if writer:
            writer.writeheader()
        for article in self.articles():
            record = article.to_dict()
            if writer:
                writer.writerow(_flat(record))
            else:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count


def _read_all(
    names: list[str], options: ReadOptions, bar: tqdm[Any]
) -> Iterator[RawDocument | InputError]:
    for found in find_inputs(names):
        if isinstance(found, InputError):
            yield found
            continue
        bar.set_description(_short(found))
        yield from read_input(found, options)


def _prepare_item(doc: RawDocument | InputError) -> PreparedArticle | InputError:
    return doc if isinstance(doc, InputError) else prepare(doc)


def quote_punctuated(query: str) -> str:
    """Quote bare terms with inner punctuation (al-shabab, u.s.) so FTS5 reads them as phrases."""
    terms = []
    for term in query.split():
        core = term.strip("()")
        if core and '"' not in term and not _FTS_BAREWORD.fullmatch(core):
            term = term.replace(core, '"' + core + '"')
        terms.append(term)
    return " ".join(terms)


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    row = {k: record.get(k) for k in CSV_COLUMNS}
    row["authors"] = "; ".join(record["authors"])
    row["sources"] = " ".join(s["url"] or s["origin"] for s in record["sources"])
    return row


def _first_words(text: str, limit: int = 90) -> str:
    first = " ".join(text.split("\n", 1)[0].split())
    return first if len(first) <= limit else first[:limit].rsplit(" ", 1)[0] + "…"


def _short(item: InputFile) -> str:
    name = Path(item.path).name if item.path != "-" else "stdin"
    return name if len(name) <= 30 else "…" + name[-29:]
