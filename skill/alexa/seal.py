"""Session state sealed by this skill, for this session and this person: anything else is refused.

Alexa echoes back the session attributes a skill wrote, but whoever can sign as
Alexa or invoke the function can send any: another session's state (past the
emergency questions), another person's, an edited one, a forged offer. So every
set of attributes the skill writes carries ``seal``: HMAC-SHA256 over the
canonical JSON of the attributes, the session id and the user id. A request's
attributes are read only when the seal is this skill's, over exactly these
attributes, for this session and this user, in a session that is not new; else
they are refused (``Turn`` then starts the triage again at the emergency
questions and logs one line, with no content and no ids).

The key is derived from the salt secret the store already keeps
(``skill.store.salt``): on Lambda the Secrets Manager secret, read once per
process on the first request that needs it; a self-hosted server's
``USER_KEY_SALT``. With no salt configured (the chat, tests, the emulator,
replays), a development key anyone can read: local only. When the secret cannot
be read, the process seals with a random key of its own until a later read
works (tried again after ``RETRY_SECONDS``): the triage goes on, and a request
that lands on another process starts again at the emergency questions.

The seal is 43 characters (base64url of 32 bytes); only ``Turn`` calls this module.
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import os
import secrets
import threading
import time
from typing import Callable

from skill.store.port import StoreError
from skill.store.salt import Salt

log = logging.getLogger(__name__)

SEAL_KEY = "seal"  # the session attribute that carries the seal
# the key used where no salt is configured: in the repository, so it protects nothing (bandit B105)
DEV_SALT = b"back-pain-check: local development only"  # nosec B105
PURPOSE = b"back-pain-check session seal v1"  # the salt keys stored records too: a derived key for this use
RETRY_SECONDS = 30.0


# made once: json.dumps builds a new encoder on every call that passes an option (this runs twice a request)
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def canonical(attributes: dict, session_id: str | None, user_id: str | None) -> bytes:
    """The bytes sealed: sorted keys, no spaces, ASCII only, so Alexa's round trip gives the same bytes."""
    return _CANONICAL.encode({"attributes": attributes, "session": session_id, "user": user_id}).encode("ascii")


def mac(key: bytes, attributes: dict, session_id: str | None, user_id: str | None) -> str:
    digest = hmac.digest(key, canonical(attributes, session_id, user_id), "sha256")  # OpenSSL's one-shot HMAC
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class Sealer:
    """Seals and checks session attributes with the key derived from ``salt``."""

    def __init__(self, salt: Salt, clock: Callable[[], float] = time.monotonic):
        self.salt, self.clock = salt, clock
        self._key: bytes | None = None
        self._fallback: bytes | None = None
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def _secret_key(self) -> bytes | None:
        """The key from the salt (the development key without one); None while the secret cannot be read."""
        if self._key is not None:
            return self._key
        if self.clock() < self._retry_at:
            return None
        try:
            salt = self.salt.value()
        except StoreError as exc:
            with self._lock:
                self._retry_at = self.clock() + RETRY_SECONDS
            log.warning("session seal: salt unreadable (%s), sealing with this process's own key", exc)
            return None
        if salt is None and os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
            log.warning("session seal: no salt configured on Lambda, using the development key")
        self._key = hmac.digest(salt or DEV_SALT, PURPOSE, "sha256")
        return self._key

    def _keys(self) -> list[bytes]:
        key = self._secret_key()
        return [k for k in (key, self._fallback) if k is not None]

    def seal(self, attributes: dict, session_id: str | None, user_id: str | None) -> str:
        key = self._secret_key()
        if key is None:
            with self._lock:
                if self._fallback is None:
                    self._fallback = secrets.token_bytes(32)
                key = self._fallback
        return mac(key, attributes, session_id, user_id)

    def verify(self, attributes: dict, seal: object, session_id: str | None, user_id: str | None) -> bool:
        if not isinstance(seal, str):
            return False
        try:
            return any(hmac.compare_digest(mac(key, attributes, session_id, user_id), seal) for key in self._keys())
        except (TypeError, ValueError):  # not JSON this skill could have written
            return False


_sealers: dict[int, Sealer] = {}


def sealer() -> Sealer:
    """The process's sealer, over the process's salt (``Salt.shared``: the store reads the same one)."""
    salt = Salt.shared()
    found = _sealers.get(id(salt))
    if found is None or found.salt is not salt:
        found = _sealers[id(salt)] = Sealer(salt)
    return found


def sealed(attributes: dict, session_id: str | None, user_id: str | None) -> dict:
    """``attributes`` with their seal: what the skill sends back."""
    unsealed = {k: v for k, v in attributes.items() if k != SEAL_KEY}
    if not unsealed:
        return {}
    return {**unsealed, SEAL_KEY: sealer().seal(unsealed, session_id, user_id)}


def unsealed(attributes: dict, new_session: bool, session_id: str | None, user_id: str | None) -> dict | None:
    """The attributes without their seal when this skill sealed them for this session and user; {} when there
    are none; None when they must be refused."""
    if not attributes:
        return {}
    if new_session:
        return None
    state = {k: v for k, v in attributes.items() if k != SEAL_KEY}
    if not sealer().verify(state, attributes.get(SEAL_KEY), session_id, user_id):
        return None
    return state
