"""The interaction models: generated from the protocol's phrasings, speakable, and never hearing a no as a yes."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from conftest import ROOT

from skill.alexa import intents
from skill.local.nlu import FALLBACK, LAUNCH, Resolver
from skill.model.interaction_model import (
    LIMITS,
    MAX_SLOT_VALUES,
    MODELS_DIR,
    ModelError,
    check,
    cover,
    emergency_when_said,
    expand,
    figures,
    minified,
    model,
    negations,
    phrasings,
    render,
    variants,
)
from skill.triage import default_locales, default_protocol

LOCALES = sorted(default_locales())
REQUIRED_INTENTS = {
    intents.YES, intents.NO, intents.UNSURE, intents.SIGN, intents.NO_SIGN, intents.EMERGENCY, intents.HELP,
    intents.REPEAT, intents.START_OVER, intents.PREVIOUS, intents.STOP, intents.CANCEL, intents.FALLBACK,
    intents.NAVIGATE_HOME, intents.DELETE_DATA,
}


def types_of(generated):
    return {t["name"]: t for t in generated["interactionModel"]["languageModel"]["types"]}


def phrases(value):
    return [value["name"]["value"], *value["name"]["synonyms"]]


@pytest.mark.parametrize("locale", LOCALES)
def test_committed_models_are_what_the_phrasings_generate(locale):
    assert (MODELS_DIR / f"{locale}.json").read_text(encoding="utf-8") == render(locale), (
        "interaction_models/ is stale: run `python -m skill model` and commit it")


@pytest.mark.parametrize("locale", LOCALES)
def test_every_model_has_the_intents_the_handlers_expect_and_one_invocation_name(locale):
    language = json.loads((MODELS_DIR / f"{locale}.json").read_text())["interactionModel"]["languageModel"]
    assert language["invocationName"] == default_locales()[locale].publishing.get("invocation", "back pain check")
    assert {i["name"] for i in language["intents"]} == REQUIRED_INTENTS


@pytest.mark.parametrize("locale", LOCALES)
def test_every_sign_of_the_protocol_is_a_slot_value_with_its_question_id(locale):
    types = types_of(model(locale))
    ids = {value["id"] for kind in (intents.SIGN_NAME_TYPE, intents.SIGN_SAID_TYPE) for value in types[kind]["values"]}
    assert ids == {q.id for q in default_protocol().questions} | set(intents.OFFER_CONCEPTS.values())


def test_a_statement_can_never_follow_no_as_a_denial():
    """'No {sign}' takes only names: 'no, I can't breathe' must not read as 'no shortness of breath'."""
    generated = model("en-US")
    text = default_locales()["en-US"]
    names = {p.lower() for v in types_of(generated)[intents.SIGN_NAME_TYPE]["values"] for p in phrases(v)}
    statements = {s.lower() for q in text.questions.values() for s in q["says"]}
    assert not names & statements


def test_the_generator_refuses_a_phrase_that_is_both_a_sign_and_its_denial():
    generated = copy.deepcopy(model("en-US"))
    denied = types_of(generated)[intents.SIGN_DENIED_TYPE]["values"][0]
    denied["name"]["synonyms"].append("my chest hurts")
    with pytest.raises(ModelError, match="both a sign and its denial"):
        check(generated)


def test_the_generator_refuses_a_denial_sample_that_once_filled_is_a_sign():
    """Spanish "no" + the denial "sé dónde estoy" is "no sé dónde estoy", confusion: a "no {denied}" sample would
    hear that emergency as a no, so the generator refuses it, naming the sign it would hide."""
    generated = copy.deepcopy(model("es-US"))
    language = generated["interactionModel"]["languageModel"]
    denials = {p for v in types_of(generated)[intents.SIGN_DENIED_TYPE]["values"] for p in phrases(v)}
    assert "sé dónde estoy" in denials  # "I know where I am": a denial of confusion
    check(generated)  # no sample puts a "no" before a denial: nothing to refuse
    no_sign = next(i for i in language["intents"] if i["name"] == intents.NO_SIGN)
    no_sign["samples"].append("no {" + intents.DENIED_SLOT + "}")
    with pytest.raises(ModelError, match="'no {denied}' with '.+' is 'no .+', a sign: a denial would hide it"):
        check(generated)


def test_the_generator_refuses_what_alexa_refuses():
    generated = copy.deepcopy(model("en-US"))
    generated["interactionModel"]["languageModel"]["intents"][0]["samples"].append("call 911")
    with pytest.raises(ModelError, match="Alexa refuses"):
        check(generated)
    generated = copy.deepcopy(model("en-US"))
    generated["interactionModel"]["languageModel"]["intents"][0]["samples"].append("I'm not sure")
    with pytest.raises(ModelError, match="in both"):
        check(generated)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_model_is_inside_alexas_limits_with_margin(locale):
    generated = model(locale)
    found = figures(generated)
    assert found["model_characters"] == len(minified(generated)) <= 1_000_000
    assert found["slot_values"] <= MAX_SLOT_VALUES == 20_000
    for limit in LIMITS:
        assert limit.target <= limit.alexa and found[limit.figure] <= limit.target, limit


def test_the_generator_refuses_a_model_beyond_the_limits_naming_what_is_over():
    generated = copy.deepcopy(model("en-US"))
    denied = types_of(generated)[intents.SIGN_DENIED_TYPE]["values"][0]
    denied["name"]["synonyms"] += [f"not word {n}" for n in range(MAX_SLOT_VALUES)]
    with pytest.raises(ModelError, match=r"custom slot values and synonyms, all types together: [\d,]+ \(at most "
                                         r"20,000; Alexa's limit 50,000\)"):
        check(generated)
    generated = copy.deepcopy(model("en-US"))
    generated["interactionModel"]["languageModel"]["intents"][0]["samples"].append("yes " * 60 + "indeed")
    with pytest.raises(ModelError, match="characters in one sample utterance: 246"):
        check(generated)


def test_cover_keeps_every_word_of_every_list_once_not_every_combination():
    fills = {"lead": ["yes", "well", "oh"], "tail": ["now", "too"], "day": ["Monday", "Tuesday", "Friday", "Sunday"]}
    covered = cover("{lead} {sign} {tail}", fills)
    assert len(covered) == 3 < len(expand("{lead} {sign} {tail}", fills)) == 6
    assert {c.split()[0] for c in covered} == {"yes", "well", "oh"}
    assert {c.split()[-1] for c in covered} == {"now", "too"}
    assert sorted(cover("since {day}", fills)) == ["since Friday", "since Monday", "since Sunday", "since Tuesday"]


def test_a_sign_that_is_an_emergency_whenever_said_keeps_every_combination_of_its_patterns():
    """Data-driven: the protocol's dispositions, not a list of ids, decide which signs keep their full products."""
    protocol, text = default_protocol(), default_locales()["en-US"]
    whole = [q for q in protocol.questions if emergency_when_said(protocol, q)]
    assert whole and len(whole) < len(protocol.questions)
    said = {p.lower() for v in types_of(model("en-US"))[intents.SIGN_SAID_TYPE]["values"] for p in phrases(v)}
    for question in whole:
        assert {p.lower() for p in phrasings(text.questions[question.id], text.understanding, "says")} <= said


def test_templates_fill_nested_word_lists_drop_empty_fills_and_join_apostrophes():
    fills = {"when": ["since {day}", ""], "day": ["Tuesday"], "is": ["'s been", "is"]}
    assert expand("my heart {is} pounding {when}", fills) == [
        "my heart's been pounding since Tuesday", "my heart's been pounding", "my heart is pounding since Tuesday",
        "my heart is pounding"]
    assert expand("I have {sign} {when}", fills) == ["I have {sign} since Tuesday", "I have {sign}"]


@pytest.mark.parametrize("denial, also", [
    ("I haven't lost weight", "I haven't lost any weight"),
    ("I haven't coughed up blood", "I haven't coughed up any blood"),
])
def test_denials_are_also_said_with_any(denial, also):
    understanding = default_locales()["en-US"].understanding
    assert also in variants([denial], understanding["denial_variants"])


def test_i_have_not_fallen_is_a_denial_of_i_fell():
    understanding = default_locales()["en-US"].understanding
    assert "I haven't fallen" in negations("I fell", understanding["negations"], understanding["forms"],
                                           understanding["participles"])


@pytest.mark.parametrize("statement, denial", [
    ("my legs are numb", "my legs aren't numb"), ("I can't breathe", "I can breathe fine"),
    ("my chest hurts", "my chest doesn't hurt"), ("I fell", "I didn't fall"), ("I feel sick", "I don't feel sick"),
    ("I've had cancer", "I haven't had cancer"), ("there's a rash", "there's no rash"),
    ("it hurts when I breathe in", "it doesn't hurt when I breathe in"),
])
def test_statements_are_said_the_other_way_round_by_the_locales_rules(statement, denial):
    understanding = default_locales()["en-US"].understanding
    assert denial in negations(statement, understanding["negations"], understanding["forms"])


def _checked_phrases(locale: str, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """(phrase, sign id) of these slot types: every one for a language's base locale (en-US, es-US); for a locale
    built on it, every phrase it has that the base has not, and one in 20 of the rest (the same resolver code runs
    on all of them)."""
    found = [(p, v["id"]) for kind in kinds for v in types_of(model(locale))[kind]["values"] for p in phrases(v)]
    base_locale = locale.split("-")[0] + "-US"
    if locale == base_locale:
        return found
    base = {(p, v["id"]) for kind in kinds for v in types_of(model(base_locale))[kind]["values"] for p in phrases(v)}
    return [pair for n, pair in enumerate(found) if pair not in base or n % 20 == 0]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_phrasing_of_a_sign_is_heard_as_that_sign_and_every_denial_as_a_no(locale):
    resolver = Resolver.for_locale(locale)
    for phrase, sign in _checked_phrases(locale, (intents.SIGN_NAME_TYPE, intents.SIGN_SAID_TYPE)):
        heard = resolver.resolve(phrase)
        assert heard.name == intents.SIGN and {s.id for s in heard.slots.values()} == {sign}, phrase
    for phrase, sign in _checked_phrases(locale, (intents.SIGN_DENIED_TYPE,)):
        heard = resolver.resolve(phrase)
        assert heard.name == intents.NO_SIGN and {s.id for s in heard.slots.values()} == {sign}, phrase


@pytest.mark.parametrize("said, intent, sign", [
    ("open back pain check", LAUNCH, None),
    ("Alexa, open back pain check", LAUNCH, None),
    ("yeah", intents.YES, None),
    ("nope", intents.NO, None),
    ("I don't know", intents.UNSURE, None),
    ("I have chest pain", intents.SIGN, "heart_pain"),
    ("my chest is killing me", intents.SIGN, "heart_pain"),
    ("I can't feel my legs", intents.SIGN, "both_legs"),
    ("I've lost control of my bladder", intents.SIGN, "bladder_bowel"),
    ("I fell off a ladder", intents.SIGN, "serious_accident"),
    ("I fell over last week", intents.SIGN, "injury"),
    ("tell back pain check I fell", intents.SIGN, "injury"),
    ("I don't have chest pain", intents.NO_SIGN, "heart_pain"),
    ("my legs aren't numb", intents.NO_SIGN, "both_legs"),
    ("no fever", intents.NO_SIGN, "fever"),
    ("it's a bit better", intents.SIGN, "pain_still_there"),
    ("call 911", intents.EMERGENCY, None),
    ("I think I'm dying", intents.EMERGENCY, None),
    ("say that again", intents.REPEAT, None),
    ("what does that mean", intents.HELP, None),
    ("ask back pain check what can you do", intents.HELP, None),
    ("go back", intents.PREVIOUS, None),
    ("start over", intents.START_OVER, None),
    ("stop", intents.STOP, None),
    ("cancel", intents.CANCEL, None),
    ("delete my data", intents.DELETE_DATA, None),
])
def test_the_chat_resolves_as_the_model_says(said, intent, sign):
    heard = Resolver.for_locale("en-US").resolve(said)
    assert heard.name == intent
    assert ({s.id for s in heard.slots.values()} == {sign}) if sign else not heard.slots


@pytest.mark.parametrize("said", ["purple monkey dishwasher", "chest pian"])
def test_words_no_sample_matches_arrive_unmatched_in_the_statement_slot_as_alexa_passes_them(said):
    """No guess at a misspelling ("chest pian"): the words reach the skill with no entity-resolution match, as
    Alexa passes a custom slot's unlisted words; a model without a statement slot alone gets the fallback."""
    resolver = Resolver(json.loads((MODELS_DIR / "en-US.json").read_text()))  # not the shared one: changed below
    heard = resolver.resolve(said)
    assert heard.name == intents.SIGN and {n: (s.value, s.id) for n, s in heard.slots.items()} == {
        intents.SAID_SLOT: (said, None)}
    resolver.catch_all = None
    assert resolver.resolve(said).name == FALLBACK


@pytest.mark.parametrize("locale, said", [("en-GB", "call nine nine nine"), ("en-AU", "call triple zero"),
                                          ("en-IN", "call one one two")])
def test_each_market_hears_a_call_for_its_own_number(locale, said):
    assert Resolver.for_locale(locale).resolve(said).name == intents.EMERGENCY


def test_the_command_writes_the_models(tmp_path):
    subprocess.run([sys.executable, "-m", "skill", "model", "--out", str(tmp_path)], cwd=ROOT, check=True,
                   capture_output=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{locale}.json" for locale in LOCALES]
