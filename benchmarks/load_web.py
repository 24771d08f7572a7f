"""Bounded loopback load run: the verified web endpoint against a plain flask-ask-sdk hello world.

Both servers run as their own processes on 127.0.0.1 with werkzeug's threaded
server and request verification ON (signature, certificate chain, timestamp),
trusting a throwaway CA made for this run (the certificate chains are read
from disk, never downloaded). Our skill is started exactly as the README says
(``python -m skill serve --test-trust-roots ... --test-cert-dir ...``); the
baseline is the hello-world skill of benchmarks/hello_skill.py behind
flask-ask-sdk's ``SkillAdapter`` with the SDK's own ``RequestVerifier`` and
``TimestampVerifier`` (told to trust the same CA), and the same hello world
with our verifiers (skill/web/verification.py) to separate the skill's own cost
from the cost of verification.

N client threads each hold whole signed conversations (launch, then "no" until
the session ends, session attributes carried as Alexa does) and send a fixed
number of requests in total; the runs alternate skill / hello for ``--rounds``
rounds. Reports requests per second, p50/p99 latency and errors (must be 0),
and the skill's figures as ratios to the hello world's. Every request has a
10 s timeout and the whole run a deadline, so it stops by itself.

    python benchmarks/load_web.py [--clients 8] [--requests 800] [--rounds 2]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skill.local.envelopes import DEFAULT_SKILL_ID, Session  # noqa: E402
from skill.local.local_server import stop  # noqa: E402

LOOPBACK = "127.0.0.1"
REQUEST_TIMEOUT_S = 10.0
LISTENING = re.compile(r"(http://127\.0\.0\.1:\d+/)")


# --- the baseline server (run in its own process by --serve-hello) --------------------------------

def serve_hello(pki_dir: str, our_verifiers: bool = False) -> int:
    """A plain flask-ask-sdk hello world with the SDK's verifiers (or ours), trusting the run's throwaway CA."""
    import importlib.util

    from skill.web import oscrypto_fix

    oscrypto_fix.install()  # this machine's OpenSSL needs it for flask_ask_sdk too
    from ask_sdk_webservice_support.verifier import RequestVerifier, TimestampVerifier, VerificationException
    from asn1crypto import pem
    from certvalidator import CertificateValidator, ValidationContext
    from certvalidator.errors import PathError, ValidationError
    from flask import Flask
    from flask_ask_sdk.skill_adapter import SkillAdapter
    from werkzeug.serving import make_server

    from skill.web.fake_alexa import CERT_URL_PREFIX, GOOD
    from skill.web.verification import CertChainCache

    roots = [der for _t, _h, der in pem.unarmor((Path(pki_dir) / "ca.pem").read_bytes(), multiple=True)]

    class SdkVerifierTrustingTestCA(RequestVerifier):
        """The SDK's RequestVerifier, its cache pre-filled and its chain check given the test root."""

        def __init__(self):
            super().__init__()
            self._cert_cache[CERT_URL_PREFIX + GOOD] = (Path(pki_dir) / GOOD).read_bytes()

        def _validate_cert_chain(self, cert_chain):
            try:
                end_cert, *intermediates = [der for _t, _h, der in pem.unarmor(cert_chain, multiple=True)]
                validator = CertificateValidator(end_cert, intermediates, ValidationContext(trust_roots=roots))
                validator.validate_usage(key_usage={"digital_signature"})
            except (PathError, ValidationError) as e:
                raise VerificationException("Certificate chain is not valid", e) from e

    spec = importlib.util.spec_from_file_location("hello_skill", ROOT / "benchmarks" / "hello_skill.py")
    assert spec is not None and spec.loader is not None
    hello = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hello)
    app = Flask("hello")
    app.config["ASK_SDK_VERIFY_SIGNATURE"] = False  # the SDK's default verifier would download from Amazon:
    app.config["ASK_SDK_VERIFY_TIMESTAMP"] = False  # the same two SDK verifiers are passed explicitly instead
    verifiers = [SdkVerifierTrustingTestCA(), TimestampVerifier()]
    if our_verifiers:
        from skill.web.verification import directory_cert_fetcher, request_verifiers

        verifiers = request_verifiers(DEFAULT_SKILL_ID, trust_roots=roots,
                                      cert_cache=CertChainCache(directory_cert_fetcher(pki_dir)))
    SkillAdapter(skill=hello.sb.create(), skill_id=DEFAULT_SKILL_ID, app=app, verifiers=verifiers).register(app, "/")
    server = make_server(LOOPBACK, 0, app, threaded=True)
    print(f"hello world listening on http://{LOOPBACK}:{server.server_port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


# --- running servers and clients --------------------------------------------------------------------

@contextmanager
def server(args: list[str], env: dict | None = None):
    process = subprocess.Popen(args, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: "queue.Queue[str]" = queue.Queue()
    output = process.stdout
    assert output is not None  # stdout=PIPE

    def read() -> None:
        for line in output:
            lines.put(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 30
        url = None
        while url is None:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            match = LISTENING.search(line)
            url = match.group(1) if match else None
        assert urlparse(url).hostname == LOOPBACK
        yield url
    finally:
        stop(process, reader)


class Client(threading.Thread):
    """Sends its share of signed requests as whole conversations; records latencies and errors."""

    def __init__(self, url: str, fake, count: int, deadline: float):
        super().__init__(daemon=True)
        self.url, self.fake, self.count, self.deadline = urlparse(url), fake, count, deadline
        self.latencies: list[float] = []
        self.errors = 0

    def run(self):
        session = None
        for _ in range(self.count):
            if time.monotonic() > self.deadline:
                self.errors += 1
                continue
            if session is None or session.ended:
                session = Session()
                envelope = session.launch()
            else:
                envelope = session.intent("AMAZON.NoIntent")
            body = json.dumps(envelope).encode()
            headers = self.fake.headers(body)
            connection = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=REQUEST_TIMEOUT_S)
            try:
                start = time.perf_counter()
                connection.request("POST", self.url.path, body=body, headers=headers)
                response = connection.getresponse()
                raw = response.read()
                elapsed = time.perf_counter() - start
                reply = json.loads(raw) if response.status == 200 else None
                if reply is None or "response" not in reply:
                    raise ValueError(f"HTTP {response.status}")
                session.absorb(reply)
                self.latencies.append(elapsed)
            except Exception:  # noqa: BLE001 - every failure counts as an error, none is retried
                self.errors += 1
                session = None
            finally:
                connection.close()


def load(url: str, fake, clients: int, requests: int, deadline_s: float) -> dict:
    deadline = time.monotonic() + deadline_s
    shares = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    workers = [Client(url, fake, share, deadline) for share in shares]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(deadline_s + REQUEST_TIMEOUT_S)
    wall = time.perf_counter() - start
    latencies = [t for w in workers for t in w.latencies]
    return {"ok": len(latencies), "errors": sum(w.errors for w in workers) + (requests - sum(shares)),
            "wall": wall, "latencies": latencies}


def summary(runs: list[dict]) -> dict:
    latencies = sorted(t for r in runs for t in r["latencies"])
    ok = sum(r["ok"] for r in runs)
    p = lambda f: (latencies[min(len(latencies) - 1, int(round(f * (len(latencies) - 1))))] * 1000  # noqa: E731
                   if latencies else float("nan"))  # noqa: E731
    return {"requests": ok + sum(r["errors"] for r in runs), "errors": sum(r["errors"] for r in runs),
            "rps": ok / sum(r["wall"] for r in runs), "p50_ms": p(0.50), "p99_ms": p(0.99),
            "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--requests", type=int, default=800, help="requests per server per round (default 800)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating skill/hello rounds (default 2)")
    parser.add_argument("--deadline", type=float, default=120.0, help="seconds one round may take (default 120)")
    parser.add_argument("--serve-hello", metavar="PKI_DIR", help=argparse.SUPPRESS)
    parser.add_argument("--our-verifiers", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_hello:
        return serve_hello(args.serve_hello, args.our_verifiers)
    if not (1 <= args.clients <= 64 and 1 <= args.requests <= 20_000 and 1 <= args.rounds <= 10):
        parser.error("keep it bounded: 1-64 clients, 1-20000 requests, 1-10 rounds")

    from skill.web.fake_alexa import FakeAlexa

    with tempfile.TemporaryDirectory(prefix="load-web-") as pki:
        fake = FakeAlexa.create(pki)
        skill_cmd = [sys.executable, "-m", "skill", "serve", "--port", "0",
                     "--test-trust-roots", str(fake.ca_file), "--test-cert-dir", pki]
        hello_cmd = [sys.executable, str(Path(__file__).resolve()), "--serve-hello", pki]
        runs: dict[str, list[dict]] = {"skill": [], "hello": [], "hello_ours": []}
        with server(skill_cmd, {"SKILL_ID": DEFAULT_SKILL_ID}) as skill_url, server(hello_cmd) as hello_url, \
                server(hello_cmd + ["--our-verifiers"]) as hello_ours_url:
            targets = (("skill", skill_url), ("hello", hello_url), ("hello_ours", hello_ours_url))
            for _name, url in targets:  # warm-up: imports, first chain check
                load(url, fake, 2, 20, args.deadline)
            for _ in range(args.rounds):
                for name, url in targets:
                    runs[name].append(load(url, fake, args.clients, args.requests, args.deadline))

    skill, hello, hello_ours = summary(runs["skill"]), summary(runs["hello"]), summary(runs["hello_ours"])
    print(f"Loopback load, verification on: {args.clients} clients, {args.requests} requests x {args.rounds} rounds "
          f"per server (signed conversations: launch, then 'no' until the end)")
    print(f"{'':28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'errors':>8}")
    rows = (("back pain check (serve)", skill), ("flask-ask-sdk hello world", hello),
            ("hello world, our verifiers", hello_ours))
    for label, s in rows:
        print(f"{label:28}{s['rps']:9.1f}{s['p50_ms']:9.2f}{s['p99_ms']:9.2f}{s['mean_ms']:9.2f}{s['errors']:8d}")
    for label, base in (("hello world (SDK verifiers)", hello), ("hello world (our verifiers)", hello_ours)):
        print(f"ratio skill / {label}: throughput {skill['rps'] / base['rps']:.2f}x, "
              f"p50 {skill['p50_ms'] / base['p50_ms']:.2f}x, p99 {skill['p99_ms'] / base['p99_ms']:.2f}x")
    return 0 if all(s["errors"] == 0 for _label, s in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
