"""Memory in ``python -m skill chat`` as a person tries it: the embedded SQLite store remembers across runs,
``--now`` pretends a later date for the follow-up, and "delete my data" empties the file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date, timedelta

from conftest import EMERGENCY_QUESTIONS, NO_RED_FLAGS, ROOT

N_EMERGENCY = len(EMERGENCY_QUESTIONS)
TO_RESUME_POINT = ["no"] * (N_EMERGENCY + 1)  # past the first question after the emergency ones


def chat(*lines: str, args: tuple[str, ...] = (), db=None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "SKILL_ID"}
    command = [sys.executable, "-m", "skill", "chat", *args] + (["--db", str(db)] if db else [])
    result = subprocess.run(command, input="\n".join(lines) + "\n", capture_output=True, text=True, cwd=ROOT,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def rows(db) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT kind, item FROM memory").fetchall()


def test_a_chat_left_midway_is_offered_again_next_run_emergency_questions_first(tmp_path):
    db = tmp_path / "memory.sqlite3"
    out = chat(*TO_RESUME_POINT, "quit", db=db)  # leaves at the rash question
    assert f"[memory: sqlite file {db}" in out
    assert [kind for kind, _ in rows(db)] == ["resume"]
    out = chat(*["no"] * N_EMERGENCY, "yes", "quit", db=db)
    assert out.index("chest pain") < out.index("Would you like to pick up where we left off?")
    assert "Okay, back to where we stopped. Is there a rash" in out


def test_remember_then_pretend_four_weeks_later_and_the_pain_is_still_there(tmp_path):
    db = tmp_path / "memory.sqlite3"
    # yes to the reminder, then no answer when Alexa asks for the permission
    out = chat(*["no"] * NO_RED_FLAGS, "yes", db=db)
    assert "[disposition: self_care]" in out and "Would you like a reminder in two weeks" in out
    assert "no reminder for now. I'll ask how you are next time" in out
    later = (date.today() + timedelta(weeks=4)).isoformat()
    out = chat(*["no"] * N_EMERGENCY, "yes", "no", "no", "no", "no", args=("--now", later), db=db)
    assert f"[pretending today is {later}]" in out
    assert "You first told me about your upper back pain about 4 weeks ago. Is that pain still there?" in out
    assert "Pain that lasts a few weeks should be checked" in out
    assert "[disposition: routine]" in out
    assert rows(db) == []  # "no" to remembering again ends the check-ins


def test_delete_my_data_in_the_chat_empties_the_file(tmp_path):
    db = tmp_path / "memory.sqlite3"
    chat(*["no"] * NO_RED_FLAGS, "yes", db=db)
    assert len(rows(db)) == 1
    out = chat("ask back pain check to delete my data", db=db)
    assert "[heard as DeleteDataIntent]" in out and "deleted everything Back Pain Check stored for you" in out
    assert rows(db) == []


def test_the_in_process_store_forgets_when_the_chat_ends(tmp_path):
    out = chat(*TO_RESUME_POINT, "quit", args=("--store", "memory"))
    assert "[memory: memory]" in out
    out = chat(*["no"] * N_EMERGENCY, "quit", args=("--store", "memory"))
    assert "Do you have weak bones" in out and "pick up where we left off" not in out


def test_the_chat_can_use_a_dynamodb_table_too(monkeypatch):
    import boto3
    from moto.server import ThreadedMotoServer
    from test_store import create_table

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                              aws_access_key_id="testing", aws_secret_access_key="testing")
        create_table(client, "ChatMemory")
        for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                            "AWS_REGION": "us-east-1", "TABLE_NAME": "ChatMemory",
                            "AWS_ENDPOINT_URL_DYNAMODB": endpoint}.items():
            monkeypatch.setenv(name, value)  # the chat's process inherits them
        out = chat(*TO_RESUME_POINT, "quit", args=("--store", "dynamodb"))
        assert "[memory: dynamodb]" in out
        [item] = client.scan(TableName="ChatMemory")["Items"]
        assert item["kind"] == {"S": "resume"} and item["q"] == {"S": "rash"}
    finally:
        server.stop()
