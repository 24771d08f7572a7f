"""Every market, English or Spanish, hears its own emergency number, through the real Lambda handler."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT, Conversation

from skill.triage import default_locales

LOCALES = {"en-US": "911", "en-CA": "911", "en-GB": "999", "en-AU": "000", "en-IN": "112",
           "es-US": "911", "es-MX": "911", "es-ES": "112"}
ALL_NUMBERS = set(LOCALES.values())


def other_numbers(locale: str) -> set[str]:
    return ALL_NUMBERS - {LOCALES[locale]}


def call_now(locale: str) -> str:
    """The first words of an emergency reply in this locale ("Call 911 now", "Llame al 112 ahora")."""
    return default_locales()[locale].call_now()


def safety_net(locale: str) -> str:
    return default_locales()[locale].phrases["safety_net"].replace("{number}", LOCALES[locale])


def assert_only_own_number(text: str, locale: str) -> None:
    found = set(re.findall(r"\b(911|999|000|112)\b", text))
    assert not found & other_numbers(locale), (locale, found, text)


def test_each_market_has_its_locale_text_and_its_interaction_model():
    assert set(default_locales()) == set(LOCALES)
    for locale, number in LOCALES.items():
        assert default_locales()[locale].emergency_number == number
        assert (ROOT / "interaction_models" / f"{locale}.json").exists()


def test_every_model_has_the_same_intents_and_invocation_name():
    models = {p.stem: json.loads(p.read_text()) for p in (ROOT / "interaction_models").glob("*.json")}
    assert set(models) == set(LOCALES)
    reference = {i["name"] for i in models["en-US"]["interactionModel"]["languageModel"]["intents"]}
    for locale, model in models.items():
        language = model["interactionModel"]["languageModel"]
        assert language["invocationName"] == default_locales()[locale].publishing.get("invocation", "back pain check")
        assert {i["name"] for i in language["intents"]} == reference, locale


def walk_to(conversation: Conversation, question: str | None, answer: str) -> None:
    conversation.launch()
    while conversation.question != question and not conversation.ended:
        conversation.answer("no")
    if question is not None:
        conversation.answer(answer)
        conversation.finish()  # no to any follow-up (and to the rash question after an urgent answer)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("question, disposition", [
    ("heart_pain", "emergency"), ("risk_factors", "urgent"), ("few_weeks", "routine"), (None, "self_care"),
])
def test_every_locale_reaches_every_disposition_with_its_own_number(locale, question, disposition):
    number = LOCALES[locale]
    conversation = Conversation(locale=locale)
    walk_to(conversation, question, "yes")
    assert conversation.ended and conversation.disposition == disposition
    speech, card = conversation.speech, conversation.last["response"]["card"]
    if disposition == "emergency":
        assert speech.startswith(call_now(locale) + ".")
        assert card["title"].endswith(call_now(locale))
    else:
        assert safety_net(locale) in speech
    assert number in card["content"]
    assert_only_own_number(speech, locale)
    assert_only_own_number(card["title"] + card["content"], locale)
    ssml = conversation.last["response"]["outputSpeech"]["ssml"]
    assert f'<say-as interpret-as="digits">{number}</say-as>' in ssml


@pytest.mark.parametrize("locale", LOCALES)
def test_stop_in_every_locale_says_its_own_number(locale):
    conversation = Conversation(locale=locale)
    conversation.launch()
    conversation.intent("AMAZON.StopIntent")
    assert safety_net(locale) in conversation.speech
    assert_only_own_number(conversation.speech, locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_locale_text_names_another_markets_number(locale):
    text = default_locales()[locale]
    blob = json.dumps([dict(q) for q in text.questions.values()] + [dict(d) for d in text.dispositions.values()]
                      + [dict(a) for a in text.advice.values()] + [dict(text.phrases)])
    assert_only_own_number(blob, locale)


def test_united_kingdom_mentions_111_for_urgent_advice_spoken_digit_by_digit():
    conversation = Conversation(locale="en-GB")
    walk_to(conversation, "risk_factors", "yes")
    assert "NHS 111" in conversation.speech and "GP" in conversation.speech
    assert '<say-as interpret-as="digits">111</say-as>' in conversation.last["response"]["outputSpeech"]["ssml"]
    assert "111" in conversation.last["response"]["card"]["content"]


@pytest.mark.parametrize("locale", ["en-GB", "en-AU", "en-IN", "en-CA"])
def test_fever_is_explained_in_celsius_outside_the_united_states(locale):
    conversation = Conversation(locale=locale)
    conversation.launch()
    while conversation.question != "fever":
        conversation.answer("no")
    conversation.intent("AMAZON.HelpIntent")
    assert "38 degrees Celsius" in conversation.speech
