"""Sealed session state: only what the skill wrote, in this session, for this person, is read back.

Attributes are taken from real conversations through the real Lambda handler and then sent where they do
not belong: into another session, for another person, edited, without their seal, with a seal over other
content, or in a new session. Each is refused: the person hears a short "let's start again" and the first
emergency question, and one log line says state was refused, with no content and no ids. The readable copy
of the state beside the sealed token is never read: editing it changes nothing.
"""

from __future__ import annotations

import copy
import json
import logging

import pytest
from conftest import (
    EMERGENCY_QUESTIONS,
    FIRST_AFTER_EMERGENCY,
    HANDLER,
    SEALED,
    Conversation,
    check_response_shape,
    sealed_state,
    speech_text,
    with_token_state,
)

from skill.local.envelopes import Session
from skill.triage import default_locales

FIRST = EMERGENCY_QUESTIONS[0]
STATE_KEYS = ("triage", "offer", "disposition", "since", "forgotten", "recalled")


def past_the_emergency_questions(locale: str = "en-US", user_id: str | None = None) -> Conversation:
    person = Conversation(locale=locale)
    if user_id is not None:
        person.session.user_id = user_id
    person.launch()
    for _ in EMERGENCY_QUESTIONS:
        person.answer("no")
    assert person.question == FIRST_AFTER_EMERGENCY
    return person


def at_the_first_question(locale: str = "en-US") -> Conversation:
    person = Conversation(locale=locale)
    person.launch()
    assert person.question == FIRST
    return person


def refused_log_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "refused" in r.getMessage() and "state" in r.getMessage()]


def assert_refused(response: dict, caplog, locale: str = "en-US", *ids: str) -> None:
    """Started again: the phrase, then the first emergency question; one log line, naming nothing."""
    check_response_shape(response)
    text = default_locales()[locale]
    said = speech_text(response)
    assert said.startswith(text.phrases["start_again"]), said
    assert said.endswith(text.questions[FIRST]["ask"]), said
    assert response["response"]["shouldEndSession"] is False
    assert response["sessionAttributes"]["triage"]["q"] == FIRST
    assert [a for a in response["sessionAttributes"]["triage"]["a"]] == []
    lines = refused_log_lines(caplog)
    assert len(lines) == 1, [r.getMessage() for r in caplog.records]
    everything = " ".join(r.getMessage() for r in caplog.records)
    for value in ids:
        assert value not in everything


def yes_with(attributes: dict, session: Session) -> dict:
    """'Yes' sent in ``session`` carrying ``attributes`` (what an attacker or a bad day would send)."""
    session.attributes = copy.deepcopy(attributes)
    return HANDLER(session.intent("AMAZON.YesIntent"), None)


def test_a_sealed_state_goes_on_in_its_own_session():
    person = past_the_emergency_questions()
    assert SEALED in person.session.attributes
    assert sealed_state(person.session.attributes) == {k: v for k, v in person.session.attributes.items()
                                                       if k != SEALED}
    person.answer("no")
    assert person.question not in (FIRST, FIRST_AFTER_EMERGENCY)
    assert not person.speech.startswith(default_locales()["en-US"].phrases["start_again"])


def test_the_sealed_state_is_small():
    person = past_the_emergency_questions()
    token = person.session.attributes[SEALED]
    assert isinstance(token, str) and len(token) <= 400
    assert len(json.dumps(person.session.attributes)) < 800


def test_another_sessions_state_is_refused_and_the_yes_answers_the_first_emergency_question_again(caplog):
    """The issue's case: state from after the emergency questions, sent with "yes" while a new session asks
    about chest pain, must not let the yes answer a later question."""
    stolen = past_the_emergency_questions().session.attributes
    victim = at_the_first_question()
    with caplog.at_level(logging.INFO):
        response = yes_with(stolen, victim.session)
    assert_refused(response, caplog, "en-US", victim.session.session_id, victim.session.user_id)


def test_another_users_state_in_the_same_session_id_is_refused(caplog):
    other = past_the_emergency_questions(user_id="amzn1.ask.account.SOMEONEELSE")
    victim = at_the_first_question()
    victim.session.session_id = other.session.session_id  # even the same session id: the user differs
    with caplog.at_level(logging.INFO):
        response = yes_with(other.session.attributes, victim.session)
    assert_refused(response, caplog, "en-US", victim.session.user_id)


EDITS = {
    "question": lambda a: a["triage"].__setitem__("q", FIRST_AFTER_EMERGENCY),
    "answers": lambda a: a["triage"]["a"].pop(),
    "floor": lambda a: a["triage"].__setitem__("f", "routine"),
    "recalled": lambda a: a.__setitem__("recalled", True),
    "forged_offer": lambda a: a.__setitem__("offer", {"kind": "remember", "outcome": "self_care"}),
}


@pytest.mark.parametrize("edit", list(EDITS.values()), ids=list(EDITS))
def test_an_edited_sealed_state_is_refused(edit, caplog):
    person = past_the_emergency_questions()
    person.answer("no")
    state = sealed_state(person.session.attributes)
    edit(state)
    with caplog.at_level(logging.INFO):
        response = yes_with(with_token_state(person.session.attributes, state), person.session)
    assert_refused(response, caplog)


@pytest.mark.parametrize("edit", [
    lambda a: a.__setitem__(SEALED, a[SEALED][:-3] + ("AA=" if not a[SEALED].endswith("AA=") else "BB=")),
    lambda a: a.__setitem__(SEALED, a[SEALED].partition(".")[0]),
    lambda a: a.pop(SEALED),
    lambda a: a.__setitem__(SEALED, {"triage": a["triage"]}),
], ids=["seal_changed", "seal_cut_off", "token_missing", "token_not_a_string"])
def test_a_token_without_its_seal_is_refused(edit, caplog):
    person = past_the_emergency_questions()
    person.answer("no")
    attributes = copy.deepcopy(person.session.attributes)
    edit(attributes)
    with caplog.at_level(logging.INFO):
        response = yes_with(attributes, person.session)
    assert_refused(response, caplog)


@pytest.mark.parametrize("edit", list(EDITS.values()), ids=list(EDITS))
def test_the_readable_copy_is_never_read_so_editing_it_changes_nothing(edit, caplog):
    person = past_the_emergency_questions()
    person.answer("no")
    genuine = yes_with(person.session.attributes, copy.deepcopy(person.session))
    attributes = copy.deepcopy(person.session.attributes)
    edit(attributes)
    with caplog.at_level(logging.INFO):
        response = yes_with(attributes, person.session)
    assert response == genuine
    assert not refused_log_lines(caplog)


def test_a_seal_over_other_content_is_refused(caplog):
    """A genuine seal, lifted from one state of this very session onto another state."""
    person = at_the_first_question()
    early_seal = person.session.attributes[SEALED].partition(".")[2]
    person.answer("no")
    person.answer("no")
    body = person.session.attributes[SEALED].partition(".")[0]
    attributes = {**person.session.attributes, SEALED: f"{body}.{early_seal}"}
    with caplog.at_level(logging.INFO):
        response = yes_with(attributes, person.session)
    assert_refused(response, caplog)


@pytest.mark.parametrize("old_seal", [None, "N0r8YBfEXCHxQibNI2ezOw728H_mxiaIpiXr6pIMWAU"], ids=["unsealed", "seal_v1"])
def test_the_old_unsealed_or_first_format_state_is_refused(old_seal, caplog):
    """The state readable only (before issue 23), or with the first format's ``seal`` beside it."""
    person = at_the_first_question()
    attributes = {k: v for k, v in past_the_emergency_questions().session.attributes.items() if k != SEALED}
    if old_seal is not None:
        attributes["seal"] = old_seal
    with caplog.at_level(logging.INFO):
        response = yes_with(attributes, person.session)
    assert_refused(response, caplog)


@pytest.mark.parametrize("request_type", ["IntentRequest", "LaunchRequest"])
def test_a_new_session_with_attributes_is_refused_even_sealed_for_it(request_type, caplog):
    person = past_the_emergency_questions()
    session = person.session
    session.new = True  # the same session id and user, sealed for them: still, a new session carries nothing
    event = session.launch() if request_type == "LaunchRequest" else session.intent("AMAZON.YesIntent")
    with caplog.at_level(logging.INFO):
        response = HANDLER(event, None)
    assert_refused(response, caplog)


@pytest.mark.parametrize("locale", sorted(default_locales()))
def test_every_locale_says_it_is_starting_again_in_its_own_words(locale, caplog):
    stolen = past_the_emergency_questions(locale).session.attributes
    victim = at_the_first_question(locale)
    with caplog.at_level(logging.INFO):
        response = yes_with(stolen, victim.session)
    assert_refused(response, caplog, locale)


def test_a_refused_state_still_hears_an_emergency_said_in_own_words(caplog):
    stolen = past_the_emergency_questions().session.attributes
    victim = at_the_first_question()
    victim.session.attributes = copy.deepcopy(stolen)
    response = HANDLER(victim.session.intent("EmergencyIntent"), None)
    assert speech_text(response).startswith("Call 911 now.")
    assert response["response"]["shouldEndSession"] is True


def test_a_refused_state_is_never_echoed_back():
    stolen = past_the_emergency_questions().session.attributes
    victim = at_the_first_question()
    response = yes_with(stolen, victim.session)
    attributes = response["sessionAttributes"]
    assert set(attributes) <= {*STATE_KEYS, SEALED}
    assert "recalled" not in attributes and "offer" not in attributes


def test_a_request_replayed_in_its_own_session_goes_back_to_that_turn_and_skips_nothing():
    """A replay carries the state sealed at its turn, for this very session: the triage is where it was then
    (never further on), and the next question is the one after the replayed answer."""
    person = at_the_first_question()
    replayed = person.session.intent("AMAZON.NoIntent")  # the answer to the first emergency question
    person.send(copy.deepcopy(replayed))
    person.answer("no")
    person.answer("no")
    assert person.question == EMERGENCY_QUESTIONS[3]
    response = HANDLER(copy.deepcopy(replayed), None)
    check_response_shape(response)
    assert response["sessionAttributes"]["triage"]["q"] == EMERGENCY_QUESTIONS[1]
    assert [a[0] for a in response["sessionAttributes"]["triage"]["a"]] == [FIRST]
