"""Words Alexa could not match, with no emergency in them: which sign they speak of, there or not (``which_sign``),
through the real Lambda handler with real Alexa envelopes (``ER_SUCCESS_NO_MATCH`` slots).

What a person cares about: a statement in their own words answers the question as the same statement matched
would; a denial answers only what a matched denial would, and never becomes a yes; an emergency sign is never
guessed from the tables; a lost ability said with a "no" ("no feeling in my legs") is the sign, not its denial.
"""

from __future__ import annotations

import json

import pytest
from conftest import Conversation

from skill.alexa import intents
from skill.alexa.own_words_model import table_path
from skill.alexa.which_sign import Reading, reader_for
from skill.local import nlu_eval_set, spotter_build, which_sign_build
from skill.triage import default_protocol

CALL = "Call 911 now"


def at(question: str, locale: str = "en-US") -> Conversation:
    """A conversation asking ``question``, reached by answering no (yes to ``limbs`` for ``both_legs``)."""
    conversation = Conversation(locale)
    conversation.launch()
    while conversation.question != question:
        conversation.answer("yes" if question == "both_legs" and conversation.question == "limbs" else "no")
    return conversation


def said(conversation: Conversation, words: str, concept: str | None = None) -> dict:
    """A SignIntent statement, unmatched (as Alexa sends words it could not match) or matched to ``concept``."""
    return conversation.intent(intents.SIGN, {intents.SAID_SLOT: (words, concept, intents.SIGN_SAID_TYPE)})


def denied(conversation: Conversation, words: str) -> dict:
    """NoSignIntent's whole statement (``{denied}``), unmatched."""
    return conversation.intent(intents.NO_SIGN, {intents.DENIED_SLOT: (words, None, intents.SIGN_DENIED_TYPE)})


@pytest.mark.parametrize("question, words, sign", [
    ("unwell", "feel a bit queasy to be honest", "unwell"),
    ("unwell", "no i've been throwing up since breakfast", "unwell"),  # the "no" answered, the clause is the sign
    ("fever", "i've been burning up and shivering", "fever"),
    ("cancer_risk", "i had breast cancer years ago", "cancer"),  # the past is the point of a history question
    ("heart_pain", "i had my knee operated on last week", "clot_risk"),  # said before it is asked: recorded
    # weeks past is past for an emergency sign ("i fainted two weeks ago"), recent for a risk the triage asks about
    ("heart_pain", "i had a hip operation three weeks ago", "clot_risk"),
    ("fever", "i finished chemo three weeks ago", "chemotherapy"),
])
def test_a_statement_in_own_words_does_what_the_same_statement_matched_does(question, words, sign):
    heard, matched = at(question), at(question)
    said(heard, words)
    said(matched, words, sign)
    assert (heard.question, heard.speech, heard.ended) == (matched.question, matched.speech, matched.ended)
    assert heard.question != question or heard.speech.startswith("Thanks")  # it moved on, or noted the sign


@pytest.mark.parametrize("question, words", [
    ("breathing", "my breathing's grand no bother"),  # breathing has three signs: one denied answers nothing
    ("limbs", "my hands aren't numb"),
    ("unwell", "no tummy ache"),
])
def test_a_denial_of_part_of_a_question_asks_it_again_as_a_whole_and_records_nothing(question, words):
    conversation = at(question)
    before = conversation.last["sessionAttributes"]["triage"]
    denied(conversation, words)
    assert conversation.question == question and not conversation.ended
    assert conversation.speech.startswith("Thanks. To be sure, yes or no")
    assert conversation.last["sessionAttributes"]["triage"]["a"] == before["a"]


def test_a_denial_of_the_one_sign_being_asked_is_its_no():
    conversation = at("both_legs")
    denied(conversation, "both my legs are fine")
    assert conversation.question == "toilet" and not conversation.ended


def test_a_denial_at_an_emergency_question_asks_it_again_as_a_whole():
    """Nothing wrong with the chest says nothing about the arm or jaw: the question again, yes or no."""
    conversation = at("heart_pain")
    denied(conversation, "there's nothing wrong with my chest")
    assert conversation.question == "heart_pain" and not conversation.ended
    assert conversation.speech == "Thanks. To be sure, yes or no: Any chest pain, or pain in your arm or jaw?"


@pytest.mark.parametrize("words", [
    "i have no feeling in my legs",
    "there's no strength in either of my legs",
    "i've got no control of my bladder",
    "no sensation at all down there",
])
def test_a_lost_ability_said_with_a_no_is_the_emergency_instruction(words):
    for send in (said, denied):
        conversation = at("unwell")
        send(conversation, words)
        assert conversation.speech.startswith(CALL) and conversation.ended


def test_words_that_say_nothing_the_skill_knows_are_asked_again():
    conversation = at("fever")
    said(conversation, "the weather's been strange this week")
    assert conversation.question == "fever" and conversation.speech.startswith("Sorry, I didn't catch that.")


EVAL_SETS = sorted(nlu_eval_set.SET_DIR.glob("*.annotations.json"))


# A negation of one sign that says another is there, read as that one: (set, utterance) -> the sign it says
ALSO_SAID = {("en-US.blind76", "not both legs just my right one"): "limbs",  # one leg: the limbs question's yes
             # chest pain last year, gone: "is that pain still there?"'s "it's gone", as said
             ("es-US.blind86",
              "el dolor en el pecho que tuve fue el año pasado por agruras y ya se quitó"): "pain_gone",
             ("es-US.blind87", "el dolor de pecho que tuve el año pasado ya se me quitó"): "pain_gone",
             ("es-US.blind91", "hace años tuve dolor de pecho pero ya se me quitó"): "pain_gone",
             ("es-US.blind92",
              "el dolor en el brazo fue cuando me lo fracturé hace años y ya se me quitó"): "pain_gone"}


@pytest.mark.parametrize("eval_set", EVAL_SETS, ids=lambda path: path.name.removesuffix(".annotations.json"))
def test_no_negation_is_read_as_a_sign_there_and_no_emergency_sign_is_ever_guessed(eval_set):
    """Over every utterance of every evaluation set, in either slot, at its question: a negation is never read
    as a sign that is there (but the other sign it says, ``ALSO_SAID``), and the tables never name an emergency
    sign (the spotter's alone)."""
    locale, items = nlu_eval_set.load(eval_set, tuple(q.id for q in default_protocol().questions))
    reader = reader_for(locale)
    assert reader is not None
    readings = [(item, reader.read(item.utterance, after_denial, item.context or "heart_pain"))
                for item in items for after_denial in (False, True)]
    name = eval_set.name.removesuffix(".annotations.json")
    assert [item.utterance for item, reading in readings
            if item.category == "negations" and reading is not None and reading.present
            and ALSO_SAID.get((name, item.utterance)) != reading.concept] == []
    assert [item.utterance for item, reading in readings
            if reading is not None and reading.present and reading.concept in reader.emergencies] == []


@pytest.mark.parametrize("locale, words, asking", [
    ("en-US", "the red in my pee is from the beetroot i had", "kidney"),  # a colour from food
    ("en-US", "the tablets sort it out", "pain_pattern"),  # all is well in other words
    ("es-US", "cero dolor en el pecho", "heart_pain"),  # "cero": none
    # after blind42 to blind47: a cause that says the sign is not the protocol's, and all is well in other words
    ("en-US", "i've lost a bit of weight but that's because i'm on a diet", "cancer"),
    ("en-US", "i'm sweaty because i've just been mowing the grass", "fever"),
    ("en-US", "my toes tingled because i sat on them", "limbs"),
    ("en-US", "i just use a steroid inhaler", "risk_factors"),
    ("en-US", "my heart rate is nice and regular", "racing_heart"),
    ("es-US", "el corazón acelerado fue por el café y ya se calmó", "racing_heart"),
    # after blind48 and blind49
    ("en-US", "my pulse was racing earlier but that was all the coffee", "racing_heart"),
    ("en-US", "a couple of paracetamol take the edge off", "pain_pattern"),
    ("en-US", "i've dropped a few pounds but i've been dieting", "cancer"),
    # after blind52 and blind53
    ("en-US", "my feet went all pins and needles from kneeling on the floor", "limbs"),
    # after blind54 and blind55
    ("es-US", "la pipí me salió rosada por la remolacha", "kidney"),
    # after blind56 and blind57
    ("en-US", "she's all sweaty because she just got in from football", "fever"),
])
def test_words_found_by_the_studies_are_read_as_denials(locale, words, asking):
    """Written for this test, after the first runs of blind36 to blind49."""
    reader = reader_for(locale)
    assert reader is not None
    reading = reader.read(words, asking=asking)
    assert reading is not None and not reading.present  # a denial, not asked again


def test_spanish_words_are_read_the_same_way():
    reader = reader_for("es-US")
    assert reader is not None
    assert reader.read("me siento con el estómago revuelto", asking="unwell") == Reading("unwell", present=True)
    assert reader.read("no tengo nada de fiebre", asking="fever") == Reading("fever", present=False)


@pytest.mark.parametrize("language", sorted(spotter_build.LANGUAGES))
def test_the_committed_tables_were_built_from_the_current_model(language):
    """A stale table fails here: run `python -m skill spotter-build` (scikit-learn, from requirements-dev.txt)."""
    tables = json.loads(table_path(language, name="which_sign").read_text(encoding="utf-8"))
    model = spotter_build.model_of(spotter_build.LANGUAGES[language])
    assert tables["inputs_hash"] == which_sign_build.inputs_hash(model, language), (
        f"skill/alexa/data/which_sign_{language}.json is stale: python -m skill spotter-build --language {language}")
    assert set(tables["polarity"]["classes"]) == {which_sign_build.THERE, which_sign_build.DENIED}
