"""Per-process caches of packs: compiled versions, checked files and the published version.

Versions never change once stored, so a compiled pack is kept by its files' fingerprint. The
caches are bounded (drafts would otherwise grow them without end) and shared by the threads
of a process, hence the lock around every access.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, MutableMapping
from typing import TypeVar

from cachetools import LRUCache

from advisor.engine.loader import CheckedFile

K = TypeVar("K")
V = TypeVar("V")

COMPILED_MAX = 16  # compiled packs (~1 MB each): the published one, drafts being edited
FILES_MAX = 512  # checked files: every file of a few packs, plus the latest edits
PUBLISHED_TTL = 2.0  # seconds a process trusts its idea of which version is published


class LockedLRU(MutableMapping[K, V]):
    """A bounded least-recently-used mapping that several threads may share."""

    def __init__(self, maxsize: int) -> None:
        self._data: LRUCache[K, V] = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()

    def __getitem__(self, key: K) -> V:
        with self._lock:
            return self._data[key]

    def __setitem__(self, key: K, value: V) -> None:
        with self._lock:
            self._data[key] = value

    def __delitem__(self, key: K) -> None:
        with self._lock:
            del self._data[key]

    def __iter__(self) -> Iterator[K]:
        with self._lock:
            return iter(list(self._data))

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The cached value, or `make()` stored (computed outside the lock)."""
        found = self.get(key)
        if found is None:
            found = make()
            self[key] = found
        return found

    @property
    def maxsize(self) -> int:
        return int(self._data.maxsize)


compiled_packs: LockedLRU = LockedLRU(COMPILED_MAX)
checks: LockedLRU = LockedLRU(COMPILED_MAX)
checked_files: LockedLRU[tuple[str, str | bytes], CheckedFile] = LockedLRU(FILES_MAX)
published: dict[str, tuple[float, object]] = {}


def clear() -> None:
    """Forget everything (tests that roll the database back need this)."""
    for cache in (compiled_packs, checks, checked_files):
        cache.clear()
    published.clear()
