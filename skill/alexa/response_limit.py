"""Alexa refuses a response over 24 KB, and the person then hears nothing: measure every one before it leaves.

A response that is too big loses what the person can do without, in order: the
screen (APL directives), then the card. If it is still too big it is replaced
by the spoken error, which says when to call the emergency number. The log line
says how big it was and what was dropped, never what it said.
"""

from __future__ import annotations

import json
import logging
from typing import Callable

log = logging.getLogger(__name__)
MAX_RESPONSE_BYTES = 24 * 1024  # Alexa's limit for the whole response envelope
SPARE = ("directives", "card")  # what a response can lose and still answer


# json.dumps' defaults, made once (this runs on every response); no circular check: a response is a tree the
# serializer has just built, never a structure that refers to itself
_JSON = json.JSONEncoder(check_circular=False)


def size(envelope: dict) -> int:
    """Bytes of the envelope as JSON, measured generously (ASCII escapes, spaced separators)."""
    return len(_JSON.encode(envelope))


def fit(envelope: dict, fallback: Callable[[], dict], limit: int = MAX_RESPONSE_BYTES) -> dict:
    """``envelope`` if it is within ``limit``; else a copy without what it can spare; else ``fallback()``."""
    original = size(envelope)
    if original <= limit:
        return envelope
    body = dict(envelope.get("response") or {})
    slimmed = {**envelope, "response": body}
    dropped = []
    for part in SPARE:
        if body.pop(part, None) is not None:
            dropped.append(part)
            if size(slimmed) <= limit:
                log.warning("response over %d bytes (%d): sent without %s", limit, original, ", ".join(dropped))
                return slimmed
    log.warning("response over %d bytes (%d): replaced by the spoken error", limit, original)
    return fallback()
