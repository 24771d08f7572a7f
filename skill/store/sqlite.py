"""An embedded store in one SQLite file (standard library), so ``python -m skill chat`` remembers across runs.

Expired rows are swept on every save, standing in for DynamoDB's TTL. The file
is ``BACK_PAIN_CHECK_DB`` when set, else ``$XDG_STATE_HOME/back-pain-check/memory.sqlite3``
(``~/.local/state/...`` when XDG_STATE_HOME is unset).
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from .port import EXPIRES_AT, Store, StoreError, epoch

DB_ENV = "BACK_PAIN_CHECK_DB"
SCHEMA = """CREATE TABLE IF NOT EXISTS memory (
    user_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    item TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (user_key, kind)
)"""


def default_path() -> Path:
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser()
    state_home = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(state_home) / "back-pain-check" / "memory.sqlite3"


class SqliteStore(Store):
    name = "sqlite"

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_path()

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=1.0)
            connection.execute(SCHEMA)
            return connection
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(type(exc).__name__) from exc

    def _run(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        connection = self._connect()
        try:
            with connection:
                return connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(type(exc).__name__) from exc
        finally:
            connection.close()

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
        self._run("DELETE FROM memory WHERE expires_at <= ?", (epoch(now),))

    def put(self, key: str, kind: str, item: dict) -> None:
        self._run("INSERT OR REPLACE INTO memory (user_key, kind, item, expires_at) VALUES (?, ?, ?, ?)",
                  (key, kind, json.dumps(item, sort_keys=True), int(item[EXPIRES_AT])))

    def delete(self, key: str, kind: str) -> None:
        self._run("DELETE FROM memory WHERE user_key = ? AND kind = ?", (key, kind))

    def delete_all(self, key: str) -> None:
        self._run("DELETE FROM memory WHERE user_key = ?", (key,))
