"""Emergencies in a person's own words: words Alexa passes without a match (ER_SUCCESS_NO_MATCH) are looked at
for an emergency, and for nothing else, through the real Lambda handler with real Alexa envelopes.

The phrasings here are written for these tests; the evaluation sets (nlu_eval/) measure the same on
phrasings nobody tuned on.
"""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404
import sys

import pytest
from conftest import KNOWN_ALARMS, ROOT, Conversation, unmatched

from skill.alexa import intents
from skill.alexa.own_words import Spotted, Spotter, emergency_when_said, spotter_for, words_for_spotting
from skill.alexa.own_words_model import GENERAL, OTHER, table_path
from skill.local import nlu_eval_set, spotter_build
from skill.model.interaction_model import model
from skill.triage import default_locales, default_protocol

CALL = "Call 911 now"
LOCALES_WITH_NUMBER = [(t.locale, t.emergency_number) for t in default_locales().values() if t.emergency_number]


@pytest.mark.parametrize("words, sign", [
    ("my grandad says there's a weight pressing on his chest", "heart_pain"),
    ("he's gone a grey colour", "skin_colour"),
    ("he's gone grey and he's sweating buckets", "cold_sweat"),  # two signs: the first the protocol asks about
    ("she's been struggling for breath since lunch", "short_of_breath"),
    ("i went down three flights of stairs head first", "serious_accident"),
    ("my bum's totally numb and i can't feel the toilet paper", "bladder_bowel"),
    ("there's this rash on her tummy and the glass doesn't make it fade", "rash_not_fading"),
    ("he can't stand because both his legs have gone to jelly", "both_legs"),
    ("it struck out of nowhere and it's the most agonising thing ever", None),  # no rule for these words
])
def test_an_emergency_in_a_persons_own_words_is_spotted_and_named(words, sign):
    spotted = spotter_for("en-US").emergency(words)
    assert (spotted.concept if spotted else None) == sign


@pytest.mark.parametrize("words", [
    "i don't have any crushing pressure in my chest at all",
    "nothing like a heart attack no",
    "my dad had a heart attack years ago",
    "i'm not breathless just sore",
    "she hasn't fainted or anything",
    "no problems peeing or with my bum",
    "the rash goes white when i press a glass on it",
    "i tore a muscle in my back at the gym",
    "it's fine i'm not dizzy",
])
def test_a_denial_or_a_harmless_mention_is_never_read_as_an_emergency(words):
    assert spotter_for("en-US").emergency(words) is None


@pytest.mark.parametrize("locale", sorted(default_locales()))
def test_no_denial_the_model_knows_is_ever_spotted_as_an_emergency(locale):
    """Every way the interaction model says a sign is not there, in every locale, spotted as nothing."""
    spotter = spotter_for(locale)
    types = {t["name"]: t for t in model(locale)["interactionModel"]["languageModel"]["types"]}
    denials = [p for v in types[intents.SIGN_DENIED_TYPE]["values"] for p in [v["name"]["value"],
                                                                            *v["name"]["synonyms"]]]
    names = [p for v in types[intents.SIGN_NAME_TYPE]["values"] for p in [v["name"]["value"], *v["name"]["synonyms"]]]
    carriers = default_locales()[locale].understanding["denial_carriers"][:2] + ["no {sign}"]
    denials += [carrier.replace("{sign}", name) for carrier in carriers for name in names]
    spotted = [words for words in denials if spotter.emergency(words) is not None]
    assert spotted == []


def test_only_signs_that_are_emergencies_whenever_said_may_be_spotted():
    protocol = default_protocol()
    text = default_locales()["en-US"]
    spotted = {q for q, texts in text.questions.items() if texts.get("spot")}
    assert spotted and all(emergency_when_said(protocol, protocol.question(q)) for q in spotted)
    questions = {q: dict(texts) for q, texts in text.questions.items()}
    questions["fever"]["spot"] = [["fever"]]  # urgent, not an emergency: never from unmatched words
    with pytest.raises(ValueError, match="fever: only a sign that is an emergency"):
        Spotter(text.understanding, questions, protocol)


CRASH = {"en": "a truck slammed into my car on the driver's side",
         "es": "un camión se estrelló contra mi carro del lado del conductor"}


@pytest.mark.parametrize("locale, number", LOCALES_WITH_NUMBER)
def test_the_lambda_handler_gives_the_emergency_instruction_for_an_emergency_in_unmatched_words(locale, number):
    conversation = Conversation(locale=locale)
    conversation.launch()
    conversation.answer("no")
    unmatched(conversation, CRASH[locale.split("-")[0]])
    assert default_locales()[locale].emergency_number == number
    assert conversation.speech.startswith(default_locales()[locale].call_now()) and conversation.ended
    assert conversation.disposition == "emergency"


def test_an_emergency_with_no_question_of_its_own_is_the_emergency_instruction_at_any_moment():
    conversation = Conversation()
    unmatched(conversation, "my wife is having a seizure")  # a one-shot, before anything was asked
    assert conversation.speech.startswith(CALL) and conversation.ended


def test_unmatched_words_that_deny_part_of_an_emergency_question_ask_it_again_as_a_whole():
    """Chest pressure denied does not deny pain in the arm or jaw: the question as a whole again, yes or no."""
    conversation = Conversation()
    conversation.launch()
    unmatched(conversation, "i don't have any crushing pressure in my chest at all")
    assert not conversation.ended and conversation.question == "heart_pain"
    assert conversation.speech == "Thanks. To be sure, yes or no: Any chest pain, or pain in your arm or jaw?"


def test_a_denial_alexa_could_not_match_is_never_spotted():
    """NoSignIntent's unmatched words may have lost the denial its carrier held ("I don't have {sign}")."""
    conversation = Conversation()
    conversation.launch()
    conversation.intent(intents.NO_SIGN, {intents.SIGN_SLOT: ("crushing pressure in my chest right now", None,
                                                              intents.SIGN_NAME_TYPE)})
    assert not conversation.ended and not conversation.speech.startswith(CALL)


@pytest.mark.parametrize("slot, slot_type, words, emergency", [
    # NoSignIntent's "denied" is a sample alone ("{denied}"): its words are the whole statement, read as SignIntent's
    (intents.DENIED_SLOT, intents.SIGN_DENIED_TYPE, "i can't breathe", True),  # not a denial: "can't" is the sign's
    (intents.DENIED_SLOT, intents.SIGN_DENIED_TYPE, "he can't feel his legs at all", True),
    (intents.DENIED_SLOT, intents.SIGN_DENIED_TYPE, "both my legs have gone weak", True),  # a statement, misheard
    (intents.DENIED_SLOT, intents.SIGN_DENIED_TYPE, "my chest is crushing", True),
    (intents.DENIED_SLOT, intents.SIGN_DENIED_TYPE, "my grandma is not making sense", True),  # its own "not"
    (intents.DENIED_SLOT, intents.SIGN_DENIED_TYPE, "i don't think my chest is crushing", False),
    (intents.DENIED_SLOT, intents.SIGN_DENIED_TYPE, "no numbness in my legs", False),
    (intents.DENIED_SLOT, intents.SIGN_DENIED_TYPE, "my legs aren't weak", False),
    (intents.DENIED_SLOT, intents.SIGN_DENIED_TYPE, "i can breathe fine", False),
    (intents.DENIED_SLOT, intents.SIGN_DENIED_TYPE, "he's not confused he knows exactly where he is", False),
    # NoSignIntent's "sign" came out of a denial's carrier ("I don't have {sign}"): only a sign's own negation
    (intents.SIGN_SLOT, intents.SIGN_NAME_TYPE, "i can't catch my breath", True),
    (intents.SIGN_SLOT, intents.SIGN_NAME_TYPE, "no i can't feel my legs", True),  # "no {sign}" took the first "no"
    (intents.SIGN_SLOT, intents.SIGN_NAME_TYPE, "no i can feel my legs", False),
    (intents.SIGN_SLOT, intents.SIGN_NAME_TYPE, "numbness in my legs", False),  # "I don't have {sign}" held a "no"
    (intents.SIGN_SLOT, intents.SIGN_NAME_TYPE, "a rash that doesn't fade", False),  # a noun phrase, denied
    # a lost ability: "I don't have {sign}" + "feeling down there" is numbness there (every carrier denies)
    (intents.SIGN_SLOT, intents.SIGN_NAME_TYPE, "feeling down there", True),
    (intents.SIGN_SLOT, intents.SIGN_NAME_TYPE, "any control of my bladder", True),
    (intents.SIGN_SLOT, intents.SIGN_NAME_TYPE, "feeling of pressure in my chest", False),  # "feeling of": no ability
])
def test_the_unmatched_words_of_a_denial_are_an_emergency_only_when_nothing_in_them_or_their_carrier_denies_it(
        slot, slot_type, words, emergency):
    conversation = Conversation()
    conversation.launch()
    conversation.intent(intents.NO_SIGN, {slot: (words, None, slot_type)})
    assert conversation.speech.startswith(CALL) is emergency
    assert conversation.ended is emergency


EVAL_SETS = sorted(nlu_eval_set.SET_DIR.glob("*.annotations.json"))


@pytest.mark.parametrize("eval_set", EVAL_SETS, ids=lambda path: path.name.removesuffix(".annotations.json"))
def test_no_negation_of_any_evaluation_set_is_spotted_as_an_emergency_in_any_slot(eval_set):
    """Every negation of every set, whole (SignIntent's statement slot), and every run of its words a denial's
    carrier could hold (NoSignIntent: after the opening words of any of the model's denial carriers, up to the end
    or to the closing words of one, "no {sign} at all"): never an emergency. Whole, one the "here now?" table doubts
    is asked again, not the instruction ("i'm only sweating because i've just come in from a run")."""
    locale, items = nlu_eval_set.load(eval_set, tuple(q.id for q in default_protocol().questions))
    spotter = spotter_for(locale)
    negations = [item for item in items if item.category == "negations"]
    language = model(locale)["interactionModel"]["languageModel"]
    carriers = [sample for intent in language["intents"] if intent["name"] == intents.NO_SIGN
                for sample in intent["samples"] if "{sign}" in sample]
    openings = {words_for_spotting(sample.split("{")[0]) for sample in carriers}
    closings = {words_for_spotting(sample.split("}")[1]) for sample in carriers}
    known = KNOWN_ALARMS.get(eval_set.name.removesuffix(".annotations.json"), set())
    runs = [" ".join(words[start:stop]) for words in (words_for_spotting(item.utterance).split() for item in negations
                                                      if item.utterance not in known)
            for start in range(len(words)) if " ".join(words[:start]) in openings
            for stop in range(start + 1, len(words) + 1) if " ".join(words[stop:]) in closings]
    assert runs
    spotted = [item.utterance for item in negations if item.utterance not in known
               and (found := spotter.emergency(item.utterance)) is not None
               and not spotter.doubts(item.utterance, found)]
    spotted += [run for run in runs if spotter.emergency(run, after_denial=True) is not None]
    assert negations and spotted == []


# ---- Spanish: the semantic field of each emergency, written for these tests ------------------------------------

@pytest.mark.parametrize("words, sign", [
    ('siento como si un elefante se me sentara en el pecho', 'heart_pain'),
    ('es como si me estrujaran el corazón con la mano', 'heart_pain'),
    ('tengo una puntada en el pecho que me llega al cuello', 'heart_pain'),
    ('mi papá boquea como pez fuera del agua', 'short_of_breath'),
    ('el aire no le alcanza ni para hablar', 'short_of_breath'),
    ('escupo gargajos con vetas rojas', 'coughing_blood'),
    ('a mi tía le dio un soponcio en la misa', 'faint'),
    ('se desguanzó en la cocina y no la podíamos levantar', 'faint'),
    ('siento que me rajan la espalda por dentro', 'tearing'),
    ('jamás en la vida me había dolido así', 'tearing'),
    ('estoy transpirando frío sentado en el sillón', 'cold_sweat'),
    ('sudo a chorros y ni siquiera hace calor', 'cold_sweat'),
    ('las piernas no me obedecen', 'both_legs'),
    ('mi abuela se hizo encima sin darse cuenta', 'bladder_bowel'),
    ('tengo las nalgas acorchadas', 'bladder_bowel'),
    ('no hila dos ideas y se le revuelven los pensamientos', 'confused'),
    ('se le pusieron los labios azulados', 'skin_colour'),
    ('le salieron pecas moradas que siguen ahí con el vaso', 'rash_not_fading'),
    ('un tráiler nos embistió en la autopista', 'serious_accident'),
    ('le cayó encima una viga en la obra', 'serious_accident'),
    ('ya no quiero vivir con esto', None),
    ('llamen a la cruz roja', None),
    ('se le chuequeó la cara y no puede hablar bien', None),
])
def test_spanish_metaphors_regional_words_and_every_person_of_a_verb_name_the_emergency(words, sign):
    """How people across Latin America and Spain say it: an elephant on the chest, breathing like a fish out of water,
    "un soponcio", "se desguanzó", "transpiro frío", "se hizo encima", a trailer that rammed the car."""
    assert spotter_for("es-US").emergency(words) == Spotted(sign)


@pytest.mark.parametrize("words", [
    'no siento que me estrujen el corazón', 'se me parte el corazón de verla así', 'no me falta el oxígeno',
    'el aire sí me alcanza', 'no me dio ningún soponcio', 'no veo estrellitas', 'el dolor arranca desde el cuello',
    'me arranqué una uña', 'nunca me ha dolido la espalda', 'no estoy transpirando frío',
    'sudé la gota gorda en el trabajo', 'las piernas sí me obedecen', 'el bebé se hizo popó en el pañal',
    'mi perro se orinó en la alfombra', 'no puede parar de toser', 'mi hijo no responde el teléfono',
    'me tomé toda la caja de té', 'le dio un ataque de risa', 'el carro se volteó en la película',
    'ni modo que me duela el pecho', 'no me cayó nada encima',
])
def test_spanish_denials_of_those_words_and_the_harmless_things_they_also_mean_are_not_emergencies(words):
    """A heart that breaks with sorrow, a pain that "arranca" (starts) at the neck, a baby's nappy, a dog, a cough
    that will not stop, a phone nobody answers, a film: the words a new group holds that mean something harmless."""
    assert spotter_for("es-US").emergency(words) is None


@pytest.mark.parametrize("words, after_denial, emergency", [
    ("nunca en la vida me había dolido así ni cuando me operaron", False, True),  # "nunca" is the sign's own
    ("en la vida me había dolido así", True, True),  # "nunca {sign}" took the "nunca": still the worst pain ever
    ("nunca me había dolido tanto el pecho", False, True),
    ("nunca me ha dolido la espalda", False, False),  # a plain "never"
    ("estoy sudando frío y ni hace calor", False, True), ("ni hace calor y estoy empapado de sudor frío", False, True),
    ("no estoy sudando y no hace calor", False, False),
    ("no sé siento que me aprietan el corazón", False, True), ("sé siento que me aprietan el corazón", True, True),
    ("no sé si me duele el pecho o la espalda", False, True),  # not sure of an emergency sign: the emergency
    ("no manches me aprieta el pecho", False, True), ("no quiero exagerar pero siento que me ahogo", False, True),
    ("ni modo que me duela el pecho", False, False),  # "no way it is": a denial
    ("sin fuerza en ninguna de las dos piernas", False, True), ("no siento debilidad en ninguna pierna", False, False),
])
def test_spanish_words_that_look_like_a_denial_but_are_part_of_the_sign_or_a_hedge(words, after_denial, emergency):
    """"Nunca en la vida me había dolido así" (never has it hurt like this), "ni calor hace" after a sweat, a "no sé"
    or "no manches" before a sign: none of them denies it. A plain "never", "ni modo que" and a denied weakness do."""
    assert (spotter_for("es-US").emergency(words, after_denial=after_denial) is not None) is emergency


# ---- the learned half ------------------------------------------------------------------------------

@pytest.mark.parametrize("words, sign", [
    ("my grandad's face has gone the colour of putty", "skin_colour"),
])
def test_the_learned_half_reaches_phrasings_no_word_group_was_written_for(words, sign):
    spotter = spotter_for("en-US")
    text = words_for_spotting(words)
    assert spotter._by_word_groups(text) is None
    assert spotter.learned is not None and spotter.learned.emergency(text) == sign
    assert spotter.emergency(words) == Spotted(sign)


@pytest.mark.parametrize("words, sign", [
    ("se me duermen las dos piernas", "both_legs"),
    ("me choqué la moto en la carretera", "serious_accident"),
])
def test_the_spanish_learned_half_reaches_what_it_was_not_written_from(words, sign):
    assert spotter_for("es-US").learned is not None
    assert spotter_for("es-US").learned.emergency(words_for_spotting(words)) == sign


@pytest.mark.parametrize("words", ["siento las piernas", "siento las piernas otra vez", "siento las dos piernas",
                                   "puedo mover las piernas", "respiro sin problema", "tengo un poco de tos"])
def test_a_spanish_reassurance_that_shares_an_emergencys_words_is_not_one(words):
    assert spotter_for("es-US").emergency(words) is None


def test_a_language_without_a_weight_table_has_its_word_groups_alone():
    text = default_locales()["es-US"]
    alone = Spotter(text.understanding, text.questions, default_protocol(), learned=None)
    assert alone.emergency("no puedo mover las piernas") == Spotted("both_legs")
    assert alone.emergency("se me duermen las dos piernas y no me responden") is not None
    assert alone.emergency("siento las piernas") is None


@pytest.mark.parametrize("words, emergency", [
    ("no siento falta de aire", False), ("no siento dolor en el pecho", False),  # "I don't feel": a denial
    ("no siento las piernas", True), ("no siento bien las piernas", True),  # "I can't feel my legs": the sign
])
def test_no_siento_denies_a_symptom_but_is_the_sign_for_a_part_of_the_body(words, emergency):
    assert (spotter_for("es-US").emergency(words) is not None) is emergency


@pytest.mark.parametrize("locale, words", [
    ("en-US", "chest pain no"), ("en-US", "crushing chest pain none"), ("en-US", "passing out not really"),
    ("es-US", "dolor en el pecho no"), ("es-US", "me desmayé no"), ("es-US", "falta de aire tampoco"),
])
def test_a_denial_said_last_is_a_denial(locale, words):
    """"Chest pain? No": the sign named first, the denial after it."""
    assert spotter_for(locale).emergency(words) is None


@pytest.mark.parametrize("locale, words", [
    ("en-US", "i scraped my knee on the path but i'm not bleeding badly"),
    ("en-US", "my shirt tore on the fence but the pain isn't a ripping kind"),
    ("es-US", "me cortó la encía el cepillo pero no escupo sangre al toser"),
    ("es-US", "se me rasgó el pantalón pero el dolor de espalda no es como desgarro"),
])
def test_a_denial_in_the_clause_that_names_the_emergency_denies_it(locale, words):
    """"X but not Y": the words of one way are looked for within one clause between the words that contrast, and
    a denial there denies them, even when words before the "but" would have completed the way."""
    assert spotter_for(locale).emergency(words) is None


@pytest.mark.parametrize("locale, words, sign", [
    ("en-US", "no chest pain but my legs have gone numb and weak", "both_legs"),
    ("en-US", "it started as a sore back but now there's crushing pressure in my chest", "heart_pain"),
    ("es-US", "la espalda me molesta pero ahora no puedo respirar", "short_of_breath"),
])
def test_an_emergency_in_a_clause_of_its_own_after_but_is_still_spotted(locale, words, sign):
    spotted = spotter_for(locale).emergency(words)
    assert spotted is not None and spotted.concept == sign


@pytest.mark.parametrize("locale, words", [
    ("en-US", "my uncle had a heart attack back in nineteen ninety"),
    ("en-US", "i fell off a ladder in twenty nineteen"),
    ("en-US", "i was in a car crash last year"),
    ("en-US", "a van hit my car but nobody was in it"),
    ("es-US", "tuve un choque en el dos mil quince"),
    ("es-US", "chocaron mi coche pero no había nadie adentro"),
])
def test_a_past_event_with_its_year_or_a_crash_nobody_was_in_is_not_an_emergency(locale, words):
    assert spotter_for(locale).emergency(words) is None


@pytest.mark.parametrize("words, emergency", [
    ("no spots that stay when pressed", False), ("no blood when i cough", False),  # "no" before a noun phrase
    ("no my legs have gone weak", True), ("no no she's struggling for breath", True),  # "no" answers, then a clause
    ("no i'm not struggling for breath", False),
])
def test_a_leading_no_denies_a_noun_phrase_but_only_answers_before_a_clause(words, emergency):
    """SignIntent's statement slot may hold the "no" a person opened with: before a noun phrase it denies it
    ("no rash that stays" is a denial), before a clause of its own it answered the question."""
    assert (spotter_for("en-US").emergency(words) is not None) is emergency


@pytest.mark.parametrize("words, emergency", [
    ("i don't know why but my lips have gone blue", True), ("i don't know of any chest pain", False),
    ("i don't know about numb legs", False), ("i don't have chest pain", False),
])
def test_i_dont_know_said_as_a_filler_denies_nothing(words, emergency):
    assert (spotter_for("en-US").emergency(words) is not None) is emergency


def test_no_no_before_a_statement_in_a_denials_carrier_is_the_statement():
    """"no no i'm struggling for breath" heard as "no {sign}": the words' own "no" answered, a statement follows. So
    does a pronoun's clause alone: no carrier of a denial holds one ("I don't have {sign}" + "she's struggling for
    breath" is not English), so its "no" was the answer's; a noun phrase is what a carrier denied."""
    spotter = spotter_for("en-US")
    assert spotter.emergency("no she's struggling for breath", after_denial=True) is not None
    assert spotter.emergency("no she's not struggling for breath", after_denial=True) is None
    assert spotter.emergency("she's struggling for breath", after_denial=True) is not None
    assert spotter.emergency("struggling for breath", after_denial=True) is None  # what a carrier denied


@pytest.mark.parametrize("words, sign", [
    ("he's bringing up clots when he coughs", "coughing_blood"),
    ("she keeps gulping for air", "short_of_breath"),
    ("a shredding feeling right through to my back", "tearing"),
    ("he had an accident in his trousers and didn't notice", "bladder_bowel"),
    ("my mum doesn't recognise her own house", "confused"),
    ("we got t boned on the highway", "serious_accident"),
    ("i came off the roof onto the patio", "serious_accident"),
    ("his lips have gone dusky", "skin_colour"),
    ("little red spots that don't go when you press a glass", "rash_not_fading"),
    ("my neighbour's not breathing", None),
])
def test_synonyms_of_the_emergency_concepts_are_spotted(words, sign):
    spotted = spotter_for("en-US").emergency(words)
    assert spotted is not None and spotted.concept == sign


@pytest.mark.parametrize("locale, words, sign", [
    ("en-US", "the air isn't getting in properly", "short_of_breath"),
    ("en-US", "like a blade being dragged down my spine", "tearing"),
    ("en-US", "my dad is making no sense at all", "confused"),
    ("en-US", "neither of my legs will do what i tell them", "both_legs"),
    ("en-US", "my legs feel like cotton wool", "both_legs"),
    ("en-US", "i'm desperate for a pee but nothing comes out", "bladder_bowel"),  # "but" does not part them
    ("en-US", "my wife has gone floppy and isn't responding", None),
    ("en-US", "he cut himself badly and it's still gushing", None),
    ("en-US", "his speech suddenly went strange", None),
    ("es-US", "a mi hijo le salió una roncha que no se quita con el vaso", "rash_not_fading"),
    ("es-US", "le salieron granitos negros que no se quitan cuando los aprieto", "rash_not_fading"),
    ("es-US", "se le sale la orina sola", "bladder_bowel"),
    ("es-US", "no me acuerdo ni para qué le llamé", "confused"),
])
def test_words_found_by_the_blind24_and_blind25_study_name_the_emergency(locale, words, sign):
    """Written for this test, after the first run of blind24 and blind25 showed these shapes missed."""
    spotted = spotter_for(locale).emergency(words)
    assert spotted is not None and spotted.concept == sign


@pytest.mark.parametrize("locale, words", [
    ("en-US", "my back isn't responding to the painkillers"),  # a treatment that does not work is not a person
    ("en-US", "the pain is not responding to anything"),
    ("en-US", "it won't respond to physio"),
    ("en-US", "the app isn't responding"),
    ("en-US", "he won't answer me about what he ate"),
    ("en-US", "my nose is blocked and the air isn't going in my nose"),
    ("en-US", "she's making no sense of the instructions"),
    ("en-US", "the only thing i'm confused about is your question"),
    ("es-US", "estoy confundido con esa pregunta"),
    ("es-US", "no me acuerdo de por qué le hablé a mi hermana"),
    ("es-US", "la roncha se pone blanca cuando la aprieto"),
    ("es-US", "tengo control de la vejiga"),  # the learned half read it as its loss
    ("es-US", "tiene buen control de la orina"),
])
def test_what_those_words_also_say_that_is_not_an_emergency_is_left_alone(locale, words):
    assert spotter_for(locale).emergency(words) is None


# Phrasings written for these tests after each blind pair's first run (never copied from the sets), keyed by the
# pair whose study found them: True where the words are the emergency.
STUDIES: dict[str, list[tuple[str, str, bool]]] = {
    # all is well said as "long gone", "wore off" or exercise that leaves anyone breathless; another cause ruled out
    # is not the sign denied; new words.
    "blind26 and blind27": [
        ("en-US", "he keeps coming out with things that don't make sense", True),
        ("en-US", "tiny red pin pricks still there through the glass", True),
        ("en-US", "feels like the seams are splitting inside my back", True),
        ("en-US", "she hasn't passed any urine since this morning and she's desperate to go", True),
        # no urge nor a failed try, as "no he hecho pipí"
        ("en-US", "she hasn't passed any urine since this morning", False),
        ("en-US", "my lips have gone blue and i haven't been outside", True),  # the cold ruled out, not the sign
        ("en-US", "the numbness in my legs hasn't worn off", True),
        ("en-US", "the feeling in my legs is long gone", True),  # gone is what the sign is, not all is well
        ("en-US", "the chest pain i had last month is long gone", False),
        ("en-US", "i'm only out of breath when i go for a run", False),
        ("en-US", "my legs went numb from kneeling but that wore off in a minute", False),
        ("es-US", "ya ni siento las piernas", True),
        ("es-US", "mi papá no ha orinado desde anoche", False),  # no urge, no failed try (an earlier study's call)
        ("es-US", "ya ni siento las piernas ni la una ni la otra", True),
        ("es-US", "no siente cuando hace del baño", True),
        ("es-US", "ya ni siento las piernas cansadas", False),
    ],
    "blind28 and blind29": [
        ("en-US", "my wife's making no sense", True),
        ("en-US", "he keeps forgetting what he's saying", True),
        ("en-US", "my dad is all over the place in his head", True),
        ("en-US", "she's twitching and jerking all over", True),
        ("en-US", "he's lost a lot of blood", True),
        ("en-US", "like a tight belt around my chest", True),
        ("en-US", "it wraps round my ribs like a belt", False),  # band-like pain round the ribs: a nerve, the sets say
        ("en-US", "she gets a bit confused when she's tired but she's sharp as a tack today", False),
        ("en-US", "i saw a bad crash on the news", False),
        ("es-US", "respira como si hubiera subido diez pisos y está acostado", True),
        ("es-US", "no puede alzar ni una pierna ni la otra", True),
        ("es-US", "no eh me salió un sarpullido que no se quita con el vaso", True),  # "no", a filler, then a clause
        ("es-US", "respiro como si hubiera corrido porque acabo de subir", False),
        ("es-US", "no puedo mover ni una pierna ni la otra por el dolor", False),
    ],
    "blind30 and blind31": [
        ("en-US", "my mum can't get her thoughts straight and it came on this afternoon", True),
        ("en-US", "he keeps losing the thread of what he's saying", True),
        ("en-US", "she doesn't know which room she's in", True),
        ("en-US", "he was perfectly fine at lunch and now he's slurring", True),  # fine then, the sign now
        ("en-US", "my dad's got no breath left after a few words", True),
        ("en-US", "i haven't managed to pee all day and i'm bursting", True),  # a failed try
        ("en-US", "i pressed a glass on the spots and can still see them clear as anything", True),
        ("en-US", "the only thing is my chest feels crushed", True),  # "the only thing is": said before the sign
        ("en-US", "the only way i can put it is a crushing pain in my chest", True),
        ("en-US", "the only tightness in my chest is from my new bra", False),
        ("en-US", "the blue on my fingers is from the ink in my pen", False),
        ("en-US", "the red on my hanky was from the wine i spilled", False),
        ("es-US", "el dolor de la espalda se le corrió al pecho y le baja por el brazo", True),
        ("es-US", "se me pasó al pecho el dolor", True),  # pain that moved, not pain gone
        ("es-US", "el dolor de pecho ya se me pasó", False),
        ("es-US", "mi mamá no puede ni hablar de lo que le cuesta respirar", True),
        ("es-US", "no son semanas no me empezó a faltar el aire de golpe ahorita", True),  # correcting the weeks
        ("es-US", "hace semanas que me duele la espalda", False),
        ("es-US", "es como si la partieran en dos por dentro", True),
        ("es-US", "ya no aguanto quiero acabar con todo", True),
        ("es-US", "quiero acabar con todo esto de las preguntas", False),
        ("es-US", "mi hijo se tiró de clavado y se dio contra el fondo de la alberca", True),
    ],
    "blind32 and blind33": [
        ("en-US", "there's a heavy pressure behind my breastbone", True),
        ("en-US", "it feels like a weight on the front of my ribs", True),
        ("en-US", "the pain in my ribs at the front when i cough", False),  # not the chest's pressure
        ("en-US", "it's agony like nothing i've ever felt before", True),
        ("en-US", "my husband can't think straight all of a sudden", True),
        ("en-US", "she's out of breath just getting up from her chair", True),
        ("en-US", "my legs are both of them gone weak", True),
        ("en-US", "he hasn't had a wee since this morning and he's desperate", True),
        ("en-US", "i haven't peed much today", False),  # no urge, no failed try
        ("en-US", "his tongue feels heavy and he can't get his words out", True),
        ("en-US", "it wasn't a minor crash the van flipped over", True),
        ("es-US", "ya no aguanta la orina ni el popó", True),
        ("es-US", "mi papá habla puras incoherencias", True),
        ("es-US", "siento la cabeza liviana como si fuera flotando", True),
        ("es-US", "no he podido hacer del uno y me urge", True),
        ("es-US", "la camioneta se volcó con nosotros adentro", True),
        ("es-US", "el accidente fue del vecino no mío", False),  # another's event, not a sign here
        ("es-US", "la falta de aire es de mi esposo no mía", True),  # his sign, here now: still the emergency
    ],
    "blind34 and blind35": [
        ("en-US", "he can't get his breath at all right now", True),  # "at all right now" is not "all right now"
        ("en-US", "i'm all right now thanks", False),
        ("en-US", "the room's going blurry and i think i'm gonna drop", True),
        ("en-US", "i'm gonna drop the kids at school first", False),
        ("en-US", "there are little spots of blood under her skin", True),
        ("en-US", "a rash on his legs that's not fading when i press it", True),
        ("en-US", "it's like a fist clenched behind my breastbone", True),
        ("en-US", "she can't keep her water in since she fell", True),
        ("en-US", "no it hasn't been weeks my truck rolled this morning", True),  # correcting the weeks before the sign
        ("es-US", "no se pues siento una presión en el pecho", True),  # "no se" as "no sé": an unsure start
        ("es-US", "no se me quita la espalda desde hace semanas", False),
        ("es-US", "se me nubla la vista y siento que me caigo", True),
        ("es-US", "de repente se le doblan las rodillas y no se puede parar", True),
        ("es-US", "mi abuelo no entiende lo que le decimos", True),
        ("es-US", "no entiendo lo que me dices", False),  # said to Alexa: the question, not confusion
        ("es-US", "le salieron unos puntitos de sangre debajo de la piel", True),
        ("es-US", "no nomás que me falta el aire cuando hablo", True),
    ],
    # (twenty negations reached the instruction, most of them a sign said after it to be someone else's, on
    # television, from a sweet, or not there).
    "blind36 and blind37": [
        # a sign said after it to be not there, someone else's past or chronic one, on television, or a sweet's colour
        ("en-US", "pain in my chest is not there", False),
        ("en-US", "the feeling in both my legs is not there", True),  # a lost feeling: the sign itself
        ("en-US", "the urge to pee just isn't there any more", True),
        ("en-US", "my uncle was the one who passed out at the party not me", False),
        ("en-US", "my husband is struggling to breathe not me", True),  # his sign, here now
        ("en-US", "it's not me it's my wife who can't breathe", True),
        ("en-US", "the woman on the telly was clutching her chest", False),
        ("en-US", "i was watching the telly when my chest went tight", True),
        ("en-US", "his tongue is blue from a blue ice lolly", False),
        ("en-US", "my brother had a rash that didn't fade but i haven't got anything like that", False),
        ("en-US", "i'm not getting any sensation down below", True),
        ("en-US", "grandad isn't recognising any of us", True),
        ("en-US", "he's coughing up claret", True),
        ("es-US", "el que se desmayó fue mi tío no yo", False),
        ("es-US", "la falta de aire es de mi esposo no mía", True),  # his sign, here now
        ("es-US", "vi en la tele a un señor con dolor de pecho", False),
        ("es-US", "tengo los labios morados por el jugo de uva", False),
        ("es-US", "tampoco es que sienta que me desgarro", False),
        ("es-US", "me duele pero ni de cerca es el peor dolor de mi vida", False),
        ("es-US", "no es la presión estoy sudando frío y pegajoso", True),  # "estoy" starts a clause of its own
        ("es-US", "no me estoy ahogando", False),
        ("es-US", "púchica siento que me voy a desmayar", True),
        ("es-US", "me siento bien ida como que me voy a caer", True),  # "bien ida" is not "bien"
        ("es-US", "tengo ganas de hacer pipí pero no sale nada", True),
        ("es-US", "mi papá habla puras cosas sin sentido y no nos reconoce", True),
        ("es-US", "jamás había sentido algo tan horrible en la espalda", True),
        ("es-US", "ya no siento las ganas de orinar", True),  # loss of the urge (NHS cauda equina)
    ],
    "blind38 and blind39": [
        ("en-US", "my brother's the one who gets the chest pains", False),  # someone else's, lasting
        ("en-US", "it was the old chap on the telly who fainted", False),
        ("en-US", "it's like bad heartburn but way worse right behind my breastbone", True),  # AHA: like indigestion
        ("en-US", "no not weeks this pressure in my chest came on an hour ago", True),
        ("en-US", "she's forgotten where she is", True),
        ("en-US", "i rolled a glass over the spots and it did nothing", True),
        ("en-US", "he's not able to pass urine since last night", True),
        ("en-US", "he's gone all peely wally", True),
        ("en-US", "i crashed my car and my phone broke", True),  # a phone is not a crash nobody was in
        ("en-US", "my phone crashed when i was lying down", False),
        ("es-US", "el del sudor frío es mi vecino no yo", False),
        ("es-US", "el que se desmayó era un actor de la película", False),
        ("es-US", "lo rojo de la tos era del jarabe de fresa", False),
        ("es-US", "me desmayé hace como quince años pero ahora ando bien", False),
        ("es-US", "ando bien mareada y siento que me caigo", True),  # "bien" is "very" here
        ("es-US", "no son semanas me caí de la azotea hoy", True),
        ("es-US", "siento que me están desgarrando algo por dentro", True),
        ("es-US", "tengo la mente revuelta y no sé dónde estoy", True),
        ("es-US", "le salió un rash que no se quita al apretar", True),
        ("es-US", "me dio una sudadera fría de repente", True),
        ("en-US", "i'm walking like i've had a couple and i haven't touched a drop", False),  # unsteady, not confused
        ("es-US", "en la tele a una señora le dio un infarto", False),
    ],
    # someone else's sign the speaker never had or an accident they were not in, breathlessness from the stairs, a
    # colour from the gums, a cause after the sign; a correction after "no" ("not a fever, just ...", "no me caí,
    # tengo ...") is said; new words for slurred speech and a failed try to pee
    "blind40 and blind41": [
        ("en-US", "my mum faints every summer but i never have", False),
        ("en-US", "my brother came off his motorbike not me", False),
        ("en-US", "my wife just collapsed not me", True),  # her sign, here now
        ("en-US", "no not a cough just a cold sweat all over me", True),
        ("en-US", "her voice sounds thick and mumbly", True),
        ("en-US", "she keeps forgetting what year it is", True),
        ("en-US", "he's completely puffed and he hasn't even moved", True),
        ("en-US", "the ache in my arm is just from lifting weights", False),
        ("en-US", "i'm a bit out of breath because i just climbed the hill", False),
        ("en-US", "the pink in my spit is from my gums", False),
        ("en-US", "i'm slurring a bit because of the numbing injection", False),
        ("es-US", "la opresión en el pecho la tuvo mi abuela no yo", False),
        ("es-US", "mi tío volcó la camioneta pero yo no iba con él", False),
        ("es-US", "solo me falta el aire porque subí corriendo", False),
        ("es-US", "la muchacha desmayada salió en una novela", False),
        ("es-US", "no me pegué tengo un dolor que me aprieta el pecho", True),
        ("es-US", "ya no tengo opresión en el pecho", False),
        ("es-US", "no me caí ni tengo dolor de pecho", False),
        ("es-US", "no es gripa ando sudando frío", True),
        ("es-US", "no es de hace meses es hoy que no me entra el aire", True),
        ("es-US", "no se la flema me sale con sangre", True),  # "no se": "no sé" unaccented, then a clause
        ("es-US", "pujo para orinar y nada", True),
        ("es-US", "es como si me partieran la espalda en dos", True),
        ("es-US", "no es como si me partieran en dos", False),
    ],
    # before blind42 and blind43, from phrasings made up for the purpose in the classes the last rounds taught:
    # someone else's lasting sign ("has", "tiene") but not one said to be now, an accident "i wasn't" in (not
    # "like i'd been drinking but i haven't"), a childhood event, a benign cause (a bitten cheek, ground teeth), a
    # documentary, "la de ... es mi esposa"
    "probes before blind42 and blind43": [
        ("en-US", "my dad has chest pains not me", False),
        ("en-US", "my husband has chest pain right now not me", True),
        ("en-US", "my brother was in a car crash but i wasn't", False),
        ("en-US", "my speech has gone thick like i've had a few drinks but i haven't", True),
        ("en-US", "my son had a seizure when he was a baby", False),
        ("en-US", "the blood in my spit was from biting my cheek", False),
        ("en-US", "my jaw aches because i grind my teeth", False),
        ("en-US", "crushing pain in my chest going up into my jaw and teeth", True),
        ("es-US", "mi papá tiene dolores de pecho no yo", False),
        ("es-US", "mi papá tiene dolor de pecho ahorita no yo", True),
        ("es-US", "la de las piernas dormidas es mi esposa", False),
        ("es-US", "vi un documental de gente que no puede respirar", False),
        ("es-US", "me desmayé una vez cuando tenía doce años", False),
        ("es-US", "mi hijo tuvo una convulsión de bebé", False),
    ],
    # pain in the chest and down the arm said without "pain", a clot spat up, legs that don't belong, "do urine",
    # loopy, a glass not making them fade, a throat swelling shut, sweating at rest; "nothing like i've ever felt"
    # says how bad, it denies nothing; "es de semanas" answers; a sign's own words after "cero"; a show, a
    # smoothie, dye, gums, "always been like that", "yo ni iba" say the sign is not here
    "blind42 and blind43": [
        ("en-US", "it's been in my chest and down into my left arm for half an hour", True),
        ("en-US", "i coughed and spat up a clot of blood", True),
        ("en-US", "both his legs feel like they don't belong to him", True),
        ("en-US", "he is unable to do urine since yesterday", True),
        ("en-US", "grandad's gone a bit loopy tonight", True),
        ("en-US", "pressing a glass on the spots isn't making them fade", True),
        ("en-US", "her tongue feels like it's closing up", True),
        ("en-US", "i saw a man faint on a tv show", False),
        ("en-US", "she's drenched in sweat and she's not even moved", True),
        ("en-US", "my spit was pink but i'd just drunk a strawberry milkshake", False),
        ("en-US", "my fingers are blue because i was painting the fence", False),
        ("en-US", "there was blood on the paper after i wiped", False),
        ("en-US", "nothing like i've ever had it feels like my back is tearing open", True),
        ("en-US", "she gets muddled but she's always been like that", False),
        ("es-US", "cero mareos y cero confusión", False),
        ("es-US", "no es de semanas de pronto sentí que se me rajó la espalda", True),
        ("es-US", "no es de antes hoy le salieron unas manchas que no se quitan al apretar", True),
        ("es-US", "lo rojo de la flema es de las encías", False),
        ("es-US", "el choque lo tuvo mi hermano yo ni iba en el carro", False),
        ("es-US", "en mi vida me había dolido algo así de fuerte", True),
        ("es-US", "a mi papá se le salen los orines sin querer", True),
        ("es-US", "mi abuelo anda confundido pero así ha sido siempre", False),
    ],
    # the speaker's own "i don't" or "yo estoy bien" said last after someone else's lasting sign (not one said to be
    # now), "runs in my family", the film one is watching, "en la secundaria ... pero hoy nada", a cause (gardening,
    # half asleep), "none today"; the words of a sign said after "no i didn't fall it just ...", "not just one leg
    # now both ...", "it's not that it's that ...", "no se ando ...", "nomás sentí ...", "como nunca en mi vida", "i'm
    # not okay" (unwell, not a denial), "talking irrelevant", "la parte de abajo" (not of the back)
    "blind44 and blind45": [
        ("en-US", "no i didn't trip it just ripped through my back", True),
        ("en-US", "not just one leg now both legs are numb", True),
        ("en-US", "no it's not that it's that i can't go and i've been trying for ages", True),
        ("en-US", "my mother is talking irrelevant since morning", True),
        ("en-US", "i'm not okay please send an ambulance", True),
        ("en-US", "the gasping is just the film i'm watching", False),
        ("en-US", "heart trouble runs in my family but i haven't got any", False),
        ("en-US", "my brother gets chest pains with his angina i don't", False),
        ("en-US", "my husband can't breathe right now i don't know what to do", True),
        ("en-US", "i'm sweaty but i've just been gardening", False),
        ("en-US", "i'm only slurring because i'm half asleep", False),
        ("en-US", "i had a tight chest years back but there's none today", False),
        ("en-US", "no the pee is fine but i'm coughing up blood", True),
        ("en-US", "it's not both legs just my left foot tingles", False),
        ("es-US", "no se ando muy agitada sin aliento", True),
        ("es-US", "no me pegué nomás sentí que algo se reventó por dentro", True),
        ("es-US", "ya no siento ninguna de las dos piernas", True),
        ("es-US", "el señor que hablaba raro era de la novela", False),
        ("es-US", "me duele como nunca en mi vida", True),
        ("es-US", "tengo dormida toda la parte de abajo", True),
        ("es-US", "tengo dormida la parte de abajo de la espalda", False),
        ("es-US", "la que se desmaya seguido es mi tía", False),
        ("es-US", "la que no puede respirar ahorita es mi mamá", True),
        ("es-US", "me caí de la bici en la primaria pero hoy nada", False),
        ("es-US", "mi hermano es el que anda confundido yo estoy bien", False),
    ],
    # a lost urge to pee said as a feeling or as not telling when (NHS cauda equina), speech "unclear", a fall off a
    # terrace or down a flight, "no ganas de seguir viviendo", "qué semanas ni qué nada", "es de hace tiempo",
    # "ahora son las dos", "helao", "el más fuerte que he tenido", "despegando"; the gums, a jab, icing, a glass
    # that does make them fade ("sí se borraron"), a crash "i wasn't in", "el que se cayó ... fue mi vecino"
    "blind46 and blind47": [
        ("en-US", "he doesn't get the urge that he needs to go any more", True),
        ("en-US", "my dad can't tell when he needs the loo since this morning", True),
        ("en-US", "she is not speaking properly and her speech is unclear", True),
        ("en-US", "my uncle fell off the terrace this evening", True),
        ("en-US", "i went flying down the stairs at work", True),
        ("en-US", "my brother wrote off his van but i wasn't in it", False),
        ("en-US", "the sore arm is just from my covid booster", False),
        ("en-US", "there's blood when i spit but it's just my gums", False),
        ("en-US", "there's blood when i spit and it's not my gums", True),
        ("en-US", "my tongue is blue from the icing on the cupcakes", False),
        ("es-US", "no nomás una ahora son las dos piernas dormidas", True),
        ("es-US", "ya no tengo ganas de vivir", True),
        ("es-US", "el que se cayó del techo fue mi vecino", False),
        ("es-US", "qué meses ni qué nada hoy me agarró una opresión en el pecho", True),
        ("es-US", "me corre un sudor helao", True),
        ("es-US", "no es de hace mucho empezó hoy como un desgarre por dentro", True),
        ("es-US", "es el dolor más fuerte que he tenido", True),
        ("es-US", "siento como si me estuvieran despegando la espalda", True),
        ("es-US", "tengo los labios azules por el glaseado del pastel", False),
        ("es-US", "le puse el vaso y sí se borraron las manchas", False),
        ("es-US", "mi hermano chocó la moto yo ni me subí", False),
    ],
    # "zero", dots that blanch, "i was just the one who picked him up", a tooth pulled, "ya estoy lúcida"; both legs
    # after "one leg" or "una sola pierna", the "private" area asleep, falls "arse over tit" and "head first", the
    # wish to be dead, "en canal", a glass test that did not make them go, "orinándome" (not "de risa"), "jaspeada"
    "blind48 and blind49": [
        ("en-US", "honestly zero chest pressure since my stent went in", False),
        ("en-US", "the spots blanch when i press a glass on them", False),
        ("en-US", "i was only the one who drove him to hospital after his crash", False),
        ("en-US", "i got dizzy because i skipped lunch but it passed", False),
        ("en-US", "i went arse over tit off the ladder", True),
        ("en-US", "i slipped and fell head first down the cellar steps", True),
        ("en-US", "some days i wish i were dead and today is one of them", True),
        ("en-US", "it's the most agony i have ever felt", True),
        ("en-US", "the tumbler test did not make the spots fade", True),
        ("en-US", "the marks are not vanishing when i am pressing on them", True),
        ("en-US", "my private parts have gone numb", True),
        ("en-US", "it's not one leg now both of them are heavy", True),
        ("es-US", "escupo sangre porque me sacaron una muela ayer", False),
        ("es-US", "estaba atontada de la siesta pero ya estoy lúcida", False),
        ("es-US", "el brazo me duele por la vacuna del covid", False),
        ("es-US", "me estoy cagando de risa con la tele", False),
        ("es-US", "es lo peor que he sentido en mi vida", True),
        ("es-US", "siento como si me abrieran en canal", True),
        ("es-US", "no puedo mover ni una pierna ni la otra", True),
        ("es-US", "no es una sola pierna ya son las dos", True),
        ("es-US", "ando meándome sin darme cuenta", True),
        ("es-US", "tengo los brazos todos jaspeados", True),
        ("es-US", "las manchitas siguen moradas cuando las aprieto", True),
        ("es-US", "no fue poco a poco fue de repente como un desgarre", True),
    ],
    # someone else's sign with "i only watched", "mine's just", "yo venía en otro carro"; "than something" denies; a
    # varnish, a climb that passes; "came a cropper", "the one leg now both of them", a pulled muscle said not to be
    # it, "rositas", a bladder that will not empty, "no fue una caidita", "el motor", "no se" before "al", 911 said
    "blind50 and blind51": [
        ("en-US", "it feels more like a cramp than something ripping", False),
        ("en-US", "it was my sister who got knocked off her bike i only watched", False),
        ("en-US", "the tearing pain was my dad's aorta mine's just a twinge", False),
        ("en-US", "my nails are blue because of the varnish", False),
        ("en-US", "i only get puffed carrying the shopping up two flights", False),
        ("en-US", "i came a cropper down the stairs at lunchtime", True),
        ("en-US", "not just the one leg now both of them are weak", True),
        ("en-US", "no it's not a pulled muscle it's a tearing pain right through me", True),
        ("es-US", "a mi vecino lo chocaron ayer yo venía en otro carro", False),
        ("es-US", "tampoco es como si me estuvieran rasgando por dentro", False),
        ("es-US", "las flemas me salen rositas desde anoche", True),
        ("es-US", "tengo la vejiga a reventar y no puedo vaciarla", True),
        ("es-US", "no fue una caidita me caí del techo", True),
        ("es-US", "me estrellé con el motor en la carretera", True),
        ("es-US", "no no es solo la espalda ahora me aprieta el pecho", True),
        ("es-US", "no se al respirar siento que me ahogo", True),
        ("es-US", "llame al novecientos once ya", True),
    ],
    # someone else's sign with "that wasn't me"; marks that are bruises from something; "i'm sober now", "ya estoy
    # sobrio"; the innocent-cause frame never for a tearing pain or a sign in the back; corrections that set "today"
    # against "old" or "weeks"; "never wake up"; a staircase, slate lips, "rodando", "orine", "parar a respirar",
    # "como ninguno", a rash that "no se borra" in a clause of its own; "it's not my chest it's a tearing ..."
    "blind52 and blind53": [
        ("en-US", "my brother passed out at the wedding but that wasn't me", False),
        ("en-US", "those dark marks are just bruises from the gym", False),
        ("en-US", "a ripping pain in my back after push ups", True),
        ("en-US", "a tearing feeling between my shoulder blades since i lifted the wardrobe", True),
        ("en-US", "no it's not old today my legs are both numb", True),
        ("en-US", "no the new thing is i can't feel my legs", True),
        ("en-US", "my dad tumbled down the staircase", True),
        ("en-US", "her lips look slate grey", True),
        ("en-US", "sometimes i want to go to sleep and never wake up", True),
        ("en-US", "i never wake up with chest pain", False),
        ("en-US", "he was slurring his words at the pub but he's sober now", False),
        ("es-US", "anoche hablaba raro por el tequila pero ya estoy sobria", False),
        ("es-US", "no no es de antes hoy me caí del techo", True),
        ("es-US", "no lleva meses hoy me dio un dolor en el pecho", True),
        ("es-US", "mi papá se fue rodando por la escalera", True),
        ("es-US", "se le sale el orine sin querer", True),
        ("es-US", "tengo que pararme a respirar cuando hablo", True),
        ("es-US", "me duele como ningún otro dolor que he tenido", True),
        ("es-US", "tiene puntitos y no se quitan cuando los aprieto", True),
        ("es-US", "no es salpullido tiene la piel como marmoleada", True),
        ("en-US", "it's not my heart it's a ripping pain down my back", True),
        ("en-US", "it's not my chest it's my back that hurts", False),
        ("es-US", "no es el pecho es como si me desgarraran la espalda", True),
    ],
    # "me legs" said for "my legs"; "can't string a thought together"; a stepladder; puffed after only walking to the
    # kitchen; "neither of my legs will hold me up"; "left and right" legs; speech "coming out thick"; a dive into
    # shallow water; "i'd rather be dead"; gums said to be where the blood is from; "no es viejo esto hoy ...", "no si
    # apenas empezó ..."; "la pierna derecha y la izquierda"; "bien débiles" is very weak; bleeding "un montón"
    "blind54 and blind55": [
        ("en-US", "my mind's so foggy i can't string two words together", True),
        ("en-US", "he fell off a stepladder in the garage", True),
        ("en-US", "i'm gasping for air and i only got up to go to the loo", True),
        ("en-US", "i'm only puffed because i jogged up the hill", False),
        ("en-US", "neither of my legs will take my weight", True),
        ("en-US", "i've lost the feeling round me backside", True),
        ("en-US", "not one leg it's both of them left and right gone heavy", True),
        ("en-US", "his words keep coming out all jumbled", True),
        ("en-US", "she dove into the shallow end and hit her head", True),
        ("en-US", "i'd rather be dead than carry on like this", True),
        ("en-US", "the red in my spit was from my gums bleeding", False),
        ("es-US", "no es de antes esto hoy empecé con dolor en el pecho", True),
        ("es-US", "no si apenas empezó hace rato y me falta el aire", True),
        ("es-US", "tengo la pierna izquierda y la derecha dormidas", True),
        ("es-US", "tengo las piernas bien débiles", True),
        ("es-US", "está sangrando bastante de la cabeza", True),
        ("es-US", "ayer andaba mareado pero ya estoy despierto y lúcido", False),
    ],
    # "isn't her usual heartburn"; "losing a lot of blood"; "my two legs not one"; "keep losing what i'm saying";
    # someone else's past illness ("when he had tb") with "but i'm not"; "back in the spring ... haven't come back
    # since"; a pain "more like a four out of ten"; "se le fue el conocimiento"; "no en el pecho no es en la espalda";
    # a subject after a word that ends like a pronoun ("de repente sentí"); "ninguna pierna"; "nada de golpecito";
    # numb legs from an epidural when a child was born
    "blind56 and blind57": [
        ("en-US", "my husband's chest is burning and it's not his usual indigestion", True),
        ("en-US", "she's losing so much blood", True),
        ("en-US", "it's both my legs not one and they're like jelly", True),
        ("en-US", "he keeps losing what he's saying halfway through", True),
        ("en-US", "my aunt coughed up blood when she had pneumonia but i'm not", False),
        ("en-US", "my chest pains were back in the winter and haven't come back since", False),
        ("en-US", "worst pain of my life no it's more like a two out of ten", False),
        ("en-US", "i have chest pain about a three out of ten", True),  # a low score never takes chest pain away
        ("en-US", "it's a tearing pain only about a four out of ten", True),  # nor a tearing pain it does not deny
        ("es-US", "a mi papá se le fue el conocimiento en la sala", True),
        ("es-US", "de repente sentí que me faltaba el aire", True),
        ("es-US", "no puedo mover ninguna pierna desde la mañana", True),
        ("es-US", "nada de raspón me chocaron en la moto", True),
        ("es-US", "tuve las piernas dormidas por la epidural cuando nació mi bebé", False),
        ("es-US", "no siento las piernas con la epidural que me pusieron hoy", True),
    ],
    "blind58 and blind59": [
        ("en-US", "no not months just this morning i started coughing up blood", True),
        ("en-US", "no not that it's like my back is being torn open", True),
        ("en-US", "everything he says doesn't make sense this afternoon", True),
        ("en-US", "she's been hacking up claret since lunch", True),
        ("en-US", "it's not a night sweat i'm cold and clammy right now", True),
        ("en-US", "me pins have both gone dead", True),
        ("en-US", "i get pins and needles in my fingers", False),  # "pins" is legs only without "and needles"
        ("en-US", "no more questions just send an ambulance", True),
        ("en-US", "the spit looked pink from the red wine it wasn't blood", False),
        ("en-US", "my legs went to jelly after the run but they're fine again", False),
        ("en-US", "my legs went to jelly and now they're weak again", True),
        ("en-US", "the chest pain went away but it's back again", True),
        ("es-US", "no fue hace meses hoy en la tarde me caí de la escalera", True),
        ("es-US", "no empezó esta mañana de repente como si me rasgaran la espalda", True),
        ("es-US", "mi hijo se desmayo en la escuela", True),
        ("es-US", "me desmayé una vez en la secundaria", False),
        ("es-US", "desde la mañana no orino ni una gota", True),
        ("es-US", "mi esposo está blanco como un papel", True),
        ("es-US", "no sé la piel se le ve morada a mi abuelo", True),
        ("es-US", "no quiero más preguntas llamen una ambulancia", True),
        ("es-US", "a mi vecino le cayó una viga yo nomás lo llevé al hospital", False),
    ],
    "blind60 and blind61": [
        ("en-US", "not my back my chest aches and it spreads to my jaw", True),
        ("en-US", "it hasn't been weeks the pressure in my chest started an hour ago", True),
        ("en-US", "my legs are having no strength since morning", True),
        ("en-US", "there's no power cut here", False),
        ("en-US", "my father is not able to say where he is", True),
        ("en-US", "her soles have become bluish", True),
        ("en-US", "he's just come off a horse going flat out", True),
        ("en-US", "an auto knocked me down on the road", True),
        ("en-US", "both of them are buckling under me", False),  # no legs named: "both of them" alone is anything
        ("en-US", "it's my legs both of them are buckling under me", True),
        ("en-US", "she doesn't know whose house this is", True),
        ("es-US", "no soy capaz de respirar desde hace rato", True),
        ("es-US", "mi papá no es capaz de mover las piernas", True),
        ("es-US", "jalo y jalo aire y nada", True),
        ("es-US", "mi cuñado es el del dolor de pecho yo no tengo nada de eso", False),
        ("es-US", "a mi tía se le durmieron las piernas no a mí", False),
        ("es-US", "no fue cualquier golpe me caí de la azotea", True),
    ],
    "blind62 and blind63": [
        ("en-US", "it came on ten minutes ago and the pain is right in my chest", True),
        ("en-US", "the pain is in my back not in my chest", False),
        ("en-US", "i'm dripping with sweat and i'm not even warm", True),
        ("en-US", "it's beetroot from dinner that's why my phlegm is red no blood at all", False),
        ("en-US", "it hasn't been going on for long the pressure in my chest began this morning", True),
        ("en-US", "it's not just a cold i'm coughing up pink froth", True),
        ("es-US", "no es un dolor cualquiera siento que se me desgarra la espalda", True),
        ("es-US", "lo del desmayo es de la serie que veo yo no me he desmayado", False),
    ],
    "blind64 and blind65": [
        ("en-US", "his legs aren't holding his weight at all", True),
        ("en-US", "both the feet are not having any feeling", True),
        ("en-US", "i am not having any breathlessness", False),
        ("en-US", "my bladder is bursting and nothing will come", True),
        ("en-US", "she fell from a third floor window", True),
        ("en-US", "i fell asleep by the window on the second floor", False),
        ("en-US", "i bit my lip so the spit was red but i'm not coughing up blood", False),
        ("en-US", "my lips are blue from the blue raspberry lolly", False),
        ("en-US", "the fainting is my mum's problem not mine", False),
        ("en-US", "it's my uncle who gets confused i'm not confused", False),
        ("en-US", "it's my uncle who's confused and he can't wake up properly", True),
        ("es-US", "apreté el vaso y las manchitas no se borraron", True),
        ("es-US", "mi primo se cayó de la motora hace una hora", True),
        ("es-US", "la caída de la escalera fue allá por el dos mil quince esto es otra cosa", False),
        ("es-US", "no es una pierna son las dos que se me duermen", True),
        ("es-US", "se acaba de hacer pipí encima sin darse cuenta", True),
        ("es-US", "mi papá no nos reconoció esta mañana", True),
        # the frames of this study, said around a sign that is here now: still the instruction
        ("en-US", "my chest hurts i think it's my heart's problem", True),
        ("en-US", "i'm coughing up something red i hope it's not blood", True),
        ("es-US", "me duele el pecho esto es otra cosa", True),
        ("es-US", "mi papá es el que tiene diabetes yo no tengo diabetes pero me duele el pecho", True),
    ],
    "blind66 and blind67": [
        ("en-US", "there's a great weight pressing down on it my chest i mean", True),
        ("en-US", "i can't figure out what day it is", True),
        ("en-US", "she thinks it's the sixties and her mum is coming", True),
        ("en-US", "his mouth has gone all crooked", True),
        ("en-US", "we've shaken her and she won't come round", True),
        ("en-US", "my son won't come round for dinner anymore", False),
        ("en-US", "he isn't answering me and his eyes are shut", True),
        ("en-US", "she isn't answering me because she's asleep with her eyes closed", False),
        ("en-US", "i can't see the point of going on", True),
        ("en-US", "the left leg went first and the other one's gone weak as well", True),
        ("en-US", "my right leg aches and the left one is fine too", False),
        ("en-US", "i ran up the stairs earlier but i'm not short of breath now", False),
        ("en-US", "the phlegm was orange from the juice there's no blood coming up", False),
        ("en-US", "her lips look purple because she's been eating blueberries", False),
        ("en-US", "i passed out a few weeks ago and haven't since", False),
        ("en-US", "i passed out a few weeks ago and again this morning", True),
        ("en-US", "both my legs went numb last week and they're still numb", True),
        ("es-US", "ando re agitada y ni subí escaleras", True),
        ("es-US", "ando agitada por los nervios del examen", False),
        ("es-US", "no solo duele se siente como si me desgarraran", True),
        ("es-US", "qué resbalón ni qué nada me atropelló un carro", True),
        ("es-US", "mi abuelo anda bien ido ni sabe dónde está", True),
        ("es-US", "de chamaco me caí de un techo pero esto no es de un golpe", False),
        ("es-US", "me desmayé hace unas semanas y ya no me ha vuelto a pasar", False),
        ("es-US", "me desmayé hace unas semanas y hoy otra vez", True),
        ("es-US", "sin fiebre ni nada me empecé a sudar frío", True),
    ],
    "blind68 and blind69": [
        ("en-US", "not only the right one the left leg too has gone weak", True),
        ("en-US", "it wasn't weeks ago i came off my bike an hour ago", True),
        ("en-US", "it's my dad whose chest hurts not me", False),
        ("en-US", "it's my dad whose chest hurts and mine too", True),
        ("en-US", "i looked for any blood in my spit and there wasn't any", False),
        ("en-US", "she seems really bewildered and doesn't know us", True),
        ("en-US", "his lips are blue cos he had a bag of blue sweets", False),
        ("es-US", "no es solo la izquierda la derecha también se me entumió", True),
        ("es-US", "no era de días empezó hace un rato de golpe y se siente como un desgarre", True),
        ("es-US", "tiene la boca morada porque se comió una paleta de uva", False),
    ],
    "blind70 and blind71": [
        ("en-US", "i've never had a pain as bad as this one", True),
        ("en-US", "nope not just one it's both legs now", True),
        ("en-US", "he's gone white as a ghost", True),
        ("en-US", "the glass doesn't make the spots fade", True),
        ("en-US", "it's ripping through me like wet paper between my shoulder blades", True),
        ("en-US", "i ripped the paper and cut my finger", False),
        ("en-US", "something went ping like a guitar string in my back", True),
        ("en-US", "i'm seventy but that's not it my lips have gone blue", True),
        ("en-US", "her hands are blue from dyeing fabric", False),
        ("en-US", "both my legs went numb after dinner", True),
        ("es-US", "no me caí me desvanecí en la cocina", True),
        ("es-US", "no es normal se siente que algo se desgarró adentro", True),
        ("es-US", "no solo la izquierda las dos piernas se me entumieron", True),
        ("es-US", "el derrame lo tuvo mi tía yo no siento nada raro", False),
        ("es-US", "siento que me estiran la piel hasta rasgarla en la espalda", True),
        ("es-US", "me pasé con las pastillas y estoy muy mareado", True),
    ],
    "blind72 and blind73": [
        ("en-US", "no it's not that my chest has gone really heavy", True),
        ("en-US", "he has to pause every couple of words to breathe", True),
        ("en-US", "his skin is clammy with sweat but it feels cold", True),
        ("en-US", "no temperature but she's freezing and soaked in sweat", True),
        ("en-US", "my husband isn't responding or breathing properly", True),
        ("en-US", "both thighs have gone numb", True),
        ("en-US", "he cut his leg and the blood won't stop", True),
        ("en-US", "the blood in my pee won't stop", False),
        ("en-US", "the muddled one was my grandad i'm all there", False),
        ("en-US", "the red blotches are from sunbathing yesterday", False),
        ("es-US", "tengo un pinchazo en el corazón que me baja al brazo", True),
        ("es-US", "es un dolor que me hace pedazos por dentro", True),
        ("es-US", "las piernas las tengo aguaditas las dos", True),
        ("es-US", "se me cierra la garganta desde que me picó la abeja", True),
        ("es-US", "el que se desmayó fue mi cuñado a mí no me pasó nada", False),
        ("es-US", "cero problemas para respirar", False),
        # a food or a paint is a cause of a colour, never of chest pain (the AHA: a heart attack is often taken
        # for indigestion)
        ("en-US", "my chest hurts because i ate cake", True),
        ("en-US", "my chest has felt heavy since dinner i think it was the food", True),
        ("en-US", "my chest is tight because i've been painting the ceiling", True),
        ("en-US", "my fingertips are blue because i've been painting", False),
    ],
    "blind74 and blind75": [
        # "my chest mate" is no person
        ("en-US", "there's a tightness in my chest mate it came on while i was watching the cricket", True),
        ("en-US", "my best mate had chest pain at the footy last year i'm fine", False),
        ("en-US", "my husband hasn't passed water since breakfast and keeps straining", True),
        ("en-US", "the spots under the tumbler are still showing", True),
        ("en-US", "a bus rammed into our car", True),
        ("en-US", "i am not able to think properly since lunch", True),
        ("en-US", "i had blackberry sweets all afternoon so that's why my tongue looks purple", False),
        ("en-US", "i sucked some cherry lozenges that's why my spit is pink", False),
        # heavy or tired legs after a hike or a run are everyday; numb or weak legs, or chest pain, are not
        ("en-US", "both my legs feel like jelly because we walked ten miles", False),
        ("en-US", "both my legs went numb after a run", True),
        ("en-US", "my chest feels heavy because i was running", True),
        ("es-US", "tiene unos puntitos morados que no se despintan cuando los aprieto", True),
        ("es-US", "no siento nada que se desgarre en la espalda", False),
        ("es-US", "el trasero lo siento normalito", False),
        ("es-US", "no siento nada de la cintura para abajo", True),
    ],
    "blind76 and blind77": [
        ("en-US", "a van went into the side of us at the lights", True),
        ("en-US", "my toddler took some of his grandad's tablets and he's very sleepy", True),
        ("en-US", "my dad had a tearing pain with his aneurysm but mine's nothing like that", False),
        ("en-US", "my wife got chest pain with her heart attack but i don't have any", False),
        ("en-US", "my tongue is blue from the lollipop", False),
        ("es-US", "sentí como tela que se rompía por dentro", True),
        ("es-US", "los granitos siguen rojos aunque los presiono", True),
    ],
    "blind78 and blind79": [
        ("en-US", "my neighbour's legs gave way under him but that's not me", False),
        ("es-US", "ya no me controlo la pipí", True),
        ("es-US", "no tengo fiebre acabo de caerme de la azotea", True),  # "acabo de": a clause of its own
        ("es-US", "no me controlo de los nervios", False),
    ],
    "blind80 and blind81": [
        ("es-US", "dice mi esposa que el dolor es como si la partieran en dos", True),
        ("es-US", "no son los hombros son las dos piernas que no responden", True),
        ("es-US", "me parto en dos de la risa con mi nieto", False),
    ],
    "blind82 and blind83": [
        ("en-US", "her voice has been not right since lunch", True),
        ("en-US", "the wheezing is all my wife's not mine", True),  # her sign, here now: the emergency (blind32)
        ("en-US", "my legs look mottled after a long hot bath", False),
        ("en-US", "my chest is tight after the hot shower", True),  # heat explains a colour, never chest pain
        ("es-US", "ya no hilo bien las ideas", True),
        ("es-US", "me da fatiga respirar", True),
        ("es-US", "los mareos son de mi suegra no míos", True),  # hers, here now
        ("es-US", "la piel roja es por el agua muy caliente", False),
    ],
    # a seizure said as the sign's words alone ("I'm having {sign}"); sight lost "in one eye"; an allergy with a
    # tight throat or no swallowing; "not just a slip" is more, not a denial; a cough syrup's or a toddler's cause;
    # "se me ... las dos piernas" and "no puedo orinar" open a clause after a correction; "el orine"; "violeta"
    "blind84 and blind85": [
        ("en-US", "fits since this morning", True),
        ("en-US", "she's lost all vision in her left eye", True),
        ("en-US", "my lip swelled up after the peanuts and i can barely swallow", True),
        ("en-US", "i've been feeling like killing myself", True),
        ("en-US", "i was killing myself laughing at the telly", False),
        ("en-US", "it wasn't only a little bump the lorry hit me at speed", True),
        ("en-US", "the little one wet himself at nursery", False),
        ("en-US", "i've wet myself and i can't feel down below", True),
        ("es-US", "no es la espalda nada más no puedo orinar", True),
        ("es-US", "mi hijo dice que no le sale el orine", True),
        ("es-US", "tiene la boca violeta", True),
        ("es-US", "comió mariscos y no puede tragar", True),
        ("es-US", "los sudores fríos fueron del año pasado", False),
        ("es-US", "el niño todavía usa pañal y se hizo pipí", False),
    ],
    # no pee all day though drinking is retention, not thirst; "everything feels jumbled"; "more confused than usual"
    # is confusion now (it was read as all is well), dementia alone explains confusion; a crash watched on the news;
    # the cold for blue fingers; "once had" is past; after a correction, "hace un rato ...", "empezó ...", "las dos
    # piernas las tengo ..." and "la piel se ve ..." open a clause of their own
    "blind86 and blind87": [
        ("en-US", "he hasn't had a wee since breakfast even though he's been drinking loads of water", True),
        ("en-US", "my head's fine but everything seems all scrambled", True),
        ("en-US", "we watched a motorbike crash on the news last night", False),
        ("en-US", "my dad has alzheimer's and gets confused that's normal for him", False),
        ("en-US", "my dad has alzheimer's and he's much more confused than usual today", True),
        ("en-US", "he's much more confused than usual today", True),
        ("en-US", "my fingers went blue from the cold but they're pink again", False),
        ("en-US", "my lips are blue and it's not from the cold", True),
        ("en-US", "my sister once had a faint at school", False),
        ("es-US", "no ha hecho pipí desde la mañana y eso que ha bebido mucha agua", True),
        ("es-US", "no empezó hace un rato siento que me desgarran por dentro", True),
        ("es-US", "no es un brazo las dos piernas las siento dormidas", True),
        ("es-US", "los dedos de los pies se me pusieron azules por el frío", False),
        ("es-US", "tengo los labios morados y no es por el frío", True),
    ],
    # "neither of my legs is numb" is all is well (the subject after "of" had opened a clause of its own past the
    # "neither"), but "neither of my legs will hold me up" is the sign; "rather than" denies what follows it; lying
    # there and not responding; "la mente toda revuelta" (not the stomach)
    "blind88 and blind89": [
        ("en-US", "neither of my legs is numb", False),
        ("en-US", "none of my fingers are tingling", False),
        ("en-US", "neither of my legs will hold me up", True),
        ("en-US", "it's a dull throb rather than a ripping pain", False),
        ("en-US", "it's a ripping pain rather than an ache", True),
        ("en-US", "my mum is lying on the floor and won't respond", True),
        ("en-US", "he's lying in bed and won't answer his phone", False),
        ("es-US", "traigo la cabeza bien revuelta", True),
        ("es-US", "tengo el estómago revuelto", False),
    ],
    # a correction after a denial ("not my chest exactly, it's more ...") says what follows; "hardly the worst" denies
    # ("i can hardly breathe" does not); stopping for air between words; bleeding that can't be stopped (NHS: call
    # 999); "está bien cañón" is very bad, not all is well; "es como si ..." keeps its "como si" after a contrast;
    # "no estoy pensando claro"; "me fui por las escaleras"; "no fue una caída cualquiera" is no denial
    "blind90 and blind91": [
        ("en-US", "not my chest exactly it's more an ache spreading into my left shoulder and arm", True),
        ("en-US", "it's not sharp exactly more of a dull ache", False),
        ("en-US", "it's bad but it's hardly the worst pain ever", False),
        ("en-US", "i can hardly breathe", True),
        ("en-US", "i have to stop for air between words", True),
        ("en-US", "i can't stop the bleeding from my leg", True),
        ("es-US", "está bien cañón es el peor dolor que he tenido", True),
        ("es-US", "es más que fuerte es como si me estuvieran arrancando algo por dentro", True),
        ("es-US", "no estoy pensando claro ahorita", True),
        ("es-US", "eh me fui por las escaleras de arriba abajo hoy", True),
        ("es-US", "no fue una caída cualquiera me caí de un segundo piso", True),
        ("es-US", "estoy bien gracias a dios", False),
    ],
    # slurring after a drink, said as past, sober now, is no emergency (three writers wrote it as a denial); said now,
    # sober or not, it is; "more of a X than a Y" denies Y; a sign seen on an advert; "esto es mucho menos"
    "blind92 and blind93": [
        ("en-US", "i was slurring last night after a few pints but i'm sober", False),
        ("en-US", "i'm slurring my words but i'm sober", True),
        ("en-US", "it's more of a dull ache than a tearing feeling", False),
        ("en-US", "it's more of a ripping pain than an ache", True),
        ("en-US", "it's more of a crushing chest pain than a backache", True),
        ("en-US", "i saw the rash that doesn't fade thing on a health advert but i don't have it", False),
        ("en-US", "i saw a rash on my leg that doesn't fade in the mirror", True),
        ("es-US", "el peor dolor fue el parto y esto es mucho menos", False),
        ("es-US", "esto es menos que antes pero es el peor dolor", True),
    ],
}


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_an_everyday_cause_explains_only_signs_of_the_protocol_and_never_chest_pain(locale):
    """Each of ``causes`` names the signs it may explain away: signs the protocol asks about, and never chest pain
    (the AHA: a heart attack is often taken for indigestion, and chest pain on exertion is angina's)."""
    causes = default_locales()[locale].understanding["own_words"]["causes"]
    ids = {q.id for q in default_protocol().questions}
    assert causes and all(cause["about"] and set(cause["signs"]) <= ids - {"heart_pain"} for cause in causes)
    assert spotter_for(locale).emergency("my chest hurts because i ate cake" if locale == "en-US"
                                         else "me duele el pecho porque comí pastel") is not None


@pytest.mark.parametrize("locale, words, emergency",
                         [row for rows in STUDIES.values() for row in rows])
def test_words_found_by_each_blind_pairs_study_read_as_said(locale, words, emergency):
    """What each study of a blind pair's misses taught, in phrasings written for the test: a sign said in new
    words is the emergency; a sign said to be someone else's, past, on television or from another cause is not."""
    assert (spotter_for(locale).emergency(words) is not None) is emergency


PROBES = ROOT / "nlu_eval" / "probes"
# (locale, label): at most this many probes of nlu_eval/probes/ the spotter reads the wrong way. First reading, on
# the code of stop 35: en-US absent 86 of 236, present 13 of 119; es-US absent 76 of 199, present 10 of 106.
PROBE_CEILINGS = {("en-US", "absent"): 19, ("en-US", "present"): 6, ("es-US", "absent"): 16, ("es-US", "present"): 0}


def _probe_readings(locale: str, label: str) -> tuple[int, list[str]]:
    spotter, wrong, count = spotter_for(locale), [], 0
    for line in (PROBES / f"{locale}.probe48.jsonl").read_text(encoding="utf-8").splitlines():
        probe = json.loads(line)
        if probe["label"] != label:
            continue
        count += 1
        spotted = spotter.emergency(probe["text"])
        heard_emergency = spotted is not None and not spotter.doubts(probe["text"], spotted)
        if heard_emergency is (label == "absent"):
            wrong.append(f"{probe['kind']}: {probe['text']}")
    return count, wrong


@pytest.mark.parametrize("locale, label", sorted(PROBE_CEILINGS))
def test_probes_of_the_hard_kinds_are_read_as_written(locale, label):
    """Phrasings written blind to the rules, in the kinds the blind sets' alarms came from (someone else's sign, an
    innocent cause, a film or a class, long ago, a fear or a question) and emergencies made to look like them (a
    relative's now, a cause that does not explain it away, a sign that came back, a hedge): the spotter sends no
    more "absent" ones to the instruction, and misses no more "present" ones, than it did when they were studied."""
    count, wrong = _probe_readings(locale, label)
    assert count >= 100 if label == "absent" else count >= 80
    assert len(wrong) <= PROBE_CEILINGS[(locale, label)], "\n".join(wrong)


@pytest.mark.parametrize("locale, said", [("en-US", "I don't want to be alive anymore"),
                                          ("en-US", "I want to end my life"), ("es-US", "ya no quiero vivir"),
                                          ("es-US", "quiero quitarme la vida")])
def test_wanting_to_die_is_the_emergency_instruction_not_a_stop(locale, said):
    """The stand-in sent "i don't want to be alive anymore" to AMAZON.StopIntent: EmergencyIntent's samples now
    hold these words, so a matcher and Alexa's NLU alike have them there."""
    from skill.local.nlu import Resolver

    assert Resolver.for_locale(locale).resolve(said).name == intents.EMERGENCY
    conversation = Conversation(locale=locale)
    conversation.launch()
    conversation.answer("no")
    conversation.say(said)
    assert conversation.speech.startswith(default_locales()[locale].call_now()) and conversation.ended


@pytest.mark.parametrize("locale, words, emergency", [
    # a sign still here: "not getting better", "hasn't gone away", "hasn't stopped" deny nothing
    ("en-US", "the pressure in his chest isn't getting any better", True),
    ("en-US", "her breathlessness hasn't gone away", True),
    ("en-US", "the bleeding hasn't stopped and it's soaking through the towel", True),
    ("en-US", "the chest pain went away and hasn't come back", False),
    # all is well said before "just", "apart from", "except" is not about what follows; said after the sign it is
    ("en-US", "i'm fine apart from i can't catch my breath", True),
    ("en-US", "everything's okay i just can't feel either of my legs", True),
    ("en-US", "chest pain no i'm fine just the back", False),
    # what came back is here now; "back to normal" is not
    ("en-US", "i had these cold sweats last year and now they're back", True),
    ("en-US", "my legs went weak after the hike but they're back to normal", False),
    # the question's own words, and others from the protocol's help text
    ("en-US", "my dad had a big fall off the roof an hour ago", True),
    ("en-US", "the big fall was in a movie i watched", False),
    ("en-US", "i keep straining but nothing comes", True),
    ("en-US", "he's struggling to get a sentence out he's that puffed", True),
    ("en-US", "she pressed a glass on the spots and nothing changed", True),
    ("en-US", "my mum keeps drifting in and out", True),
    ("en-US", "he took way more tablets than he should have", True),
    ("es-US", "sigo sin poder jalar aire", True),  # still without: the sign's own negation
    ("es-US", "sigo sin poder dormir por la espalda", False),
    ("es-US", "estoy bien nomás que siento que me voy a desmayar", True),
    ("es-US", "me sudan las manos y las tengo heladas", True),
    ("es-US", "no tengo frío y tengo los labios morados", True),
    ("es-US", "no son los nervios esto es un dolor que me aprieta el pecho", True),
    ("es-US", "trato de orinar y no me sale nada", True),
    ("es-US", "mi papá no está diciendo nada que tenga sentido", True),
])
def test_what_the_here_now_phrasings_taught_the_word_groups(locale, words, emergency):
    """The "here now?" table's training phrasings (skill/local/training/, written from the protocol only) that the
    spotter missed showed rules that generalise: a sign "not getting better" is still here, all is well before
    "just" is about before, what is back is here now. Written for this test, not copied from those phrasings."""
    assert (spotter_for(locale).emergency(words) is not None) is emergency


@pytest.mark.parametrize("locale, words, emergency", [
    ("en-US", "months just today i fainted in the kitchen", True),
    ("en-US", "that it's more like my back is ripping apart", True),
    ("en-US", "months ago i fainted", False),
    ("es-US", "de hace meses hoy en la mañana me desmayé", True),
    ("es-US", "de hace meses me desmayé", False),
    ("es-US", "de semanas hoy me desmayé en la cocina", True),
    ("es-US", "una molestia cualquiera siento que algo se rasgó en la espalda", True),
])
def test_a_denials_carrier_that_took_a_correction_of_when_leaves_the_rest_as_said(locale, words, emergency):
    """"No, not weeks, only today ...", "no es un dolorcito cualquiera ..." (blind58 to 63's studies): the stand-in's
    denial carrier took "no" (or "no es"), which corrected when it started or what kind it is; what follows a time
    today, or "cualquiera", is read as said; a time long past alone is not."""
    assert (spotter_for(locale).emergency(words, after_denial=True) is not None) is emergency


@pytest.mark.parametrize("locale, words, emergency", [
    ("en-US", "no wait yes there's a tightness in my chest", True),
    ("en-US", "no i mean yes i can't feel my legs", True),
    ("en-US", "no sorry i have no chest pain", False),
    ("es-US", "no no tengo nada bueno sí se me duermen las dos piernas", True),
    ("es-US", "no espera sí me cuesta mucho respirar", True),
    ("es-US", "bueno sí pero no me duele el pecho", False),
])
def test_words_that_take_back_a_denial_leave_what_follows_as_said(locale, words, emergency):
    """"no, I mean yes": the denial before it, and the denial carrier's, are taken back (``retraction``)."""
    spotter = spotter_for(locale)
    assert (spotter.emergency(words) is not None) is emergency
    assert (spotter.emergency(words, after_denial=True) is not None) is emergency


EVERYDAY_BACK_PAIN = {
    "en-US": ["my neck is stiff", "my neck and shoulders are stiff", "i'm worried it might be something serious",
              "i'm worried it's something serious", "the pain is unbearable some days", "my back is killing me",
              "the pain isn't responding to the tablets", "it won't go away", "nothing seems to help",
              "i slept funny and woke up with it", "i pulled a muscle lifting boxes", "it hurts when i twist",
              "it catches when i move a certain way", "i can't get comfortable at night", "i've got a slipped disc",
              "it's sore when i cough", "it's from sitting at my desk all day", "the physio hasn't helped much"],
    "es-US": ["tengo el cuello tieso", "me preocupa que sea algo grave", "la espalda me está matando",
              "no se me quita con nada", "el ibuprofeno no me está ayudando", "creo que dormí en mala posición",
              "me jalé un músculo cargando cajas", "no encuentro cómo acomodarme en la noche",
              "tengo una hernia de disco", "hay días que el dolor es bastante fuerte"],
}


@pytest.mark.parametrize("locale, words", [(locale, words) for locale, said in EVERYDAY_BACK_PAIN.items()
                                           for words in said])
def test_everyday_upper_back_pain_is_never_an_emergency(locale, words):
    """What people with ordinary upper back pain say (a stiff neck, a strain, worry, painkillers that do not help),
    written for this test: 911 for any of it would teach them to ignore the skill. The first five reached it
    before (the learned half read a stiff neck as chest pain, worry as an emergency; "unbearable some days" was
    read as a sudden severe pain)."""
    assert spotter_for(locale).emergency(words) is None


@pytest.mark.parametrize("words", [
    "help", "i'm not sure", "i know where i am", "my back aches when i sit for long", "i had a cough last winter",
    "he's breathing fine now", "my legs are okay", "i've got a bit of a temperature",
])
def test_the_learned_half_leaves_what_is_not_an_emergency_alone(words):
    assert spotter_for("en-US").emergency(words) is None


@pytest.mark.parametrize("language", sorted(spotter_build.LANGUAGES))
def test_the_committed_weight_table_was_built_from_the_current_model_and_protocol(language):
    """A stale table fails here: run `python -m skill spotter-build` (scikit-learn, from requirements-dev.txt)."""
    table = json.loads(table_path(language).read_text(encoding="utf-8"))
    model = spotter_build.model_of(spotter_build.LANGUAGES[language])
    assert table["inputs_hash"] == spotter_build.inputs_hash(model, spotter_build.emergency_concepts(), language), (
        f"skill/alexa/data/own_words_{language}.json is stale: python -m skill spotter-build --language {language}")
    assert set(table["classes"]) <= {*spotter_build.emergency_concepts(), GENERAL, OTHER}


def test_the_lambda_imports_neither_scikit_learn_nor_numpy_and_reads_the_tables_only_when_words_arrive():
    """The spotter's learned half and "here now?" table, and the sign reader's tables (``which_sign``), alike."""
    tables = ("m.linear_spotter", "m.settled_reader", "w._tables")
    caches = ", ".join(f"{table}.cache_info().currsize" for table in tables)
    code = ("import sys; sys.path.insert(0, 'lambda'); import lambda_function; "
            "from skill.alexa import own_words_model as m, which_sign as w; "
            f"before = ({caches}); "
            "from skill.alexa.own_words import spotter_for; spotter_for('en-US').emergency('he is gasping for air'); "
            "w.reader_for('en-US').read('i had a baby a month ago'); "
            f"print(*before, {caches}, "
            "sorted({'sklearn', 'numpy', 'scipy'} & {name.split('.')[0] for name in sys.modules}))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={**os.environ, "AWS_DEFAULT_REGION": "us-east-1"})
    assert done.stdout.split() == ["0", "0", "0", "1", "1", "1", "[]"]


def test_the_chat_passes_words_it_cannot_match_and_the_skill_hears_the_emergency_in_them():
    conversation = Conversation()
    conversation.launch()
    conversation.say("honestly my husband is huffing and puffing and can barely get a breath in")
    assert conversation.speech.startswith(CALL) and conversation.disposition == "emergency"


@pytest.mark.parametrize("said", ["no, I can't breathe", "no no my legs have gone numb", "stop I can't breathe"])
def test_a_statement_opened_with_no_or_stop_is_the_emergency_instruction_through_the_chat(said):
    """English SignIntent has no bare "no {said}" carrier (it made "no rash that stays when you press it" a
    statement without its "no"): the words arrive whole and the "no" before a clause only answers."""
    conversation = Conversation()
    conversation.launch()
    conversation.say(said)
    assert conversation.speech.startswith(CALL) and conversation.disposition == "emergency"


# ---- clauses of their own, reassurance before a sign, intensifiers ---------------------------------------

@pytest.mark.parametrize("words, after_denial, sign", [
    ("no chest pain i came off my motorbike an hour ago", False, "serious_accident"),
    ("i'm fine but i fainted this morning", False, "faint"),
    ("she was fine this morning now she doesn't know where she is", False, "confused"),
    ("no fever or anything i'm just drenched in a cold sweat", False, "cold_sweat"),
    ("chest pain i came off my motorbike an hour ago", True, "serious_accident"),
    ("i'm not okay i passed out in the shower", True, "faint"),
    ("it's not been weeks it just started and it's tearing through me", True, "tearing"),
    ("i keep wetting myself and i never used to", False, "bladder_bowel"),
])
def test_a_sign_in_a_clause_of_its_own_is_not_denied_by_words_before_that_clause(words, after_denial, sign):
    """"No chest pain, I came off my motorbike": a denial, or all is well, said before a clause that starts with its
    own subject is about what came before it; in a denial's carrier, the carrier denied only what came first."""
    assert spotter_for("en-US").emergency(words, after_denial=after_denial) == Spotted(sign)


@pytest.mark.parametrize("words, after_denial", [
    ("i don't think i'm having a heart attack", False),
    ("i don't feel like i'm going to pass out", False),
    ("no one told me he's confused", False),
    ("i haven't noticed my legs are weak", False),
    ("i'm not sure i'm confused", False),
    ("as far as i know i haven't passed out", False),
    ("i passed out but i'm fine now", False),
    ("i was in a car crash but it was years ago", False),
    ("my breathing's okay it's just a bit tight when i move", False),
    ("my legs are weak", True),
    ("chest pain i think he's okay", True),
])
def test_a_clause_that_a_denial_reaches_or_that_all_is_well_follows_stays_denied(words, after_denial):
    """Not a clause of its own after a word that takes one ("i don't think | i'm ..."), nor the first clause of a
    denial's carrier (Alexa may have dropped "I don't think"); all is well said after the sign still counts."""
    assert spotter_for("en-US").emergency(words, after_denial=after_denial) is None


@pytest.mark.parametrize("words, emergency", [
    ("i can't feel my legs but i'm okay", True),
    ("my face is drooping but otherwise i'm fine", True),
    ("my chest hurts but i'm fine", True),
    ("i'm coughing up blood but i'm fine", True),
    ("my legs are numb but i'm fine now", True),
    ("i passed out but i'm fine now", False),  # past: how it is now is what counts
    ("my legs were numb but i'm fine now", False),
    ("my chest hurt last week but i'm fine now", False),
    ("i'm sweating buckets but i'm fine it's from the gym", False),  # an everyday cause still explains it
])
def test_a_sign_said_as_here_now_is_not_taken_back_by_a_plain_im_fine_after_it(words, emergency):
    """A person in pain may play it down: "my face is drooping but otherwise i'm fine" is a drooping face now. A plain
    "i'm fine" takes back only a sign said as past."""
    assert (spotter_for("en-US").emergency(words) is not None) is emergency


@pytest.mark.parametrize("words, emergency", [
    ("no puedo respirar para nada", True),
    ("las piernas no me responden para nada", True),
    ("no siento las piernas para nada", True),
    ("no tengo dolor de pecho para nada", False),
    ("hace años me pusieron un marcapasos pero dolor de pecho nada", False),
    ("me duele el pecho y no puedo hacer nada", True),
])
def test_para_nada_after_a_signs_own_negation_makes_it_stronger_and_after_a_name_denies_it(words, emergency):
    assert (spotter_for("es-US").emergency(words) is not None) is emergency


@pytest.mark.parametrize("words, sign", [
    ("it feels like a truck is parked on me", "heart_pain"),
    ("my husband keeps clutching his chest", "heart_pain"),
    ("i feel like a fish out of water", "short_of_breath"),
    ("i was giddy and found myself on the floor", "faint"),
    ("i've never felt pain like this in my life", "tearing"),
    ("my legs are like lead i can hardly lift them", "both_legs"),
    ("i pooed myself and didn't even feel it coming", "bladder_bowel"),
    ("my mum doesn't know what year it is", "confused"),
    ("he keeps losing his words", "confused"),
    ("his fingertips are turning purple", "skin_colour"),
    ("the airbag went off when we hit the barrier", "serious_accident"),
    ("he fell about fifteen feet off the scaffolding", "serious_accident"),
    ("a pallet fell on top of him at the warehouse", "serious_accident"),
    ("since last night his legs are not having any strength", "both_legs"),
    ("i feel like i've run a marathon and i've been sat on the sofa", "short_of_breath"),
    ("she's taking these short little gasps", "short_of_breath"),
    ("the room went sideways and i was on the ground", "faint"),
    ("i can't get my legs to move", "both_legs"),
    ("she keeps asking where she is", "confused"),
    ("her hands and feet are all blotchy and purple", "skin_colour"),
    ("we hit a tree going fast", "serious_accident"),
    ("i fell through the ceiling of the loft", "serious_accident"),
])
def test_the_wider_ways_of_naming_a_sign_are_spotted(words, sign):
    """Each sign's field of words: things on the chest, a hand to it, lead legs, lost words, heights in feet."""
    assert spotter_for("en-US").emergency(words) == Spotted(sign)


@pytest.mark.parametrize("words", [
    "i slump over my desk all day",
    "i fell asleep by the window and woke up stiff",
    "i don't know what day it started",
    "i took the pills the doctor gave me",
    "i had a splitting headache yesterday",
    "i fell on my foot last week",
    "i can catch my breath when i walk",
    "the pain started by itself two weeks ago",
    "i can't pass stool i'm constipated",
    "my jaw clenches at night",
    "my feet go blue in the cold weather",
    "it wraps around my ribs like a band",
])
def test_the_wider_ways_leave_everyday_words_alone(words):
    assert spotter_for("en-US").emergency(words) is None


@pytest.mark.parametrize("words", [
    "he keeps having fits", "his eyes rolled back and he's foaming at the mouth", "i don't want to live anymore",
    "my toddler ate a load of my tablets", "she swallowed bleach", "we're doing cpr on him", "he's been stabbed",
    "i hit my head and now i keep throwing up", "worst headache of my life came on like a thunderclap",
])
def test_emergencies_with_no_question_of_their_own_are_spotted_in_everyday_words(words):
    assert spotter_for("en-US").emergency(words) == Spotted(None)


@pytest.mark.parametrize("words", [
    "i am fit and healthy", "i went to the gym to get fit", "i had a bad fit of coughing",
    "i was fitting a kitchen when it started", "i hurt myself lifting boxes", "i hit my head on the cupboard",
])
def test_words_that_also_name_a_general_emergency_are_left_alone_in_everyday_use(words):
    """"Fit" is a seizure in British English and fitness everywhere; "hurt myself" is how backs get hurt."""
    assert spotter_for("en-US").emergency(words) is None


@pytest.mark.parametrize("words, emergency", [
    ("no no es la respiración es que me aprieta el pecho", True),
    ("no es la espalda sino que no puedo respirar", True),
    ("no es que me duela el pecho", False),
])
def test_a_spanish_correction_starts_a_clause_of_its_own(words, emergency):
    """"No, no es la respiración, es que ...": after "es que" or "sino", what is said is not what the "no" denied;
    "no es que ..." ("it is not that ...") still denies."""
    assert (spotter_for("es-US").emergency(words) is not None) is emergency


@pytest.mark.parametrize("locale, words, after_denial, emergency", [
    ("en-US", "the rash won't disappear when i press it", True, True),
    ("en-US", "the rash that doesn't fade", True, False),
    ("en-US", "the power blacked out last night not me", False, False),
    ("en-US", "my legs are grand", False, False),
    ("en-US", "i'm a bit confused by the question", False, False),
    ("en-US", "we rolled the car back in ninety two", False, False),
    ("en-US", "she's all mixed up about what day it is", False, True),
    ("en-US", "out of the blue the most excruciating pain went through to my back", False, True),
    ("es-US", "me alcanza la respiración", True, True),
    ("es-US", "los brazos los tengo fuertes", False, False),
    ("es-US", "le hice la prueba del vaso y las manchas sí se borran", False, False),
    ("es-US", "a mi papá se le fue el mundo y cayó al suelo de repente", False, True),
    ("en-US", "years ago i passed out", False, False),
    ("en-US", "when i was a kid i fainted a lot", False, False),
    ("en-US", "it's not a muscle thing it feels like something gave way and tore in there", True, True),
    ("en-US", "i tore a muscle in my back lifting", False, False),
    ("en-US", "she's sweating buckets but her skin is cold to touch", False, True),
    ("en-US", "he's a bit blue in himself since he retired", False, False),
    ("en-US", "worst pain ever no not at all", False, False),
    ("es-US", "el año pasado me desmayé pero ahorita no", False, False),
    ("es-US", "dolor de pecho pero me falta el aire", True, True),
    ("es-US", "no es la espalda ahora me aprieta el pecho", True, True),
    ("es-US", "siento como si me arrancaran algo adentro de una vez", False, True),
    ("es-US", "se le hinchó toda la cara de repente", False, True),
    ("es-US", "se está atragantando con un hueso", False, True),
    ("es-US", "mi abuela no sabe qué día es", False, True),
    ("es-US", "el peor dolor de mi vida qué va", False, False),
    ("en-US", "a temperature no it's a cold sweat all over me", True, True),
    ("en-US", "i'm numb from the waist down", False, True),
    ("en-US", "my bladder's stopped working", False, True),
    ("en-US", "not chest pain exactly more like his lips have gone blue", True, True),
    ("en-US", "my wife's not waking up", False, True),
    ("en-US", "blood is pumping out of his leg", False, True),
    ("en-US", "it hurts but it's nowhere near the worst pain ever", False, False),
    ("en-US", "i got winded at the gym", False, False),
    ("en-US", "i crashed on the sofa after my night shift", False, False),
    ("en-US", "i'm not waking up at night with it", False, False),
    ("es-US", "no siento nada de la cintura para abajo", False, True),
    ("es-US", "ya no me sostienen las piernas ninguna", False, True),
    ("es-US", "toso y me salen coágulos", False, True),
    ("es-US", "le están arrancando la espalda por dentro", False, True),
    ("es-US", "es la espalda es el pecho que me aprieta", True, True),
    # before blind10 and blind11: interjections, the sign's own second "no", "not sure" as a hedge, "nobody",
    # "nadie"; "strong"; numb legs "not mine"; "pee but nothing comes"; no pee since yesterday alone is a call
    # to 111, not 911
    ("es-US", "no no puedo respirar", False, True),
    ("es-US", "uy no no siento las piernas", False, True),
    ("es-US", "ay dios no no respiro", False, True),
    ("es-US", "no no me duele el pecho", False, False),
    ("es-US", "ay no no me he desmayado", False, False),
    ("es-US", "nadie se ha caído", False, False),
    ("en-US", "oh god no my legs have gone numb", False, True),
    ("en-US", "nobody's passed out", False, False),
    ("en-US", "oh no no chest pain", False, False),
    ("en-US", "not sure but i've got no feeling below my waist", False, True),
    ("en-US", "not certain but my chest feels like it's caving in", False, True),
    ("en-US", "she's really hard to wake this morning", False, True),
    ("en-US", "i've not been able to pee since yesterday", False, True),
    ("en-US", "he wet himself and didn't notice it", False, True),
    ("en-US", "she jumped out of the first floor window", False, True),
    ("en-US", "there's a purplish rash spreading on his tummy", False, True),
    ("en-US", "there's a purple rash but it fades when i press a glass on it", False, False),
    ("en-US", "my arms and legs are strong", False, False),
    ("en-US", "can only manage two words then i'm gasping", False, True),
    ("en-US", "both his legs just fold when he tries to stand", False, True),
    ("en-US", "my feet don't feel like they're mine and i can't feel my legs", False, True),
    ("en-US", "he's had an accident in bed and didn't realise he'd done it", False, True),
    ("en-US", "i'm bursting for a wee but nothing will come", False, True),
    ("en-US", "he's taken a whole bottle of his heart tablets", False, True),
    ("es-US", "no aguanto ni hablar de lo ahogada que estoy", False, True),
    ("es-US", "siento un fierro atravesado en el pecho", False, True),
    ("es-US", "las patas no le responden a mi viejo", False, True),
    ("es-US", "no ha orinado desde anoche y tiene la vejiga reventando", False, True),
    ("es-US", "no he hecho pipí desde ayer", False, False),
    ("es-US", "se le fue el control de la vejiga", False, True),
    ("es-US", "le dio un ataque y se está sacudiendo", False, True),
    ("es-US", "me dio un ataque de nervios y estoy temblando", False, False),
    # after blind10 and blind11: speech that will not come out right, slang for being hit, the worst pain
    # without "pain", mottled legs, a light head, a load that came down, "it's ripping", "no se qué", self-harm
    ("en-US", "she isn't able to talk properly her words come out garbled", False, True),
    ("en-US", "a bus skittled him at the crossing", False, True),
    ("en-US", "i've never had anything like this it's beyond anything", False, True),
    ("en-US", "grandad's mixed up and calling for his brother who died years ago", False, True),
    ("en-US", "his knees and thighs have gone marbled", False, True),
    ("en-US", "there's a weight standing on the centre of my chest", False, True),
    ("en-US", "i'm wet and shivery and haven't even moved", False, True),
    ("en-US", "my head feels floaty and the room's tipping", False, True),
    ("en-US", "a stack of pallets came down right on top of him", False, True),
    ("en-US", "not a twinge it's ripping", False, True),
    ("en-US", "it's not ripping it's more of a niggle", False, False),
    ("en-US", "i was out of breath on the stairs last week but i'm breathing easy now", False, False),
    ("es-US", "apreté las manchas y se quedaron igual de moradas", False, True),
    ("es-US", "respiro como a través de una pajita", False, True),
    ("es-US", "no se qué le pasa a mi tía está sudando frío", False, True),
    ("es-US", "a mi papá se le traban las palabras", False, True),
    ("es-US", "mi hijo dice que quiere lastimarse", False, True),
    ("es-US", "no quiero hacerme daño al agacharme", False, False),
    # after blind12 and blind13: "barely" after a carrier, "no matter how", "she's just ...", a bare "just",
    # "breathing normally", "fitting", "son ...", "no siento nada" below the waist, blood in pee, no accident
    # guessed
    ("en-US", "i can hardly pull any air in", True, True),
    ("en-US", "i really can't fill my lungs no matter what i do", True, True),
    ("en-US", "every breath stops half way", False, True),
    ("en-US", "it was like a blade got rammed into my back", False, True),
    ("en-US", "i'm trying to go but nothing comes and it's been all day", False, True),
    ("en-US", "she's so mixed up she keeps losing track of what she's saying", False, True),
    ("en-US", "she's not feverish she's just so grey", True, True),
    ("en-US", "he was pinned under a tractor", False, True),
    ("en-US", "she says everyone would be better off without her", False, True),
    ("en-US", "my son keeps fitting", False, True),
    ("en-US", "he's fitting the new kitchen today", False, False),
    ("en-US", "pressure in the chest just the usual stiffness in my back", True, False),
    ("en-US", "i got puffed on the hill this morning but i'm breathing normally", False, False),
    ("en-US", "my pee has gone a rusty colour", False, False),
    ("en-US", "he walks like he's drunk these days", False, False),
    ("es-US", "de las rodillas para abajo no siento nada", False, True),
    ("es-US", "siento nada dormido ahí abajo", True, False),
    ("es-US", "no es alergia son manchitas que no se quitan al apretar", True, True),
    ("es-US", "la vejiga no la puedo vaciar", False, True),
    ("es-US", "tiene los muslos jaspeados y grises", False, True),
    ("es-US", "mi hija no puede mover ni una pierna ni la otra", False, True),
    ("es-US", "los labios los tiene de su color", False, False),
    ("es-US", "tengo sangre en la orina", False, False),
    ("en-US", "we flew in from perth last night after a long drive to the airport", False, False),
    ("en-US", "i came off my pushbike on the road", False, True),
    # before blind14 and blind15: all is well in other words, "ages ago", "before christmas", a sign that
    # cleared up, breathlessness only with effort
    ("en-US", "both legs are doing their job fine", False, False),
    ("en-US", "he's breathing the same as ever", False, False),
    ("en-US", "she passed out at the dentist ages ago", False, False),
    ("en-US", "i coughed up a little blood with flu last week but that's cleared up", False, False),
    ("en-US", "i'm only out of breath when i take the stairs", False, False),
    ("en-US", "the car accident was before christmas", False, False),
    ("es-US", "solo me falta el aire cuando subo la cuesta haciendo ejercicio", False, False),
    ("es-US", "mis piernas están como siempre", False, False),
    # after blind14 and blind15: a pronoun's clause after a carrier, both arms, "it just feels", one foot, a
    # full bladder "but nothing comes", spots that won't turn pale, machinery, "es de hoy", a crash one was not
    # in
    ("en-US", "it came on ten minutes ago and it's like my chest is being ripped open", True, True),
    ("en-US", "he's gone grey and he's dripping with sweat", True, True),
    ("en-US", "it's not ripping at all", True, False),
    ("en-US", "an ache spreading down both my arms since lunch", False, True),
    ("en-US", "i haven't had a fall it just feels like something tore in my back", False, True),
    ("en-US", "neither foot will take my weight", False, True),
    ("en-US", "i'm bursting but nothing will come out", False, True),
    ("en-US", "the dots won't go pale when i roll a glass over them", False, True),
    ("en-US", "a digger crushed his legs on site", False, True),
    ("en-US", "she's had bruises for months from the blood thinners and they don't hurt when i press", False, False),
    ("es-US", "no es de hace meses es de hoy me ahogo", True, True),
    ("es-US", "siento nada cuando me limpio", True, True),
    ("es-US", "ando como borracho tambaleándome desde hace días", False, False),
    ("es-US", "le está corriendo un sudor frío por la espalda", False, True),
    ("es-US", "había sentido algo igual como si me desgarraran", True, True),
    ("es-US", "tengo la cabeza hecha un lío no puedo pensar bien", False, True),
    ("es-US", "el coche que chocaron estaba estacionado yo no estaba ahí", False, False),
    # after blind16 and blind17: a weight on the ribcage (not pain that wraps round it), blood spat up, the
    # glass test, "never since", "blue in myself", the worst pain for weeks, "full control", "con dificultad",
    # "confundía"
    ("en-US", "it's like a piano's stood on my ribcage", False, True),
    ("en-US", "the ache wraps round my ribs like a belt", False, False),
    ("en-US", "he spat out some blood a minute ago", False, True),
    ("en-US", "she's lost all the feeling between her legs", False, True),
    ("en-US", "we did the tumbler test and the spots don't go away", False, True),
    ("en-US", "i fainted once as a student but never since", False, False),
    ("en-US", "he went down like a ton of bricks in the kitchen", False, True),
    ("en-US", "my legs have stopped working both of them", False, True),
    ("en-US", "i'm feeling a bit blue in myself", False, False),
    ("en-US", "her lips look a bit blue in this light", False, True),
    ("en-US", "it's the worst pain ever but it's been the same for weeks", False, False),
    ("en-US", "i've got full control of my waterworks", False, False),
    ("es-US", "mi hijo respira con mucha dificultad", False, True),
    ("es-US", "siento que me están partiendo la espalda en dos", False, True),
    ("es-US", "no se le entiende nada de lo que dice", False, True),
    ("es-US", "ando bien confundía desde anoche", False, True),
    ("es-US", "ando chueca como borracha desde hace semanas", False, False),
    ("es-US", "está hablando enredado como borracho sin haber tomado", False, True),
    ("es-US", "no es fiebre es un sudor frío que no para", False, True),
    ("es-US", "perdí el control del baño hoy", False, True),
    # before blind18 and blind19, from made-up phrasings: a sign that went and came back is here now (chest
    # discomfort that goes away and comes back: AHA), one that never came back is past; after a denial's carrier,
    # a "no" the sign keeps ("no {sign}" + "no puedo jalar aire") is the sign's own
    ("en-US", "my chest pain went away and then came back worse", False, True),
    ("en-US", "i had chest pain that went away but now it's back", False, True),
    ("en-US", "i had chest pain years ago but it never came back", False, False),
    ("en-US", "i had chest pain years ago and it hasn't come back", False, False),
    ("en-US", "my chest pain went away", False, False),
    ("en-US", "my chest is fine but the back pain keeps coming back", False, False),
    ("es-US", "me dolió el pecho en la mañana se me quitó y ahorita volvió", False, True),
    ("es-US", "me dolió el pecho el año pasado y no ha vuelto", False, False),
    ("es-US", "no puedo jalar aire", True, True),
    ("es-US", "no me falta el aire", True, False),
    ("es-US", "no puedo dormir pero me duele el pecho", True, True),
    # after blind18 and blind19: adverbs before "it felt" keep the clause, a pronoun is not a noun's second word
    # ("my chest | it's ..."), a sign's own words never say all is well ("no siento nada" when wiping), "can't ...
    # without stopping for air", feet that don't listen, made-up words, prising open, sweaty "pero helada" is one
    # sign, a head injury with vomiting; confused by the questions is not confusion. A Spanish verb after the
    # carrier's "no" stays negated ("no" + "está azul": she is not blue): Spanish says the answer's "no" and the
    # verb's the same way, so "no empezó hace quince minutos y es lo más horrible" stays unread
    ("en-US", "there was no crash it just all of a sudden felt like something shredded inside", False, True),
    ("en-US", "my shoulders it's like they're being prised apart", True, True),
    ("en-US", "he can't get a sentence out without stopping for breath", False, True),
    ("en-US", "i can walk a mile without stopping for breath", False, False),
    ("en-US", "i tell my legs to move and neither of them listens", False, True),
    ("en-US", "i can lift either leg fine", False, False),
    ("en-US", "grandad keeps talking with made up words", False, True),
    ("en-US", "the pain doesn't make sense to me", False, False),
    ("en-US", "i'm a bit confused by all these questions", False, False),
    ("en-US", "she came round on the kitchen floor a minute ago", False, True),
    ("en-US", "nope not me", False, False),
    ("es-US", "al limpiarme no siento nada de nada", False, True),
    ("es-US", "cuando me limpio no siento ardor", False, False),
    ("es-US", "ando todo sudado pero frío", False, True),
    ("es-US", "estoy sudada pero no tengo frío", False, False),
    ("es-US", "no es como desgarro", True, False),
    ("es-US", "está azul ni gris", True, False),
    ("es-US", "pero al limpiarme no siento nada", True, True),
    ("es-US", "se dio un golpe en la cabeza y ahora está vomitando", False, True),
    ("es-US", "me pegué en la cabeza de niño y vomité", False, False),
    ("es-US", "lo pilló una moto esta mañana", False, True),
    ("es-US", "casi me pilla un coche", False, False),
    ("es-US", "desperté tirado en el suelo", False, True),
    ("es-US", "las dos piernas no las puedo mover", False, True),
    ("es-US", "me tienen confundida con tantas preguntas", False, False),
    # after blind20 and blind21: a tearing sensation, a noun's negated verb opens a clause ("no" + "the rash
    # doesn't fade"), full feeling says all is well, blue from the cold and pink again, a heart wrung out; "no sé
    # pero ..." and "no deja de" deny nothing, "respiro bien cortito", "descosiendo", "me he desplomado", a rash
    # denied does not rule out a skin colour
    ("en-US", "a sudden tearing sensation right through to my back", False, True),
    ("en-US", "the spots don't go away when i push a glass on them", True, True),
    ("en-US", "he's got full strength in both legs", False, False),
    ("en-US", "my toes went blue in the cold but they're pink again", False, False),
    ("en-US", "it's like my heart's being wrung like a cloth", False, True),
    ("es-US", "no sé pero me duele la quijada y el brazo izquierdo", False, True),
    ("es-US", "no sé qué me pasa", False, False),
    ("es-US", "se cayó de la escalera y no deja de vomitar", False, True),
    ("es-US", "respira bien rápido y eso que está sentado", False, True),
    ("es-US", "respiro bien", False, False),
    ("es-US", "como si me estuvieran descosiendo por dentro", False, True),
    ("es-US", "mi papá se ha desplomado en el patio", False, True),
    ("es-US", "no tengo sarpullido pero tengo la piel gris", False, True),
    ("es-US", "tengo la quijada adolorida desde que me sacaron la muela", False, False),
    # after blind22 and blind23: "without stopping to breathe", too puffed to walk to the kitchen, "except i
    # haven't", nothing coming out, the wrong words, one side of the body, the lights going out, a zip yanked open,
    # nothing under one on the toilet seat, pressing does nothing, "not a rash exactly", dying to do something;
    # "sin sentido", "manchada y amoratada", "llevado por delante", "me muero de ganas"
    ("en-US", "he can hardly get two words out without stopping to breathe", False, True),
    ("en-US", "so breathless i can't make it to the bathroom", False, True),
    ("en-US", "clammy like i've been running except i haven't moved", False, True),
    ("en-US", "he's been trying to pee for hours and nothing comes out", False, True),
    ("en-US", "mum keeps using the wrong words for everything", False, True),
    ("en-US", "she can't feel the left side of her face", False, True),
    ("en-US", "the lights went out at work but i didn't faint", False, False),
    ("en-US", "it's like my back is being unzipped like a zipper yanked open", False, True),
    ("en-US", "on the loo seat i can't feel it under me", False, True),
    ("en-US", "the dots don't go away when i press a glass on them", False, True),
    ("en-US", "the spots fade when i press a glass on them", False, False),
    ("en-US", "i'm dying for a cup of tea", False, False),
    ("es-US", "se quedó sin sentido un ratito en la cocina", False, True),
    ("es-US", "tiene las piernas manchadas y moradas", False, True),
    ("es-US", "a mi hijo se lo llevó por delante una moto", False, True),
    ("es-US", "me muero de hambre", False, False),
    # found reading the change: pain that won't go away is the few-weeks question's, not a rash that won't fade
    # (the learned half and a word group both read it as one)
    ("en-US", "the pain won't go away", False, False),
    ("en-US", "it just won't go away", False, False),
    ("en-US", "the pain doesn't go away when i press on it", False, False),
    ("en-US", "the pressure doesn't go away", False, False),
    ("en-US", "the spots won't go away when i press them", False, True),
    ("en-US", "they don't fade under pressure", False, True),
])
def test_clauses_corrections_times_and_everyday_words_each_read_as_said(locale, words, after_denial, emergency):
    """Phrasings written for this test after each later blind pair's study. "No" + "the rash won't disappear when i
    press it" is a clause with its own subject and verb (a noun phrase with a relative clause, "the rash that doesn't
    fade", is what a carrier denied); a time said before a clause is that clause's ("years ago i passed out"); after
    a carrier, what follows "but", "more like", "es como" or "ahora me ..." is said, not denied, and a lone denial
    before a clause hides it only as the first word; "sweating but cold" is one sign; a power cut is not a faint;
    "grand", "las tengo fuertes", "sí se borran" say all is well; "nowhere near" denies; "una" is an article, not
    a nail ("uña"), so it excludes nothing. The rows after the comments were written the same way around blind10 to
    blind17's first runs, each comment saying what that round taught."""
    assert (spotter_for(locale).emergency(words, after_denial=after_denial) is not None) is emergency
