"""Storage: the only code that speaks SQL. ``SQLiteStore`` is the default backend."""

from .sqlite import SQLiteStore

__all__ = ["SQLiteStore"]
