"""Spanish (es-US, es-MX, es-ES), as carefully as English: spoken Spanish through the real Lambda handler.

Every disposition reached with the country's number, emergencies heard in Spanish words at any moment, a
denial never an emergency, every navigation word, the patient vignettes answered in Spanish with zero
under-triage, the Spanish evaluation set, no English word in anything a Spanish locale says or shows, and
the review table a Spanish-speaking clinician signs off kept current.
"""

from __future__ import annotations

import re

import pytest
from conftest import Conversation, record_nlu_eval, speech_text
from test_vignettes import VIGNETTES, Run, rank

from skill.local import nlu_eval, nlu_eval_set
from skill.local.nlu import LAUNCH, Resolver
from skill.local.review import REVIEW_DIR, render, review_locales
from skill.triage import default_locales, default_protocol
from skill.triage.protocol import QUESTION_TEXTS

NUMBERS = {"es-US": "911", "es-MX": "911", "es-ES": "112"}
SPANISH = sorted(NUMBERS)
YES, NO, UNSURE = "sí", "no", "no sé"
# Words that are English and not Spanish: any of them in Spanish speech is a translation left undone.
ENGLISH = set("""the and you your yours is are was were be been with what which who when where why how call now
please have has had not this that these those for of to in on at by from into about pain back chest arm jaw
leg legs breathing breath blood cough fever rash sick feel feeling doctor emergency help yes okay
care self routine urgent today tomorrow weeks week days day night would like remind reminder reminders check
if or any it its it's i i'm i'll i've can can't don't do does did will won't should could my our they them
there here get got go going see sure thanks thank sorry again next question questions answer say said""".split())
ALLOWED = {"alexa", "no", "app"}  # Spanish too, or the product's name


def text(locale: str):
    return default_locales()[locale]


def spoken_and_shown(locale: str) -> list[tuple[str, str]]:
    """(where, text) for every question text, outcome, phrase and store-listing string of a locale."""
    t = text(locale)
    found = [(f"{q}.{key}", t.questions[q][key]) for q in t.questions for key in QUESTION_TEXTS]
    for group, entries in (("dispositions", t.dispositions), ("advice", t.advice)):
        found += [(f"{group}.{code}.{key}", value) for code, texts in entries.items() for key, value in texts.items()
                  if isinstance(value, str)]
    found += [(f"phrases.{key}", value) for key, value in t.phrases.items()]
    found += [(f"publishing.{key}", value) for key, value in t.publishing.items() if isinstance(value, str)]
    found += [(f"publishing.{key}", item) for key, value in t.publishing.items() if isinstance(value, list)
              for item in value if isinstance(item, str)]
    return found


def words_of(value: str) -> list[str]:
    return re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.sub(r"\{\w+\}|https?://\S+", " ", value).lower())


class Spanish(Conversation):
    """A person speaking Spanish to the skill: every line resolved by the locale's model, as the chat does."""

    def open(self) -> dict:
        return self.say(f"abre {text(self.session.locale).publishing['invocation']}")

    def until_outcome(self, answer_for) -> str | None:
        """Answer every question (``answer_for(question) -> words``) until the session ends or an offer waits."""
        for _ in range(60):
            if self.ended or "offer" in (self.last.get("sessionAttributes") or {}):
                return self.disposition
            self.say(answer_for(self.question))
        raise AssertionError("no outcome after 60 turns")


def call_now(locale: str) -> str:
    return text(locale).phrases["call_now"].replace("{number}", NUMBERS[locale])


# ---- the markets ---------------------------------------------------------------------------------------------

def test_the_three_spanish_markets_are_there_with_their_numbers():
    assert {locale: text(locale).emergency_number for locale in default_locales() if locale.startswith("es-")} == \
        NUMBERS
    assert review_locales() == SPANISH


@pytest.mark.parametrize("locale", SPANISH)
def test_no_english_word_in_anything_a_spanish_locale_says_or_shows(locale):
    english = [(where, word) for where, value in spoken_and_shown(locale) for word in words_of(value)
               if word in ENGLISH and word not in ALLOWED]
    assert english == []


@pytest.mark.parametrize("locale", SPANISH)
def test_the_review_table_a_clinician_signs_is_the_skill_as_it_is(locale):
    path = REVIEW_DIR / f"{locale}.md"
    assert path.exists(), f"run: python -m skill protocol --review {locale}"
    assert path.read_text(encoding="utf-8") == render(locale), f"stale: python -m skill protocol --review {locale}"


# ---- spoken Spanish ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("locale", SPANISH)
def test_every_disposition_is_reached_in_spoken_spanish_with_the_countrys_number(locale):
    reached = {}
    for question in default_protocol().universal:
        conversation = Spanish(locale=locale)
        conversation.open()
        disposition = conversation.until_outcome(lambda asked, wanted=question.id: YES if asked == wanted else NO)
        reached.setdefault(disposition, conversation.speech)
    assert set(reached) >= set(default_protocol().ranks) - {"self_care"}
    conversation = Spanish(locale=locale)
    conversation.open()
    assert conversation.until_outcome(lambda asked: NO) == "self_care"
    assert reached["emergency"].startswith(call_now(locale))
    assert NUMBERS[locale] in conversation.speech  # the safety net names the country's number


@pytest.mark.parametrize("locale", SPANISH)
@pytest.mark.parametrize("words", ["no puedo respirar", "me duele mucho el pecho", "mi esposo se desmayó",
                                   "no siento las piernas", "llame a una ambulancia", "no no puedo respirar"])
def test_an_emergency_said_in_spanish_is_the_instruction_at_once_at_any_moment(locale, words):
    conversation = Spanish(locale=locale)
    conversation.open()
    conversation.say(NO)
    conversation.say(words)
    assert conversation.speech.startswith(call_now(locale)) and conversation.ended


@pytest.mark.parametrize("locale", SPANISH)
# "no, no me duele el pecho": the verb's own "no" comes right after the answer's, and stays a denial
@pytest.mark.parametrize("words", ["no me duele el pecho", "no tengo dolor en el pecho", "respiro bien",
                                   "no, nada de eso", "no no me duele el pecho", "no, no es el peor dolor de mi vida"])
def test_a_spanish_denial_is_never_an_emergency(locale, words):
    conversation = Spanish(locale=locale)
    conversation.open()
    conversation.say(words)
    assert not conversation.ended and not conversation.speech.startswith(call_now(locale))


@pytest.mark.parametrize("locale", SPANISH)
def test_not_sure_help_repeat_back_start_over_and_stop_in_spanish(locale):
    t = text(locale)
    conversation = Spanish(locale=locale)
    conversation.open()
    first = conversation.question
    conversation.say("ayuda")
    assert conversation.question == first and t.questions[first]["simple"] in conversation.speech
    conversation.say("repite")
    assert conversation.question == first
    conversation.say(NO)
    second = conversation.question
    conversation.say("atrás")
    assert conversation.question == first
    conversation.say("empezar de nuevo")
    assert t.phrases["start_over"] in conversation.speech and t.phrases["launch"] in conversation.speech
    conversation.say("para")
    assert conversation.ended and t.phrases["safety_net"].replace("{number}", NUMBERS[locale]) in conversation.speech
    assert second != first
    unsure = Spanish(locale=locale)
    unsure.open()
    unsure.say(UNSURE)
    assert unsure.speech.startswith(call_now(locale)) and t.phrases["unsure_emergency"] in unsure.speech


# ---- the vignettes, in Spanish -------------------------------------------------------------------------------

ENGLISH_RESOLVER = Resolver.for_locale("en-US")


def in_spanish(words: str) -> str:
    """What the person of a vignette says, said in Spanish: the English words' meaning (as the English model
    hears them) in the Spanish locale's own words."""
    heard = ENGLISH_RESOLVER.resolve(words)
    signs = [slot.id for slot in heard.slots.values() if slot.id]
    spanish = text("es-US")
    if heard.name == "SignIntent" and signs and signs[0] in spanish.questions:
        texts = spanish.questions[signs[0]]
        return texts["says"][0] if texts.get("says") else f"tengo {texts['names'][0]}"
    return {"AMAZON.YesIntent": YES, "UnsureIntent": UNSURE, "EmergencyIntent": "es una emergencia",
            "AMAZON.HelpIntent": "ayuda", "AMAZON.RepeatIntent": "repite"}.get(heard.name, NO)


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_every_vignette_answered_in_spoken_spanish_is_never_under_triaged(vignette):
    run = Run(vignette, locale="es-US", translate=in_spanish).go()
    assert rank(default_protocol(), run.outcome) >= default_protocol().rank(vignette["minimum"]), (
        f"UNDER-TRIAGE in Spanish {vignette['id']}: {run.outcome}, needs {vignette['minimum']}: "
        f"{speech_text(run.conversation.last)}")


# ---- the Spanish evaluation set -------------------------------------------------------------------------------

SPANISH_SETS = [nlu_eval_set.annotation_path("es-US"),
                nlu_eval_set.annotation_path("es-US").with_name("es-US.second.annotations.json")]


@pytest.mark.parametrize("spanish_set", SPANISH_SETS, ids=lambda path: path.name.split(".annotations")[0])
def test_the_spanish_evaluation_sets_hear_emergencies_and_never_a_denial_as_one(spanish_set):
    """Written blind, then studied: the two safety numbers are held through the chat (overall accuracy is reported
    by `python -m skill nlu-eval`, not held: exact samples cannot list every way of saying a thing)."""
    [summary] = nlu_eval.evaluate(spanish_set, ("chat",))
    record_nlu_eval(spanish_set, summary)
    right, total = summary.emergency_statements
    assert right / total >= nlu_eval.EMERGENCY_MIN, summary.below_thresholds()
    assert summary.negations_to_emergency == 0


def test_the_launch_is_heard_in_spanish():
    resolver = Resolver.for_locale("es-US")
    assert resolver.resolve(f"Alexa, abre {text('es-US').publishing['invocation']}").name == LAUNCH
