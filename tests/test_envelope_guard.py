"""What the Lambda entry point lets through to ask-sdk, with real envelopes through the real handler.

A new session starts with the emergency questions whatever it carries; only the
attributes the skill writes survive a turn, each small; a value nested hundreds
deep is an answer, not a crash; and no response is ever over Alexa's 24 KB.
"""

from __future__ import annotations

import json

import pytest
from conftest import AFTER_MID, HANDLER, check_response_shape, mid_triage, speech_text

from skill.alexa import response_limit
from skill.alexa.envelope_guard import MAX_SEALED_CHARS, clean_event
from skill.alexa.seal import sealed
from skill.alexa.turn import SESSION_KEYS
from skill.local.envelopes import SCREEN_INTERFACES, Session

ALEXA_LIMIT = 24 * 1024
MID_TRIAGE = mid_triage()  # past the emergency questions
SAFETY_NET = "call 911 right away"


def nested(depth: int) -> dict:
    value: dict = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


def mid_session(attributes: dict) -> Session:
    """A running session carrying ``attributes``: those the skill writes sealed for it, as the skill seals them,
    and any others added after."""
    session = Session()
    session.absorb(HANDLER(session.launch(), None))
    own = {k: v for k, v in attributes.items() if k in SESSION_KEYS}
    session.attributes = {**sealed(own, session.session_id, session.user_id),
                          **{k: v for k, v in attributes.items() if k not in SESSION_KEYS}}
    return session


def answer(event: dict) -> dict:
    response = HANDLER(event, None)
    check_response_shape(response)
    assert len(json.dumps(response)) <= ALEXA_LIMIT
    return response


def asked(response: dict) -> str | None:
    return ((response.get("sessionAttributes") or {}).get("triage") or {}).get("q")


@pytest.mark.parametrize("name", ["triage", "offer", "junk", "sealed"])
def test_a_session_attribute_nested_500_deep_gets_an_answer_not_a_recursion_error(name, en_us):
    session = mid_session(MID_TRIAGE)
    session.attributes[name] = nested(500)
    response = answer(session.intent("AMAZON.NoIntent"))
    if name == "sealed":  # the token is damaged: the triage starts again
        assert asked(response) == "heart_pain"
        assert speech_text(response).endswith(en_us.questions["heart_pain"]["ask"])
    else:  # the readable copy, or junk: never read, so the triage goes on
        assert asked(response) == AFTER_MID


def test_the_largest_state_the_skill_can_write_passes_the_guard():
    from skill.triage import default_protocol

    protocol = default_protocol()
    longest = max(protocol.ranks, key=len)
    state = {"triage": {"v": 2, "q": max((q.id for q in protocol.questions), key=len), "m": 2, "c": 1, "f": longest,
                        "a": [[q.id, 1, 1] for q in protocol.questions]},
             "offer": {"kind": "appointment_reminder", "question": "x" * 20, "since": "2026-12-31", "outcome": longest,
                       "misses": 2},
             "disposition": longest, "since": "2026-12-31", "forgotten": True, "recalled": True}
    session = Session()
    event = session.intent("AMAZON.NoIntent")
    event["session"].update(new=False, attributes=sealed(state, session.session_id, session.user_id))
    assert len(event["session"]["attributes"]["sealed"]) <= MAX_SEALED_CHARS // 2  # with room to grow
    assert clean_event(event)["session"]["attributes"] == {"sealed": event["session"]["attributes"]["sealed"]}


@pytest.mark.parametrize("request_type", ["IntentRequest", "LaunchRequest"])
def test_a_new_session_carrying_mid_triage_state_still_starts_with_the_emergency_questions(request_type, en_us):
    session = Session()
    session.attributes = dict(MID_TRIAGE)  # session.new stays true, as for any first request
    event = session.launch() if request_type == "LaunchRequest" else session.intent("AMAZON.NoIntent")
    response = answer(event)
    assert asked(response) == "heart_pain"
    assert speech_text(response).endswith(en_us.questions["heart_pain"]["ask"])


def test_a_new_flag_that_is_not_false_counts_as_a_new_session():
    session = mid_session(dict(MID_TRIAGE))
    event = session.intent("AMAZON.NoIntent")
    event["session"]["new"] = "false"
    assert asked(answer(event)) == "heart_pain"


def test_a_running_session_keeps_its_triage_state_and_drops_attributes_the_skill_never_wrote():
    session = mid_session({**MID_TRIAGE, "junk": "x" * 30_000, "padding": ["y" * 1000] * 30})
    response = answer(session.intent("AMAZON.NoIntent"))
    assert asked(response) == AFTER_MID  # the question after that one: the state was kept
    assert set(response["sessionAttributes"]) <= set(SESSION_KEYS)


def test_an_attribute_the_skill_writes_but_30_kb_long_is_dropped_not_echoed_and_its_state_refused():
    session = mid_session({**MID_TRIAGE, "since": "2026-11-01" + "x" * 30_000})
    response = answer(session.intent("AMAZON.NoIntent"))
    assert asked(response) == "heart_pain"  # the token is too long to be one the skill wrote: the triage starts again
    assert "since" not in response["sessionAttributes"]


def test_a_readable_copy_30_kb_long_is_dropped_not_echoed_and_the_sealed_state_goes_on():
    session = mid_session(MID_TRIAGE)
    session.attributes["since"] = "2026-11-01" + "x" * 30_000
    response = answer(session.intent("AMAZON.NoIntent"))
    assert asked(response) == AFTER_MID
    assert "since" not in response["sessionAttributes"]


def test_an_envelope_nested_too_deep_elsewhere_gets_the_spoken_error_with_the_safety_net():
    event = Session().launch()
    event["request"]["extra"] = nested(1000)
    response = answer(event)
    assert SAFETY_NET in speech_text(response)
    assert response["response"]["shouldEndSession"] is True


def test_the_guard_never_changes_the_callers_event():
    session = mid_session({**MID_TRIAGE, "junk": 1})
    event = session.intent("AMAZON.NoIntent")
    before = json.dumps(event)
    cleaned = clean_event(event)
    assert json.dumps(event) == before
    assert cleaned["session"]["attributes"] == {"sealed": event["session"]["attributes"]["sealed"]}


def test_a_response_that_would_pass_24_kb_is_sent_without_its_screen_and_still_asks(monkeypatch, en_us):
    """A screen document that grew too big must not silence the question on an Echo Show."""
    import skill.alexa.turn as turn

    monkeypatch.setattr(turn, "apl_document", lambda name: {"type": "APL", "padding": "z" * 30_000})
    session = Session(interfaces=SCREEN_INTERFACES)
    response = answer(session.launch())
    assert "directives" not in response["response"]
    assert speech_text(response).endswith(en_us.questions["heart_pain"]["ask"])


def test_a_response_that_cannot_be_slimmed_under_the_limit_becomes_the_spoken_error():
    big = {"version": "1.0", "sessionAttributes": {"triage": "x" * 30_000},
           "response": {"outputSpeech": {"type": "SSML", "ssml": "<speak>Next question?</speak>"}, "card": {}}}
    spoken_error = {"version": "1.0", "response": {"outputSpeech": {"type": "SSML", "ssml": "<speak>Sorry</speak>"},
                                                   "shouldEndSession": True}}
    assert response_limit.fit(big, lambda: spoken_error) is spoken_error
    small = {"version": "1.0", "response": {}}
    assert response_limit.fit(small, lambda: spoken_error) is small
