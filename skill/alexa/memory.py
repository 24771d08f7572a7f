"""What the skill may remember about the person making this request, through a store that may fail.

Handlers ask ``Memory`` and get plain answers (what was remembered, whether a
save or a deletion worked); a missing store, a missing user id, or a store
failure all read as "nothing remembered" or False, never an exception. The
Alexa user id is hashed here and goes no further.

Forgetting everything also deletes the Alexa reminders the skill created,
through ``delete_reminders`` (given by the request, which holds the API
access): a deletion is confirmed only when they are gone too.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Callable

from skill.store import (
    FOLLOW_UP,
    RESUME,
    FollowUp,
    GuardedStore,
    Remembered,
    Reminders,
    Resume,
    user_key,
)

# alert tokens in, the tokens whose reminders could NOT be deleted out
DeleteReminders = Callable[[tuple[str, ...]], tuple[str, ...]]


def _cannot_delete(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tokens


class Memory:
    def __init__(self, store: GuardedStore | None, user_id: str | None, now: datetime,
                 delete_reminders: DeleteReminders = _cannot_delete):
        self.store, self.now = store, now
        self.key = user_key(user_id) if user_id else None
        self.delete_reminders = delete_reminders

    @property
    def enabled(self) -> bool:
        """A store is configured, the person is known, and the store is not cooling down after a failure."""
        return self._usable() is not None

    def _usable(self) -> tuple[GuardedStore, str] | None:
        """The store and this person's key when memory is enabled (see ``enabled``), else None."""
        if self.store is None or self.key is None or not self.store.available:
            return None
        return self.store, self.key

    def recall(self) -> Remembered:
        usable = self._usable()
        if usable is None:
            return Remembered()
        store, key = usable
        return store.recall(key, self.now)

    def _change(self, change: Callable[[GuardedStore, str], bool]) -> bool:
        """``change(store, key)``'s result when memory is usable; False (nothing changed) when it is not."""
        usable = self._usable()
        return change(*usable) if usable is not None else False

    def keep_resume(self, question: str) -> bool:
        return self._change(lambda store, key: store.save(key, Resume(question), self.now))

    def keep_follow_up(self, first_reported: date, outcome: str) -> bool:
        return self._change(lambda store, key: store.save(key, FollowUp(first_reported, outcome), self.now))

    def keep_reminder(self, alert_token: str) -> bool:
        """Add a reminder's alert token to those kept (so "delete my data" can delete the reminder)."""
        def add(store: GuardedStore, key: str) -> bool:
            tokens = store.alert_tokens(key, self.now)
            return tokens is not None and store.save(key, Reminders(tokens).adding(alert_token), self.now)
        return self._change(add)

    def drop_resume(self) -> bool:
        return self._change(lambda store, key: store.forget(key, RESUME))

    def drop_follow_up(self) -> bool:
        return self._change(lambda store, key: store.forget(key, FOLLOW_UP))

    def forget_all(self) -> bool:
        """Delete everything stored for this person, and the reminders the skill made for them.

        True when nothing is left (or nothing could be stored). A reminder that could not be
        deleted keeps its token, and only that, so that asking again can finish the job.
        """
        if self.store is None or self.key is None:
            return True
        tokens = self.store.alert_tokens(self.key, self.now)
        if tokens is None:  # the store cannot be read: nothing can be confirmed
            return False
        left = self.delete_reminders(tokens) if tokens else ()
        if not left:
            return self.store.forget(self.key, None, even_if_cooling_down=True)
        forgot = self.store.forget(self.key, None, even_if_cooling_down=True)
        if forgot:
            self.store.save(self.key, Reminders(tuple(left)), self.now)
        return False
