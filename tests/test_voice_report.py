"""The voice report: issue 13's speech limits hold in every locale, and docs/operations.md shows today's numbers.

The limits are what a listener lives with (a welcome they sit through, a question they must hold in mind, an
emergency instruction that must come first), so a limit that fails in any locale fails here, one test per
locale and limit, naming where it was found.
"""

from __future__ import annotations

import pytest
from conftest import ROOT

from skill.__main__ import main
from skill.local.voice_measure import (
    Measure,
    last_question,
    offer_measures,
    offer_parts,
    questions_in,
    sentences,
    shared_end,
    words,
)
from skill.local.voice_report import END, README, START, locales, readme_section, readme_with, render_markdown, report
from skill.local.voice_walk import Ending, Said, spoken
from skill.triage import DEFAULT_LOCALE, default_locales, default_protocol

# Every offer asked at the end of an outcome: a reminder where one can be set (after self-care, after routine
# advice), else to remember.
OFFER_KINDS = ["reminder", "appointment_reminder", "remember"]
# Every measure with a limit; test_every_limited_measure_is_tested keeps this list complete.
LIMITED = ["welcome_first", "welcome_returning", "question_words", "question_items", "simpler_words",
           "simpler_items", "help_reply", "unsure_sentences", "unsure_words",
           *(f"outcome_{code}" for code in default_protocol().ranks), "outcome_misunderstood",
           *(f"offer_{part}_{kind}" for kind in OFFER_KINDS for part in ("words", "questions", "after")),
           "words_before_call", "safety_net_most", "safety_net_fewest"]
SAFETY_NET = "If you get chest pain, trouble breathing, or weak or numb legs, call 911 right away."


def measures(locale: str) -> dict[str, Measure]:
    return {m.key: m for m in report(locale).measures}


@pytest.mark.parametrize("key", LIMITED)
@pytest.mark.parametrize("locale", locales())
def test_limit_holds(locale, key):
    m = measures(locale).get(key)
    assert m is not None, f"{locale}: the walk found nothing to measure for {key}"
    assert m.passed, f"{locale}: {m.name} is {m.value}, limit {m.limit} ({m.detail})"


def test_every_limited_measure_is_tested():
    for locale in locales():
        limited = {m.key for m in report(locale).measures if m.limited}
        assert limited <= set(LIMITED), f"{locale}: add {sorted(limited - set(LIMITED))} to LIMITED"


def test_readme_shows_the_report_as_it_is_now():
    text = README.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1
    assert readme_section(text) == render_markdown([report(locale) for locale in locales()]), (
        "docs/operations.md's voice report is stale: run `python -m skill voice-report --write-readme` and commit it")


def test_every_locale_file_is_measured_the_default_first():
    files = sorted(path.stem for path in (ROOT / "skill" / "triage" / "data" / "locales").glob("*.json"))
    assert sorted(locales()) == files
    assert locales()[0] == DEFAULT_LOCALE


def test_words_are_counted_as_heard():
    assert spoken('<speak>Call <say-as interpret-as="digits">911</say-as> now.</speak>') == "Call 911 now."
    assert words(spoken('Call <say-as interpret-as="digits">911</say-as> now.')) == 3
    assert words("Don't drive yourself; a 24-hour line.") == 6
    assert words("Please answer yes, no, or not sure.") == 7


def test_the_re_said_question_is_what_reply_and_reprompt_end_with():
    help_reply = "Sick means you might throw up. Do you feel sick or faint?"
    reprompt = "You can answer yes, no, or not sure. Do you feel sick or faint?"
    assert shared_end(help_reply, reprompt) == "Do you feel sick or faint?"
    assert shared_end("Call 911 now.", "") == ""
    assert sentences("Call 911 now. This could be an emergency.") == ["Call 911 now.", "This could be an emergency."]


def test_help_re_says_the_question_in_simpler_words_so_help_alone_is_all_but_the_last_question():
    help_reply = "Sick means you might throw up. Do you feel sick or dizzy?"  # the simpler words
    reprompt = "You can answer yes, no, or not sure. Do you feel sick or faint?"  # the question in full
    assert shared_end(help_reply, reprompt) == ""  # so the question is found as the reply's last sentence
    assert last_question(help_reply) == "Do you feel sick or dizzy?"
    assert last_question("Okay, stopping here.") == ""
    assert questions_in(help_reply) == 1 and questions_in("Yes? No? Not sure.") == 2


def test_an_offer_is_the_one_question_after_the_outcomes_safety_net_and_nothing_after_it():
    outcome = f"Keep moving gently. {SAFETY_NET}"
    offer = "Would you like a reminder in two weeks to check how your back feels?"
    assert offer_parts(f"{outcome} {offer}", SAFETY_NET) == (outcome, offer, "")
    assert offer_parts(f"{outcome} I can help. {offer} Take care.", SAFETY_NET) == (
        outcome, f"I can help. {offer}", "Take care.")  # a lead-in counts as the offer; what follows, after it
    assert offer_parts(f"{outcome} {offer} {SAFETY_NET}", SAFETY_NET)[2] == SAFETY_NET  # said again: after it
    assert offer_parts(f"Keep moving gently. {offer}", SAFETY_NET) == ("Keep moving gently.", offer, "")
    assert offer_parts(outcome, SAFETY_NET) == (outcome, "", "")


def offer_ending(speech: str, kind: str = "reminder") -> Ending:
    said = Said(speech=speech, reprompt="", ends=False, disposition="self_care", offer=kind)
    return Ending(("offer answered no",), (said, Said(speech="Okay, no reminder.")))


def test_an_offer_measure_fails_when_the_offer_is_long_is_not_one_question_or_is_followed():
    outcome = f"Keep moving gently. {SAFETY_NET}"
    offer = "Would you like a reminder in two weeks to check how your back feels?"
    good = {m.key: m for m in offer_measures([offer_ending(f"{outcome} {offer}")], SAFETY_NET)}
    assert set(good) == {"offer_words_reminder", "offer_questions_reminder", "offer_after_reminder"}
    assert all(m.passed for m in good.values()) and good["offer_words_reminder"].value == 14
    long = "Would you like me to set a reminder with Alexa in two weeks from today so you check how your back is?"
    two = f"Is it better? {offer}"
    for speech, failing in ((f"{outcome} {long}", "offer_words_reminder"),
                            (f"Is it better? {outcome} {offer}", "offer_questions_reminder"),
                            (f"{outcome} {two}", "offer_questions_reminder"),
                            (f"{outcome} {offer} Take care.", "offer_after_reminder"),
                            (f"{outcome} {offer} {SAFETY_NET}", "offer_after_reminder"),
                            (outcome, "offer_questions_reminder")):
        found = {m.key: m for m in offer_measures([offer_ending(f"{outcome} {offer}"), offer_ending(speech)],
                                                  SAFETY_NET)}
        assert not found[failing].passed, (speech, found[failing])


@pytest.mark.parametrize("locale", locales())
def test_every_kind_of_offer_is_measured_after_the_outcomes_it_follows(locale):
    found = measures(locale)
    for kind, disposition in (("reminder", "self_care"), ("appointment_reminder", "routine"),
                              ("remember", "self_care")):
        question = default_locales()[locale].phrases[f"{kind}_question"]
        assert found[f"offer_words_{kind}"].detail == f"after {disposition}: {question}"


def test_the_walk_drives_the_skill_the_welcome_is_the_launch_reply(conversation):
    conversation.launch()
    assert measures("en-US")["welcome_first"].value == words(conversation.speech)


def test_a_limit_fails_above_it_and_information_never_fails():
    assert not Measure("help_reply", "help", 47, most=40).passed
    assert Measure("help_reply", "help", 40, most=40).passed
    assert not Measure("offer_after_reminder", "offers", 2, most=0, least=0).passed
    assert not Measure("offer_questions_reminder", "offers", 0, most=1, least=1).passed
    assert not Measure("reprompt", "reprompt", 99).limited


def test_readme_section_is_replaced_between_the_markers_only():
    text = f"# Title\n\nbefore\n\n{START}\nold\n{END}\n\nafter\n"
    assert readme_with(text, "new\n") == f"# Title\n\nbefore\n\n{START}\nnew\n{END}\n\nafter\n"
    with pytest.raises(ValueError):
        readme_with("no markers", "new\n")


def test_command_prints_one_locale_and_exits_1_only_when_a_limit_fails(capsys):
    code = main(["voice-report", "--locale", "en-GB"])
    out = capsys.readouterr().out
    assert out.startswith("Voice report: en-GB")
    assert "Welcome + first question, first time" in out and "heart_pain" in out
    assert code == (1 if report("en-GB").failures else 0)


def test_command_refuses_an_unknown_locale_and_a_partial_readme(capsys):
    assert main(["voice-report", "--locale", "xx-XX"]) == 2
    assert main(["voice-report", "--locale", "en-GB", "--write-readme"]) == 2
