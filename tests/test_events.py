"""events/: the sample envelopes still match what the handler accepts, and say what their names promise.

They are documented for ``sam local invoke -e events/<name>.json`` and
``python -m skill invoke``; a stale file (after the session attributes or the
protocol change) would mislead whoever tries them. Regenerate with
``python -m skill.local.events``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import HANDLER, ROOT, check_response_shape, speech_text

from skill.local.envelopes import DEFAULT_SKILL_ID
from skill.local.events import EVENTS, build_event

EVENTS_DIR = ROOT / "events"


def answer(name: str) -> dict:
    event = json.loads((EVENTS_DIR / f"{name}.json").read_text())
    assert event["context"]["System"]["application"]["applicationId"] == DEFAULT_SKILL_ID
    response = HANDLER(event, None)
    check_response_shape(response)
    return response


def disposition(response: dict) -> str | None:
    return (response.get("sessionAttributes") or {}).get("disposition")


def test_there_is_one_file_per_event_and_no_stray_ones():
    assert {path.stem for path in EVENTS_DIR.glob("*.json")} == set(EVENTS)


@pytest.mark.parametrize("name", ["yes", "not_sure", "emergency_interrupt"])
def test_emergency_events_get_the_emergency_instruction(name, monkeypatch):
    monkeypatch.setenv("SKILL_ID", DEFAULT_SKILL_ID)
    response = answer(name)
    assert speech_text(response).startswith("Call 911 now.")
    assert disposition(response) == "emergency"
    assert response["response"]["shouldEndSession"] is True


def test_launch_welcomes_and_asks_the_emergency_question_first():
    response = answer("launch")
    assert "Back Pain Check: guidance" in speech_text(response)
    assert "chest pain" in speech_text(response)
    assert response["response"]["shouldEndSession"] is False


def test_no_moves_to_the_next_question_and_help_explains_then_asks_again():
    no, help_ = answer("no"), answer("help")
    assert no["response"]["shouldEndSession"] is False and disposition(no) is None
    assert "short of breath" in speech_text(no)
    assert help_["response"]["shouldEndSession"] is False
    assert len(speech_text(help_)) > len(speech_text(no))  # an explanation, then the question again


def test_stop_mid_way_still_says_when_to_call_911():
    response = answer("stop")
    assert response["response"]["shouldEndSession"] is True
    assert "call 911 right away" in speech_text(response)


def test_session_end_gets_no_speech():
    response = answer("session_end")
    assert "outputSpeech" not in response["response"] or response["response"]["outputSpeech"] is None


def test_the_invoke_command_runs_an_event_file_once():
    env = {k: v for k, v in os.environ.items() if k != "SKILL_ID"}
    result = subprocess.run([sys.executable, "-m", "skill", "invoke", "events/launch.json"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Back Pain Check: guidance" in json.loads(result.stdout)["response"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_committed_events_are_what_the_generator_builds_today(name, monkeypatch):
    monkeypatch.delenv("SKILL_ID", raising=False)
    committed = json.loads((EVENTS_DIR / f"{name}.json").read_text())
    assert committed == build_event(name), "stale: regenerate with python -m skill.local.events"
