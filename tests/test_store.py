"""The persistence port and its adapters: what is stored, for how long, under which key, and what a
failure looks like. DynamoDB runs under moto's mock_aws here (its real HTTP server is in test_memory_dynamodb)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import sqlite3
import stat
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest
from conftest import ROOT

from skill.store import (
    FAILURES,
    DynamoDbStore,
    FollowUp,
    GuardedStore,
    MemoryStore,
    Remembered,
    Resume,
    SqliteStore,
    StoreError,
    user_key,
)
from skill.store.dynamodb import ACTIONS, PARTITION_KEY, SORT_KEY
from skill.store.port import EXPIRES_AT, from_item, to_item
from skill.store.salt import Salt

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)
KEY = user_key("amzn1.ask.account.SOMEONE")
OTHER = user_key("amzn1.ask.account.SOMEONE_ELSE")
TABLE = "BackPainCheckMemory"


def create_table(client, name: str = TABLE) -> None:
    client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": PARTITION_KEY, "AttributeType": "S"},
                              {"AttributeName": SORT_KEY, "AttributeType": "S"}],
        KeySchema=[{"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
                   {"AttributeName": SORT_KEY, "KeyType": "RANGE"}])


@pytest.fixture
def aws_env(monkeypatch):
    """Fake credentials and a region, so boto3 never looks further (no metadata service, no network)."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                        "AWS_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)


@pytest.fixture
def dynamodb(aws_env):
    from moto import mock_aws

    with mock_aws():
        import boto3

        client = boto3.client("dynamodb", region_name="us-east-1")
        create_table(client)
        yield client


@pytest.fixture(params=["memory", "sqlite", "dynamodb"])
def store(request, tmp_path):
    if request.param == "memory":
        return MemoryStore()
    if request.param == "sqlite":
        return SqliteStore(tmp_path / "nested" / "memory.sqlite3")
    request.getfixturevalue("dynamodb")
    return DynamoDbStore(TABLE)


# ---- what is stored -------------------------------------------------------------

def test_a_resume_item_holds_only_the_question_and_its_expiry_one_hour_on():
    kind, item = to_item(Resume("injury"), NOW)
    assert kind == "resume"
    assert item == {"q": "injury", EXPIRES_AT: int((NOW + timedelta(hours=1)).timestamp())}


def test_a_follow_up_item_holds_only_the_first_report_date_the_last_outcome_and_its_expiry_90_days_on():
    kind, item = to_item(FollowUp(date(2026, 10, 1), "self_care"), NOW)
    assert kind == "follow_up"
    assert item == {"since": "2026-10-01", "last": "self_care",
                    EXPIRES_AT: int((NOW + timedelta(days=90)).timestamp())}


def test_records_are_kept_under_an_hmac_of_the_hashed_user_id_with_the_salt_never_the_id_or_its_hash():
    user = "amzn1.ask.account.SOMEONE"
    hashed = hashlib.sha256(user.encode()).hexdigest()
    assert user_key(user) == hashed
    salted, plain = MemoryStore(), MemoryStore()
    GuardedStore(salted, salt=Salt(literal="pepper")).save(user_key(user), Resume("injury"), NOW)
    GuardedStore(plain, salt=Salt()).save(user_key(user), Resume("injury"), NOW)  # no salt: the chat
    assert [k for k, _kind in salted._items] == [hmac.new(b"pepper", hashed.encode(), hashlib.sha256).hexdigest()]
    assert [k for k, _kind in plain._items] == [hashed]


def test_the_salt_comes_from_the_environment_as_itself_or_as_a_secrets_manager_secret(monkeypatch):
    monkeypatch.setenv("USER_KEY_SALT", "pepper")
    assert Salt.from_env().value() == b"pepper"
    monkeypatch.delenv("USER_KEY_SALT")
    monkeypatch.setenv("USER_KEY_SALT_SECRET", "arn:aws:secretsmanager:us-east-1:123456789012:secret:salt")
    salt = Salt.from_env()
    assert salt.secret_id.endswith(":salt") and salt.reads == 0 and salt._client is None  # nothing read yet


# ---- every adapter -------------------------------------------------------------------

def test_each_store_remembers_and_forgets_per_person(store):
    assert store.recall(KEY, NOW) == Remembered()
    store.save(KEY, Resume("fever_weight_loss"), NOW)
    store.save(KEY, FollowUp(date(2026, 10, 20), "routine"), NOW)
    store.save(OTHER, Resume("injury"), NOW)
    assert store.recall(KEY, NOW) == Remembered(Resume("fever_weight_loss"), FollowUp(date(2026, 10, 20), "routine"))
    store.forget(KEY, "resume")
    assert store.recall(KEY, NOW) == Remembered(None, FollowUp(date(2026, 10, 20), "routine"))
    store.forget(KEY)
    assert store.recall(KEY, NOW) == Remembered()
    assert store.items(KEY) == {}
    assert store.recall(OTHER, NOW).resume == Resume("injury")


def test_each_store_stops_giving_back_records_once_they_expire(store):
    store.save(KEY, Resume("injury"), NOW)
    store.save(KEY, FollowUp(date(2026, 11, 2), "self_care"), NOW)
    just_before_an_hour = NOW + timedelta(minutes=59, seconds=59)
    assert store.recall(KEY, just_before_an_hour).resume == Resume("injury")
    assert store.recall(KEY, NOW + timedelta(hours=1)).resume is None
    assert store.recall(KEY, NOW + timedelta(days=89)).follow_up is not None
    assert store.recall(KEY, NOW + timedelta(days=90)) == Remembered()


def test_saving_again_replaces_the_record(store):
    store.save(KEY, FollowUp(date(2026, 10, 1), "self_care"), NOW)
    store.save(KEY, FollowUp(date(2026, 10, 1), "routine"), NOW + timedelta(days=30))
    assert store.recall(KEY, NOW + timedelta(days=100)).follow_up == FollowUp(date(2026, 10, 1), "routine")


@pytest.mark.parametrize("kind, item", [
    ("resume", {"q": "injury"}),  # no expiry
    ("resume", {"q": "injury", EXPIRES_AT: "tomorrow"}),
    ("resume", {"q": 7, EXPIRES_AT: 4_000_000_000}),
    ("resume", {"q": "DROP TABLE; --", EXPIRES_AT: 4_000_000_000}),
    ("resume", {EXPIRES_AT: 4_000_000_000}),
    ("follow_up", {"since": "last week", "last": "self_care", EXPIRES_AT: 4_000_000_000}),
    ("follow_up", {"since": "2099-01-01", "last": "self_care", EXPIRES_AT: 4_000_000_000}),  # in the future
    ("follow_up", {"since": "2026-10-01", "last": None, EXPIRES_AT: 4_000_000_000}),
    ("follow_up", {"since": 20261001, "last": "self_care", EXPIRES_AT: 4_000_000_000}),
    ("follow_up", {"since": "2026-10-01", "last": "self_care", EXPIRES_AT: True}),
    ("mystery", {EXPIRES_AT: 4_000_000_000}),
])
def test_a_malformed_item_reads_as_nothing(kind, item):
    assert from_item(kind, item, NOW) is None


def test_a_malformed_item_in_a_store_is_ignored_and_the_rest_still_read(store):
    store.save(KEY, FollowUp(date(2026, 10, 1), "self_care"), NOW)
    store.put(KEY, "resume", {"q": "not a question id!", EXPIRES_AT: 4_000_000_000})
    assert store.recall(KEY, NOW) == Remembered(None, FollowUp(date(2026, 10, 1), "self_care"))


# ---- SQLite ---------------------------------------------------------------------------------

def test_sqlite_remembers_across_processes_and_sweeps_expired_rows(tmp_path):
    path = tmp_path / "memory.sqlite3"
    script = ("import sys; from datetime import datetime, timezone; from skill.store import SqliteStore, Resume;"
              "SqliteStore(sys.argv[1]).save('k', Resume('injury'), datetime.now(timezone.utc))")
    subprocess.run([sys.executable, "-c", script, str(path)], cwd=ROOT, check=True)
    now = datetime.now(timezone.utc)
    assert SqliteStore(path).recall("k", now).resume == Resume("injury")
    store = SqliteStore(path)
    store.put("old", "resume", {"q": "injury", EXPIRES_AT: int(now.timestamp()) - 10})
    store.save("k2", Resume("injury"), now)  # any save sweeps what has expired
    assert store.items("old") == {} and store.items("k")


def test_sqlite_file_is_readable_by_its_owner_only_in_a_private_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("BACK_PAIN_CHECK_DB")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    old_umask = os.umask(0o022)  # the usual umask: files 0644, folders 0755 unless the store says otherwise
    try:
        store = SqliteStore()
        store.save(KEY, Resume("injury"), NOW)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700


def test_sqlite_tightens_a_file_and_its_default_folder_left_open_by_an_older_version(tmp_path, monkeypatch):
    monkeypatch.delenv("BACK_PAIN_CHECK_DB")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    folder = tmp_path / "state" / "back-pain-check"
    folder.mkdir(parents=True, mode=0o755)
    os.chmod(folder, 0o755)
    (folder / "memory.sqlite3").touch(mode=0o644)
    os.chmod(folder / "memory.sqlite3", 0o644)
    SqliteStore().recall(KEY, NOW)
    assert stat.S_IMODE((folder / "memory.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


class Statements:
    """Every connection the store opens, and every statement it runs on them."""

    def __init__(self, monkeypatch):
        self.connections, self.run = 0, []
        real_connect = sqlite3.connect

        def connect(*args, **kwargs):
            connection = real_connect(*args, **kwargs)
            connection.set_trace_callback(self.run.append)
            self.connections += 1
            return connection

        monkeypatch.setattr(sqlite3, "connect", connect)

    def sweeps(self) -> int:
        return sum(statement.startswith("DELETE FROM memory WHERE expires_at") for statement in self.run)


def test_sqlite_uses_one_connection_and_sweeps_at_most_every_five_minutes(tmp_path, monkeypatch):
    seen = Statements(monkeypatch)
    clock = [1000.0]
    store = SqliteStore(tmp_path / "memory.sqlite3", clock=lambda: clock[0])
    for n in range(30):
        store.save(f"person-{n}", Resume("injury"), NOW)
        store.recall(f"person-{n}", NOW)
        clock[0] += 1
    assert seen.connections == 1
    assert seen.sweeps() == 1
    clock[0] += 300
    store.save(KEY, Resume("injury"), NOW)
    assert seen.sweeps() == 2


def test_sqlite_sweeps_through_an_index_on_the_expiry_not_a_scan_of_the_table(tmp_path):
    path = tmp_path / "memory.sqlite3"
    SqliteStore(path).save(KEY, Resume("injury"), NOW)
    connection = sqlite3.connect(path)
    try:
        plan = " ".join(row[-1] for row in connection.execute(
            "EXPLAIN QUERY PLAN DELETE FROM memory WHERE expires_at <= ?", (0,)))
    finally:
        connection.close()
    assert "USING COVERING INDEX" in plan or "USING INDEX" in plan, plan


def test_sqlite_that_cannot_open_its_file_raises_a_store_error(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError):
        SqliteStore(blocker / "memory.sqlite3").recall(KEY, NOW)


def test_sqlite_default_file_is_overridable_by_env(monkeypatch, tmp_path):
    monkeypatch.setenv("BACK_PAIN_CHECK_DB", str(tmp_path / "x.sqlite3"))
    assert SqliteStore().path == tmp_path / "x.sqlite3"
    monkeypatch.delenv("BACK_PAIN_CHECK_DB")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert SqliteStore().path == tmp_path / "state" / "back-pain-check" / "memory.sqlite3"


# ---- DynamoDB --------------------------------------------------------------------------------

def test_dynamodb_items_have_a_top_level_ttl_number_and_a_hashed_key_only(dynamodb):
    DynamoDbStore(TABLE).save(KEY, FollowUp(date(2026, 10, 1), "self_care"), NOW)
    items = dynamodb.scan(TableName=TABLE)["Items"]
    assert items == [{PARTITION_KEY: {"S": KEY}, SORT_KEY: {"S": "follow_up"}, "since": {"S": "2026-10-01"},
                      "last": {"S": "self_care"}, EXPIRES_AT: {"N": str(int((NOW + timedelta(days=90)).timestamp()))}}]


def test_dynamodb_client_is_created_on_first_use_not_before(monkeypatch):
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    store = DynamoDbStore(TABLE)  # no region, no credentials: still fine to construct
    assert store._client is None


def test_importing_the_store_and_the_skill_does_not_import_boto3():
    script = "import sys, lambda_function; import skill.store; print('boto3' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT / "lambda", capture_output=True, text=True,
                            check=True, env={"PATH": "/usr/bin:/bin", "TABLE_NAME": TABLE,
                                             "PYTHONPATH": str(ROOT)})
    assert result.stdout.strip() == "False"


def test_dynamodb_adapter_uses_only_the_actions_the_template_grants(dynamodb):
    store = DynamoDbStore(TABLE)
    called = []
    store.client.meta.events.register("before-call.dynamodb", lambda model, **kw: called.append(model.name))
    store.save(KEY, Resume("injury"), NOW)
    store.save(KEY, FollowUp(date(2026, 10, 1), "routine"), NOW)
    store.recall(KEY, NOW)
    store.forget(KEY, "resume")
    store.forget(KEY)
    assert {f"dynamodb:{name}" for name in called} == set(ACTIONS)


@pytest.mark.parametrize("attributes", [
    {"q": {"N": "12"}, EXPIRES_AT: {"N": "4000000000"}},
    {"q": {"S": "injury"}, EXPIRES_AT: {"N": "4000000000.5"}},
    {"q": {"S": "injury"}, EXPIRES_AT: {"S": "4000000000"}},
    {"q": {"M": {"S": {"S": "injury"}}}, EXPIRES_AT: {"N": "4000000000"}},
    {"q": {"L": []}},
])
def test_dynamodb_items_of_the_wrong_shape_are_ignored(dynamodb, attributes):
    dynamodb.put_item(TableName=TABLE, Item={PARTITION_KEY: {"S": KEY}, SORT_KEY: {"S": "resume"}, **attributes})
    assert DynamoDbStore(TABLE).recall(KEY, NOW) == Remembered()


def test_dynamodb_forget_everything_removes_every_item_under_the_key_even_unknown_kinds(dynamodb):
    store = DynamoDbStore(TABLE)
    store.save(KEY, Resume("injury"), NOW)
    store.save(OTHER, Resume("injury"), NOW)
    dynamodb.put_item(TableName=TABLE, Item={PARTITION_KEY: {"S": KEY}, SORT_KEY: {"S": "from_an_older_version"}})
    store.forget(KEY)
    keys = [item[PARTITION_KEY]["S"] for item in dynamodb.scan(TableName=TABLE)["Items"]]
    assert keys == [OTHER]


def test_dynamodb_errors_become_store_errors_naming_only_the_error_code(dynamodb):
    with pytest.raises(StoreError) as raised:
        DynamoDbStore("NoSuchTable").recall(KEY, NOW)
    assert str(raised.value) == "ResourceNotFoundException"


# ---- the guard: failures degrade -------------------------------------------------------------

class BrokenStore(MemoryStore):
    name = "broken"

    def __init__(self, error: Exception):
        super().__init__()
        self.error, self.calls = error, 0

    def items(self, key):
        self.calls += 1
        raise self.error

    put = delete = delete_all = lambda self, *args: BrokenStore.items(self, None)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_failing_store_gives_empty_answers_logs_without_user_data_and_cools_down(caplog):
    clock = Clock()
    broken = BrokenStore(StoreError("ProvisionedThroughputExceededException"))
    guarded = GuardedStore(broken, clock=clock, cool_down=30)
    before = FAILURES[("broken", "recall")]
    with caplog.at_level(logging.INFO, logger="skill.store"):
        assert guarded.recall(KEY, NOW) == Remembered()
        assert guarded.save(KEY, Resume("injury"), NOW) is False  # cooling down: not even tried
    assert broken.calls == 1 and not guarded.available
    assert FAILURES[("broken", "recall")] == before + 1
    assert "store failed: store=broken operation=recall error=ProvisionedThroughputExceededException" in caplog.text
    assert KEY not in caplog.text and "SOMEONE" not in caplog.text
    clock.now += 31
    assert guarded.available


def test_deleting_on_request_is_tried_even_while_cooling_down_and_never_claims_success_on_failure():
    broken = BrokenStore(TimeoutError())
    guarded = GuardedStore(broken, clock=Clock())
    guarded.recall(KEY, NOW)
    assert guarded.forget(KEY, None, even_if_cooling_down=True) is False
    assert broken.calls == 2


@pytest.mark.parametrize("error", [StoreError("x"), TimeoutError(), ValueError("garbage"), KeyError("q"),
                                   MemoryError()])
def test_no_kind_of_store_failure_escapes_the_guard(error):
    guarded = GuardedStore(BrokenStore(error), clock=Clock())
    assert guarded.recall(KEY, NOW) == Remembered()
    guarded.reset()
    assert guarded.save(KEY, FollowUp(date(2026, 10, 1), "routine"), NOW) is False
    guarded.reset()
    assert guarded.forget(KEY) is False


def test_on_lambda_a_failure_is_also_a_cloudwatch_metric_without_user_data(monkeypatch, capsys):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "back-pain-check")
    GuardedStore(BrokenStore(StoreError("ThrottlingException")), clock=Clock()).recall(KEY, NOW)
    line = capsys.readouterr().out.strip()
    metric = json.loads(line)
    assert metric["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "BackPainCheck"
    assert metric["_aws"]["CloudWatchMetrics"][0]["Metrics"] == [{"Name": "StoreFailure", "Unit": "Count"}]
    assert metric["Operation"] == "recall" and metric["StoreFailure"] == 1
    assert KEY not in line


def test_off_lambda_no_metric_line_is_printed(monkeypatch, capsys):
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    GuardedStore(BrokenStore(StoreError("ThrottlingException")), clock=Clock()).recall(KEY, NOW)
    assert capsys.readouterr().out == ""
