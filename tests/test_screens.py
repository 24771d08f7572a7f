"""Echo Show and other screens: APL documents, touch answers on the same code path, none for voice-only."""

from __future__ import annotations

import json
import re

import pytest
from conftest import HANDLER, ROOT, check_response_shape

from skill.alexa.speech import OUTCOME_LOOK, SpeechBuilder
from skill.local.envelopes import SCREEN_INTERFACES, Session
from skill.triage import default_locales, default_protocol

APL_DIR = ROOT / "skill" / "alexa" / "apl"
DOCUMENTS = {p.stem: json.loads(p.read_text()) for p in APL_DIR.glob("*.json")}
PROTOCOL = default_protocol()


class ScreenConversation:
    """A person at an Echo Show: speaks or taps, and sees what the skill renders."""

    def __init__(self, locale="en-US", screen=True):
        self.session = Session(locale=locale, interfaces=SCREEN_INTERFACES if screen else {})
        self.last = None

    def send(self, event):
        self.last = HANDLER(event, None)
        check_response_shape(self.last)
        self.session.absorb(self.last)
        return self.last

    @property
    def directives(self):
        return self.last["response"].get("directives") or []

    @property
    def screen(self):
        (directive,) = [d for d in self.directives if d["type"] == "Alexa.Presentation.APL.RenderDocument"]
        return directive

    @property
    def question(self):
        return (self.last.get("sessionAttributes") or {}).get("triage", {}).get("q")


def send_events(document):
    """Every SendEvent command's arguments in an APL document."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "SendEvent":
                found.append(node["arguments"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(document)
    return found


def bindings(document):
    return set(re.findall(r"\$\{payload\.screen\.(\w+)\}", json.dumps(document)))


def test_documents_are_apl_with_a_payload_parameter():
    assert set(DOCUMENTS) == {"question", "outcome"}
    for document in DOCUMENTS.values():
        assert document["type"] == "APL" and re.fullmatch(r"20\d\d\.\d", document["version"])
        assert document["mainTemplate"]["parameters"] == ["payload"]
        assert document["mainTemplate"]["items"]


def test_every_binding_in_a_document_is_filled_by_the_speech_builder():
    speech = SpeechBuilder(PROTOCOL, default_locales()["en-US"])
    from skill.triage import Outcome, TriageMachine

    question = speech.next_question(TriageMachine(PROTOCOL).start()).screen
    assert question.document == "question" and bindings(DOCUMENTS["question"]) == set(question.data)
    for code in PROTOCOL.ranks:
        outcome = speech.outcome(Outcome(code, None if code == "self_care" else PROTOCOL.questions[0].id)).screen
        assert outcome.document == "outcome" and bindings(DOCUMENTS["outcome"]) <= set(outcome.data)
    assert set(OUTCOME_LOOK) == set(PROTOCOL.ranks)


def test_the_question_screen_has_large_yes_no_and_not_sure_buttons():
    arguments = send_events(DOCUMENTS["question"])
    assert sorted(arguments) == [["answer", "no"], ["answer", "unsure"], ["answer", "yes"]]
    for frame in re.findall(r'"type": "Frame".*?"height": "(\d+)vh"', json.dumps(DOCUMENTS["question"])):
        assert int(frame) >= 15


@pytest.mark.parametrize("arguments", send_events(DOCUMENTS["question"]))
def test_every_touch_event_a_document_sends_is_handled_as_that_answer(arguments):
    conversation = ScreenConversation()
    conversation.send(conversation.session.launch())
    conversation.send(conversation.session.user_event(arguments))
    if arguments[1] == "no":
        assert conversation.question == PROTOCOL.questions[1].id
    else:  # yes or not sure to the first, emergency, question
        assert conversation.last["sessionAttributes"]["disposition"] == "emergency"


def test_a_screen_device_sees_every_question_and_the_outcome():
    conversation = ScreenConversation()
    conversation.send(conversation.session.launch())
    en_us = default_locales()["en-US"]
    for question in PROTOCOL.universal:
        data = conversation.screen["datasources"]["payload"]["screen"]
        assert data["question"] == en_us.questions[question.id]["ask"]
        assert conversation.screen["document"] == DOCUMENTS["question"]
        conversation.send(conversation.session.user_event(["answer", "no"], "noButton"))
    assert conversation.last["sessionAttributes"]["disposition"] == "self_care"
    data = conversation.screen["datasources"]["payload"]["screen"]
    assert data["headline"] == "Self-care, and when to get help"
    assert "not a diagnosis" in data["disclaimer"] and "call 911" in data["safetyNet"]


@pytest.mark.parametrize("locale, number", [("en-US", "911"), ("en-GB", "999"), ("en-AU", "000"), ("en-IN", "112")])
def test_emergency_screen_shows_the_locales_number_large(locale, number):
    conversation = ScreenConversation(locale=locale)
    conversation.send(conversation.session.launch())
    conversation.send(conversation.session.user_event(["answer", "unsure"], "unsureButton"))
    data = conversation.screen["datasources"]["payload"]["screen"]
    assert data["headline"] == f"Call {number} now"
    assert data["headlineSize"] == "72dp" and data["background"] == "#B71C1C"
    assert "Why:" in data["why"] and "not a diagnosis" in data["disclaimer"]


def test_voice_only_devices_get_no_apl_directive():
    conversation = ScreenConversation(screen=False)
    conversation.send(conversation.session.launch())
    assert conversation.directives == []
    conversation.send(conversation.session.intent("AMAZON.YesIntent"))
    assert conversation.directives == []


def test_a_touch_event_the_skill_did_not_send_is_not_understood_and_keeps_the_place():
    conversation = ScreenConversation()
    conversation.send(conversation.session.launch())
    conversation.send(conversation.session.user_event(["something", "else"]))
    assert conversation.last["response"]["shouldEndSession"] is False
    assert conversation.question == PROTOCOL.questions[0].id
