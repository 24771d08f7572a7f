"""Scripted conversations (dialogs/) through every way the skill runs, and the replay tool's own promises.

The same dialogs pass against the handler in this process, the web service
(Flask's real server on 127.0.0.1) and the Lambda function under the emulator
(awslambdaric in a child process, called with boto3): what a person hears does
not depend on how the skill is hosted. The replay tool fails loudly: a wrong
expectation, a typo in a dialog file or a target that errs gives a non-zero
exit and a JUnit failure.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

import pytest
from conftest import ROOT
from werkzeug.serving import make_server

from skill.local.emulator import Emulator
from skill.local.envelopes import DEFAULT_SKILL_ID
from skill.local.replay import ScriptError, load_scripts, replay
from skill.local.targets import make_invoker

DIALOGS = sorted((ROOT / "dialogs").glob("*.yaml")) + sorted((ROOT / "dialogs").glob("*.json"))
OTHER_SKILL = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"


@pytest.fixture(scope="module")
def web_url():
    from skill.web.app import create_app

    server = make_server("127.0.0.1", 0, create_app(skill_id=DEFAULT_SKILL_ID, verify=False), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def lambda_url():
    with Emulator(ROOT / "template.yaml", port=0, parameters={"SkillId": DEFAULT_SKILL_ID}, dynamodb="moto",
                  log=lambda line: None) as emulator:
        yield f"lambda://127.0.0.1:{emulator.api.server_address[1]}/SkillFunction"


@pytest.fixture(params=["local", "web service", "emulated lambda"])
def target(request, monkeypatch):
    monkeypatch.setenv("SKILL_ID", DEFAULT_SKILL_ID)
    if request.param == "local":
        return "local"
    return request.getfixturevalue("web_url" if request.param == "web service" else "lambda_url")


def test_there_is_a_dialog_for_each_disposition_the_interruption_help_repeat_and_stop():
    text = "\n".join(path.read_text() for path in DIALOGS)
    for disposition in ("emergency", "urgent", "routine", "self_care"):
        assert f"disposition: {disposition}" in text
    for heard in ("EmergencyIntent", "AMAZON.HelpIntent", "AMAZON.RepeatIntent", "AMAZON.StopIntent"):
        assert f"heard_as: {heard}" in text
    assert any(path.suffix == ".json" for path in DIALOGS)  # the ask dialog --replay format
    scripts = [script for path in DIALOGS for script in load_scripts(path)]
    for model in (ROOT / "interaction_models").glob("*.json"):  # every locale the skill is published in
        assert any(script.locale == model.stem for script in scripts), f"no dialog for {model.stem}"


@pytest.mark.parametrize("dialog", DIALOGS, ids=lambda path: path.name)
def test_every_dialog_passes_against_every_target(dialog, target):
    out = StringIO()
    assert replay([dialog], make_invoker(target), out=out) == 0, out.getvalue()
    assert " 0 failed" in out.getvalue()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_wrong_expectation_fails_with_a_readable_transcript_and_junit(tmp_path):
    dialog = write(tmp_path, "wrong.yaml", """
name: a reviewer's mistaken belief
conversation:
  - open back pain check
  - say: I'm not sure
    expect:
      disposition: self_care
      speech_contains: make an appointment
""")
    junit = tmp_path / "junit.xml"
    env = {k: v for k, v in os.environ.items() if k != "SKILL_ID"}
    result = subprocess.run([sys.executable, "-m", "skill", "replay", str(dialog), "--junit", str(junit)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "You: I'm not sure" in result.stdout
    assert "Alexa: Call 911 now." in result.stdout
    assert "FAILED expected disposition self_care; it was emergency" in result.stdout
    assert "replay: 0 passed, 1 failed" in result.stdout
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite.get("tests") == "1" and suite.get("failures") == "1"
    failure = suite.find("testcase/failure")
    assert "turn 2" in failure.get("message") and "self_care" in failure.get("message")


def test_a_junit_report_of_a_passing_run_has_no_failures(tmp_path):
    junit = tmp_path / "junit.xml"
    assert replay(DIALOGS, make_invoker("local"), out=StringIO(), junit=junit) == 0
    root = ET.parse(junit).getroot()
    cases = root.findall("testsuite/testcase")
    assert len(cases) == sum(len(load_scripts(path)) for path in DIALOGS)
    assert not root.findall(".//failure") and not root.findall(".//error")


def test_yes_and_no_in_yaml_are_words_not_booleans(tmp_path):
    dialog = write(tmp_path, "words.yaml", "conversation:\n  - open back pain check\n  - no\n  - say: yes\n")
    steps = load_scripts(dialog)[0].steps
    assert [step.value for step in steps] == ["open back pain check", "no", "yes"]


@pytest.mark.parametrize("text, complaint", [
    ("conversation:\n  - say: no\n    expect: {speech_contain: x}\n", "unknown expectation"),
    ("conversation:\n  - say: no\n    intent: AMAZON.NoIntent\n", "exactly one of"),
    ("conversation:\n  - say: no\n    expect: {speech_matches: '('}\n", "not a regular expression"),
    ("name: nothing to say\n", "needs a 'conversation' list"),
])
def test_a_mistyped_dialog_is_refused_not_silently_passed(tmp_path, text, complaint):
    with pytest.raises(ScriptError, match=complaint):
        load_scripts(write(tmp_path, "typo.yaml", text))
    out = StringIO()
    assert replay([tmp_path / "typo.yaml"], make_invoker("local"), out=out) == 1


def test_the_ask_cli_replay_format_is_resolved_like_the_chat(tmp_path):
    dialog = write(tmp_path, "ask.json", json.dumps({
        "skillId": DEFAULT_SKILL_ID, "locale": "en-US", "type": "text",
        "userInput": ["open back pain check", "nope", "I have chest pain"]}))
    out = StringIO()
    assert replay([dialog], make_invoker("local"), out=out) == 0
    transcript = out.getvalue()
    assert "[heard as LaunchRequest]" in transcript and "[heard as AMAZON.NoIntent]" in transcript
    assert "[disposition: emergency]" in transcript


def test_a_target_that_refuses_the_skill_id_is_an_error_in_the_run(tmp_path, monkeypatch):
    monkeypatch.setenv("SKILL_ID", DEFAULT_SKILL_ID)
    dialog = write(tmp_path, "other.json", json.dumps({
        "skillId": OTHER_SKILL, "locale": "en-US", "type": "text", "userInput": ["open back pain check"]}))
    junit = tmp_path / "junit.xml"
    out = StringIO()
    assert replay([dialog], make_invoker("local"), out=out, junit=junit) == 1
    assert "SkillIdRefused" in out.getvalue()
    assert ET.parse(junit).getroot().find("testsuite").get("errors") == "1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("scheme", ["lambda", "http"])
def test_an_unreachable_target_is_an_error_not_a_pass(scheme):
    out = StringIO()
    dialog = ROOT / "dialogs" / "emergency.yaml"
    assert replay([dialog], make_invoker(f"{scheme}://127.0.0.1:{free_port()}/SkillFunction"), out=out) == 1
    assert "ERROR" in out.getvalue() and "replay: 0 passed, 2 failed" in out.getvalue()


def test_the_chat_can_talk_to_the_web_service(web_url):
    env = {**os.environ, "SKILL_ID": DEFAULT_SKILL_ID}
    result = subprocess.run([sys.executable, "-m", "skill", "chat", "--target", web_url],
                            input="I'm not sure\n", capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Alexa: Back Pain Check: guidance" in result.stdout
    assert "[disposition: emergency]" in result.stdout


def test_target_strings_are_checked():
    for bad in ("lambda://127.0.0.1:9001", "ftp://host/x", "emulator"):
        with pytest.raises(ValueError):
            make_invoker(bad)
