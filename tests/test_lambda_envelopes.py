"""What the Lambda entry point does with envelopes that are not a normal conversation."""

from __future__ import annotations

import copy

import pytest
from conftest import HANDLER, check_response_shape, speech_text

from skill.alexa.app import SkillIdRefused
from skill.local.envelopes import DEFAULT_SKILL_ID, Session

OTHER_SKILL = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"


def launch_event(**session_kwargs) -> dict:
    return Session(**session_kwargs).launch()


def assert_spoken_error_with_safety_net(response: dict) -> None:
    check_response_shape(response)
    assert response["response"]["shouldEndSession"] is True
    speech = speech_text(response)
    assert "something went wrong" in speech
    assert "call 911 right away" in speech or "call your local emergency number right away" in speech


def test_requests_for_another_skill_are_refused_when_skill_id_is_set(monkeypatch):
    monkeypatch.setenv("SKILL_ID", DEFAULT_SKILL_ID)
    assert "not a diagnosis" in speech_text(HANDLER(launch_event(), None))
    with pytest.raises(SkillIdRefused):
        HANDLER(launch_event(skill_id=OTHER_SKILL), None)


def test_any_skill_id_is_accepted_when_none_is_configured(monkeypatch):
    monkeypatch.delenv("SKILL_ID", raising=False)
    assert "not a diagnosis" in speech_text(HANDLER(launch_event(skill_id=OTHER_SKILL), None))


def _without(path):
    def mutate(event):
        *parents, last = path
        target = event
        for key in parents:
            target = target[key]
        del target[last]
    return mutate


MALFORMED = {
    "not a dict": lambda e: "hello",
    "empty dict": lambda e: {},
    "no request": _without(["request"]),
    "no context": _without(["context"]),
    "no application in context": _without(["context", "System", "application"]),
    "request is a string": lambda e: e.update(request="LaunchRequest"),
    "unknown request type": lambda e: e["request"].update(type="Alexa.Unknown.Thing"),
    "bad timestamp": lambda e: e["request"].update(timestamp="yesterday"),
    "intent without a name": lambda e: e["request"].update(type="IntentRequest", intent={}),
    "attributes not a dict": lambda e: e["session"].update(attributes=["x"]),
    "huge locale": lambda e: e["request"].update(locale="x" * 100_000),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_envelopes_get_a_spoken_error_with_the_safety_net_never_an_exception(name, monkeypatch):
    monkeypatch.delenv("SKILL_ID", raising=False)
    event = copy.deepcopy(launch_event())
    result = MALFORMED[name](event)
    event = result if result is not None else event
    response = HANDLER(event, None)
    if name in HARMLESS:
        check_response_shape(response)
        assert "not a diagnosis" in speech_text(response)
    else:
        assert_spoken_error_with_safety_net(response)


# Damage the skill can ignore: an unknown locale falls back, and a nameless intent is "not understood"
# (which starts the triage).
HARMLESS = {"intent without a name", "huge locale"}


def test_a_handler_failure_is_spoken_with_the_safety_net(monkeypatch):
    from skill.alexa import conversation

    def broken(self, handler_input):
        raise RuntimeError("boom")

    monkeypatch.setattr(conversation.ConversationHandler, "handle", broken)
    session = Session()
    session.absorb(HANDLER(session.launch(), None))
    response = HANDLER(session.intent("AMAZON.YesIntent"), None)
    assert_spoken_error_with_safety_net(response)


def test_unsupported_locale_uses_default_wording_but_never_911_alone():
    session = Session(locale="fr-FR")
    session.absorb(HANDLER(session.launch(), None))
    response = HANDLER(session.intent("EmergencyIntent"), None)
    speech = speech_text(response)
    assert speech.startswith("Call your local emergency number now.")
    assert "911" not in speech and "911" not in response["response"]["card"]["content"]
