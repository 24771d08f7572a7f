"""Store honesty under faults: an answer that cannot be real is an error, "deleted" is said only after a read
found nothing left, SQLite holds up under 12 writers, and a damaged database file is moved aside and said.

DynamoDB runs as moto's real HTTP server on 127.0.0.1, behind a small fault proxy that forwards every call
except those it is told to answer itself; the impossible answers come from a fake endpoint on loopback.
"""

from __future__ import annotations

import http.client
import json
import logging
import multiprocessing
import os
import sqlite3
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest
from test_memory_conversations import SAFETY_NET, T0, Visit
from test_memory_dynamodb import TABLE_ID, FakeDynamoDb, fake_dynamodb, function_environment, items, table  # noqa: F401

import skill.store
from skill.store import DynamoDbStore, GuardedStore, Resume, SqliteStore, StoreError, user_key
from skill.store.dynamodb import UNREAL_ANSWER
from skill.store.salt import Salt

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)
KEY = user_key("amzn1.ask.account.SOMEONE")


# ---- DynamoDB: answers that cannot be real -------------------------------------------------------------

IMPOSSIBLE_QUERY_ANSWERS = [
    {},  # a 200 with nothing in it: not "no items"
    {"Items": []},  # no Count
    {"Count": 0},  # no Items
    {"Items": "lots", "Count": 4},
    {"Items": [None, 3], "Count": 2},
    {"Items": [], "Count": 2},  # a Count that is not the number of Items
    {"Items": [], "Count": 0, "LastEvaluatedKey": {"user_key": {"S": "x"}}},  # three small items never page
    "this is not json",
]


@pytest.mark.parametrize("answer", IMPOSSIBLE_QUERY_ANSWERS)
def test_a_query_answer_that_cannot_be_real_is_a_store_error_not_no_items(fake_dynamodb, answer):  # noqa: F811
    handler = fake_dynamodb(200, (answer if isinstance(answer, str) else json.dumps(answer)).encode())
    store = DynamoDbStore(TABLE_ID)
    with pytest.raises(StoreError) as raised:
        store.items(KEY)
    assert str(raised.value) in (UNREAL_ANSWER, "AttributeError", "ResponseParserError")  # ours, or botocore's
    with pytest.raises(StoreError):
        store.forget(KEY)
    assert handler.calls[0] == "DynamoDB_20120810.Query"


def test_an_empty_real_answer_is_still_no_items(fake_dynamodb):  # noqa: F811
    fake_dynamodb(200, json.dumps({"Items": [], "Count": 0, "ScannedCount": 0}).encode())
    assert DynamoDbStore(TABLE_ID).items(KEY) == {}


@pytest.mark.parametrize("answer", [{}, {"Items": []}, "garbage"])
def test_delete_my_data_never_says_deleted_when_the_query_answer_is_not_real(fake_dynamodb, caplog, answer):  # noqa: F811
    fake_dynamodb(200, (answer if isinstance(answer, str) else json.dumps(answer)).encode())
    with caplog.at_level(logging.INFO):
        forget = Visit(T0)
        forget.intent("DeleteDataIntent")
    assert forget.ended and "couldn't delete your data" in forget.speech and SAFETY_NET in forget.speech
    assert "deleted everything" not in forget.speech
    assert "operation=recall_reminders error=" in caplog.text or "operation=forget_all error=" in caplog.text


class FaultProxy(BaseHTTPRequestHandler):
    """Forwards DynamoDB calls to ``upstream``; calls named in ``swallow`` are answered 200 ``{}`` unforwarded
    (a delete that is acknowledged but never happens)."""

    upstream: str = ""
    swallow: frozenset[str] = frozenset()
    seen: list[str] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        target = self.headers.get("X-Amz-Target", "")
        type(self).seen.append(target.rsplit(".", 1)[-1])
        if target.rsplit(".", 1)[-1] in self.swallow:
            status, headers, reply = 200, {"Content-Type": "application/x-amz-json-1.0"}, b"{}"
        else:
            url = urlparse(self.upstream)
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
            try:
                connection.request("POST", self.path, body=body, headers=dict(self.headers.items()))
                response = connection.getresponse()
                status, reply = response.status, response.read()
                headers = {k: v for k, v in response.getheaders() if k.lower() not in ("content-length",
                                                                                      "transfer-encoding",
                                                                                      "connection")}
            finally:
                connection.close()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


@pytest.fixture
def fault_proxy(table, monkeypatch):  # noqa: F811
    client, _server = table
    started, moto_url = [], os.environ["AWS_ENDPOINT_URL_DYNAMODB"]

    def start(swallow: set[str]) -> type[FaultProxy]:
        handler = type("Proxy", (FaultProxy,), {"upstream": moto_url,
                                                 "swallow": frozenset(swallow), "seen": []})
        proxy = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        started.append(proxy)
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{proxy.server_port}")
        skill.store.reset()
        return handler

    yield client, start
    for proxy in started:
        proxy.shutdown()
        proxy.server_close()


def remember_self_care(when: datetime) -> Visit:
    visit = Visit(when)
    visit.launch()
    visit.answer_until(None)
    visit.answer("yes")
    return visit


def test_a_delete_acknowledged_but_not_done_is_caught_by_reading_back(fault_proxy):
    client, start = fault_proxy
    remember_self_care(T0)
    assert len(items(client)) == 1
    proxy = start({"DeleteItem"})  # every DeleteItem answered 200 {} and dropped
    forget = Visit(T0 + timedelta(minutes=1))
    forget.intent("DeleteDataIntent")
    assert "DeleteItem" in proxy.seen and proxy.seen[-1] == "Query"  # deleted, then read back
    assert forget.ended and "couldn't delete your data" in forget.speech
    assert len(items(client)) == 1  # still there, and the person was not told otherwise
    honest = start(set())  # the proxy behaves again: asking again deletes, proven by the same read
    again = Visit(T0 + timedelta(minutes=2))
    again.intent("DeleteDataIntent")
    assert honest.seen == ["Query", "Query", "DeleteItem", "Query"]  # tokens, what to delete, delete, read back
    assert "deleted everything" in again.speech and items(client) == []


def test_store_forget_everything_reads_back_and_refuses_to_confirm_what_is_left():
    class Leaky(skill.store.MemoryStore):
        def delete_all(self, key):  # acknowledges, deletes nothing
            pass

    leaky = Leaky()
    guarded = GuardedStore(leaky, salt=Salt())
    guarded.save(KEY, Resume("injury"), NOW)
    assert guarded.forget(KEY, None, even_if_cooling_down=True) is False
    assert len(leaky) == 1


# ---- SQLite: many writers, damaged files ---------------------------------------------------------------

WRITERS = 12
ROUNDS = 25


def _writer(path: str, number: int, failures) -> None:
    """One process of a busy local server: save, read and drop a resume point, ROUNDS times."""
    store = SqliteStore(path)
    key = user_key(f"amzn1.ask.account.WRITER{number}")
    failed = 0
    for _ in range(ROUNDS):
        for step in (lambda: store.save(key, Resume("injury"), NOW), lambda: store.recall(key, NOW),
                     lambda: store.forget(key, "resume"), lambda: store.save(key, Resume("rash"), NOW)):
            try:
                step()
            except StoreError:
                failed += 1
    failures.put(failed)


def test_sqlite_with_12_concurrent_writer_processes_loses_nothing(tmp_path):
    path = tmp_path / "memory.sqlite3"
    context = multiprocessing.get_context("fork")
    failures = context.Queue()
    processes = [context.Process(target=_writer, args=(str(path), n, failures)) for n in range(WRITERS)]
    started = time.monotonic()
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert all(p.exitcode == 0 for p in processes)
    assert sum(failures.get(timeout=5) for _ in processes) == 0
    assert time.monotonic() - started < 120
    rows = sqlite3.connect(path).execute("SELECT item FROM memory").fetchall()
    assert sorted(json.loads(item)["q"] for (item,) in rows) == ["rash"] * WRITERS  # every last write kept
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def _locked_store(tmp_path: Path, monkeypatch) -> tuple[SqliteStore, sqlite3.Connection]:
    """A store with one record, and another connection holding its write lock (a busy timeout of 50 ms)."""
    import skill.store.sqlite as sqlite_store

    monkeypatch.setattr(sqlite_store, "BUSY_TIMEOUT_SECONDS", 0.05)
    path = tmp_path / "memory.sqlite3"
    store = SqliteStore(path)
    store.save(KEY, Resume("injury"), NOW)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return store, holder


def test_sqlite_retries_a_locked_database_before_failing(tmp_path, monkeypatch):
    store, holder = _locked_store(tmp_path, monkeypatch)  # another process holds the write lock...
    threading.Timer(0.08, lambda: holder.execute("COMMIT")).start()  # ...for longer than one busy timeout
    try:
        store.save(KEY, Resume("rash"), NOW)  # the second or third attempt gets through
    finally:
        time.sleep(0.1)
        holder.close()
    assert store.recall(KEY, NOW).resume == Resume("rash")


def test_sqlite_that_stays_locked_fails_after_its_attempts_not_before(tmp_path, monkeypatch):
    import skill.store.sqlite as sqlite_store

    store, holder = _locked_store(tmp_path, monkeypatch)
    calls = []
    real_sleep = time.sleep
    monkeypatch.setattr(sqlite_store.time, "sleep", lambda s: (calls.append(s), real_sleep(s)))
    try:
        with pytest.raises(StoreError):
            store.save(KEY, Resume("rash"), NOW)
    finally:
        holder.close()
    assert len(calls) == sqlite_store.ATTEMPTS - 1


def _damage(path: Path, how: str) -> None:
    if how == "zero-length":
        path.write_bytes(b"")
        old = time.time() - 60
        os.utime(path, (old, old))
    elif how == "not-a-database":
        path.write_bytes(b"this was a database once" * 100)
    else:  # a real database with its pages overwritten past the header
        data = bytearray(path.read_bytes())
        data[100:] = b"\xff" * (len(data) - 100)
        path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["zero-length", "not-a-database", "garbled-pages"])
def test_a_damaged_sqlite_file_is_moved_aside_said_once_and_memory_goes_on(tmp_path, caplog, how):
    path = tmp_path / "memory.sqlite3"
    store = SqliteStore(path)
    for n in range(20):
        store.save(user_key(f"someone {n}"), Resume("injury"), NOW)
    store.close()
    _damage(path, how)
    with caplog.at_level(logging.WARNING, logger="skill.store"):
        store = SqliteStore(path)
        store.save(KEY, Resume("rash"), NOW)
        assert store.recall(KEY, NOW).resume == Resume("rash")
        store.close()
        SqliteStore(path).recall(KEY, NOW)  # a healthy file is not moved again
    moved = [r.getMessage() for r in caplog.records if "moved aside" in r.getMessage()]
    assert len(moved) == 1, moved
    aside = [p.name for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0] in moved[0] and aside[0].startswith("memory.sqlite3.damaged-")
    assert "someone" not in caplog.text


def test_a_new_empty_file_being_created_by_another_process_is_not_moved_aside(tmp_path, caplog):
    path = tmp_path / "memory.sqlite3"
    path.touch()  # just created by a neighbour that has not written its schema yet
    with caplog.at_level(logging.WARNING, logger="skill.store"):
        SqliteStore(path).save(KEY, Resume("rash"), NOW)
    assert "moved aside" not in caplog.text
    assert not [p for p in tmp_path.iterdir() if ".damaged-" in p.name]


def test_a_guarded_sqlite_store_answers_a_damaged_file_without_turning_memory_off(tmp_path):
    path = tmp_path / "memory.sqlite3"
    path.write_bytes(b"garbage" * 500)
    guarded = GuardedStore(SqliteStore(path), salt=Salt())
    assert guarded.save(KEY, Resume("rash"), NOW) is True and guarded.available
