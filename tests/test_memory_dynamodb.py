"""Memory on DynamoDB as Lambda runs it: the real Lambda handler, the environment template.yaml declares,
and moto's real HTTP server on 127.0.0.1 as the table. Then the faults: the server stopped mid-conversation,
throttling, garbage answers, a hanging endpoint and corrupted items. The triage always completes and its
safety rules hold; only memory is lost, and a log line says so without user data."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import FIRST_AFTER_EMERGENCY, ROOT
from test_memory_conversations import KEY, REMEMBER, SAFETY_NET, T0, Visit, past_the_emergency_questions

import skill.store
from skill.local.emulator.dynamodb import LocalDynamoDb
from skill.local.emulator.template import load_template, read_secrets, read_tables
from skill.local.envelopes import DEFAULT_SKILL_ID, DEFAULT_USER_ID
from skill.store.dynamodb import PARTITION_KEY, SORT_KEY

TEMPLATE = load_template(ROOT / "template.yaml")  # short tags in their long forms: {"Ref": ...}
FUNCTION_ENV = TEMPLATE["Resources"]["SkillFunction"]["Properties"]["Environment"]["Variables"]
TABLE_ID = FUNCTION_ENV["TABLE_NAME"]["Ref"]
SALT_ID = FUNCTION_ENV["USER_KEY_SALT_SECRET"]["Ref"]
REGION = "us-east-1"


def function_environment(monkeypatch, endpoint: str, secrets_endpoint: str | None = None) -> None:
    """What Lambda gives the function: the template's variables (Refs resolved as sam local does: the
    table's and the salt secret's names are their logical ids), a region and credentials; plus the local
    DynamoDB and Secrets Manager endpoints. Without a Secrets Manager (the DynamoDB fault tests), the salt
    is given as it is, in USER_KEY_SALT."""
    resolved = {"SkillId": DEFAULT_SKILL_ID, TABLE_ID: TABLE_ID, SALT_ID: SALT_ID}
    for name, value in FUNCTION_ENV.items():
        monkeypatch.setenv(name, resolved[value["Ref"]] if isinstance(value, dict) else str(value))
    for name, value in {"AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION, "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
                        "AWS_ENDPOINT_URL_DYNAMODB": endpoint}.items():
        monkeypatch.setenv(name, value)
    if secrets_endpoint is None:
        monkeypatch.delenv("USER_KEY_SALT_SECRET")
        monkeypatch.setenv("USER_KEY_SALT", "a salt for the fault tests")
    else:
        monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", secrets_endpoint)
    skill.store.reset()  # a fresh client for this endpoint, no cool-down from another test


@pytest.fixture
def table(monkeypatch):
    """moto's DynamoDB server on 127.0.0.1 with the template's table (the emulator's own start-up, so the
    tests and `python -m skill emulate --dynamodb moto` build the same thing), and the function's
    environment pointing at it."""
    import boto3

    database = LocalDynamoDb(region=REGION, tables=read_tables(ROOT / "template.yaml"),
                             secrets=read_secrets(ROOT / "template.yaml")).start()
    assert [t["TableName"] for t in database.tables] == [TABLE_ID]
    assert database.secrets == [SALT_ID]
    client = boto3.client("dynamodb", endpoint_url=database.url, region_name=REGION,
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    function_environment(monkeypatch, database.url, secrets_endpoint=database.url)
    yield client, database.server
    database.stop()


@pytest.fixture
def stored_key(table) -> str:
    """What the table keys the test user's records by: an HMAC of the hashed user id with the stack's salt."""
    import boto3

    manager = boto3.client("secretsmanager", region_name=REGION)  # the function's environment: moto's server
    salt = manager.get_secret_value(SecretId=SALT_ID)["SecretString"]
    return hmac.new(salt.encode(), KEY.encode(), hashlib.sha256).hexdigest()


def items(client) -> list[dict]:
    return client.scan(TableName=TABLE_ID, ConsistentRead=True)["Items"]


# ---- the three features, through the Lambda handler, on moto's HTTP server -----------------------

def test_the_template_gives_the_function_its_table_and_the_table_a_ttl_on_expires_at(table):
    client, _ = table
    ttl = client.describe_time_to_live(TableName=TABLE_ID)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    assert {"SKILL_ID", "TABLE_NAME"} <= set(FUNCTION_ENV)


def test_resume_follow_up_and_forget_me_work_through_the_lambda_handler(table, stored_key):
    client, _ = table
    # interrupted past the emergency questions: one item, the question and its expiry, under the hashed id
    visit = Visit(T0)
    visit.launch()
    visit.answer_until("rash")
    visit.interrupted()
    assert items(client) == [{PARTITION_KEY: {"S": stored_key}, SORT_KEY: {"S": "resume"}, "q": {"S": "rash"},
                              "expires_at": {"N": str(int((T0 + timedelta(hours=1)).timestamp()))}}]
    assert DEFAULT_USER_ID not in json.dumps(items(client))
    # 20 minutes later: the emergency questions again, then the offer, then where it stopped
    visit = Visit(T0 + timedelta(minutes=20))
    visit.launch()
    assert visit.question == "heart_pain"
    visit.answer_until(None)
    assert visit.question == FIRST_AFTER_EMERGENCY
    assert visit.speech.endswith("Would you like to pick up where we left off?")
    visit.answer("yes")
    assert visit.question == "rash" and visit.speech.startswith("Okay, back to where we stopped.")
    visit.answer_until(None)
    assert visit.disposition == "self_care" and visit.speech.endswith(REMEMBER)
    visit.answer("yes")
    [follow_up] = items(client)
    assert follow_up[SORT_KEY] == {"S": "follow_up"} and follow_up["since"] == {"S": "2026-11-02"}
    # four weeks later, still there: at least routine
    visit = Visit(T0 + timedelta(weeks=4))
    visit.launch()
    visit.answer_until(None)
    assert "about 4 weeks ago" in visit.speech and visit.attributes["offer"]["kind"] == "follow_up"
    visit.answer("yes")
    visit.answer_until(None)
    assert visit.disposition == "routine"
    visit.answer("no")
    assert items(client) == []
    # and "delete my data" as a one-shot, proven in the table
    remember = Visit(T0 + timedelta(weeks=5))
    remember.launch()
    remember.answer_until(None)
    remember.answer("yes")
    assert len(items(client)) == 1
    forget = Visit(T0 + timedelta(weeks=5, minutes=1))
    forget.intent("DeleteDataIntent")
    assert forget.ended and "deleted everything" in forget.speech
    assert items(client) == []


def test_the_salt_is_read_once_per_process_for_the_session_seal_and_memory_both(table):
    visit = Visit(T0)
    visit.launch()
    salt = skill.store.active_store().salt
    assert salt.reads == 1  # the launch's reply seals its session state with it (skill/alexa/seal.py)
    visit.answer_until(FIRST_AFTER_EMERGENCY)
    visit.interrupted()
    assert salt.reads == 1
    for minutes in (5, 10):
        past_the_emergency_questions(T0 + timedelta(minutes=minutes)).answer("yes")
    assert salt.reads == 1


def test_a_salt_that_cannot_be_read_turns_memory_off_and_never_the_triage(table, caplog):
    import boto3

    client, _ = table
    boto3.client("secretsmanager", region_name=REGION).delete_secret(SecretId=SALT_ID,
                                                                     ForceDeleteWithoutRecovery=True)
    with caplog.at_level(logging.INFO):
        visit = past_the_emergency_questions(T0)
        assert visit.question == FIRST_AFTER_EMERGENCY and "offer" not in visit.attributes
        visit.answer_until(None)
        assert visit.ended and visit.disposition == "self_care" and SAFETY_NET in visit.speech
        skill.store.active_store().reset()  # past the cool-down: a request to delete is refused honestly
        forget = Visit(T0 + timedelta(minutes=1))
        forget.intent("DeleteDataIntent")
        assert forget.ended and "couldn't delete your data" in forget.speech and SAFETY_NET in forget.speech
    assert "operation=recall error=salt:ResourceNotFoundException" in caplog.text
    assert_store_failure_logged_without_user_data(caplog)
    assert items(client) == []


# ---- faults ---------------------------------------------------------------------------------------

def assert_store_failure_logged_without_user_data(caplog) -> None:
    assert "store failed: store=dynamodb" in caplog.text
    assert DEFAULT_USER_ID not in caplog.text and KEY not in caplog.text


def test_server_stopped_mid_conversation_the_triage_completes_and_the_emergency_advice_holds(table, caplog):
    client, server = table
    visit = Visit(T0)
    visit.launch()
    visit.answer_until(FIRST_AFTER_EMERGENCY)
    server.stop()  # the table goes away between two answers
    with caplog.at_level(logging.INFO):
        visit.interrupted()  # the resume point cannot be saved: silently lost
        again = past_the_emergency_questions(T0 + timedelta(minutes=5))  # memory cannot be read
        assert again.question == FIRST_AFTER_EMERGENCY and "offer" not in again.attributes
        again.answer_until(None)
        assert again.ended and again.disposition == "self_care" and SAFETY_NET in again.speech
        emergency = Visit(T0 + timedelta(minutes=6))
        emergency.launch()
        emergency.answer("no")
        emergency.intent("EmergencyIntent")
        assert emergency.speech.startswith("Call 911 now.") and emergency.disposition == "emergency"
        skill.store.active_store().reset()  # past the cool-down: a request to delete is refused honestly
        forget = Visit(T0 + timedelta(minutes=7))
        forget.intent("DeleteDataIntent")
        assert forget.ended and "couldn't delete your data" in forget.speech and SAFETY_NET in forget.speech
    assert_store_failure_logged_without_user_data(caplog)


class FakeDynamoDb(BaseHTTPRequestHandler):
    """A DynamoDB endpoint that answers every call the same way (set ``status`` and ``body``)."""

    status, body, calls = 400, b"", []

    def do_POST(self):  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).calls.append(self.headers.get("X-Amz-Target"))
        self.send_response(self.status)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("x-amzn-RequestId", "fake")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_dynamodb(monkeypatch):
    def start(status: int, body: bytes):
        handler = type("Handler", (FakeDynamoDb,), {"status": status, "body": body, "calls": []})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        function_environment(monkeypatch, f"http://127.0.0.1:{server.server_port}")
        return handler

    servers = []
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


THROTTLED = json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                        "message": "The level of configured provisioned throughput for the table was exceeded."})


@pytest.mark.parametrize("status, body, error", [
    (400, THROTTLED.encode(), "ProvisionedThroughputExceededException"),
    (400, json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException"}).encode(),
     "ThrottlingException"),
    (500, b"<html>oops</html>", "500"),
])
def test_throttling_and_garbage_answers_degrade_with_bounded_retries(fake_dynamodb, caplog, status, body, error):
    handler = fake_dynamodb(status, body)
    with caplog.at_level(logging.INFO):
        visit = Visit(T0)
        visit.launch()
        assert visit.speech.startswith("Back Pain Check: guidance, not a diagnosis.")
        visit.answer_until(None)
        assert visit.ended and visit.disposition == "self_care" and SAFETY_NET in visit.speech
    assert 1 <= len(handler.calls) <= 2  # one call, retried at most once; then the store cools down
    assert f"operation=recall error={error}" in caplog.text
    assert_store_failure_logged_without_user_data(caplog)


@pytest.mark.parametrize("answer", [
    {"Items": "lots"},
    {"Items": [{"kind": {"S": "resume"}, "q": {"S": 5}}]},
    {"Items": [{"kind": {"S": "follow_up"}, "since": {"S": "2026-10-01"}, "last": {"S": "self_care"},
                "expires_at": {"N": "not a number"}}]},
    {"Items": [None, 3, []]},
    {},
    "this is not json",
])
def test_answers_with_nonsense_in_them_read_as_nothing_remembered(fake_dynamodb, answer):
    handler = fake_dynamodb(200, (answer if isinstance(answer, str) else json.dumps(answer)).encode())
    visit = past_the_emergency_questions(T0)
    assert handler.calls == ["DynamoDB_20120810.Query"]
    assert visit.question == FIRST_AFTER_EMERGENCY and "offer" not in visit.attributes


def test_a_hanging_endpoint_costs_one_bounded_timeout_and_the_triage_goes_on(monkeypatch, caplog):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)  # accepts connections (the kernel does), never answers
    try:
        function_environment(monkeypatch, f"http://127.0.0.1:{listener.getsockname()[1]}")
        with caplog.at_level(logging.INFO):
            visit = Visit(T0)
            visit.launch()
            assert visit.speech.startswith("Back Pain Check: guidance, not a diagnosis.")
            visit.answer_until(None)
            assert visit.disposition == "self_care" and visit.ended
        assert "error=ReadTimeoutError" in caplog.text
    finally:
        listener.close()


@pytest.mark.parametrize("item", [
    {"q": {"N": "5"}, "expires_at": {"N": "4000000000"}},
    {"q": {"S": FIRST_AFTER_EMERGENCY}, "expires_at": {"S": "never"}},
    {"q": {"S": FIRST_AFTER_EMERGENCY}},
    {"q": {"S": "heart_pain"}, "expires_at": {"N": "4000000000"}},
    {"q": {"BOOL": True}, "expires_at": {"NULL": True}},
])
def test_a_corrupted_resume_item_is_ignored_and_the_triage_goes_on(table, stored_key, item):
    client, _ = table
    client.put_item(TableName=TABLE_ID, Item={PARTITION_KEY: {"S": stored_key}, SORT_KEY: {"S": "resume"}, **item})
    visit = past_the_emergency_questions(T0)
    assert visit.question == FIRST_AFTER_EMERGENCY and "offer" not in visit.attributes


def test_a_corrupted_follow_up_item_is_ignored(table, stored_key):
    client, _ = table
    client.put_item(TableName=TABLE_ID, Item={
        PARTITION_KEY: {"S": stored_key}, SORT_KEY: {"S": "follow_up"}, "since": {"S": "31/10/2026"},
        "last": {"S": "self_care"}, "expires_at": {"N": "4000000000"}})
    visit = past_the_emergency_questions(T0)
    assert visit.question == FIRST_AFTER_EMERGENCY and "offer" not in visit.attributes
    visit.intent("DeleteDataIntent")
    assert items(client) == []
