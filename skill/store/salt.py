"""The secret that salts stored keys: a leaked table cannot be joined to Alexa user ids by hashing them.

A stored key is HMAC-SHA256(salt, SHA-256 of the user id), or the bare SHA-256
when no salt is configured (the terminal chat). Where the salt comes from:

- ``USER_KEY_SALT_SECRET`` names an AWS Secrets Manager secret (on Lambda:
  template.yaml creates it with a random value and lets the function read that
  secret only). It is read once per process, on first use (the session seal's,
  below: the launch, usually); a SnapStart snapshot never holds it. Until a
  read succeeds, each store operation fails as any store failure does (logged,
  counted, cooled down).
- ``USER_KEY_SALT`` gives the salt itself (a self-hosted server, tests).

The session seal (``skill.alexa.seal``) is keyed from the same secret: ``Salt.shared`` is the one
``Salt`` per configuration in a process, so the secret is read once for both. The seal needs it on the
first request that writes session state (the launch), once per process; SnapStart snapshots still never
hold it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading

from .errors import StoreError, error_code

SALT_ENV = "USER_KEY_SALT"
# names an environment variable, not a secret (bandit B105)
SECRET_ENV = "USER_KEY_SALT_SECRET"  # nosec B105
CONNECT_TIMEOUT = 0.5  # seconds, as for DynamoDB: a slow Secrets Manager costs a bounded time, once
READ_TIMEOUT = 0.5
MAX_ATTEMPTS = 2
_SHARED: dict[tuple[str | None, str | None], "Salt"] = {}
_SHARED_LOCK = threading.Lock()


def forget_shared() -> None:
    """Drop the shared salts, and what they read (tests: each makes its own secret)."""
    with _SHARED_LOCK:
        _SHARED.clear()


class Salt:
    def __init__(self, literal: str | None = None, secret_id: str | None = None, region: str | None = None):
        self.secret_id, self.region = secret_id, region
        self._value: bytes | None = literal.encode("utf-8") if literal else None
        self._client = None
        self._lock = threading.Lock()
        self.reads = 0  # calls to Secrets Manager in this process, for tests and operators

    @classmethod
    def from_env(cls) -> "Salt":
        return cls(literal=os.environ.get(SALT_ENV) or None, secret_id=os.environ.get(SECRET_ENV) or None)

    @classmethod
    def shared(cls) -> "Salt":
        """This process's salt for the configuration in the environment (one read of the secret for all)."""
        config = (os.environ.get(SALT_ENV) or None, os.environ.get(SECRET_ENV) or None)
        salt = _SHARED.get(config)  # every request asks (the session seal): no lock once it is made
        if salt is None:
            with _SHARED_LOCK:
                salt = _SHARED.get(config)
                if salt is None:
                    salt = _SHARED[config] = cls(literal=config[0], secret_id=config[1])
        return salt

    @property
    def client(self):
        """botocore's Secrets Manager client, built on first use (it honours AWS_ENDPOINT_URL_SECRETS_MANAGER)."""
        if self._client is None:
            from botocore.config import Config
            from botocore.session import get_session

            config = Config(connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT,
                            retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS})
            region = self.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
            self._client = get_session().create_client("secretsmanager", region_name=region or "us-east-1",
                                                       config=config)
        return self._client

    def prepare(self) -> None:
        """Build the client for a SnapStart snapshot; the secret itself is read after restore, on first use."""
        if self.secret_id and self._value is None:
            self.client  # noqa: B018 (the property builds the client: no network)

    def value(self) -> bytes | None:
        """The salt (None: keys are not salted); raises ``StoreError`` when the secret cannot be read."""
        if self._value is not None or not self.secret_id:
            return self._value
        with self._lock:
            if self._value is None:
                self.reads += 1
                try:
                    secret = self.client.get_secret_value(SecretId=self.secret_id).get("SecretString")
                except Exception as exc:  # botocore's errors and timeouts
                    raise StoreError(f"salt:{error_code(exc)}") from exc
                if not isinstance(secret, str) or not secret:
                    raise StoreError("salt:EmptySecret")
                self._value = secret.encode("utf-8")
        return self._value

    def key(self, user_key: str) -> str:
        """The key records are stored under, for the hashed user id ``user_key``."""
        salt = self.value()
        if salt is None:
            return user_key
        return hmac.new(salt, user_key.encode("ascii"), hashlib.sha256).hexdigest()
