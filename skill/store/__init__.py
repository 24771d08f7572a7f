"""Memory across sessions: the persistence port and its adapters.

The triage never depends on this package: with no store configured, or a store
that fails, the skill runs exactly as it does without memory (no resume, no
follow-up). ``active_store`` is the one place that decides which store a
process uses: the one set by ``use_store`` (the terminal chat, tests), else
DynamoDB when ``TABLE_NAME`` is set (Lambda, as template.yaml declares), else none.
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    from .dynamodb import DynamoDbStore
    from .guard import FAILURES, GuardedStore
    from .memory import MemoryStore
    from .port import (
        FOLLOW_UP,
        FOLLOW_UP_TTL,
        MAX_REMINDERS,
        REMINDERS,
        REMINDERS_TTL,
        RESUME,
        RESUME_TTL,
        FollowUp,
        Remembered,
        Reminders,
        Resume,
        Store,
        StoreError,
        user_key,
    )
    from .sqlite import SqliteStore

TABLE_ENV = "TABLE_NAME"  # the DynamoDB table, as template.yaml passes it to the function
# Each name's module, imported when the name is first used (PEP 562): a Lambda without a table, and a launch,
# which never reads memory, import none of the adapters, nor sqlite3 or hashlib for them.
_HOMES = {
    "DynamoDbStore": "dynamodb", "FAILURES": "guard", "GuardedStore": "guard", "MemoryStore": "memory",
    "SqliteStore": "sqlite", **dict.fromkeys((
        "FOLLOW_UP", "FOLLOW_UP_TTL", "MAX_REMINDERS", "REMINDERS", "REMINDERS_TTL", "RESUME", "RESUME_TTL",
        "FollowUp", "Remembered", "Reminders", "Resume", "Store", "StoreError", "user_key"), "port"),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)


__all__ = [
    "FOLLOW_UP", "FOLLOW_UP_TTL", "MAX_REMINDERS", "REMINDERS", "REMINDERS_TTL", "RESUME", "RESUME_TTL", "FAILURES",
    "DynamoDbStore", "FollowUp", "GuardedStore", "MemoryStore", "Reminders", "Remembered", "Resume", "SqliteStore",
    "Store", "StoreError", "active_store", "use_store", "user_key", "store_named", "reset",
]

_chosen: GuardedStore | None = None
_from_env: dict[str, GuardedStore] = {}


@overload
def use_store(store: Store) -> GuardedStore: ...


@overload
def use_store(store: None) -> None: ...


def use_store(store: Store | None) -> GuardedStore | None:
    """Make ``store`` this process's store (None: back to what the environment says)."""
    from .guard import GuardedStore

    global _chosen
    _chosen = GuardedStore(store) if store is not None else None
    return _chosen


def active_store() -> GuardedStore | None:
    if _chosen is not None:
        return _chosen
    table = os.environ.get(TABLE_ENV)
    if not table:
        return None
    if table not in _from_env:  # one client per table and process, reused across warm invocations
        from .dynamodb import DynamoDbStore
        from .guard import GuardedStore

        _from_env[table] = GuardedStore(DynamoDbStore(table))
    return _from_env[table]


def reset() -> None:
    """Forget every configured store and cool-down (tests)."""
    global _chosen
    _chosen = None
    _from_env.clear()
    from .salt import forget_shared

    forget_shared()


def store_named(name: str, path: str | None = None) -> Store:
    """A store for ``--store memory|sqlite|dynamodb``."""
    from .dynamodb import DynamoDbStore
    from .memory import MemoryStore
    from .sqlite import SqliteStore

    if name == "memory":
        return MemoryStore()
    if name == "sqlite":
        return SqliteStore(path)
    if name == "dynamodb":
        store = DynamoDbStore.from_env()
        if store is None:
            raise ValueError(f"--store dynamodb needs {TABLE_ENV} (and AWS_ENDPOINT_URL_DYNAMODB for a local one)")
        return store
    raise ValueError(f"unknown store {name!r}")
