"""What reaches ask-sdk: an envelope of bounded depth whose session carries only what this skill wrote.

Why before the SDK and not in a handler: ask-sdk deep-copies the session
attributes before any interceptor or handler runs (a value nested 500 deep
raises RecursionError there), and whatever they hold is sent back whole in the
response (30 KB of junk made a response Alexa refuses). Alexa only ever returns
the attributes the skill wrote, and a new session carries none: anything else
is stale or forged. So only the names in ``SESSION_KEYS`` pass, each small and
shallow, and ``new`` is made a plain boolean (anything but false is a new
session). Whether what passes may be read is the seal's decision
(``skill/alexa/seal.py``, through ``Turn``): never in a new session, and only
what this skill sealed for this session and this person.

``clean_event`` never changes the caller's event: it returns a shallow copy.
"""

from __future__ import annotations

import json
from typing import Iterable

from .turn import SESSION_KEYS

MAX_DEPTH = 64  # nesting of the whole envelope; Alexa's own requests are under 15 levels deep
MAX_ATTRIBUTE_DEPTH = 8  # one session attribute; the skill's own are at most 2 levels deep
MAX_ATTRIBUTE_BYTES = 2048  # one session attribute as JSON; the skill's own are under 200 bytes
ALLOWED_ATTRIBUTES = frozenset(SESSION_KEYS)
# json.dumps(value, allow_nan=False), made once: dumps builds a new encoder for every call with an option
_ATTRIBUTE_JSON = json.JSONEncoder(allow_nan=False)


class MalformedEnvelope(ValueError):
    """The event cannot be a request from Alexa; the message names the reason, never the content."""


def deeper_than(value: object, limit: int) -> bool:
    """True when lists and objects in ``value`` nest more than ``limit`` levels (without recursion).

    Runs on every request: plain loops, no generator (four times faster here).
    """
    stack = [(value, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        children: Iterable[object]
        if type(node) is dict:
            children = node.values()
        elif type(node) is list:
            children = node
        else:
            continue
        if depth > limit:
            return True
        depth += 1
        for child in children:
            if type(child) is dict or type(child) is list:
                push((child, depth))
    return False


def _small(value: object) -> bool:
    if deeper_than(value, MAX_ATTRIBUTE_DEPTH):
        return False
    try:
        return len(_ATTRIBUTE_JSON.encode(value)) <= MAX_ATTRIBUTE_BYTES
    except (TypeError, ValueError):  # NaN or infinity: not JSON Alexa could have echoed
        return False


def kept_attributes(session: dict) -> dict:
    """The attributes of ``session`` with a name the skill writes, each small (the seal decides the rest)."""
    attributes = session.get("attributes")
    if not isinstance(attributes, dict):
        return {}
    return {name: value for name, value in attributes.items() if name in ALLOWED_ATTRIBUTES and _small(value)}


def clean_event(event: object) -> dict:
    """``event`` with its session attributes filtered; raises ``MalformedEnvelope`` if it is not an object,
    its session attributes are not one, or it nests deeper than ``MAX_DEPTH``."""
    if not isinstance(event, dict):
        raise MalformedEnvelope("not a JSON object")
    session = event.get("session")
    if isinstance(session, dict):
        if session.get("attributes") is not None and not isinstance(session["attributes"], dict):
            raise MalformedEnvelope("session attributes not an object")
        event = {**event, "session": {**session, "new": session.get("new") is not False,
                                      "attributes": kept_attributes(session)}}
    if deeper_than(event, MAX_DEPTH):
        raise MalformedEnvelope("nested too deep")
    return event
