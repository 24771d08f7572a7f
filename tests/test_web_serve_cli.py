"""``python -m skill serve`` and the documented gunicorn command, started as an operator starts them.

Each test starts a real server process on 127.0.0.1 with a free port, talks to
it over loopback only, and stops it.
"""

from __future__ import annotations

import json
import os
import queue
import re
import ssl
import subprocess
import sys
import threading
import urllib.request
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import ROOT, speech_text
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from skill.local.envelopes import DEFAULT_SKILL_ID, Session
from skill.local.local_server import stop
from skill.web.fake_alexa import FakeAlexa, forged, post
from skill.web.serve import NO_SKILL_ID_WARNING, NO_VERIFY_WARNING

LISTENING = re.compile(r"(https?://127\.0\.0\.1:\d+/\S*)")
GUNICORN_LISTENING = re.compile(r"Listening at: (http://127\.0\.0\.1:\d+)")


@contextmanager
def server_process(args: list[str], pattern: re.Pattern = LISTENING, env: dict | None = None):
    """Start a server, wait for the line with its address, yield (url, process, output lines); always stop it."""
    process = subprocess.Popen(
        args, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines: "queue.Queue[str]" = queue.Queue()
    seen: list[str] = []
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True)
    reader.start()
    try:
        url = None
        while url is None:
            try:
                line = lines.get(timeout=30)
            except queue.Empty:
                pytest.fail(f"server did not start: {seen}")
            seen.append(line)
            match = pattern.search(line)
            url = match.group(1) if match else None
        yield url, process, seen
    finally:
        stop(process, reader)
        while not lines.empty():
            seen.append(lines.get_nowait())


@pytest.fixture(scope="module")
def fake_alexa(tmp_path_factory):
    return FakeAlexa.create(tmp_path_factory.mktemp("fake-alexa-cli"))


def serve_command(*options: str) -> list[str]:
    return [sys.executable, "-m", "skill", "serve", "--port", "0", *options]


def test_serve_answers_a_signed_launch_request_with_the_greeting_and_refuses_forgeries(fake_alexa):
    command = serve_command("--test-trust-roots", str(fake_alexa.ca_file), "--test-cert-dir", str(fake_alexa.directory))
    with server_process(command, env={"SKILL_ID": DEFAULT_SKILL_ID}) as (url, _process, output):
        body, headers = forged(fake_alexa, "none", Session().launch())
        status, reply = post(url, body, headers)
        assert status == 200
        assert speech_text(reply).startswith("Back Pain Check: guidance, not a diagnosis.")
        other = Session(skill_id="amzn1.ask.skill.someone-else").launch()
        for kind in ("unsigned", "bad-signature", "untrusted-cert", "old-timestamp", "other-skill"):
            body, headers = forged(fake_alexa, kind, Session().launch(), other_skill_envelope=other)
            assert post(url, body, headers) == (400, {"error": "Bad Request", "status": 400}), kind
    text = "".join(output)
    assert "verification on" in text
    assert "--test-trust-roots" in text and "--test-cert-dir" in text  # the test settings say so on start
    assert NO_VERIFY_WARNING not in text and NO_SKILL_ID_WARNING not in text


def test_serve_without_test_roots_refuses_a_request_signed_by_an_untrusted_ca(fake_alexa):
    """Production defaults: the throwaway CA is not trusted (certificate read locally, never downloaded)."""
    command = serve_command("--test-cert-dir", str(fake_alexa.directory))
    with server_process(command) as (url, _process, output):
        body, headers = forged(fake_alexa, "none", Session().launch())
        assert post(url, body, headers)[0] == 400
    assert "certificate chain is not valid (PathBuildingError)" in "".join(output)


def test_no_verify_warns_on_start_and_serves_unsigned_requests():
    with server_process(serve_command("--no-verify", "--route", "/alexa")) as (url, _process, output):
        assert url.endswith("/alexa")
        status, reply = post(url, json.dumps(Session().launch()).encode(), {"Content-Type": "application/json"})
        assert status == 200 and "not a diagnosis" in speech_text(reply)
    text = "".join(output)
    assert NO_VERIFY_WARNING in text and "verification OFF" in text


def self_signed_localhost(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "tls.pem", directory / "tls.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def test_serve_speaks_https_with_a_tls_certificate(fake_alexa, tmp_path):
    cert_file, key_file = self_signed_localhost(tmp_path)
    command = serve_command("--tls-cert", str(cert_file), "--tls-key", str(key_file),
                            "--test-trust-roots", str(fake_alexa.ca_file), "--test-cert-dir", str(fake_alexa.directory))
    with server_process(command) as (url, _process, _output):
        assert url.startswith("https://")
        body, headers = forged(fake_alexa, "none", Session().launch())
        context = ssl.create_default_context(cafile=str(cert_file))
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=10, context=context) as response:  # noqa: S310 (loopback)
            assert response.status == 200
            assert "Back Pain Check: guidance" in speech_text(json.loads(response.read()))


def test_the_documented_gunicorn_command_serves_the_app_with_verification_on():
    command = [sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:0", "--workers", "2", "--no-control-socket",
               "skill.web.app:create_app()"]
    with server_process(command, GUNICORN_LISTENING) as (url, _process, _output):
        status, reply = post(url + "/", json.dumps(Session().launch()).encode(), {"Content-Type": "application/json"})
        assert (status, reply) == (400, {"error": "Bad Request", "status": 400})
        status, _reply = post(url + "/", b"x" * 200_000, {"Content-Type": "application/json"})
        assert status == 413
