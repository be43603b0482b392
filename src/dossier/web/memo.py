"""Remembered page data for the few pages that aggregate the whole catalog.

Each entry is kept with the catalog's stamp (see :func:`dossier.browse.stamp`) and reused
only while the stamp is unchanged, so a re-analysis or curation shows at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from .. import browse
from ..catalog import Catalog


class Memo:
    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._entries: dict[str, tuple[tuple[Any, ...], Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str, catalog: Catalog, compute: Callable[[], Any]) -> Any:
        current = browse.stamp(catalog)
        with self._lock:
            found = self._entries.get(key)
        if found is not None and found[0] == current:
            return found[1]
        value = compute()
        with self._lock:
            self._entries.pop(key, None)
            self._entries[key] = (current, value)
            while len(self._entries) > self.size:  # the oldest entry goes first
                del self._entries[next(iter(self._entries))]
        return value
