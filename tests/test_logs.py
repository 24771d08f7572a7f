"""Logs and metrics: one JSON line per request for the operator, nothing about the person."""

from __future__ import annotations

import json
import logging
import re

import pytest
from conftest import EMERGENCY_QUESTIONS, FIRST_AFTER_EMERGENCY, HANDLER, NO_RED_FLAGS, Conversation

from skill.local.envelopes import DEFAULT_USER_ID, Session
from skill.store import MemoryStore, use_store, user_key
from skill.triage import default_locales

REQUIRED = {"event", "request_id", "type", "intent", "locale", "latency_ms", "store_failed"}


class DeadStore(MemoryStore):
    name = "dead"

    def items(self, key):
        raise ConnectionError(f"the table is gone for {key}")  # a careless error message holding the key

    put = delete = delete_all = lambda self, *args: DeadStore.items(self, args[0] if args else None)


def request_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records
            if r.name == "skill.requests" and r.getMessage().startswith("{")]


def forbidden_strings() -> list[str]:
    """What must never reach a log: who the person is, what they said, what they were told."""
    text = default_locales()["en-US"]
    spoken = [q["ask"] for q in text.questions.values()] + [d["speech"][:40] for d in text.dispositions.values()]
    return [DEFAULT_USER_ID, user_key(DEFAULT_USER_ID), "AMAZON.YesIntent", "AMAZON.NoIntent", "UnsureIntent",
            "amzn1.echo-api.session", *spoken]


def everything_logged(caplog, capsys) -> str:
    return "\n".join(r.getMessage() for r in caplog.records) + capsys.readouterr().out


@pytest.fixture
def on_lambda(monkeypatch):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "back-pain-check")


def test_every_request_writes_one_json_line_with_the_operators_fields(caplog, on_lambda):
    with caplog.at_level(logging.INFO, logger="skill"):
        conversation = Conversation()
        conversation.launch()
        conversation.answer("no")
        conversation.intent("AMAZON.HelpIntent")
        conversation.answer("yes")
    lines = request_lines(caplog)
    assert len(lines) == 4
    assert all(set(line) == REQUIRED for line in lines)  # no question, no disposition: see skill/observability.py
    assert [line["type"] for line in lines] == ["LaunchRequest", "IntentRequest", "IntentRequest", "IntentRequest"]
    assert [line["intent"] for line in lines] == [None, "answer", "AMAZON.HelpIntent", "answer"]
    assert all(line["locale"] == "en-US" and line["latency_ms"] >= 0 for line in lines)
    assert not any(line["store_failed"] for line in lines)


def test_each_line_names_alexas_request_id_so_an_operator_can_follow_one_request(caplog):
    sent = []
    with caplog.at_level(logging.INFO, logger="skill"):
        conversation = Conversation()
        for make in (conversation.session.launch, lambda: conversation.session.intent("AMAZON.NoIntent")):
            event = make()
            sent.append(event["request"]["requestId"])
            conversation.send(event)
        HANDLER({"request": {"type": "Nonsense", "requestId": "amzn1.echo-api.request.broken"}}, None)
        HANDLER({"request": {"type": "Nonsense", "requestId": DEFAULT_USER_ID + " <script>"}}, None)
    assert [line["request_id"] for line in request_lines(caplog)] == [*sent, "amzn1.echo-api.request.broken", None]


def test_with_info_off_the_request_line_is_never_built(monkeypatch):
    """Building and encoding the line is work: none of it is done when nothing will be written."""
    import skill.observability

    class NoEncoding:
        @staticmethod
        def dumps(*args, **kwargs):
            raise AssertionError("a log line was encoded though INFO is off")

    monkeypatch.setattr(skill.observability, "json", NoEncoding)
    monkeypatch.setattr(logging.getLogger("skill.requests"), "level", logging.WARNING)
    conversation = Conversation()
    conversation.launch()
    conversation.answer("no")
    assert conversation.question == "breathing"


def test_a_disposition_is_counted_as_a_cloudwatch_metric_on_lambda(capsys, on_lambda):
    conversation = Conversation()
    conversation.launch()
    conversation.intent("EmergencyIntent")
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    assert len(metrics) == 1
    (definition,) = metrics[0]["_aws"]["CloudWatchMetrics"]
    assert definition["Namespace"] == "BackPainCheck" and definition["Dimensions"] == [["Disposition"]]
    assert metrics[0]["Disposition"] == "emergency" and metrics[0]["Outcome"] == 1


def test_no_metric_lines_off_lambda(capsys, monkeypatch):
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    conversation = Conversation()
    conversation.launch()
    conversation.intent("EmergencyIntent")
    assert "_aws" not in capsys.readouterr().out


def test_a_store_failure_is_logged_and_counted_without_user_data(caplog, capsys, on_lambda):
    use_store(DeadStore())
    with caplog.at_level(logging.INFO, logger="skill"):
        conversation = Conversation()
        conversation.launch()
        for _ in EMERGENCY_QUESTIONS:  # memory is read once the emergency questions are answered
            conversation.answer("no")
    lines = request_lines(caplog)
    assert [line["store_failed"] for line in lines] == [False] * len(EMERGENCY_QUESTIONS) + [True]
    assert conversation.question == FIRST_AFTER_EMERGENCY
    logged = everything_logged(caplog, capsys)
    assert '"StoreFailure":1' in logged and "store failed: store=dead operation=recall" in logged
    for secret in forbidden_strings():
        assert secret not in logged, secret


def test_an_error_is_logged_with_its_class_and_the_request_shape_only(caplog, monkeypatch):
    from skill.alexa import conversation

    def broken(self, handler_input):
        raise RuntimeError(f"boom for {DEFAULT_USER_ID}")

    monkeypatch.setattr(conversation.ConversationHandler, "handle", broken)
    with caplog.at_level(logging.INFO, logger="skill"):
        conversation = Conversation()
        conversation.launch()
        conversation.answer("yes")
    lines = request_lines(caplog)
    assert re.fullmatch(r"RuntimeError at test_logs\.py:\d+ in broken", lines[-1]["error"])  # where, not what
    assert lines[-1]["intent"] == "answer"
    assert DEFAULT_USER_ID not in "\n".join(r.getMessage() for r in caplog.records)


def test_unreadable_requests_are_logged_without_their_content(caplog):
    with caplog.at_level(logging.INFO, logger="skill"):
        HANDLER({"request": {"type": "Nonsense", "secret": DEFAULT_USER_ID}}, None)
    (line,) = request_lines(caplog)
    assert line["error"].startswith("unreadable request")
    assert DEFAULT_USER_ID not in caplog.text


def test_whole_conversations_of_every_kind_leave_no_personal_or_health_content_in_logs(caplog, capsys, on_lambda):
    scripts = [["no"] * NO_RED_FLAGS, ["no", "yes", "no", "yes"], ["unsure"], ["no"] * 7 + ["yes", "no", "no", "yes"],
               ["no"] * (NO_RED_FLAGS - 1) + ["yes"]]
    with caplog.at_level(logging.DEBUG):
        for script in scripts:
            conversation = Conversation()
            conversation.launch()
            for answer in script:
                conversation.answer(answer)
        conversation = Conversation()
        conversation.launch()
        conversation.intent("AMAZON.StopIntent")
        session = Session()
        HANDLER(session.session_ended("EXCEEDED_MAX_REPROMPTS"), None)
    logged = everything_logged(caplog, capsys)
    assert logged.count('"event":"request"') == sum(len(s) + 1 for s in scripts) + 2 + 1
    for secret in forbidden_strings():
        assert secret not in logged, secret


def normalised(lines: list[dict]) -> list[dict]:
    """The lines without what differs between any two requests: Alexa's request id and the latency."""
    return [{k: v for k, v in line.items() if k not in ("request_id", "latency_ms")} for line in lines]


def logged_conversation(caplog, answers: list[str]) -> list[dict]:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="skill"):
        conversation = Conversation()
        conversation.launch()
        for answer in answers:
            conversation.answer(answer)
    return request_lines(caplog)


@pytest.mark.parametrize("first, second", [
    (["no"] * NO_RED_FLAGS, ["no"] * (NO_RED_FLAGS - 1) + ["yes"]),  # self-care, or a follow-up question asked
    (["no"] * NO_RED_FLAGS + ["yes"], ["no"] * NO_RED_FLAGS + ["no"]),  # remembered (a store write), or not
])
def test_two_conversations_that_differ_in_one_answer_log_the_same_lines(caplog, capsys, on_lambda, first, second):
    use_store(MemoryStore())
    assert sum(a != b for a, b in zip(first, second, strict=True)) == 1
    one, other = logged_conversation(caplog, first), logged_conversation(caplog, second)
    assert len(one) == len(other) == len(first) + 1
    assert normalised(one) == normalised(other)
    assert {line["request_id"] for line in one}.isdisjoint(line["request_id"] for line in other)
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    assert metrics and all(set(m) <= {"_aws", "Disposition", "Outcome"} for m in metrics)  # aggregate counts only


def test_no_line_names_a_question_an_answer_or_an_outcome(caplog, on_lambda):
    text = default_locales()["en-US"]
    lines = logged_conversation(caplog, ["no"] * 7 + ["yes", "no", "no", "yes"])
    logged = json.dumps(lines)
    for name in [*text.questions, *text.dispositions]:
        assert f'"{name}"' not in logged, name
