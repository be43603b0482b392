"""Analysis components, registered in one place and chosen by name.

A new analysis is a new module here and one entry in ``FACTORIES``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .actors import ActorAnalysis, ActorMention, ActorsComponent
from .base import ArticleInput, Component
from .gazetteer import Gazetteer
from .quotes import Quote, QuoteAnalysis, QuotesComponent
from .techniques import TechniqueAnalysis, TechniquesComponent

__all__ = [
    "FACTORIES",
    "ActorAnalysis",
    "ActorMention",
    "ArticleInput",
    "Component",
    "Gazetteer",
    "Quote",
    "QuoteAnalysis",
    "TechniqueAnalysis",
    "create",
]

FACTORIES: dict[str, Callable[..., Component]] = {
    "actors": ActorsComponent,  # first: later components require its mentions
    "quotes": QuotesComponent,
    "techniques": TechniquesComponent,
}


def create(name: str, **config: Any) -> Component:
    if name not in FACTORIES:
        raise ValueError(f"unknown component {name!r}; known: {', '.join(FACTORIES)}")
    return FACTORIES[name](**config)
