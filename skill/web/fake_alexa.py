"""A throwaway "Alexa" that signs requests, so the verified endpoint can be tried and tested offline.

It makes its own certificate authority (never trusted by anything but a server
started with ``--test-trust-roots``), an intermediate, and signing certificates
named like Alexa's (``echo-api.amazon.com``), plus the broken ones a
certification run would forge: expired, wrongly named, and rooted in a CA
nobody trusts. Requests are signed as Alexa signs them: RSA PKCS#1 v1.5 over
SHA-256 of the exact body, base64 in ``Signature-256``, the chain's URL in
``SignatureCertChainUrl``.

    python -m skill.web.fake_alexa init /tmp/fake-alexa
    python -m skill serve --test-trust-roots /tmp/fake-alexa/ca.pem --test-cert-dir /tmp/fake-alexa
    python -m skill.web.fake_alexa send http://127.0.0.1:8080/ --pki /tmp/fake-alexa
    python -m skill.web.fake_alexa send http://127.0.0.1:8080/ --pki /tmp/fake-alexa --forge expired-cert

Uses ``cryptography`` only; no network except the loopback request it sends.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

CERT_URL_PREFIX = "https://s3.amazonaws.com/echo.api/"
ALEXA_DOMAIN = "echo-api.amazon.com"
GOOD = "echo-api-cert.pem"
EXPIRED = "expired-cert.pem"
WRONG_NAME = "wrong-name-cert.pem"
UNTRUSTED = "untrusted-cert.pem"
CHAINS = (GOOD, EXPIRED, WRONG_NAME, UNTRUSTED)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _ca_cert(key, name: str, issuer_key=None, issuer_name: str | None = None, now=None) -> x509.Certificate:
    now = now or datetime.now(timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(_name(issuer_name or name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .sign(issuer_key or key, hashes.SHA256())
    )


def _leaf_cert(key, issuer_key, issuer_name: str, dns_name: str, not_before, not_after) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(_name(dns_name))
        .issuer_name(_name(issuer_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(dns_name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
        .sign(issuer_key, hashes.SHA256())
    )


def _pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def _key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@dataclass
class FakeAlexa:
    """A test PKI on disk: ``ca.pem`` (the root to trust), chain files and their signing keys."""

    directory: Path
    keys: dict = field(default_factory=dict)

    @classmethod
    def create(cls, directory: str | Path) -> "FakeAlexa":
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        now = datetime.now(timezone.utc)
        root_key, inter_key, rogue_key = _key(), _key(), _key()
        root = _ca_cert(root_key, "Fake Alexa Test Root CA")
        inter = _ca_cert(inter_key, "Fake Alexa Test Intermediate", root_key, "Fake Alexa Test Root CA")
        rogue = _ca_cert(rogue_key, "Untrusted Test Root CA")
        (directory / "ca.pem").write_bytes(_pem(root))
        valid = (now - timedelta(days=1), now + timedelta(days=30))
        leaves = {
            GOOD: (inter_key, "Fake Alexa Test Intermediate", ALEXA_DOMAIN, valid, inter),
            EXPIRED: (inter_key, "Fake Alexa Test Intermediate", ALEXA_DOMAIN,
                      (now - timedelta(days=60), now - timedelta(days=1)), inter),
            WRONG_NAME: (inter_key, "Fake Alexa Test Intermediate", "not-alexa.example.com", valid, inter),
            UNTRUSTED: (rogue_key, "Untrusted Test Root CA", ALEXA_DOMAIN, valid, rogue),
        }
        fake = cls(directory)
        for file_name, (issuer_key, issuer_name, dns_name, (start, end), issuer) in leaves.items():
            key = _key()
            leaf = _leaf_cert(key, issuer_key, issuer_name, dns_name, start, end)
            (directory / file_name).write_bytes(_pem(leaf, issuer))
            (directory / (file_name + ".key")).write_bytes(_key_pem(key))
            fake.keys[file_name] = key
        return fake

    @classmethod
    def load(cls, directory: str | Path) -> "FakeAlexa":
        directory = Path(directory)
        keys = {name: serialization.load_pem_private_key((directory / (name + ".key")).read_bytes(), None)
                for name in CHAINS}
        return cls(directory, keys)

    @property
    def ca_file(self) -> Path:
        return self.directory / "ca.pem"

    def chain_url(self, chain: str = GOOD) -> str:
        return CERT_URL_PREFIX + chain

    def sign(self, body: bytes, chain: str = GOOD) -> str:
        signature = self.keys[chain].sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode("ascii")

    def headers(self, body: bytes, chain: str = GOOD, url: str | None = None) -> dict:
        return {
            "Content-Type": "application/json; charset=utf-8",
            "SignatureCertChainUrl": url or self.chain_url(chain),
            "Signature-256": self.sign(body, chain),
        }


def post(url: str, body: bytes, headers: dict, timeout: float = 10.0) -> tuple[int, dict | None]:
    """POST to a loopback endpoint; returns (status, parsed JSON or None)."""
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        # loopback test server (bandit B310)
        with urllib.request.urlopen(req, timeout=timeout) as response:  # nosec B310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, None


# --- the forged requests a certification run sends, and what "send --forge" uses -----------------

def forged(fake: FakeAlexa, kind: str, envelope: dict, *,
           other_skill_envelope: dict | None = None) -> tuple[bytes, dict]:
    """(body, headers) for one kind of forged or broken request; ``none`` is a valid signed request."""
    body = json.dumps(envelope).encode("utf-8")
    if kind == "none":
        return body, fake.headers(body)
    if kind == "unsigned":
        return body, {"Content-Type": "application/json"}
    if kind == "no-signature":
        return body, {"Content-Type": "application/json", "SignatureCertChainUrl": fake.chain_url()}
    if kind == "bad-signature":  # signed, then the body changed (a "yes" turned into a "no", say)
        headers = fake.headers(body)
        return body.replace(b'"LaunchRequest"', b'"LaunchRequest" '), headers
    if kind == "garbage-signature":
        return body, {**fake.headers(body), "Signature-256": "not base64 at all!"}
    if kind == "http-cert-url":
        return body, fake.headers(body, url="http://s3.amazonaws.com/echo.api/" + GOOD)
    if kind == "wrong-host-cert-url":
        return body, fake.headers(body, url="https://evil.example.com/echo.api/" + GOOD)
    if kind == "wrong-path-cert-url":
        return body, fake.headers(body, url="https://s3.amazonaws.com/EcHo.aPi/" + GOOD)
    if kind == "dotdot-cert-url":
        return body, fake.headers(body, url="https://s3.amazonaws.com/echo.api/../invalid.pem")
    if kind == "encoded-dotdot-cert-url":  # %2E%2E is "..": outside echo.api/ once decoded, as a server may
        return body, fake.headers(body, url="https://s3.amazonaws.com/echo.api/%2E%2E/" + GOOD)
    if kind == "double-encoded-cert-url":
        return body, fake.headers(body, url="https://s3.amazonaws.com/echo.api/%252E%252E/" + GOOD)
    if kind == "wrong-port-cert-url":
        return body, fake.headers(body, url="https://s3.amazonaws.com:563/echo.api/" + GOOD)
    if kind == "expired-cert":
        return body, fake.headers(body, EXPIRED)
    if kind == "wrong-name-cert":
        return body, fake.headers(body, WRONG_NAME)
    if kind == "untrusted-cert":
        return body, fake.headers(body, UNTRUSTED)
    if kind == "old-timestamp":
        old = dict(envelope, request=dict(envelope["request"], timestamp=_iso(-151 - 60)))
        old_body = json.dumps(old).encode("utf-8")
        return old_body, fake.headers(old_body)
    if kind == "future-timestamp":
        future = dict(envelope, request=dict(envelope["request"], timestamp=_iso(151 + 60)))
        future_body = json.dumps(future).encode("utf-8")
        return future_body, fake.headers(future_body)
    if kind == "other-skill":
        other = json.dumps(other_skill_envelope).encode("utf-8")
        return other, fake.headers(other)
    if kind == "not-utf8":
        text = body.replace(b'"LaunchRequest"', b'"Launch\xffRequest"')
        return text, fake.headers(text)
    if kind == "not-json":
        text = b"please triage me"
        return text, fake.headers(text)
    raise ValueError(f"unknown forgery {kind!r}")


FORGERIES = ("unsigned", "no-signature", "bad-signature", "garbage-signature", "http-cert-url",
             "wrong-host-cert-url", "wrong-path-cert-url", "dotdot-cert-url", "encoded-dotdot-cert-url",
             "double-encoded-cert-url", "wrong-port-cert-url", "expired-cert", "wrong-name-cert", "untrusted-cert",
             "old-timestamp", "future-timestamp", "other-skill", "not-utf8", "not-json")


def _iso(offset_s: int) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=offset_s)).strftime("%Y-%m-%dT%H:%M:%SZ")


def main(argv: list[str] | None = None) -> int:
    from skill.local.envelopes import DEFAULT_SKILL_ID, Session

    parser = argparse.ArgumentParser(prog="python -m skill.web.fake_alexa", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="make a throwaway CA and signing certificates in DIR")
    init.add_argument("directory")
    send = commands.add_parser("send", help="POST a signed LaunchRequest (or a forged one) to URL")
    send.add_argument("url")
    send.add_argument("--pki", required=True, help="directory made by 'init'")
    send.add_argument("--forge", default="none", choices=("none",) + FORGERIES)
    send.add_argument("--skill-id", default=DEFAULT_SKILL_ID)
    args = parser.parse_args(argv)

    if args.command == "init":
        fake = FakeAlexa.create(args.directory)
        print(f"trust roots: {fake.ca_file}\ncertificate dir: {fake.directory}")
        return 0
    fake = FakeAlexa.load(args.pki)
    envelope = Session(skill_id=args.skill_id).launch()
    other = Session(skill_id="amzn1.ask.skill.someone-else").launch()
    body, headers = forged(fake, args.forge, envelope, other_skill_envelope=other)
    status, reply = post(args.url, body, headers)
    speech = ((reply or {}).get("response") or {}).get("outputSpeech", {}).get("ssml")
    print(f"{args.forge}: HTTP {status}")
    print(speech if speech else json.dumps(reply))
    return 0 if (status == 200) == (args.forge == "none") else 1


if __name__ == "__main__":
    sys.exit(main())
