"""Session state sealed by this skill, for this session and this person: anything else is refused.

Alexa echoes back the session attributes a skill wrote, but whoever can sign as
Alexa or invoke the function can send any: another session's state (past the
emergency questions), another person's, an edited one, a forged offer. So the
skill reads its state back from one attribute only, ``sealed``: a token that
carries the state's own JSON bytes and their seal,

    base64url(compact JSON of the state) "." base64url(HMAC-SHA256(key, ids and first part))

where the ids are the session id and the user id, each as a JSON string, then a
line break. The seal is over exactly the characters received, so checking it is
one HMAC and reading it one ``json.loads``: no canonical re-encoding, and the
attributes the SDK deep-copies on every request are one string. The token is
read only when its seal is this skill's, for this session and this user, in a
session that is not new; else the state is refused
(``Turn`` then starts the triage again at the emergency questions and logs one
line, with no content and no ids). A request that carries the skill's
attributes without a token is refused too (``envelope_guard`` passes it on as
a missing token).

Beside the token the reply carries the same state readable (``triage``,
``offer``, ``disposition``, ...), for people and tools that read the skill's
replies (the test console, the chat, the NLU evaluation); the skill never
reads it back: ``envelope_guard`` drops it before the SDK sees the request.

The key is derived from the salt secret the store already keeps
(``skill.store.salt``): on Lambda the Secrets Manager secret, read once per
process on the first request that needs it; a self-hosted server's
``USER_KEY_SALT``. With no salt configured (the chat, tests, the emulator,
replays), a development key anyone can read: local only. When the secret cannot
be read, the process seals with a random key of its own until a later read
works (tried again after ``RETRY_SECONDS``): the triage goes on, and a request
that lands on another process starts again at the emergency questions.

Only ``Turn`` calls this module (and ``envelope_guard`` names its attribute).
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import os
import threading
import time
from json.encoder import encode_basestring_ascii
from typing import Callable

from skill.store.errors import StoreError
from skill.store.salt import Salt

log = logging.getLogger(__name__)

SEALED_KEY = "sealed"  # the session attribute that carries the sealed state, the only one read back
# the key used where no salt is configured: in the repository, so it protects nothing (bandit B105)
DEV_SALT = b"back-pain-check: local development only"  # nosec B105
PURPOSE = b"back-pain-check session seal v2"  # the salt keys stored records too: a derived key for this use
RETRY_SECONDS = 30.0


# made once: json.dumps builds a new encoder on every call that passes an option (this runs every request)
_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def _json(value: str | None) -> str:
    """``value`` as a JSON string (or null): quoted, so where it ends is never in doubt."""
    return "null" if value is None else encode_basestring_ascii(value)  # json.dumps' own C quoting, minus its setup


def keyed(key: bytes) -> hmac.HMAC:
    """HMAC-SHA256 with ``key`` set up once: each seal copies it (no key schedule, no digest look-up per seal)."""
    return hmac.new(key, digestmod="sha256")


def mac(key: hmac.HMAC, body: bytes, session_id: str | None, user_id: str | None) -> str:
    """The seal of ``body`` (the token's first part, as sent) for this session and user.

    The ids go first, each a JSON string, so no session or user id can shift characters into the body."""
    sealing = key.copy()
    sealing.update(f"{_json(session_id)}{_json(user_id)}\n".encode("ascii") + body)
    return base64.urlsafe_b64encode(sealing.digest()).decode("ascii")


class Sealer:
    """Seals the state into a token, and opens a token, with the key derived from ``salt``."""

    def __init__(self, salt: Salt, clock: Callable[[], float] = time.monotonic):
        self.salt, self.clock = salt, clock
        self._key: hmac.HMAC | None = None
        self._fallback: hmac.HMAC | None = None
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def _secret_key(self) -> hmac.HMAC | None:
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
        self._key = keyed(hmac.digest(salt or DEV_SALT, PURPOSE, "sha256"))
        return self._key

    def _keys(self) -> list[hmac.HMAC]:
        key = self._secret_key()
        return [k for k in (key, self._fallback) if k is not None]

    def seal(self, state: dict, session_id: str | None, user_id: str | None) -> str:
        """The token carrying ``state`` for this session and user."""
        key = self._secret_key()
        if key is None:
            with self._lock:
                if self._fallback is None:
                    self._fallback = keyed(os.urandom(32))  # secrets.token_bytes' source, without importing random
                key = self._fallback
        body = base64.urlsafe_b64encode(_COMPACT.encode(state).encode("ascii"))
        return f"{body.decode('ascii')}.{mac(key, body, session_id, user_id)}"

    def open(self, token: object, session_id: str | None, user_id: str | None) -> dict | None:
        """The state ``token`` carries when this skill sealed it for this session and user; else None."""
        if not isinstance(token, str):
            return None
        body_text, _, seal = token.partition(".")
        try:
            body = body_text.encode("ascii")
            if not any(hmac.compare_digest(mac(key, body, session_id, user_id), seal) for key in self._keys()):
                return None
        except (TypeError, ValueError):  # not ASCII, or ids that are not JSON: nothing this skill wrote
            return None
        state = json.loads(base64.urlsafe_b64decode(body))  # sealed by this skill: its own JSON of a dict
        return state if isinstance(state, dict) else None


_sealers: dict[int, Sealer] = {}


def sealer() -> Sealer:
    """The process's sealer, over the process's salt (``Salt.shared``: the store reads the same one)."""
    salt = Salt.shared()
    found = _sealers.get(id(salt))
    if found is None or found.salt is not salt:
        found = _sealers[id(salt)] = Sealer(salt)
    return found


def sealed(state: dict, session_id: str | None, user_id: str | None, by: Sealer | None = None) -> dict:
    """What the skill sends back: ``state`` readable (never read back) and sealed; {} for no state. ``by``: the
    request's sealer, when it already has it (``sealer()`` reads the environment)."""
    state = {k: v for k, v in state.items() if k != SEALED_KEY}
    if not state:
        return {}
    return {**state, SEALED_KEY: (by or sealer()).seal(state, session_id, user_id)}


def unsealed(attributes: dict, new_session: bool, session_id: str | None, user_id: str | None,
             by: Sealer | None = None) -> dict | None:
    """The state sealed in ``attributes`` when this skill sealed it for this session and user; {} when there
    are no attributes; None when they must be refused (a new session, no token, a token not sealed for this)."""
    if not attributes:
        return {}
    if new_session:
        return None
    return (by or sealer()).open(attributes.get(SEALED_KEY), session_id, user_id)
