"""Running analysis components over stored articles and writing what they assign.

Computing (a component's ``predict``) is kept apart from writing (here). Only articles
whose stored result is missing or from another component version are analysed, unless
``force``; results are committed in batches, so an interrupted run resumes where it was.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from tqdm import tqdm

from . import dedupe
from .components import FACTORIES, ActorAnalysis, ActorMention, ArticleInput, Component
from .components.base import MentionRef
from .components.names import name_key
from .components.quotes import QuoteAnalysis, QuotesComponent
from .components.techniques import TechniqueAnalysis
from .store import SQLiteStore
from .store.actors import ActorStore
from .store.quotes import QuoteStore
from .store.sqlite import now
from .store.techniques import TechniqueStore

BATCH = 50


@dataclass
class AnalyzeReport:
    analysed: dict[str, int] = field(default_factory=dict)  # component -> articles
    seconds: dict[str, float] = field(default_factory=dict)  # component -> wall time

    def rate(self, component: str) -> float | None:
        """Articles a second the component ran at, None if it analysed nothing."""
        n, t = self.analysed.get(component, 0), self.seconds.get(component, 0.0)
        return n / t if n and t > 0 else None

    def to_dict(self) -> dict[str, dict[str, int] | dict[str, float]]:
        return {
            "analysed": dict(self.analysed),
            "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
        }


def run(
    store: SQLiteStore,
    components: list[Component],
    *,
    force: bool = False,
    progress: bool = False,
) -> AnalyzeReport:
    report = AnalyzeReport()
    actors = ActorStore(store.db)
    for component in components:
        total = actors.count_stale(component.name, component.version, force)
        ids = [row["id"] for row in actors.stale(component.name, component.version, force)]
        bar = tqdm(total=total, desc=component.name, unit=" article", disable=not progress)
        started = time.perf_counter()
        results = component.predict(_inputs(store, ids, component.requires))
        done = 0
        while True:
            with store.transaction():
                chunk = 0
                for result in results:
                    _write(actors, component, result)
                    chunk += 1
                    if chunk == BATCH:
                        break
            done += chunk
            bar.update(chunk)
            if chunk < BATCH:
                break
        bar.close()
        report.analysed[component.name] = done
        report.seconds[component.name] = time.perf_counter() - started
    return report


def _inputs(
    store: SQLiteStore, ids: list[str], requires: tuple[str, ...]
) -> Iterator[ArticleInput]:
    """The stored articles ``ids`` with what the component requires of earlier ones."""
    actors = ActorStore(store.db)
    quotes = QuoteStore(store.db)
    for article_id in ids:
        row = store.db.execute(
            "SELECT id, title, text FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        mentions = (
            tuple(
                MentionRef(
                    m["start"], m["end"], m["text"], m["actor_id"], m["name"], m["kind"], m["role"]
                )
                for m in actors.article_mentions(article_id)
            )
            if "mentions" in requires
            else ()
        )
        scare = (
            quotes.scare_quotes(article_id, QuotesComponent.version)
            if "quotes" in requires
            else None
        )
        yield ArticleInput(row["id"], row["title"], row["text"], mentions, scare)


@cache  # the registry is fixed: worked out once a component, not once an article
def dependents(name: str) -> tuple[str, ...]:
    """The registered components that read what ``name`` assigns, directly or through
    another (actors → quotes, techniques; quotes → techniques)."""
    found: list[str] = []
    frontier = [name]
    while frontier:
        assigns = set(getattr(FACTORIES[frontier.pop()], "assigns", ()))
        for other, factory in FACTORIES.items():
            if (
                other not in found
                and other != name
                and assigns & set(getattr(factory, "requires", ()))
            ):
                found.append(other)
                frontier.append(other)
    return tuple(found)


def _write(actors: ActorStore, component: Component, result: object) -> None:
    # what was computed from this component's earlier output is stale now
    stale = dependents(component.name) if component.name in FACTORIES else ()
    if stale:
        actors.db.execute(
            f"DELETE FROM analyses WHERE article_id = ? AND component IN"
            f" ({', '.join('?' * len(stale))})",
            (getattr(result, "article_id"), *stale),  # noqa: B009
        )
    if isinstance(result, ActorAnalysis):
        write_actor_analysis(actors, result, component.version)
    elif isinstance(result, QuoteAnalysis):
        write_quotes(QuoteStore(actors.db), result, component.version)
    elif isinstance(result, TechniqueAnalysis):
        TechniqueStore(actors.db).replace_spans(
            result.article_id,
            (
                (s.start, s.end, s.technique, s.score, s.evidence, s.field, component.version)
                for s in result.spans
            ),
        )
    actors.mark_analysed(getattr(result, "article_id"), component.name, component.version, now())  # noqa: B009


def write_actor_analysis(actors: ActorStore, result: ActorAnalysis, version: str) -> None:
    actors.replace_sentences(result.article_id, result.sentences)
    actors.clear_mentions(result.article_id)
    clusters: dict[tuple[str, str], list[ActorMention]] = defaultdict(list)
    for mention in result.mentions:
        clusters[(mention.key, mention.kind)].append(mention)
    for mentions in clusters.values():
        actor_id = find_or_create(actors, mentions[0])
        actors.add_countries(actor_id, mentions[0].countries)
        for mention in mentions:
            # a curated alias or split decides for the exact words written
            chosen = actors.actor_by_key(name_key(mention.text), mention.kind, curated_only=True)
            actors.add_mention(result.article_id, chosen or actor_id, mention, version)


def write_quotes(quotes: QuoteStore, result: QuoteAnalysis, version: str) -> None:
    quotes.replace_quotes(
        result.article_id,
        (
            (
                q.kind,
                q.start,
                q.end,
                q.text,
                dedupe.article_id(q.text),
                q.cue,
                q.cue_start,
                q.speaker_text,
                q.speaker_start,
                q.speaker_end,
                q.actor_id,
                q.reason,
                version,
            )
            for q in result.quotes
        ),
    )


def find_or_create(actors: ActorStore, mention: ActorMention) -> int:
    """The catalog's actor for an article's cluster: by key, then by unique surname."""
    found = actors.actor_by_key(mention.key, mention.kind)
    if found is not None:
        return found
    if mention.kind == "person" and mention.surname_only:
        candidates = actors.persons_with_surname(mention.key)
        if len(candidates) == 1:
            return candidates[0]
    return actors.create_actor(mention.key, mention.name, mention.kind, mention.subkind)
