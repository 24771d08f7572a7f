"""The pieces the verified endpoint adds to the SDK's verifier: a bounded cache, and failing closed."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from skill.web.fake_alexa import CERT_URL_PREFIX, GOOD, FakeAlexa
from skill.web.verification import (
    AlexaRequestVerifier,
    CertChainCache,
    ValidatedChains,
    VerificationException,
    directory_cert_fetcher,
)


class CountingFetcher:
    def __init__(self, delay: threading.Event | None = None):
        self.calls: list[str] = []
        self.delay = delay
        self._lock = threading.Lock()

    def __call__(self, url: str) -> bytes:
        if self.delay is not None:
            self.delay.wait(5)
        with self._lock:
            self.calls.append(url)
        return f"chain for {url}".encode()


def test_the_cache_keeps_at_most_maxsize_chains_dropping_the_least_recently_used():
    fetch = CountingFetcher()
    cache = CertChainCache(fetch, maxsize=2)
    cache.get("a"), cache.get("b"), cache.get("a"), cache.get("c")  # "b" is now the least recently used
    assert len(cache) == 2 and "a" in cache and "c" in cache and "b" not in cache
    cache.get("a")
    assert fetch.calls == ["a", "b", "c"]
    cache.get("b")
    assert fetch.calls == ["a", "b", "c", "b"]


def test_many_requests_arriving_together_on_a_cold_cache_download_the_chain_once():
    release = threading.Event()
    fetch = CountingFetcher(delay=release)
    cache = CertChainCache(fetch)
    results: list[bytes] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("u"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(10)
    assert fetch.calls == ["u"] and results == [b"chain for u"] * 8


def test_a_failed_download_is_not_cached_so_the_next_request_tries_again():
    attempts = []

    def flaky(url):
        attempts.append(url)
        if len(attempts) == 1:
            raise OSError("network down")
        return b"chain"

    cache = CertChainCache(flaky)
    with pytest.raises(OSError):
        cache.get("u")
    assert cache.get("u") == b"chain" and len(attempts) == 2


def test_the_test_certificate_directory_serves_only_files_directly_inside_it(tmp_path):
    (tmp_path / "echo-api-cert.pem").write_bytes(b"pem")
    (tmp_path.parent / "secret.pem").write_bytes(b"secret")
    fetch = directory_cert_fetcher(tmp_path)
    assert fetch(CERT_URL_PREFIX + "echo-api-cert.pem") == b"pem"
    for url in (CERT_URL_PREFIX + "missing.pem", CERT_URL_PREFIX + "..", CERT_URL_PREFIX):
        with pytest.raises(VerificationException):
            fetch(url)


def certificate(san: list[str] | None, not_before: datetime, not_after: datetime) -> x509.Certificate:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "echo-api.amazon.com")])
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
               .serial_number(1).not_valid_before(not_before).not_valid_after(not_after))
    if san is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in san]), critical=False)
    return builder.sign(key, hashes.SHA256())


NOW = datetime.now(timezone.utc)


@pytest.mark.parametrize("san, start, end, reason", [
    (None, NOW - timedelta(days=1), NOW + timedelta(days=1), "no subject alternative names"),
    (["echo-api.amazon.com"], NOW + timedelta(days=1), NOW + timedelta(days=2), "not yet valid"),
    (["echo-api.amazon.com"], NOW - timedelta(days=2), NOW - timedelta(days=1), "expired"),
    (["echo-api.amazon.com.evil.example"], NOW - timedelta(days=1), NOW + timedelta(days=1), "missing"),
])
def test_a_signing_certificate_that_is_not_alexas_now_is_refused_not_crashed_on(san, start, end, reason):
    with pytest.raises(VerificationException, match=reason):
        AlexaRequestVerifier()._validate_end_certificate(certificate(san, start, end))


def test_alexas_name_within_its_dates_passes():
    AlexaRequestVerifier()._validate_end_certificate(
        certificate(["echo-api.amazon.com"], NOW - timedelta(days=1), NOW + timedelta(days=1)))


def test_a_chain_file_that_is_not_pem_is_a_refusal(tmp_path):
    fake = FakeAlexa.create(tmp_path / "pki")
    (tmp_path / "pki" / GOOD).write_bytes(b"this is not a certificate")
    verifier = AlexaRequestVerifier(CertChainCache(directory_cert_fetcher(tmp_path / "pki")))
    body = b'{"version": "1.0"}'
    with pytest.raises(VerificationException):
        verifier.verify(fake.headers(body), body.decode(), None)


def test_a_validated_chain_is_remembered_only_until_the_first_certificate_on_its_path_expires():
    validated = ValidatedChains()
    until = NOW + timedelta(days=1)
    assert not validated.is_valid(b"chain", NOW)
    validated.remember(b"chain", until)
    assert validated.is_valid(b"chain", NOW)
    assert not validated.is_valid(b"other chain", NOW)
    assert not validated.is_valid(b"chain", until + timedelta(seconds=1))
    assert not validated.is_valid(b"chain", NOW)  # forgotten once expired


def test_the_memory_of_validated_chains_is_bounded():
    validated = ValidatedChains(maxsize=2)
    for chain in (b"a", b"b", b"c"):
        validated.remember(chain, NOW + timedelta(days=1))
    assert [validated.is_valid(c, NOW) for c in (b"a", b"b", b"c")] == [False, True, True]
