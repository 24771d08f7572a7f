"""What the person said, read from the request in the core's terms: an answer, or a sign there or not.

Alexa's language understanding sends intents and slots; the skill trusts only
what it can check: a slot counts only with an entity-resolution match whose id
this skill generated (a question of the protocol, or an offer's statement).
Alexa also passes words it could not match (``ER_SUCCESS_NO_MATCH``): those are looked
at for an emergency first (``own_words``), then for which sign they speak of, there or not
(``which_sign``: never an emergency sign, and a denial answers only what the triage lets it).

``hear`` reads all of it once per request into a ``Heard``, whose ``key`` is what the
conversation table (``table``) is keyed on beside the moment: an answer, a sign of the
protocol, a statement that answers an offer, an emergency spotted in unmatched words, a
stray touch, a denial of a sign not made out, anything else not understood, or the name of any
other intent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, get_slot, is_request_type

from skill.triage import Answer

from . import intents
from .turn import Turn, turn_of

if TYPE_CHECKING:
    from .own_words import Spotted

USER_EVENT = intents.USER_EVENT
ANSWER_INTENTS = {intents.YES: Answer.YES, intents.NO: Answer.NO, intents.UNSURE: Answer.UNSURE}
SIGN_SLOTS = {intents.SIGN: (intents.SIGN_SLOT, intents.SAID_SLOT), intents.NO_SIGN: (intents.SIGN_SLOT,
                                                                                     intents.DENIED_SLOT)}
MATCHED = "ER_SUCCESS_MATCH"

# What was heard, beside the name of any other intent (``Heard.key``)
ANSWER = "answer"  # yes, no or not sure, said or touched
SIGN = "sign"  # a sign the protocol asks about, there or not, in a SignIntent or NoSignIntent
STATEMENT = "statement"  # a statement that answers an offer ("it's a bit better": ``intents.OFFER_CONCEPTS``)
SPOTTED = "spotted"  # words Alexa could not match that name an emergency (``own_words``)
TOUCH = "touch"  # a touch on a screen that is not an answer
DENIAL = "denial"  # words Alexa could not match that deny something, no sign made out ("my breathing's grand"),
# or an emergency spotted in them that the "here now?" table doubts ("the car crash was on the telly")
NOT_UNDERSTOOD = "not_understood"  # a sign or words this skill could not use, or a request that says nothing
HEARD_KINDS = (ANSWER, SIGN, STATEMENT, SPOTTED, TOUCH, DENIAL, NOT_UNDERSTOOD)
STATEMENTS = frozenset(intents.OFFER_CONCEPTS.values())


@dataclass(frozen=True)
class Sign:
    """A sign the person named: ``concept`` is a question id (or an offer's statement id); present or not."""

    concept: str
    present: bool


def intent_name(handler_input: HandlerInput) -> str | None:
    if not is_request_type("IntentRequest")(handler_input):
        return None
    name = get_intent_name(handler_input)  # typed str | bytes by ask-sdk; the model's intent name is a str
    return name if isinstance(name, str) else None


def answer_of(handler_input: HandlerInput) -> Answer | None:
    """Yes, no or not sure, said (an answer intent) or touched on a screen (``SendEvent ["answer", "yes"]``)."""
    name = intent_name(handler_input)
    if name is not None:
        return ANSWER_INTENTS.get(name)
    if is_request_type(USER_EVENT)(handler_input):
        arguments = getattr(handler_input.request_envelope.request, "arguments", None) or []
        if len(arguments) == 2 and arguments[0] == "answer" and arguments[1] in {a.value for a in Answer}:
            return Answer(arguments[1])
    return None


def sign_of(handler_input: HandlerInput) -> Sign | None:
    """The sign a SignIntent or NoSignIntent names, when Alexa matched it to one of this skill's values."""
    name = intent_name(handler_input)
    if name not in SIGN_SLOTS:
        return None
    for slot_name in SIGN_SLOTS[name]:
        concept = _resolved_id(handler_input, slot_name)
        if concept is not None:
            return Sign(concept, present=name == intents.SIGN)
    return None


@dataclass(frozen=True)
class Unmatched:
    """Words Alexa passed without a match. ``after_denial``: they came in a denial's carrier (NoSignIntent's
    ``sign``: "I don't have {sign}"), which held a denial Alexa did not pass. NoSignIntent's ``denied`` is a
    sample alone ("{denied}"), so its words are the whole statement, read like SignIntent's."""

    words: str
    after_denial: bool = False


def unmatched_words(handler_input: HandlerInput) -> Unmatched | None:
    """The words of a SignIntent or NoSignIntent that Alexa could not match to any of this skill's values
    (``ER_SUCCESS_NO_MATCH``, or no resolution at all): for ``own_words`` to look for an emergency in, and
    nothing else. None when a value matched, or for any other request."""
    name = intent_name(handler_input)
    if name not in SIGN_SLOTS or sign_of(handler_input) is not None:
        return None
    for slot_name in SIGN_SLOTS[name]:
        slot = get_slot(handler_input, slot_name)
        value = getattr(slot, "value", None)
        if isinstance(value, str) and value.strip():
            return Unmatched(value, after_denial=name == intents.NO_SIGN and slot_name == intents.SIGN_SLOT)
    return None


def _resolved_id(handler_input: HandlerInput, slot_name: str) -> str | None:
    slot = get_slot(handler_input, slot_name)
    authorities = getattr(getattr(slot, "resolutions", None), "resolutions_per_authority", None) or []
    for authority in authorities:
        code = getattr(getattr(getattr(authority, "status", None), "code", None), "value", None)
        if code != MATCHED:
            continue
        for value in authority.values or []:
            identifier = getattr(getattr(value, "value", None), "id", None)
            if isinstance(identifier, str) and identifier:
                return identifier
    return None


@dataclass(frozen=True)
class Heard:
    """What one request said, read once (``hear``): ``key`` for the table, and what the move needs."""

    key: str
    intent: str | None = None
    answer: Answer | None = None
    sign: Sign | None = None
    words: Unmatched | None = None
    spotted: Spotted | None = None


def hear(handler_input: HandlerInput) -> Heard:
    """What this request said, in the table's terms (a Connections.Response, a launch or an ending is not
    heard here: each has its own handler)."""
    name = intent_name(handler_input)
    answer = answer_of(handler_input)
    if answer is not None:
        return Heard(ANSWER, intent=name, answer=answer)
    if name is None:
        return Heard(TOUCH if is_request_type(USER_EVENT)(handler_input) else NOT_UNDERSTOOD)
    if name not in SIGN_SLOTS:
        return Heard(name, intent=name)
    turn = turn_of(handler_input)
    sign = sign_of(handler_input)
    if sign is not None:
        return _about(turn, name, sign)
    words = unmatched_words(handler_input)
    if words is None:
        return Heard(NOT_UNDERSTOOD, intent=name)
    # here: only words Alexa could not match need the spotter, the sign reader and their tables
    from .own_words import spotter_for
    from .which_sign import reader_for

    locale = turn.speech.text.locale
    spotter = spotter_for(locale)
    spotted = spotter.emergency(words.words, words.after_denial)
    if spotted is not None and spotter.doubts(words.words, spotted, words.after_denial):
        return Heard(DENIAL, intent=name, words=words)  # "long gone", "on the telly": yes or no, to be sure
    if spotted is not None:
        return Heard(SPOTTED, intent=name, words=words, spotted=spotted)
    reader = reader_for(locale)
    asking = turn.state.question if turn.state is not None else None
    reading = None if reader is None else reader.read(words.words, words.after_denial, asking)
    if reading is None:
        return Heard(NOT_UNDERSTOOD, intent=name, words=words)
    if reading.concept is None:
        return Heard(DENIAL, intent=name, words=words)
    return _about(turn, name, Sign(reading.concept, reading.present), words)


def _about(turn: Turn, name: str, sign: Sign, words: Unmatched | None = None) -> Heard:
    """A sign of the protocol, a statement that answers an offer, or (an id this protocol lacks) not understood."""
    if turn.machine.protocol.has_question(sign.concept):
        return Heard(SIGN, intent=name, sign=sign, words=words)
    return Heard(STATEMENT if sign.concept in STATEMENTS else NOT_UNDERSTOOD, intent=name, sign=sign, words=words)
