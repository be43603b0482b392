"""dossier: a catalog of who is written about, where, by whom, in whose words."""

from .catalog import Catalog, NotFound
from .model import Article, IngestReport, InputError, QueryError, SearchHit
from .sources import ReadOptions

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
