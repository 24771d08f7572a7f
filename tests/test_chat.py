"""``python -m skill chat`` as a newcomer runs it: typed lines in, what Alexa says out."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from conftest import NO_RED_FLAGS, ROOT, UNIVERSAL

TO_URGENT = ["no"] * UNIVERSAL.index("risk_factors")  # then a yes is urgent (and a no to the rash question)


def chat(*lines: str, locale: str = "en-US", options: tuple = ()) -> str:
    env = {k: v for k, v in os.environ.items() if k != "SKILL_ID"}
    result = subprocess.run(
        [sys.executable, "-m", "skill", "chat", "--locale", locale, *options],
        input="\n".join(lines) + "\n", capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("lines, disposition, heard", [
    (["I'm not sure"], "emergency", "Call 911 now"),
    (TO_URGENT + ["yes I do", "no"], "urgent", "contact a doctor or other healthcare professional today"),
    (["no"] * (NO_RED_FLAGS - 1) + ["yeah", "no"], "routine", "make an appointment"),
    (["nope"] * NO_RED_FLAGS, "self_care", "strained muscles"),
])
def test_a_full_conversation_for_each_disposition(lines, disposition, heard):
    out = chat(*lines)
    assert "Alexa: Back Pain Check: guidance" in out
    assert heard in out
    assert f"[disposition: {disposition}]" in out
    assert "[Card] Back Pain Check:" in out


def test_an_interruption_help_and_repeat_in_the_chat():
    out = chat("no", "what does that mean", "say that again", "I can't feel my legs")
    assert "sharper when you breathe in" in out
    assert "[heard as AMAZON.RepeatIntent]" in out
    assert "[disposition: emergency]" in out


def test_stop_in_the_chat_gives_the_safety_net_and_a_new_session_can_start():
    out = chat("no", "stop", "open back pain check", "quit")
    assert "call 911 right away" in out
    assert out.count("Back Pain Check: guidance") == 2


@pytest.mark.parametrize("lines, disposition, heard", [
    (["not sure"], "emergency", "Call 999 now"),
    (TO_URGENT + ["yes", "no"], "urgent", "call NHS 111"),
    (["no"] * (NO_RED_FLAGS - 1) + ["yes", "no"], "routine", "GP or a physiotherapist"),
    (["no"] * NO_RED_FLAGS, "self_care", "slipped (herniated) disc"),
])
def test_the_uk_chat_reaches_every_disposition_with_999(lines, disposition, heard):
    out = chat(*lines, locale="en-GB")
    assert heard in out and f"[disposition: {disposition}]" in out
    assert not re.search(r"\b911\b", out)  # the number as said; a random port such as 34911 is not it


def test_the_screen_chat_shows_buttons_and_a_tap_answers():
    out = chat("tap not sure", options=("--screen",))
    assert "[ Yes ]  [ No ]  [ Not sure ]" in out
    assert "[touched unsure]" in out and "[Screen] CALL 911 NOW" in out
    assert "[disposition: emergency]" in out
