"""The en-US interaction model: the intents the handlers expect, with samples Alexa will accept."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from conftest import ROOT

from skill.local.nlu import FALLBACK, LAUNCH, Resolver

REQUIRED_INTENTS = {
    "AMAZON.YesIntent", "AMAZON.NoIntent", "UnsureIntent", "EmergencyIntent", "AMAZON.HelpIntent",
    "AMAZON.RepeatIntent", "AMAZON.StartOverIntent", "AMAZON.PreviousIntent", "AMAZON.StopIntent",
    "AMAZON.CancelIntent", "AMAZON.FallbackIntent", "AMAZON.NavigateHomeIntent", "DeleteDataIntent",
}
MODEL = json.loads((ROOT / "interaction_models" / "en-US.json").read_text())
LANGUAGE = MODEL["interactionModel"]["languageModel"]


def test_invocation_name_is_back_pain_check():
    assert LANGUAGE["invocationName"] == "back pain check"


def test_every_intent_the_handlers_expect_is_in_the_model():
    assert {i["name"] for i in LANGUAGE["intents"]} == REQUIRED_INTENTS


def test_custom_intents_have_rich_samples():
    counts = {i["name"]: len(i.get("samples", [])) for i in LANGUAGE["intents"]}
    assert counts["EmergencyIntent"] >= 30 and counts["UnsureIntent"] >= 15


def test_samples_are_unique_across_intents_and_speakable():
    samples = [s.lower() for i in LANGUAGE["intents"] for s in i.get("samples", [])]
    assert [s for s, n in Counter(samples).items() if n > 1] == []
    for sample in samples:  # Alexa refuses digits and most punctuation in samples
        assert re.fullmatch(r"[a-z' .]+", sample), sample


@pytest.mark.parametrize("said, intent", [
    ("open back pain check", LAUNCH),
    ("Alexa, open back pain check", LAUNCH),
    ("yeah", "AMAZON.YesIntent"),
    ("nope", "AMAZON.NoIntent"),
    ("I don't know", "UnsureIntent"),
    ("maybe", "UnsureIntent"),
    ("I have chest pain", "EmergencyIntent"),
    ("I think I'm having a heart attack", "EmergencyIntent"),
    ("I can't feel my legs", "EmergencyIntent"),
    ("I've lost control of my bladder", "EmergencyIntent"),
    ("call 911", "EmergencyIntent"),
    ("say that again", "AMAZON.RepeatIntent"),
    ("what does that mean", "AMAZON.HelpIntent"),
    ("go back", "AMAZON.PreviousIntent"),
    ("start over", "AMAZON.StartOverIntent"),
    ("stop", "AMAZON.StopIntent"),
    ("cancel", "AMAZON.CancelIntent"),
    ("purple monkey dishwasher", FALLBACK),
])
def test_the_chat_resolves_typical_phrasings(said, intent):
    assert Resolver(MODEL).resolve(said).name == intent
