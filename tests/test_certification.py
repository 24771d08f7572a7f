"""Certification self-check: Amazon's functional tests for custom skills, in every locale.

Each check mirrors an item of Amazon's "functional tests for a custom skill":
the launch response, help, stop and cancel, fallback, repeat, start over,
session end, the example phrases published in the manifest, and that a
response which keeps the session open asks a question and reprompts while one
that ends it does not ask. ``Conversation`` asserts the last two on every
response (SSML validity and length too), so every request here is also a
check of those rules.
"""

from __future__ import annotations

import re

import pytest
from conftest import Conversation

from skill.local.nlu import FALLBACK, LAUNCH, Resolver
from skill.local.skill_package import manifest
from skill.triage import default_locales

LOCALES = sorted(default_locales())
LISTINGS = manifest()["manifest"]["publishingInformation"]["locales"]


# What certification listens for, in each language: not a diagnosis, and what can be answered.
NOT_A_DIAGNOSIS = {"en": "guidance, not a diagnosis", "es": "orientación, no un diagnóstico"}
ANSWERS = {"en": "yes, no, or not sure", "es": "sí, no, o no sé"}


def language(locale: str) -> str:
    return locale.split("-")[0]


def opened(locale: str) -> Conversation:
    conversation = Conversation(locale=locale)
    conversation.launch()
    return conversation


@pytest.mark.parametrize("locale", LOCALES)
def test_launch_says_what_the_skill_does_and_asks(locale):
    conversation = opened(locale)
    assert not conversation.ended
    assert default_locales()[locale].skill_name in conversation.speech and conversation.speech.endswith("?")
    assert NOT_A_DIAGNOSIS[language(locale)] in conversation.speech


@pytest.mark.parametrize("locale", LOCALES)
def test_help_explains_what_to_say_and_keeps_the_session_open(locale):
    conversation = opened(locale)
    conversation.intent("AMAZON.HelpIntent")
    assert not conversation.ended and conversation.speech.endswith("?")
    assert ANSWERS[language(locale)] in conversation.last["response"]["reprompt"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stop_and_cancel_end_the_session_at_once(locale, intent):
    for step in (0, 3):
        conversation = opened(locale)
        for _ in range(step):
            conversation.answer("no")
        conversation.intent(intent)
        assert conversation.ended
        assert default_locales()[locale].emergency_number in conversation.speech


@pytest.mark.parametrize("locale", LOCALES)
def test_fallback_reprompts_with_what_can_be_said(locale):
    conversation = opened(locale)
    conversation.intent("AMAZON.FallbackIntent")
    assert not conversation.ended
    assert ANSWERS[language(locale)] in conversation.last["response"]["reprompt"]["outputSpeech"]["ssml"]
    assert default_locales()[locale].emergency_number in conversation.speech  # an emergency question: the number


@pytest.mark.parametrize("locale", LOCALES)
def test_repeat_and_start_over_keep_the_conversation_going(locale):
    conversation = opened(locale)
    first = conversation.question
    conversation.answer("no")
    conversation.intent("AMAZON.RepeatIntent")
    assert not conversation.ended and conversation.question != first
    conversation.intent("AMAZON.StartOverIntent")
    assert not conversation.ended and conversation.question == first


@pytest.mark.parametrize("locale", LOCALES)
def test_session_ended_request_gets_no_speech(locale):
    conversation = opened(locale)
    response = conversation.send(conversation.session.session_ended("USER_INITIATED"))
    assert "outputSpeech" not in response["response"] and "reprompt" not in response["response"]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_published_example_phrase_gets_a_sensible_answer(locale):
    resolver = Resolver.for_locale(locale)
    for phrase in LISTINGS[locale]["examplePhrases"]:
        resolution = resolver.resolve(phrase)
        conversation = Conversation(locale=locale)
        if resolution.name == LAUNCH:
            conversation.launch()
            assert not conversation.ended
        else:
            assert resolution.name != FALLBACK, phrase  # a sample of the model: the chat makes no guesses
            conversation.intent(resolution.name, {n: (s.value, s.id, s.type) for n, s in resolution.slots.items()})
            assert conversation.speech  # a one-shot request is answered, not dropped
        assert not re.search(r"\b(error|exception)\b", conversation.speech, re.I)


@pytest.mark.parametrize("locale", LOCALES)
def test_unknown_intent_does_not_end_the_session_abruptly(locale):
    conversation = opened(locale)
    conversation.intent("AMAZON.ShuffleOffIntent")
    assert not conversation.ended
