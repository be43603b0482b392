"""The one small interface every analysis component implements (the spaCy manner)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class MentionRef:
    """A stored actor mention, for components that require ``mentions``."""

    start: int
    end: int
    text: str
    actor_id: int
    name: str
    kind: str
    role: str | None = None


@dataclass(frozen=True)
class ArticleInput:
    """What a component reads: an article's id, its stored clean text, and (when the
    component requires them) the actor mentions and the scare quotes already stored for it.

    ``scare_quotes`` is ``None`` when no current quotes analysis is stored (or the component
    does not require ``quotes``): a component that needs them finds them itself."""

    id: str
    title: str
    text: str
    mentions: tuple[MentionRef, ...] = ()
    scare_quotes: tuple[tuple[int, int], ...] | None = None


class Component(Protocol):
    name: str
    version: str  # bump when output changes: stored results of older versions are stale
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def predict(self, articles: Iterable[ArticleInput]) -> Iterator[Any]:
        """Results for the articles, lazily and in order. Pure: no database, no I/O."""
        ...
