"""An embedded store in one SQLite file (standard library), so ``python -m skill chat`` remembers across runs.

The file is ``BACK_PAIN_CHECK_DB`` when set, else
``$XDG_STATE_HOME/back-pain-check/memory.sqlite3`` (``~/.local/state/...`` when
XDG_STATE_HOME is unset). It holds health-related records of whoever used the
chat, so it is readable by its owner only: the file is 0600, a folder this
creates is 0700, and the default folder is kept 0700.

Standing in for DynamoDB's TTL, expired rows are swept at most every
``SWEEP_SECONDS`` (through an index on the expiry, not a scan), and reads skip
expired rows whether swept or not. One connection per store and process,
opened on first use (reopened after a fork).
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Callable

from .port import EXPIRES_AT, Store, StoreError, epoch

DB_ENV = "BACK_PAIN_CHECK_DB"
SWEEP_SECONDS = 300.0
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS memory (
    user_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    item TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (user_key, kind)
)""",
    "CREATE INDEX IF NOT EXISTS memory_expires_at ON memory (expires_at)",
)
SWEEP = "DELETE FROM memory WHERE expires_at <= ?"


def default_folder() -> Path:
    state_home = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(state_home) / "back-pain-check"


def default_path() -> Path:
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser()
    return default_folder() / "memory.sqlite3"


def make_private(path: Path) -> None:
    """Create ``path``'s folder 0700 (and keep the default folder 0700), and the file 0600, before SQLite opens it.

    SQLite gives its journal files the database file's permissions.
    """
    folder = path.parent
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True)
        os.chmod(folder, 0o700)  # whatever the umask
    elif folder == default_folder() and stat.S_IMODE(folder.stat().st_mode) != 0o700:
        os.chmod(folder, 0o700)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if stat.S_IMODE(os.fstat(descriptor).st_mode) & 0o077:
            os.fchmod(descriptor, 0o600)
    finally:
        os.close(descriptor)


class SqliteStore(Store):
    name = "sqlite"

    def __init__(self, path: str | Path | None = None, clock: Callable[[], float] = time.monotonic):
        self.path = Path(path) if path is not None else default_path()
        self.clock = clock
        self._connection: sqlite3.Connection | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._next_sweep = float("-inf")

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():
            make_private(self.path)
            connection = sqlite3.connect(self.path, timeout=1.0, check_same_thread=False)
            for statement in SCHEMA:
                connection.execute(statement)
            self._connection, self._pid = connection, os.getpid()
        return self._connection

    def _run(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        with self._lock:
            try:
                connection = self._connect()
                with connection:
                    return connection.execute(sql, parameters).fetchall()
            except (OSError, sqlite3.Error) as exc:
                raise StoreError(type(exc).__name__) from exc

    def close(self) -> None:
        with self._lock:
            if self._connection is not None and self._pid == os.getpid():
                self._connection.close()
            self._connection = None

    def items(self, key: str) -> dict[str, dict]:
        found = {}
        for kind, text in self._run("SELECT kind, item FROM memory WHERE user_key = ?", (key,)):
            try:
                item = json.loads(text)
            except ValueError:
                continue  # a damaged row reads as nothing, like any other garbage
            if isinstance(item, dict):
                found[kind] = item
        return found

    def sweep(self, now: datetime) -> None:
        if self.clock() < self._next_sweep:
            return
        self._run(SWEEP, (epoch(now),))
        self._next_sweep = self.clock() + SWEEP_SECONDS

    def put(self, key: str, kind: str, item: dict) -> None:
        self._run("INSERT OR REPLACE INTO memory (user_key, kind, item, expires_at) VALUES (?, ?, ?, ?)",
                  (key, kind, json.dumps(item, sort_keys=True), int(item[EXPIRES_AT])))

    def delete(self, key: str, kind: str) -> None:
        self._run("DELETE FROM memory WHERE user_key = ? AND kind = ?", (key, kind))

    def delete_all(self, key: str) -> None:
        self._run("DELETE FROM memory WHERE user_key = ?", (key,))
