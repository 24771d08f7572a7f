"""What reaches ask-sdk: an envelope of bounded depth whose session carries only the skill's sealed state.

Why before the SDK and not in a handler: ask-sdk deep-copies the session
attributes before any interceptor or handler runs (a value nested 500 deep
raises RecursionError there), and whatever they hold is sent back whole in the
response (30 KB of junk made a response Alexa refuses). The skill reads its
state back from one attribute, the sealed token (``skill/alexa/seal.py``); the
readable copy beside it is for people and tools, never read. So only the token
passes, a string of bounded length (what the SDK copies is one flat string),
and attributes with the skill's names but no token pass as a missing token,
which is refused; ``new`` is made a plain boolean (anything but false is a new
session). Whether the token may be read is the seal's decision (through
``Turn``): never in a new session, and only what this skill sealed for this
session and this person.

``clean_event`` never changes the caller's event: it returns a shallow copy.
"""

from __future__ import annotations

from typing import Iterable

from .seal import SEALED_KEY
from .turn import SESSION_KEYS

MAX_DEPTH = 64  # nesting of the whole envelope; Alexa's own requests are under 15 levels deep
MAX_SEALED_CHARS = 4096  # the token; the skill's own are under 1,500 characters with every question answered
SKILLS_ATTRIBUTES = frozenset(SESSION_KEYS)


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


def kept_attributes(session: dict) -> dict:
    """The sealed token of ``session``, if it carries any attribute the skill writes: a token that is missing, not
    a string or too long is kept as None, which the seal refuses. Nothing else passes."""
    attributes = session.get("attributes")
    if not isinstance(attributes, dict) or SKILLS_ATTRIBUTES.isdisjoint(attributes):
        return {}
    token = attributes.get(SEALED_KEY)
    return {SEALED_KEY: token if type(token) is str and len(token) <= MAX_SEALED_CHARS else None}


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
