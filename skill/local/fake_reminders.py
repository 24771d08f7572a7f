"""A local stand-in for Alexa's Reminders API, over real HTTPS on 127.0.0.1, for the chat, tests and the emulator.

It answers what the skill calls, as the API documents it: ``POST
/v1/alerts/reminders`` (201 with an ``alertToken``), ``DELETE
/v1/alerts/reminders/{alertToken}`` (200, or 404 for a reminder it does not
have) and ``GET /v1/alerts/reminders`` (the list). A request needs
``Authorization: Bearer <token>`` with a token that carries the reminders
permission (``GRANTED_TOKENS``: what ``Session(grants={"reminders"})`` sends);
any other token gets 401, as the real API answers a skill without the permission.

ask-sdk's client refuses plain HTTP, so the fake serves TLS with a throwaway
certificate authority made at start; the skill trusts it through
``ALEXA_API_CA_BUNDLE`` (``ca_file``). To see failures, ``fail_with(status)``
makes the next answers an HTTP error, ``hang()`` makes them never come (until
``close``), ``garbage()`` makes them unreadable. Only loopback, no network.

    with FakeRemindersApi() as api:
        os.environ["ALEXA_API_CA_BUNDLE"] = api.ca_file
        session = Session(grants={"reminders"}, api_endpoint=api.url)
        ...
        api.reminders  # what was created and not deleted
"""

from __future__ import annotations

import json
import shutil
import ssl
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import IPv4Address
from pathlib import Path
from typing import Callable

from skill.local.envelopes import GRANTED_API_ACCESS_TOKEN

PATH = "/v1/alerts/reminders"
GRANTED_TOKENS = frozenset({GRANTED_API_ACCESS_TOKEN})
MAX_BODY = 64 * 1024


def _throwaway_pki(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and a certificate for 127.0.0.1 and localhost, signed by it: (ca.pem, cert.pem, key.pem)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.now(timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Fake Alexa API test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
          .not_valid_after(now + timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(IPv4Address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


@dataclass
class Call:
    """One request the fake received (for tests: what the skill really sent)."""

    method: str
    path: str
    authorization: str | None
    content_type: str | None
    body: object = None


@dataclass
class FakeRemindersApi:
    on_change: Callable[[str, dict], None] | None = None  # ("created" | "deleted", reminder) as it happens
    reminders: dict[str, dict] = field(default_factory=dict)  # alert token -> the reminder as created
    calls: list[Call] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="fake-reminders-"))
        self.ca_file_path, cert, key = _throwaway_pki(self._folder)
        self._tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._tls.load_cert_chain(cert, key)
        self._failure: tuple[str, int] | None = None  # ("status", code), ("hang", 0), ("garbage", 0)
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # ---- life -----------------------------------------------------------------------------------
    def start(self) -> "FakeRemindersApi":
        self._server = _Server(self)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-reminders", daemon=True).start()
        return self

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake Reminders API is not started (use start() or a with block)")
        return f"https://127.0.0.1:{self._server.server_address[1]}"

    @property
    def ca_file(self) -> str:
        return str(self.ca_file_path)

    def close(self) -> None:
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> "FakeRemindersApi":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- failures on purpose ----------------------------------------------------------------------
    def fail_with(self, status: int) -> None:
        self._failure = ("status", status)

    def hang(self) -> None:
        self._failure = ("hang", 0)

    def garbage(self) -> None:
        self._failure = ("garbage", 0)

    def behave(self) -> None:
        self._failure = None

    # ---- the API ------------------------------------------------------------------------------------
    def answer(self, call: Call) -> tuple[int, bytes]:
        with self._lock:
            self.calls.append(call)
            failure = self._failure
        if failure is not None:
            kind, status = failure
            if kind == "hang":
                self._release.wait(30)
                return 503, b""
            if kind == "garbage":
                return 200, b"<html>not json"
            return status, _json({"code": "FAILED_ON_PURPOSE", "message": f"the fake answers {status}"})
        token = (call.authorization or "").removeprefix("Bearer ")
        if token not in GRANTED_TOKENS:
            return 401, _json({"code": "UNAUTHORIZED", "message": "No permission to create reminders"})
        if call.method == "POST" and call.path == PATH:
            return self._create(call.body)
        if call.method == "GET" and call.path == PATH:
            with self._lock:
                alerts = [{"alertToken": t, **r} for t, r in self.reminders.items()]
            return 200, _json({"totalCount": str(len(alerts)), "alerts": alerts})
        if call.method == "DELETE" and call.path.startswith(PATH + "/"):
            alert_token = call.path[len(PATH) + 1:]
            with self._lock:
                reminder = self.reminders.pop(alert_token, None)
            if reminder is None:
                return 404, _json({"code": "NOT_FOUND", "message": "No such reminder"})
            self._changed("deleted", {"alertToken": alert_token, **reminder})
            return 200, b""
        return 404, _json({"code": "NOT_FOUND", "message": "No such resource"})

    def _create(self, body: object) -> tuple[int, bytes]:
        if not isinstance(body, dict) or not _is_reminder(body):
            return 400, _json({"code": "INVALID_REQUEST", "message": "Not a reminder request"})
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000")
        alert_token = f"fake.reminder.{uuid.uuid4()}"
        reminder = {**body, "createdTime": now, "updatedTime": now, "status": "ON", "version": "1"}
        with self._lock:
            self.reminders[alert_token] = reminder
        self._changed("created", {"alertToken": alert_token, **reminder})
        return 201, _json({"alertToken": alert_token, "createdTime": now, "updatedTime": now, "status": "ON",
                           "version": "1", "href": f"{PATH}/{alert_token}"})

    def _changed(self, what: str, reminder: dict) -> None:
        if self.on_change is not None:
            self.on_change(what, reminder)


def _is_reminder(body: dict) -> bool:
    """The body has what a reminder request needs: a known trigger type and spoken text in some locale."""
    try:
        trigger, content = body["trigger"], body["alertInfo"]["spokenInfo"]["content"]
        return bool(trigger["type"] in ("SCHEDULED_RELATIVE", "SCHEDULED_ABSOLUTE") and bool(content)
                    and all(isinstance(c["text"], str) and c["text"] and c["locale"] for c in content))
    except (KeyError, TypeError):
        return False


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


class _Server(ThreadingHTTPServer):
    """The fake's HTTPS server on a free loopback port; ``api`` answers what ``_Handler`` reads."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, api: FakeRemindersApi):
        self.api = api
        super().__init__(("127.0.0.1", 0), _Handler)

    def finish_request(self, request, client_address):  # TLS per connection, in its own thread
        try:
            request.settimeout(5)
            request = self.api._tls.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError):
            return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):  # a client that hung up: not worth a traceback
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - quiet; tests read ``calls``
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(length, MAX_BODY)) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        call = Call(self.command, self.path, self.headers.get("Authorization"), self.headers.get("Content-Type"),
                    body)
        if not isinstance(self.server, _Server):
            raise TypeError("_Handler serves only the fake Reminders API's own server")
        status, payload = self.server.api.answer(call)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:  # the client gave up (its timeout): nothing to answer
            pass

    do_GET = do_POST = do_DELETE = do_PUT = _serve  # noqa: N815 - http.server's names


def describe(reminder: dict) -> str:
    """A reminder as one line for the chat: its words, when, and whether it notifies the phone."""
    trigger = reminder.get("trigger") or {}
    words = " ".join(c.get("text", "") for c in reminder.get("alertInfo", {}).get("spokenInfo", {}).get("content", []))
    if trigger.get("type") == "SCHEDULED_RELATIVE":
        seconds = int(trigger.get("offsetInSeconds") or 0)
        when = f"in {seconds // 86400} days" if seconds % 86400 == 0 else f"in {seconds} seconds"
    else:
        when = f"at {trigger.get('scheduledTime')} {trigger.get('timeZoneId', '')}".strip()
    push = (reminder.get("pushNotification") or {}).get("status") == "ENABLED"
    return f"\u201c{words}\u201d {when}, push notification {'on' if push else 'off'}"
