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

Several processes may share the file (a chat and a local server, tests): the
database is in WAL mode (readers never wait for a writer) with a busy timeout,
and a statement that still finds the database locked is retried
(``ATTEMPTS``, with a short pause) before it counts as a failure, which would
switch memory off for a while (``skill.store.guard``).

A file that is not a database, fails SQLite's quick check, or is empty although
it is older than a few seconds (truncated: whatever it held is gone) is moved aside as
``<name>.damaged-<epoch>`` (with its WAL files) and a fresh one is started; one
warning line says so, naming the file it was moved to and nothing in it.
"""

from __future__ import annotations

import json
import logging
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
BUSY_TIMEOUT_SECONDS = 1.0  # how long one statement waits for another process's write lock
ATTEMPTS = 3  # a statement still locked out after the busy timeout is tried again, twice
RETRY_PAUSE_SECONDS = 0.05
# An empty file is a new database while its creator writes the schema (milliseconds); older than this, it
# is one that lost its content.
EMPTY_GRACE_SECONDS = 5.0
log = logging.getLogger(__name__)
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
            if _truncated(self.path):
                self._move_aside("empty")
            connection = self._open()
            if connection is None:  # damaged: moved aside, and a fresh file in its place
                make_private(self.path)
                connection = self._open()
                if connection is None:
                    raise sqlite3.DatabaseError("the database cannot be opened even fresh")
            self._connection, self._pid = connection, os.getpid()
        return self._connection

    def _open(self) -> sqlite3.Connection | None:
        """A connection to a healthy database with the schema in place; None after moving a damaged file aside."""
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)
        try:
            check = connection.execute("PRAGMA quick_check").fetchone()
            if check != ("ok",):
                raise sqlite3.DatabaseError("quick_check failed")
            connection.execute("PRAGMA journal_mode=WAL")
            for statement in SCHEMA:
                connection.execute(statement)
            return connection
        except sqlite3.OperationalError:  # locked, busy, read-only: the file may be fine; not moved aside
            connection.close()
            raise
        except sqlite3.DatabaseError:  # "file is not a database", "database disk image is malformed"
            connection.close()
            self._move_aside("damaged")
            return None

    def _move_aside(self, why: str) -> None:
        aside = self.path.with_name(f"{self.path.name}.damaged-{int(time.time())}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                os.replace(source, Path(f"{aside}{suffix}"))
        log.warning("sqlite store %s: moved aside to %s, starting a new one", why, aside.name)

    def _run(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        with self._lock:
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    connection = self._connect()
                    with connection:
                        return connection.execute(sql, parameters).fetchall()
                except sqlite3.OperationalError as exc:
                    if attempt == ATTEMPTS or not _locked(exc):
                        raise StoreError(type(exc).__name__) from exc
                    time.sleep(RETRY_PAUSE_SECONDS * attempt)
                except sqlite3.DatabaseError as exc:  # damaged under us: checked (and moved aside) on the next open
                    self._drop_connection()
                    raise StoreError(type(exc).__name__) from exc
                except (OSError, sqlite3.Error) as exc:
                    raise StoreError(type(exc).__name__) from exc
        raise StoreError("unreachable")  # the loop returns or raises

    def _drop_connection(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None

    def close(self) -> None:
        with self._lock:
            self._drop_connection()

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


def _locked(exc: sqlite3.OperationalError) -> bool:
    """Another connection holds the lock (SQLITE_BUSY or SQLITE_LOCKED): worth trying again."""
    return "locked" in str(exc) or "busy" in str(exc)


def _truncated(path: Path) -> bool:
    """An empty database file that nobody is creating right now: it was cut to nothing, not made new."""
    status = path.stat()
    return status.st_size == 0 and time.time() - status.st_mtime > EMPTY_GRACE_SECONDS
