"""Which requests get in: the Alexa request checks, built on ask-sdk-webservice-support's verifiers.

The SDK's own ``RequestVerifier`` does the signature checks (certificate URL,
chain, end certificate, body signature); this module only adds what it lacks:

- a bounded, thread-safe certificate-chain cache (the SDK's is an unbounded dict)
  and a download with a timeout and a size limit (the SDK's has neither);
- a bounded memory of chains that already passed path validation, until the
  first certificate on the path expires (the SDK validates on every request);
- a trust-root setting, so tests can trust a throwaway CA through certvalidator's
  own ``ValidationContext`` (production keeps the system's trust store);
- one form of the certificate URL (``cert_url.normalise``): the URL that is
  checked is the URL that is fetched and cached;
- failing closed: anything that goes wrong while checking (bad base64, a PEM
  that is not one, a certificate without names) refuses the request with a
  ``VerificationException`` (HTTP 400) instead of an unhandled error (HTTP 500);
- ``SkillIdVerifier``: another skill's application id is refused as a 400
  before the SDK's own skill-id check would raise a 500.

Messages never contain the request body (rule 5: no health answers in logs).
"""

from __future__ import annotations

import hashlib
import threading
import urllib.request
from collections import OrderedDict
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urlparse

from . import oscrypto_fix

oscrypto_fix.install()  # before certvalidator (and with it oscrypto) is imported below

from ask_sdk_webservice_support.verifier import (  # noqa: E402
    AbstractVerifier,
    RequestVerifier,
    TimestampVerifier,
    VerificationException,
)
from ask_sdk_webservice_support.verifier_constants import CERT_CHAIN_DOMAIN  # noqa: E402
from asn1crypto import pem  # noqa: E402
from certvalidator import CertificateValidator, ValidationContext  # noqa: E402
from certvalidator.errors import PathError, ValidationError  # noqa: E402
from cryptography import x509  # noqa: E402

from .cert_url import normalise  # noqa: E402

CertFetcher = Callable[[str], bytes]

CERT_CACHE_SIZE = 16          # distinct certificate URLs kept; Alexa uses one at a time, rotating rarely
CERT_FETCH_TIMEOUT_S = 5.0    # Alexa waits 8 s for the whole answer
CERT_MAX_BYTES = 64 * 1024    # a chain of a few certificates is under 10 KB


def download_cert_chain(url: str) -> bytes:
    """Fetch a certificate chain over HTTPS (the URL is already checked to be Amazon's)."""
    # https://s3.amazonaws.com/echo.api/ only, checked before (bandit B310)
    with urllib.request.urlopen(url, timeout=CERT_FETCH_TIMEOUT_S) as response:  # nosec B310
        data = response.read(CERT_MAX_BYTES + 1)
    if len(data) > CERT_MAX_BYTES:
        raise VerificationException("certificate chain too large")
    return data


def directory_cert_fetcher(directory: str | Path) -> CertFetcher:
    """A fetcher that reads ``<directory>/<last part of the URL path>``: for offline testing only."""
    root = Path(directory).resolve()

    def fetch(url: str) -> bytes:
        name = Path(urlparse(url).path).name
        path = (root / name).resolve()
        if not name or path.parent != root or not path.is_file():
            raise VerificationException("certificate chain not found")
        return path.read_bytes()

    return fetch


def load_trust_roots(pem_file: str | Path) -> list[bytes]:
    """DER bytes of every certificate in a PEM file (a test CA, say)."""
    roots = [der for _type, _headers, der in pem.unarmor(Path(pem_file).read_bytes(), multiple=True)]
    if not roots:
        raise ValueError(f"no certificate in {pem_file}")
    return roots


class CertChainCache:
    """Least-recently-used map of certificate URL -> chain bytes; each URL is fetched once while cached."""

    def __init__(self, fetch: CertFetcher = download_cert_chain, maxsize: int = CERT_CACHE_SIZE):
        self._fetch, self.maxsize = fetch, maxsize
        self._chains: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()        # guards the map; held only for dictionary work
        self._fetch_lock = threading.Lock()  # one download at a time, so a cold start downloads once
        self.fetches = 0

    def _cached(self, url: str) -> bytes | None:
        with self._lock:
            if url in self._chains:
                self._chains.move_to_end(url)
                return self._chains[url]
        return None

    def get(self, url: str) -> bytes:
        chain = self._cached(url)
        if chain is not None:
            return chain
        with self._fetch_lock:
            chain = self._cached(url)  # another thread may have fetched it while we waited
            if chain is not None:
                return chain
            chain = self._fetch(url)
            with self._lock:
                self.fetches += 1
                self._chains[url] = chain
                while len(self._chains) > self.maxsize:
                    self._chains.popitem(last=False)
        return chain

    def __len__(self) -> int:
        return len(self._chains)

    def __contains__(self, url: str) -> bool:
        return url in self._chains


class ValidatedChains:
    """Chains that passed path validation, each remembered until the first certificate on its path expires.

    Path validation is three quarters of a verified request's time, and its
    answer for the same chain bytes and trust roots changes only when a
    certificate on the path expires (revocation is not checked, by the SDK
    either). Bounded like the chain cache; a new verifier starts empty.
    """

    def __init__(self, maxsize: int = CERT_CACHE_SIZE):
        self.maxsize = maxsize
        self._valid_until: OrderedDict[bytes, datetime] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(chain: bytes) -> bytes:
        return hashlib.sha256(chain).digest()

    def is_valid(self, chain: bytes, now: datetime) -> bool:
        key = self._key(chain)
        with self._lock:
            until = self._valid_until.get(key)
            if until is None:
                return False
            if now > until:
                del self._valid_until[key]
                return False
            self._valid_until.move_to_end(key)
            return True

    def remember(self, chain: bytes, valid_until: datetime) -> None:
        with self._lock:
            self._valid_until[self._key(chain)] = valid_until
            while len(self._valid_until) > self.maxsize:
                self._valid_until.popitem(last=False)


class AlexaRequestVerifier(RequestVerifier):
    """The SDK's signature verifier with a bounded cache, configurable trust roots, and failing closed."""

    def __init__(self, cert_cache: CertChainCache | None = None, trust_roots: Iterable[bytes] | None = None):
        super().__init__()
        self.cert_cache = cert_cache if cert_cache is not None else CertChainCache()
        self._trust_roots = list(trust_roots) if trust_roots is not None else None
        self.validated = ValidatedChains()
        self.path_validations = 0

    def verify(self, headers, serialized_request_env, deserialized_request_env):
        try:
            super().verify(headers, serialized_request_env, deserialized_request_env)
        except VerificationException:
            raise
        except Exception as exc:  # fail closed, and keep request content out of the log
            raise VerificationException(f"request signature could not be checked ({type(exc).__name__})") from None

    def _retrieve_and_validate_certificate_chain(self, cert_url, *args, **kwargs):
        """The SDK's checks and download, both on the one normal form of the URL."""
        return super()._retrieve_and_validate_certificate_chain(normalise(cert_url), *args, **kwargs)

    def _load_cert_chain(self, cert_url):
        try:
            return self.cert_cache.get(cert_url)
        except VerificationException:
            raise
        except Exception as exc:
            raise VerificationException(f"unable to load certificate chain ({type(exc).__name__})") from None

    def _validate_cert_chain(self, cert_chain):
        if self.validated.is_valid(cert_chain, datetime.now(timezone.utc)):
            return
        try:
            end_cert, *intermediates = [der for _t, _h, der in pem.unarmor(cert_chain, multiple=True)]
            context = ValidationContext(trust_roots=self._trust_roots) if self._trust_roots is not None else None
            validator = CertificateValidator(end_cert, intermediates, validation_context=context)
            path = validator.validate_usage(key_usage={"digital_signature"})
        except (PathError, ValidationError, ValueError) as exc:
            raise VerificationException(f"certificate chain is not valid ({type(exc).__name__})") from None
        self.path_validations += 1
        self.validated.remember(cert_chain, min(cert.not_valid_after for cert in path))

    def _validate_end_certificate(self, x509_cert):
        now = datetime.now(timezone.utc)
        if not x509_cert.not_valid_before_utc <= now <= x509_cert.not_valid_after_utc:
            raise VerificationException("signing certificate expired or not yet valid")
        try:
            names = x509_cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        except x509.ExtensionNotFound:
            raise VerificationException("signing certificate has no subject alternative names") from None
        if CERT_CHAIN_DOMAIN not in names.get_values_for_type(x509.DNSName):
            raise VerificationException(f"{CERT_CHAIN_DOMAIN} missing in signing certificate")


class SkillIdVerifier(AbstractVerifier):
    """Refuses requests for another skill (400), before the SDK's own check would answer 500."""

    def __init__(self, skill_id: str | None):
        self.skill_id = skill_id

    def verify(self, headers, serialized_request_env, deserialized_request_env):
        if self.skill_id is None:
            return
        try:
            application_id = deserialized_request_env.context.system.application.application_id
        except AttributeError:
            application_id = None
        if application_id != self.skill_id:
            raise VerificationException("request is for another skill")


def request_verifiers(
    skill_id: str | None,
    verify: bool = True,
    cert_cache: CertChainCache | None = None,
    trust_roots: Iterable[bytes] | None = None,
) -> list[AbstractVerifier]:
    """The checks in the order they run: signature, timestamp (150 s), then skill id."""
    checks: list[AbstractVerifier] = []
    if verify:
        checks += [AlexaRequestVerifier(cert_cache, trust_roots), TimestampVerifier()]
    checks.append(SkillIdVerifier(skill_id))
    return checks
