"""The store as the skill sees it: optional, bounded in time, and never able to break a conversation.

``GuardedStore`` wraps any ``Store``. Every call catches every failure
(unreachable, throttled, garbage) and reports it as a log line and a metric
that name the operation and the error class only: never a user key, an item,
or an answer. After a failure the store is skipped for ``COOL_DOWN_SECONDS``
in this process and for the rest of the request, so a dead table costs one
bounded timeout, not one per call or per turn. Callers get empty results or
False and carry on without resume or follow-up; the triage never waits on it.

Keys are salted here (``skill.store.salt``), inside the guard: the salt is read
on the first operation, and a salt that cannot be read is a store failure like
any other, so "forget me" never says it deleted what it could not find.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import datetime
from typing import Callable

from skill.observability import emit_metric, note_store

from .port import Record, Remembered, Store
from .salt import Salt

log = logging.getLogger(__name__)
COOL_DOWN_SECONDS = 30.0
FAILURES: Counter = Counter()  # (store name, operation) -> failures in this process, for tests and operators


class GuardedStore:
    def __init__(self, store: Store, clock: Callable[[], float] = time.monotonic,
                 cool_down: float = COOL_DOWN_SECONDS, salt: Salt | None = None):
        self.store, self.clock, self.cool_down = store, clock, cool_down
        self.salt = salt if salt is not None else Salt.shared()
        self._down_until = 0.0

    @property
    def name(self) -> str:
        return self.store.name

    @property
    def available(self) -> bool:
        """False while cooling down after a failure."""
        return self.clock() >= self._down_until

    def prepare(self) -> None:
        """Let the store set up before the first request; a failure here is a failure later, not now."""
        try:
            self.store.prepare()
            self.salt.prepare()
        except Exception as exc:
            log.warning("store not prepared: %s", type(exc).__name__)

    def reset(self) -> None:
        self._down_until = 0.0

    def _guarded(self, operation: str, call: Callable, default, even_if_cooling_down: bool = False):
        if not self.available and not even_if_cooling_down:
            log.info("store skipped: operation=%s reason=cooling_down", operation)
            note_store("skipped")
            return default
        try:
            result = call()
        except Exception as exc:  # any failure of the store degrades; none reaches the conversation
            self._down_until = self.clock() + self.cool_down
            report_failure(self.store.name, operation, exc)
            note_store("failed")
            return default
        note_store("ok")
        return result

    def recall(self, key: str, now: datetime) -> Remembered:
        return self._guarded("recall", lambda: self.store.recall(self.salt.key(key), now), Remembered())

    def alert_tokens(self, key: str, now: datetime) -> tuple[str, ...] | None:
        """The alert tokens of the reminders kept for ``key``; None when the store cannot be read. Tried even
        while cooling down: deleting a person's data needs them first."""
        return self._guarded("recall_reminders", lambda: self.store.recall(self.salt.key(key), now).alert_tokens,
                             None, even_if_cooling_down=True)

    def save(self, key: str, record: Record, now: datetime) -> bool:
        def save() -> bool:
            self.store.save(self.salt.key(key), record, now)
            return True

        return self._guarded(f"save_{type(record).__name__.lower()}", save, False)

    def forget(self, key: str, kind: str | None = None, even_if_cooling_down: bool = False) -> bool:
        """Forget one kind of record or (kind None) everything; a person's request to delete tries even
        while cooling down, because only a real deletion may be confirmed."""
        def forget() -> bool:
            self.store.forget(self.salt.key(key), kind)
            return True

        return self._guarded("forget_all" if kind is None else f"forget_{kind}", forget, False, even_if_cooling_down)


def report_failure(store: str, operation: str, exc: Exception) -> None:
    """A log line, and on Lambda a CloudWatch metric (embedded metric format), without user data."""
    error = str(exc) if type(exc).__name__ == "StoreError" else type(exc).__name__
    FAILURES[(store, operation)] += 1
    log.warning("store failed: store=%s operation=%s error=%s", store, operation, error)
    emit_metric("StoreFailure", {"Operation": operation})
