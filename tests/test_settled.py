"""The spotter's "here now?" table (``skill/local/settled_build.py``): a sign said to be gone, in words no rule
knows, is asked again, yes or no, not told to call; an emergency statement is never doubted."""

from __future__ import annotations

import json

import pytest
from conftest import Conversation, unmatched

from skill.alexa.own_words import Spotted, spotter_for
from skill.alexa.own_words_model import GENERAL, table_path
from skill.local import settled_build, spotter_build
from skill.triage import default_locales

CALL = default_locales()["en-US"].call_now()


@pytest.mark.parametrize("language", sorted(spotter_build.LANGUAGES))
def test_the_committed_table_was_built_from_the_current_phrasings_and_spotter(language):
    """A stale table fails here: run `python -m skill spotter-build` (scikit-learn, from requirements-dev.txt)."""
    table = json.loads(table_path(language, name="settled").read_text(encoding="utf-8"))
    assert table["inputs_hash"] == settled_build.inputs_hash(language), (
        f"skill/alexa/data/settled_{language}.json is stale: python -m skill spotter-build --language {language}")
    assert set(table["classes"]) == {settled_build.ABSENT, settled_build.PRESENT}
    assert set(table["thresholds"]) == {*spotter_for(spotter_build.LANGUAGES[language]).spottable, GENERAL}


@pytest.mark.parametrize("language", sorted(spotter_build.LANGUAGES))
def test_no_emergency_statement_of_any_development_set_is_doubted(language):
    """Each sign's threshold sits above every development emergency statement's: a set added since the table was
    built that one of them would doubt fails here (rebuild it: the threshold moves above it)."""
    spotter = spotter_for(spotter_build.LANGUAGES[language])
    statements = settled_build.emergency_statements(language)
    assert len(statements) > 2000
    doubted = [said for said in statements
               if (spotted := spotter.emergency(said)) is not None and spotter.doubts(said, spotted)]
    assert doubted == []


@pytest.mark.parametrize("locale, words", [
    ("en-US", "my legs went numb on the long flight home but that's long since sorted"),
    ("en-US", "he was slurring at the pub on saturday because he'd had a few"),
])
def test_a_sign_said_to_be_gone_in_words_no_rule_knows_is_doubted(locale, words):
    """Phrasings written for this test, not in the table's training phrasings: the word groups spot the sign,
    the table is sure it is not here now."""
    spotter = spotter_for(locale)
    spotted = spotter.emergency(words)
    assert spotted is not None and spotter.doubts(words, spotted)


@pytest.mark.parametrize("locale, words", [
    ("en-US", "i fainted this morning but i'm not dizzy now"),  # a faint today: the sign, whatever else is denied
    ("en-US", "i was fine an hour ago and now i can't feel my legs"),
    ("en-US", "the chest pain went away but it's come back worse"),
    ("en-US", "no i'm not okay i passed out in the shower"),
    ("en-US", "my dad's coughing up blood and says it's nothing"),
    ("es-US", "se me quitó el dolor de pecho pero ya volvió"),
    ("es-US", "no estoy bien me desmayé en el baño"),
    ("es-US", "se me pasó al pecho el dolor"),  # pain that moved, not pain gone
])
def test_a_sign_here_now_is_not_doubted_whatever_else_is_said(locale, words):
    spotter = spotter_for(locale)
    spotted = spotter.emergency(words)
    assert spotted is not None and not spotter.doubts(words, spotted)


def test_a_doubted_sign_is_asked_again_yes_or_no_and_a_yes_is_the_emergency_instruction():
    """Through the Lambda handler: a doubt records nothing (not a denial), and the question comes back whole."""
    conversation = Conversation()
    conversation.launch()
    assert conversation.question == "heart_pain"
    unmatched(conversation, "he was slurring at the pub on saturday because he'd had a few")
    assert not conversation.ended and conversation.question == "heart_pain"
    assert conversation.speech == "Thanks. To be sure, yes or no: Any chest pain, or pain in your arm or jaw?"
    conversation.answer("yes")
    assert conversation.speech.startswith(CALL) and conversation.ended


def test_the_table_reads_the_words_around_the_sign_and_never_the_sign_alone():
    """What names the sign is left out, so the table learns how a sign is said to be gone, not which sign it is;
    a sign said alone has nothing around it, and is never doubted."""
    spotter = spotter_for("en-US")
    assert spotter.around_sign("no uh the chest pain was on the telly") == "the was on the telly"
    assert spotter.around_sign("chest pain") == ""
    assert not spotter.doubts("chest pain", Spotted("heart_pain"))
