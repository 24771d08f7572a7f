"""``python -m skill emulate``: functions from a SAM template run under awslambdaric, called with boto3.

What an operator relies on before deploying: a handler that runs too long is
stopped and reported as Lambda reports it, a crash is a function error (not a
hang or a 500), the runtime stays warm between calls and is replaced after a
timeout, and the function sees the configuration the template gives it.
Small test-only handlers in tmp_path make each behaviour happen on purpose.
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import sys
import textwrap

import boto3
import pytest
from botocore.config import Config
from conftest import ROOT

from skill.local.emulator import Emulator
from skill.local.emulator.template import read_functions, read_tables
from skill.local.envelopes import DEFAULT_SKILL_ID, Session

pytestmark = pytest.mark.slow

HANDLERS = '''
import os, time

CALLS = 0

def echo(event, context):
    global CALLS
    CALLS += 1
    names = ["GREETING", "STAGE_URL", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
             "AWS_REGION", "AWS_ACCESS_KEY_ID", "HOME_SECRET"]
    return {"calls": CALLS, "pid": os.getpid(), "event": event,
            "remaining_ms": context.get_remaining_time_in_millis(), "arn": context.invoked_function_arn,
            "env": {name: os.environ.get(name) for name in names}}

def sleepy(event, context):
    time.sleep(event.get("sleep", 0))
    return {"pid": os.getpid(), "slept": event.get("sleep", 0)}

def broken(event, context):
    raise ValueError("the handler failed on purpose")

def exits(event, context):
    os._exit(3)

def table(event, context):
    import boto3
    table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
    table.put_item(Item={"id": "probe", "n": 7})
    return {"n": int(table.get_item(Key={"id": "probe"})["Item"]["n"]),
            "endpoint": os.environ.get("AWS_ENDPOINT_URL_DYNAMODB")}
'''

TEMPLATE = '''
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Greeting:
    Type: String
  Stage:
    Type: String
    Default: test
Globals:
  Function:
    Runtime: python3.12
    CodeUri: code/
    Timeout: 3
Resources:
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Handler: handlers.echo
      MemorySize: 256
      AutoPublishAlias: live
      Environment:
        Variables:
          GREETING: !Ref Greeting
          STAGE_URL: !Sub "https://example.invalid/${Stage}/${AWS::Region}"
  Warm:
    Type: AWS::Serverless::Function
    Properties: {Handler: handlers.sleepy}
  Sleepy:
    Type: AWS::Serverless::Function
    Properties: {Handler: handlers.sleepy, Timeout: 1}
  Broken:
    Type: AWS::Serverless::Function
    Properties: {Handler: handlers.broken}
  Exits:
    Type: AWS::Serverless::Function
    Properties: {Handler: handlers.exits}
  Missing:
    Type: AWS::Serverless::Function
    Properties: {Handler: no_such_module.handler}
  Tabled:
    Type: AWS::Serverless::Function
    Properties:
      Handler: handlers.table
      Environment:
        Variables:
          TABLE_NAME: !Ref ProbeTable
  ProbeTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      TimeToLiveSpecification: {AttributeName: expires, Enabled: true}
'''


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("emulated")
    (folder / "code").mkdir()
    (folder / "code" / "handlers.py").write_text(textwrap.dedent(HANDLERS))
    (folder / "template.yaml").write_text(TEMPLATE)
    return folder / "template.yaml"


@pytest.fixture(scope="module")
def emulator(template):
    lines: list[str] = []
    with Emulator(template, port=0, parameters={"Greeting": "hello"}, dynamodb="moto", log=lines.append) as emu:
        emu.lines = lines
        yield emu


def lambda_client(url: str):
    return boto3.client("lambda", endpoint_url=url, region_name="us-east-1", aws_access_key_id="x",
                        aws_secret_access_key="x", config=Config(retries={"total_max_attempts": 1}, read_timeout=30))


@pytest.fixture(scope="module")
def client(emulator):
    return lambda_client(emulator.url)


def invoke(client, name: str, event: dict | None = None, **kwargs) -> tuple[dict, object]:
    answer = client.invoke(FunctionName=name, Payload=json.dumps(event or {}).encode(), **kwargs)
    return answer, json.loads(answer["Payload"].read())


def test_boto3_invoke_runs_the_handler_with_the_templates_configuration(client, emulator, monkeypatch):
    monkeypatch.setenv("HOME_SECRET", "the caller's own setting")
    emulator.sandboxes["Echo"].stop()  # the next call starts a runtime while HOME_SECRET is set here
    answer, body = invoke(client, "Echo", {"hello": "world"})
    assert answer["StatusCode"] == 200 and "FunctionError" not in answer
    assert body["event"] == {"hello": "world"}
    assert body["env"] == {
        "GREETING": "hello",  # !Ref to a parameter given with --parameter
        "STAGE_URL": "https://example.invalid/test/us-east-1",  # !Sub with a default and a pseudo parameter
        "AWS_LAMBDA_FUNCTION_NAME": "Echo",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "emulator",  # dummy credentials, never the caller's
        "HOME_SECRET": None,  # the caller's environment does not leak in
    }
    assert 0 < body["remaining_ms"] <= 3000
    assert body["arn"].endswith(":function:Echo")


def test_the_alias_from_autopublishalias_and_full_arns_are_accepted(client):
    for name in ("Echo:live", "arn:aws:lambda:us-east-1:123456789012:function:Echo"):
        answer, body = invoke(client, name)
        assert answer["StatusCode"] == 200 and "FunctionError" not in answer
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        invoke(client, "Echo:nope")


def test_the_runtime_stays_warm_and_only_the_first_call_has_an_init_duration(client):
    first, body1 = invoke(client, "Warm", LogType="Tail")
    second, body2 = invoke(client, "Warm", LogType="Tail")
    assert body1["pid"] == body2["pid"]
    first_log = base64.b64decode(first["LogResult"]).decode()
    second_log = base64.b64decode(second["LogResult"]).decode()
    assert "REPORT RequestId:" in first_log and "Init Duration:" in first_log
    assert "REPORT RequestId:" in second_log and "Init Duration:" not in second_log
    assert "Memory Size: 128 MB" in second_log  # Lambda's default MemorySize when the template gives none


def test_a_handler_sleeping_past_the_timeout_is_reported_as_lambda_does_and_the_runtime_restarts(client):
    answer, error = invoke(client, "Sleepy", {"sleep": 30}, LogType="Tail")
    assert answer["StatusCode"] == 200
    assert answer["FunctionError"] == "Unhandled"
    assert error["errorType"] == "Sandbox.Timedout"
    assert error["errorMessage"].endswith("Task timed out after 1.00 seconds")
    log = base64.b64decode(answer["LogResult"]).decode()
    assert "Task timed out after 1.00 seconds" in log and "Status: timeout" in log
    answer, body = invoke(client, "Sleepy", {"sleep": 0}, LogType="Tail")
    assert "FunctionError" not in answer and body["slept"] == 0
    assert "Init Duration:" in base64.b64decode(answer["LogResult"]).decode()  # a fresh runtime: a cold start


def test_an_exception_in_the_handler_is_a_function_error_with_lambdas_payload(client):
    answer, error = invoke(client, "Broken")
    assert answer["StatusCode"] == 200
    assert answer["FunctionError"] == "Unhandled"
    assert error["errorType"] == "ValueError"
    assert error["errorMessage"] == "the handler failed on purpose"
    assert any("handlers.py" in frame for frame in error["stackTrace"])


def test_a_module_that_cannot_be_imported_is_an_init_error(client):
    answer, error = invoke(client, "Missing")
    assert answer["FunctionError"] == "Unhandled"
    assert error["errorType"] == "Runtime.ImportModuleError"
    assert "no_such_module" in error["errorMessage"]


def test_a_runtime_that_exits_mid_invocation_is_an_exit_error(client):
    answer, error = invoke(client, "Exits")
    assert answer["FunctionError"] == "Unhandled"
    assert error["errorType"] == "Runtime.ExitError"
    assert "exit status 3" in error["errorMessage"]


def test_bad_calls_get_lambdas_error_types(client, emulator):
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        invoke(client, "NoSuchFunction")
    with pytest.raises(client.exceptions.InvalidRequestContentException):
        client.invoke(FunctionName="Echo", Payload=b"{not json")
    assert client.invoke(FunctionName="Echo", InvocationType="DryRun")["StatusCode"] == 204
    assert client.invoke(FunctionName="Echo", InvocationType="Event", Payload=b"{}")["StatusCode"] == 202
    names = {f["FunctionName"] for f in client.list_functions()["Functions"]}
    assert {"Echo", "Sleepy", "Tabled"} <= names


def test_dynamodb_moto_gives_the_function_the_templates_table_on_a_local_endpoint(client, emulator):
    answer, body = invoke(client, "Tabled")
    assert "FunctionError" not in answer, body
    assert body == {"n": 7, "endpoint": emulator.dynamodb.url}
    assert body["endpoint"].startswith("http://127.0.0.1:")
    ttl = boto3.client("dynamodb", endpoint_url=emulator.dynamodb.url, region_name="us-east-1",
                       aws_access_key_id="x", aws_secret_access_key="x").describe_time_to_live(TableName="ProbeTable")
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expires"


def test_logs_hold_report_lines_but_never_the_event(client, emulator):
    invoke(client, "Echo", {"answer": "private-health-answer"})
    text = "\n".join(emulator.lines)
    assert "REPORT RequestId:" in text
    assert "private-health-answer" not in text


def test_the_projects_template_is_read_as_deployed():
    functions = read_functions(ROOT / "template.yaml", {"SkillId": DEFAULT_SKILL_ID})
    skill = functions["SkillFunction"]
    assert skill.handler == "lambda_function.handler"
    assert skill.code_dir == ROOT / "lambda"
    assert skill.environment["SKILL_ID"] == DEFAULT_SKILL_ID
    assert skill.timeout < 8  # Alexa waits 8 seconds
    for table in read_tables(ROOT / "template.yaml"):
        assert table["KeySchema"] and table["AttributeDefinitions"]


def test_the_real_skill_answers_through_the_emulator_and_refuses_other_skill_ids():
    with Emulator(ROOT / "template.yaml", port=0, parameters={"SkillId": DEFAULT_SKILL_ID}, dynamodb="moto",
                  log=lambda line: None) as emu:
        client = lambda_client(emu.url)
        answer, body = invoke(client, "SkillFunction", Session().launch())
        assert "FunctionError" not in answer
        assert "Back Pain Check: guidance" in body["response"]["outputSpeech"]["ssml"]
        other = Session(skill_id="amzn1.ask.skill.11111111-2222-3333-4444-555555555555")
        answer, error = invoke(client, "SkillFunction", other.launch())
        assert answer["FunctionError"] == "Unhandled"
        assert error["errorType"] == "SkillIdRefused"
        assert "not a diagnosis" not in json.dumps(error)
        # --dynamodb moto: every table the template declares exists, as declared, where the function looks
        dynamodb = boto3.client("dynamodb", endpoint_url=emu.dynamodb.url, region_name="us-east-1",
                                aws_access_key_id="x", aws_secret_access_key="x")
        declared = {table["TableName"]: table for table in read_tables(ROOT / "template.yaml")}
        assert set(dynamodb.list_tables()["TableNames"]) >= set(declared)
        for name, table in declared.items():
            assert dynamodb.describe_table(TableName=name)["Table"]["KeySchema"] == table["KeySchema"]
        table_env = emu.functions["SkillFunction"].environment.get("TABLE_NAME")
        assert table_env is None or table_env in declared


def test_on_lambda_each_log_line_is_one_json_object_with_the_request_id_and_the_skills_fields():
    """template.yaml's LoggingConfig, as Lambda applies it: no text prefix around the skill's JSON line."""
    with Emulator(ROOT / "template.yaml", port=0, parameters={"SkillId": DEFAULT_SKILL_ID}, dynamodb="moto",
                  log=lambda line: None) as emu:
        client = lambda_client(emu.url)
        event = Session().launch()
        answer, _body = invoke(client, "SkillFunction", event, LogType="Tail")
    log = base64.b64decode(answer["LogResult"]).decode()
    (request_id,) = re.findall(r"REPORT RequestId: (\S+)", log)
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    (request_line,) = [line for line in lines if line.get("logger") == "skill.requests"]
    assert request_line["requestId"] == request_id and request_line["level"] == "INFO"
    assert request_line["message"]["type"] == "LaunchRequest"
    assert request_line["message"]["request_id"] == event["request"]["requestId"]


def test_the_emulate_command_serves_boto3_and_stops_cleanly_on_sigterm():
    env = {k: v for k, v in os.environ.items() if k != "SKILL_ID"}
    process = subprocess.Popen(
        [sys.executable, "-m", "skill", "emulate", "--port", "0", "--dynamodb", "moto",
         "--parameter", f"SkillId={DEFAULT_SKILL_ID}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        banner = []
        for _ in range(20):  # warnings may come first
            banner.append(process.stdout.readline())
            if banner[-1].startswith("Lambda Invoke API listening on http://127.0.0.1:"):
                break
        assert banner[-1].startswith("Lambda Invoke API listening on"), banner
        url = banner[-1].split()[5]
        event = json.loads((ROOT / "events" / "launch.json").read_text())
        answer, body = invoke(lambda_client(url), "SkillFunction", event)
        assert "Back Pain Check: guidance" in body["response"]["outputSpeech"]["ssml"]
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)
        assert process.returncode == 0
        assert "Init Duration:" in output
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
