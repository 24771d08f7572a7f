"""An in-process store: forgets everything when the process ends. For tests and ``--store memory``."""

from __future__ import annotations

import copy
import threading

from .port import EXPIRES_AT, Store, epoch


def _alive(expires_at, now) -> bool:
    return type(expires_at) is int and expires_at > epoch(now)


class MemoryStore(Store):
    name = "memory"

    def __init__(self) -> None:
        self._items: dict[tuple[str, str], dict] = {}
        self._lock = threading.Lock()

    def items(self, key: str) -> dict[str, dict]:
        with self._lock:
            return {kind: copy.deepcopy(item) for (k, kind), item in self._items.items() if k == key}

    def put(self, key: str, kind: str, item: dict) -> None:
        with self._lock:
            self._items[(key, kind)] = copy.deepcopy(item)

    def delete(self, key: str, kind: str) -> None:
        with self._lock:
            self._items.pop((key, kind), None)

    def delete_all(self, key: str) -> None:
        with self._lock:
            for stored in [k for k in self._items if k[0] == key]:
                del self._items[stored]

    def sweep(self, now) -> None:
        with self._lock:
            for stored in [k for k, item in self._items.items() if not _alive(item.get(EXPIRES_AT), now)]:
                del self._items[stored]

    def __len__(self) -> int:
        return len(self._items)
