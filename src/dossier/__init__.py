"""dossier: a catalog of who is written about, where, by whom, in whose words.

The public names are imported on first use (PEP 562), so a process that needs only one
component (the techniques workers ``dossier analyze`` spawns) does not pay for the
catalog, the readers and the near-duplicate index.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalog import Catalog, NotFound
    from .model import Article, IngestReport, InputError, QueryError, SearchHit
    from .sources import ReadOptions

_HOMES = {
    "Article": ".model",
    "Catalog": ".catalog",
    "IngestReport": ".model",
    "InputError": ".model",
    "NotFound": ".catalog",
    "QueryError": ".model",
    "ReadOptions": ".sources",
    "SearchHit": ".model",
}

__all__ = [
    "Article",
    "Catalog",
    "IngestReport",
    "InputError",
    "NotFound",
    "QueryError",
    "ReadOptions",
    "SearchHit",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'dossier' has no attribute {name!r}")
    value = getattr(import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
