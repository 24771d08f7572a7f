"""Fuzzing the Lambda entry point with malformed and adversarial envelopes (hypothesis).

Whatever arrives, the handler answers with a response Alexa can read (it
deserialises into ask_sdk_model's ResponseEnvelope, within Alexa's 24 KB),
never an unhandled exception; a session whose attributes were tampered with
restarts the triage at the first, emergency, question rather than skipping any;
so does a new session, whatever state it carries; values nested hundreds deep
anywhere are answered too.

CI runs a hundred examples per test; a longer campaign runs outside CI with
``FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz.py`` (examples per test).
"""

from __future__ import annotations

import copy
import json
import os

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import ResponseEnvelope
from conftest import HANDLER, speech_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.alexa.turn import SESSION_KEYS
from skill.local.envelopes import Session
from skill.triage import default_protocol

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SERIALIZER = DefaultSerializer()
QUESTION_IDS = [q.id for q in default_protocol().questions]
FIRST_QUESTION = QUESTION_IDS[0]
SAFETY_NETS = ("right away", "Call 911 now", "Call your local emergency number now")
ALEXA_LIMIT = 24 * 1024

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                      st.text(max_size=50), st.text(min_size=5000, max_size=20000))
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=10)

INTENTS = ["AMAZON.YesIntent", "AMAZON.NoIntent", "UnsureIntent", "EmergencyIntent", "AMAZON.HelpIntent",
           "AMAZON.StopIntent", "AMAZON.FallbackIntent", "AMAZON.PreviousIntent", "NotAnIntent"]


def base_events():
    session = Session()
    return [session.launch(), session.intent("AMAZON.YesIntent"), session.intent("AMAZON.NoIntent"),
            session.session_ended("ERROR")]


PATHS = [
    ("version",), ("session",), ("session", "new"), ("session", "attributes"), ("session", "user"),
    ("session", "application"), ("context",), ("context", "System"), ("context", "System", "device"),
    ("context", "System", "application"), ("request",), ("request", "type"), ("request", "timestamp"),
    ("request", "locale"), ("request", "requestId"), ("request", "intent"), ("request", "reason"),
]


def mutate(event: dict, path: tuple, action: str, value):
    target = event
    for key in path[:-1]:
        if not isinstance(target, dict) or key not in target:
            return event
        target = target[key]
    if not isinstance(target, dict):
        return event
    if action == "delete":
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value
    return event


def assert_readable_answer(response) -> None:
    assert isinstance(response, dict)
    assert len(json.dumps(response)) <= ALEXA_LIMIT
    envelope = SERIALIZER.deserialize(json.dumps(response), ResponseEnvelope)
    assert envelope.response is not None
    if envelope.response.should_end_session and envelope.response.output_speech is not None:
        speech = speech_text(response)
        assert any(net in speech for net in SAFETY_NETS) or "?" not in speech


@pytest.fixture(autouse=True)
def _any_skill_id(monkeypatch):
    monkeypatch.delenv("SKILL_ID", raising=False)


@FUZZ
@given(which=st.integers(0, 3), edits=st.lists(st.tuples(st.sampled_from(PATHS), st.sampled_from(["delete", "set"]),
                                                         json_value), min_size=1, max_size=4))
def test_damaged_envelopes_always_get_a_readable_answer(which, edits):
    event = copy.deepcopy(base_events()[which])
    for path, action, value in edits:
        event = mutate(event, path, action, value)
    assert_readable_answer(HANDLER(event, None))


@FUZZ
@given(request_type=st.one_of(st.text(max_size=40), st.sampled_from([
    "CanFulfillIntentRequest", "System.ExceptionEncountered", "Alexa.Presentation.APL.UserEvent",
    "Display.ElementSelected", "AudioPlayer.PlaybackStarted", "Connections.Response", "Messaging.MessageReceived"])))
def test_unknown_or_unexpected_request_types_get_a_readable_answer(request_type):
    event = Session().launch()
    event["request"]["type"] = request_type
    assert_readable_answer(HANDLER(event, None))


@FUZZ
@given(event=json_value)
def test_arbitrary_json_gets_a_readable_answer(event):
    assert_readable_answer(HANDLER(event, None))


@FUZZ
@given(state=st.one_of(json_value, st.fixed_dictionaries({
    "v": st.one_of(st.just(1), json_value),
    "q": st.one_of(st.text(max_size=30), st.integers(-5, 50), json_value),
    "misses": st.one_of(st.integers(-3, 5), json_value),
}), st.fixed_dictionaries({"v": st.just(1), "done": st.sampled_from(["emergency", "self_care", "forged"]),
                            "why": json_value})),
    intent=st.sampled_from(INTENTS))
def test_tampered_state_restarts_safely_and_never_skips_questions(state, intent):
    session = Session()
    session.absorb(HANDLER(session.launch(), None))
    session.attributes = {"triage": state, "disposition": "self_care"}
    response = HANDLER(session.intent(intent), None)
    assert_readable_answer(response)
    attributes = response.get("sessionAttributes") or {}
    misses = state.get("misses", 0) if isinstance(state, dict) else None
    valid = (isinstance(state, dict) and state.get("v") == 1 and state.get("q") in QUESTION_IDS
             and type(misses) is int and 0 <= misses < 2)
    if not valid and intent not in ("EmergencyIntent", "AMAZON.StopIntent"):
        assert (attributes.get("triage") or {}).get("q") == FIRST_QUESTION
    if intent == "EmergencyIntent":
        assert attributes.get("disposition") == "emergency"


def nest(value, depth: int, in_lists: bool):
    for _ in range(depth):
        value = [value] if in_lists else {"k": value}
    return value


@FUZZ
@given(which=st.integers(0, 3), path=st.sampled_from(PATHS + [("session", "attributes", "triage"),
                                                             ("session", "attributes", "offer"),
                                                             ("session", "attributes", "junk")]),
       depth=st.integers(50, 3000), in_lists=st.booleans(), leaf=json_leaf)
def test_values_nested_hundreds_deep_anywhere_get_a_readable_answer(which, path, depth, in_lists, leaf):
    event = copy.deepcopy(base_events()[which])
    event["session"]["attributes"] = {"triage": {"v": 1, "q": "injury", "misses": 0}}
    assert_readable_answer(HANDLER(mutate(event, path, "set", nest(leaf, depth, in_lists)), None))


@FUZZ
@given(question=st.sampled_from(QUESTION_IDS), extra=st.dictionaries(st.text(max_size=10), json_value, max_size=3),
       intent=st.sampled_from(INTENTS), launch=st.booleans(), new=st.sampled_from([True, None, "false", 0, 1]))
def test_a_new_session_never_skips_the_emergency_questions_whatever_state_it_carries(question, extra, intent,
                                                                                   launch, new):
    session = Session()
    session.attributes = {**extra, "triage": {"v": 1, "q": question, "misses": 0}, "recalled": True}
    event = session.launch() if launch else session.intent(intent)
    if new is None:
        del event["session"]["new"]
    else:
        event["session"]["new"] = new
    response = HANDLER(event, None)
    assert_readable_answer(response)
    attributes = response.get("sessionAttributes") or {}
    assert set(attributes) <= set(SESSION_KEYS)
    if intent in ("AMAZON.YesIntent", "AMAZON.NoIntent", "UnsureIntent", "AMAZON.FallbackIntent") or launch:
        asked = (attributes.get("triage") or {}).get("q")
        assert asked == FIRST_QUESTION or attributes.get("disposition") == "emergency"
