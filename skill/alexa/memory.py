"""What the skill may remember about the person making this request, through a store that may fail.

Handlers ask ``Memory`` and get plain answers (what was remembered, whether a
save or a deletion worked); a missing store, a missing user id, or a store
failure all read as "nothing remembered" or False, never an exception. The
Alexa user id is hashed here and goes no further.
"""

from __future__ import annotations

from datetime import date, datetime

from skill.store import FOLLOW_UP, RESUME, FollowUp, GuardedStore, Remembered, Resume, active_store, user_key


class Memory:
    def __init__(self, store: GuardedStore | None, user_id: str | None, now: datetime):
        self.store, self.now = store, now
        self.key = user_key(user_id) if user_id else None

    @classmethod
    def for_request(cls, user_id: str | None, now: datetime) -> "Memory":
        return cls(active_store(), user_id, now)

    @property
    def enabled(self) -> bool:
        """A store is configured, the person is known, and the store is not cooling down after a failure."""
        return self.store is not None and self.key is not None and self.store.available

    def recall(self) -> Remembered:
        return self.store.recall(self.key, self.now) if self.enabled else Remembered()

    def keep_resume(self, question: str) -> bool:
        return self.enabled and self.store.save(self.key, Resume(question), self.now)

    def keep_follow_up(self, first_reported: date, outcome: str) -> bool:
        return self.enabled and self.store.save(self.key, FollowUp(first_reported, outcome), self.now)

    def drop_resume(self) -> bool:
        return self.enabled and self.store.forget(self.key, RESUME)

    def drop_follow_up(self) -> bool:
        return self.enabled and self.store.forget(self.key, FOLLOW_UP)

    def forget_all(self) -> bool:
        """Delete everything stored for this person; True when nothing is left (or nothing could be stored)."""
        if self.store is None or self.key is None:
            return True
        return self.store.forget(self.key, None, even_if_cooling_down=True)
