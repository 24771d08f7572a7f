"""The persistence port: what the skill may remember about a person, and for how long.

Three records at most per person, each the minimum its feature needs and each
with its own expiry:

- ``Resume``: the question an interrupted triage stopped at. Every earlier
  answer was "no" (see ``skill.triage.machine``), so no answer is kept.
  Expires one hour after it was saved.
- ``FollowUp``: the date the pain was first reported and the last outcome code,
  kept only when the person says yes to being checked in on. Expires 90 days
  after it was last saved.
- ``Reminders``: the alert tokens of the Alexa reminders the skill created (at
  most ``MAX_REMINDERS``, newest last), so that "delete my data" can delete
  them too. Nothing about the reminder itself. Expires 90 days after it was
  last saved, like the follow-up it goes with.

No utterances, no answers, no Alexa user id: the skill hands the store
``user_key`` (a SHA-256 of the user id), and the store keeps records under an
HMAC of that with a secret salt (``skill.store.salt``, applied by ``GuardedStore``).
Adapters store flat items of strings and integers (``to_item``) with a
top-level ``expires_at`` (epoch seconds, the DynamoDB TTL attribute) and give
back only items that have not expired; ``from_item`` turns anything malformed
into nothing rather than an exception.
"""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from datetime import date, datetime, timedelta
from typing import NamedTuple

from .errors import StoreError, error_code  # noqa: F401  # part of the port: its adapters raise and read them

RESUME = "resume"
FOLLOW_UP = "follow_up"
REMINDERS = "reminders"
KINDS = (RESUME, FOLLOW_UP, REMINDERS)
RESUME_TTL = timedelta(hours=1)
FOLLOW_UP_TTL = timedelta(days=90)
REMINDERS_TTL = FOLLOW_UP_TTL
MAX_REMINDERS = 5  # a reminder fires within weeks and Alexa drops it 3 days later; older tokens are let go
EXPIRES_AT = "expires_at"  # the TTL attribute: epoch seconds
_CODE = re.compile(r"[a-z_]{1,40}")  # question ids and disposition codes
_ALERT_TOKEN = re.compile(r"[A-Za-z0-9._:+/=-]{1,256}")


class Resume(NamedTuple):
    question: str


class FollowUp(NamedTuple):
    first_reported: date
    last_outcome: str


class Reminders(NamedTuple):
    alert_tokens: tuple[str, ...]

    def adding(self, alert_token: str) -> "Reminders":
        """These tokens and one more, the oldest let go beyond ``MAX_REMINDERS``."""
        return Reminders((*self.alert_tokens, alert_token)[-MAX_REMINDERS:])


class Remembered(NamedTuple):
    resume: Resume | None = None
    follow_up: FollowUp | None = None
    reminders: Reminders | None = None

    @property
    def alert_tokens(self) -> tuple[str, ...]:
        return self.reminders.alert_tokens if self.reminders else ()


Record = Resume | FollowUp | Reminders


def user_key(user_id: str) -> str:
    """The only form of the user id that leaves the skill; the store salts it (``skill.store.salt``)."""
    return hashlib.sha256(user_id.encode("utf-8")).hexdigest()


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def to_item(record: Record, now: datetime) -> tuple[str, dict]:
    """(kind, attributes) for a record saved at ``now``, its expiry included."""
    if isinstance(record, Resume):
        return RESUME, {"q": record.question, EXPIRES_AT: epoch(now + RESUME_TTL)}
    if isinstance(record, Reminders):
        if not all(_ALERT_TOKEN.fullmatch(token) for token in record.alert_tokens):
            raise ValueError("not an alert token")
        return REMINDERS, {"tokens": " ".join(record.alert_tokens), EXPIRES_AT: epoch(now + REMINDERS_TTL)}
    return FOLLOW_UP, {"since": record.first_reported.isoformat(), "last": record.last_outcome,
                       EXPIRES_AT: epoch(now + FOLLOW_UP_TTL)}


def from_item(kind: str, item: dict, now: datetime) -> Record | None:
    """The record in a stored item; None when it has expired or is not one ``to_item`` made."""
    try:
        expires_at = item[EXPIRES_AT]
        if type(expires_at) is not int or expires_at <= epoch(now):
            return None
        if kind == RESUME:
            question = item["q"]
            if not isinstance(question, str) or not _CODE.fullmatch(question):
                return None
            return Resume(question=question)
        if kind == FOLLOW_UP:
            since, last = date.fromisoformat(item["since"]), item["last"]
            if not isinstance(last, str) or not _CODE.fullmatch(last) or since > now.date():
                return None
            return FollowUp(first_reported=since, last_outcome=last)
        if kind == REMINDERS:
            tokens = tuple(item["tokens"].split(" "))
            if not 0 < len(tokens) <= MAX_REMINDERS or not all(_ALERT_TOKEN.fullmatch(t) for t in tokens):
                return None
            return Reminders(alert_tokens=tokens)
    except (AttributeError, KeyError, TypeError, ValueError, OverflowError, OSError):
        return None
    return None


class Store(ABC):
    """Four item operations; everything else is shared. Methods raise ``StoreError`` on failure."""

    name = "store"

    def prepare(self) -> None:  # noqa: B027 (a hook: most stores have nothing to set up)
        """Set up what the first call needs, without calling out (for a SnapStart snapshot)."""

    @abstractmethod
    def items(self, key: str) -> dict[str, dict]:
        """Every item stored under ``key``, by kind, expired or not."""

    @abstractmethod
    def put(self, key: str, kind: str, item: dict) -> None:
        """Write (replace) one item."""

    @abstractmethod
    def delete(self, key: str, kind: str) -> None:
        """Remove one item; no error if it is not there."""

    @abstractmethod
    def delete_all(self, key: str) -> None:
        """Remove every item stored under ``key``."""

    def sweep(self, now: datetime) -> None:  # noqa: B027 (a hook: DynamoDB's TTL sweeps by itself)
        """Remove every expired item, where the store has no TTL of its own (DynamoDB does)."""

    # ---- shared --------------------------------------------------------------
    def recall(self, key: str, now: datetime) -> Remembered:
        found = {kind: from_item(kind, item, now) for kind, item in self.items(key).items()}
        resume, follow_up, reminders = found.get(RESUME), found.get(FOLLOW_UP), found.get(REMINDERS)
        return Remembered(resume=resume if isinstance(resume, Resume) else None,
                          follow_up=follow_up if isinstance(follow_up, FollowUp) else None,
                          reminders=reminders if isinstance(reminders, Reminders) else None)

    def save(self, key: str, record: Record, now: datetime) -> None:
        kind, item = to_item(record, now)
        self.put(key, kind, item)
        self.sweep(now)

    def forget(self, key: str, kind: str | None = None) -> None:
        """Forget one kind of record, or everything when ``kind`` is None.

        Forgetting everything is checked by reading back: anything still stored under ``key`` (a delete
        that was acknowledged but did not happen, an item written meanwhile) is a ``StoreError``, so
        "deleted" is only ever said after a read found nothing left.
        """
        if kind is None:
            self.delete_all(key)
            if self.items(key):
                raise StoreError("NotDeleted")
        else:
            self.delete(key, kind)
