"""``python benchmarks/store_down.py``: what a slow or dead memory table adds to a response, measured.

Each scenario times the one request of a session that reads the table (the answer to the last
emergency question; a launch never touches it) through the real Lambda handler, with the DynamoDB store
pointed at a local endpoint, and reports the time per request against the same requests with no store
configured, in one run:

- up: moto's real HTTP server, working;
- refused: the same server stopped (connection refused), the "moto server stopped" case;
- hanging: a socket that accepts connections and never answers (read timeouts);
- unreachable: a socket whose accept queue is full, so connecting hangs (connect timeouts);
- throttled: an endpoint answering every call with ProvisionedThroughputExceededException.

The store's cool-down is reset before every request, so each request pays the full cost of a failure
(the worst case); the report also shows the cost once the store is cooling down. Bounded: a few requests
per scenario, everything on 127.0.0.1, every server stopped at the end.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import skill.store  # noqa: E402
from skill.local.envelopes import Session  # noqa: E402
from skill.store.dynamodb import (  # noqa: E402
    CONNECT_TIMEOUT,
    MAX_ATTEMPTS,
    READ_TIMEOUT,
    WORST_CASE_SECONDS,  # noqa: E402
)
from skill.triage import TriageMachine, default_protocol  # noqa: E402

TABLE = "MemoryTable"
REGION = "us-east-1"
EMERGENCY_QUESTIONS = len(TriageMachine(default_protocol()).emergency_questions)


def load_handler():
    spec = importlib.util.spec_from_file_location("lambda_function", ROOT / "lambda" / "lambda_function.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.handler


def point_at(endpoint: str | None) -> None:
    """The function's environment for a table at ``endpoint`` (None: no table configured)."""
    for name in ("TABLE_NAME", "AWS_ENDPOINT_URL_DYNAMODB"):
        os.environ.pop(name, None)
    if endpoint is not None:
        os.environ.update({"TABLE_NAME": TABLE, "AWS_ENDPOINT_URL_DYNAMODB": endpoint})
    skill.store.reset()


def timed_memory_read(handler, cooled: bool = False) -> float:
    """Seconds for the answer to the last emergency question, the request that reads the table."""
    session = Session()
    session.absorb(handler(session.launch(), None))
    for _ in range(EMERGENCY_QUESTIONS - 1):
        session.absorb(handler(session.intent("AMAZON.NoIntent"), None))
    store = skill.store.active_store()
    if store is not None and not cooled:
        store.reset()  # pay the failure again: the worst case for this request
    event = session.intent("AMAZON.NoIntent")
    start = time.perf_counter()
    response = handler(event, None)
    elapsed = time.perf_counter() - start
    assert response["sessionAttributes"]["triage"]["q"] == "injury", response
    return elapsed


@contextmanager
def moto_server():
    """moto's DynamoDB server with the template's table, started as `python -m skill emulate --dynamodb moto` does."""
    from skill.local.emulator.dynamodb import LocalDynamoDb
    from skill.local.emulator.template import read_tables

    database = LocalDynamoDb(region=REGION, tables=read_tables(ROOT / "template.yaml")).start()
    assert [t["TableName"] for t in database.tables] == [TABLE]
    try:
        yield database.server, database.url
    finally:
        database.stop()


@contextmanager
def hanging_socket(fill_backlog: bool):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    fillers = []
    if fill_backlog:  # connections nobody accepts: once the queue is full, new connects hang
        for _ in range(8):
            filler = socket.socket()
            filler.setblocking(False)
            try:
                filler.connect(listener.getsockname())
            except BlockingIOError:
                pass
            fillers.append(filler)
        time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


class Throttling(BaseHTTPRequestHandler):
    body = json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                       "message": "Rate exceeded"}).encode()

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(400)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@contextmanager
def throttling_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Throttling)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def measure(handler, endpoint: str | None, rounds: int, cooled: bool = False) -> list[float]:
    point_at(endpoint)
    return [timed_memory_read(handler, cooled=cooled) for _ in range(rounds)]


def row(name: str, samples: list[float], baseline: float) -> str:
    median, worst = statistics.median(samples), max(samples)
    return (f"| {name} | {len(samples)} | {median * 1000:.1f} | {worst * 1000:.1f} | "
            f"{(worst - baseline) * 1000:+.1f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="requests per failure scenario (default 5)")
    args = parser.parse_args(argv)
    rounds = max(1, min(args.rounds, 20))
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_REGION": REGION,
                       "AWS_DEFAULT_REGION": REGION})
    os.environ.pop("SKILL_ID", None)
    handler = load_handler()
    logging.getLogger("skill").setLevel(logging.ERROR)  # the failures are the point here: keep the table readable
    measure(handler, None, 20)  # warm up imports and the skill
    results = []
    with moto_server() as (server, endpoint):
        measure(handler, endpoint, 3)  # warm: the client and its first connection
        up = measure(handler, endpoint, 20, cooled=True)
        server.stop()
        refused = measure(handler, endpoint, rounds)
        refused_cooling = [timed_memory_read(handler, cooled=True) for _ in range(rounds)]  # right after a failure
    with hanging_socket(fill_backlog=False) as endpoint:
        hanging = measure(handler, endpoint, rounds)
    with hanging_socket(fill_backlog=True) as endpoint:
        unreachable = measure(handler, endpoint, rounds)
    with throttling_server() as endpoint:
        throttled = measure(handler, endpoint, rounds)
    no_store = measure(handler, None, 50)
    baseline = statistics.median(no_store)
    results = [
        ("no store (baseline: its median)", no_store), ("up (moto server)", up),
        ("refused (moto server stopped)", refused),
        ("refused, while cooling down", refused_cooling), ("hanging (read timeouts)", hanging),
        ("unreachable (connect timeouts)", unreachable), ("throttled", throttled),
    ]
    print(f"The answer to the last emergency question (the request that reads memory) through the Lambda handler; "
          f"store timeouts: connect {CONNECT_TIMEOUT} s, "
          f"read {READ_TIMEOUT} s, {MAX_ATTEMPTS} attempts; bound {WORST_CASE_SECONDS:.1f} s per store call.")
    print("| scenario | requests | median ms | worst ms | worst added vs baseline ms |")
    print("| --- | --- | --- | --- | --- |")
    for name, samples in results:
        print(row(name, samples, baseline))
    worst = max(max(samples) for _, samples in results[2:]) - baseline
    print(f"\nWorst added latency with the table down or slow: {worst * 1000:.0f} ms "
          f"(Alexa allows 8000 ms; the function's timeout is 7000 ms).")
    print(f"Once per process (cold start), importing botocore and building the client: {cold_client() * 1000:.0f} ms.")
    point_at(None)
    return 0


def cold_client() -> float:
    """Seconds a fresh interpreter spends importing boto3 and building the DynamoDB client (no call made)."""
    script = ("import time; t = time.perf_counter(); from skill.store import DynamoDbStore;"
              "DynamoDbStore('t', region='us-east-1').client; print(time.perf_counter() - t)")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(result.stdout)


if __name__ == "__main__":
    sys.exit(main())
