"""The stand-in for a generalising NLU (skill/local/standin_nlu.py): trained only on the generated model,
deterministic, slots from the chosen intent's carrier or the whole utterance, Alexa's NO_MATCH for words
no value lists, and the fallback below its threshold."""

from __future__ import annotations

import pytest

from skill.alexa import intents
from skill.local.nlu import FALLBACK, SLOT, Resolver, normalise

sklearn = pytest.importorskip("sklearn", reason="the stand-in needs scikit-learn (requirements-dev.txt)")

from skill.local import standin_nlu  # noqa: E402


@pytest.fixture(scope="module")
def standin() -> standin_nlu.StandIn:
    return standin_nlu.standin_for("en-US")


def test_it_is_trained_only_on_the_generated_model_and_the_same_way_every_time():
    resolver = Resolver.for_locale("en-US")
    first, second = standin_nlu.training_set(resolver), standin_nlu.training_set(resolver)
    assert first == second and len(first.texts) == len(first.labels)
    phrases = {slot_type: set(values) for slot_type, values in resolver.values.items()}
    carriers = [(s.intent, s.prefix, s.suffix, resolver.slot_types[(s.intent, s.slot)]) for s in resolver.samples]

    def from_the_model(text: str, label: str) -> bool:
        if resolver.exact.get(text) == label:
            return True
        return any(intent == label and (text.startswith(f"{prefix} ") or not prefix)
                   and (text.endswith(f" {suffix}") or not suffix)
                   and text[len(prefix) + bool(prefix):len(text) - len(suffix) - bool(suffix)] in phrases[slot_type]
                   for intent, prefix, suffix, slot_type in carriers)

    assert all(from_the_model(text, label) for text, label in zip(first.texts, first.labels, strict=True))
    per_intent = {label: first.labels.count(label) for label in set(first.labels)}
    assert max(per_intent.values()) <= standin_nlu.FILLS_PER_INTENT + max(
        sum(1 for intent in resolver.exact.values() if intent == label) for label in per_intent)
    assert not any(SLOT.search(text) for text in first.texts)


def test_a_carrier_fills_the_slot_and_its_words_resolve_to_an_id(standin):
    resolution = standin.resolve("I don't have any tightness in my chest")
    assert resolution.name == intents.NO_SIGN
    [slot] = resolution.slots.values()
    assert (slot.value, slot.id) == ("tightness in my chest", "heart_pain")


def test_words_no_value_lists_come_whole_in_the_statement_slot_with_no_match(standin):
    said = "my chest feels like an elephant is sitting on it"
    resolution = standin.resolve(said)
    assert resolution.name == intents.SIGN
    assert {name: (slot.value, slot.id) for name, slot in resolution.slots.items()} == {
        intents.SAID_SLOT: (normalise(said), None)}


def test_below_its_threshold_it_answers_the_fallback_with_no_words(standin, monkeypatch):
    assert standin.resolve("yeah").name == "AMAZON.YesIntent"
    monkeypatch.setattr(standin, "threshold", 1.01)
    assert standin.resolve("yeah").name == FALLBACK and standin.resolve("yeah").slots == {}
