"""A small pool of open catalogs, one per concurrent request: SQLite connections stay
single-threaded at any moment, and nothing is shared between requests."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..catalog import Catalog


class CatalogPool:
    def __init__(self, path: str | Path, size: int = 4) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(
                f"no catalog at {self.path}; build one with `dossier ingest FOLDER --db {self.path}`"
            )
        self._idle: queue.LifoQueue[Catalog] = queue.LifoQueue()
        self._free: queue.Queue[None] = queue.Queue()
        for _ in range(size):
            self._free.put(None)
        self._all: list[Catalog] = []

    @contextmanager
    def catalog(self) -> Iterator[Catalog]:
        """An open catalog for this request's exclusive use; waits when all are busy."""
        self._free.get()
        try:
            opened = self._idle.get_nowait()
        except queue.Empty:
            opened = Catalog.open(self.path)
            self._all.append(opened)
        try:
            yield opened
        finally:
            self._idle.put(opened)
            self._free.put(None)

    def close(self) -> None:
        for opened in self._all:
            opened.close()
        self._all.clear()
