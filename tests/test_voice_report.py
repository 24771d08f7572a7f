"""The voice report: issue 13's speech limits hold in every locale, and README.md shows today's numbers.

The limits are what a listener lives with (a welcome they sit through, a question they must hold in mind, an
emergency instruction that must come first), so a limit that fails in any locale fails here, one test per
locale and limit, naming where it was found.
"""

from __future__ import annotations

import pytest
from conftest import ROOT

from skill.__main__ import main
from skill.local.voice_measure import Measure, sentences, shared_end, words
from skill.local.voice_report import END, README, START, locales, readme_section, readme_with, render_markdown, report
from skill.local.voice_walk import spoken
from skill.triage import DEFAULT_LOCALE, default_protocol

# Every measure with a limit; test_every_limited_measure_is_tested keeps this list complete.
LIMITED = ["welcome_first", "welcome_returning", "question_words", "question_items", "simpler_words",
           "simpler_items", "help_reply", "unsure_sentences", "unsure_words",
           *(f"outcome_{code}" for code in default_protocol().ranks), "outcome_misunderstood",
           "offer_in_outcome", "words_before_call", "safety_net_most", "safety_net_fewest"]


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
        "README.md's voice report is stale: run `python -m skill voice-report --write-readme` and commit it")


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


def test_the_walk_drives_the_skill_the_welcome_is_the_launch_reply(conversation):
    conversation.launch()
    assert measures("en-US")["welcome_first"].value == words(conversation.speech)


def test_a_limit_fails_above_it_and_information_never_fails():
    assert not Measure("help_reply", "help", 47, most=40).passed
    assert Measure("help_reply", "help", 40, most=40).passed
    assert not Measure("offer_in_outcome", "offers", 2, most=0, least=0).passed
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
