"""ask-sdk's ``DefaultApiClient``, bounded in time and imported only when the skill first calls an Alexa API.

The skill is built with ``CustomSkillBuilder(api_client=...)`` so that handlers
get ``handler_input.service_client_factory`` (the Reminders client) with the
request's ``apiEndpoint`` and ``apiAccessToken``. Two things differ from the
stock client:

- Time: the stock client calls ``requests`` with no timeout, so a slow API
  could hold a request past Alexa's 8 seconds. Here every call is bounded by
  ``TOTAL_TIMEOUT`` (connect, then the wait for the answer), well under a second,
  and never retried.
- Cold start: ``ask_sdk_core.api_client`` imports ``requests`` (about 50 ms,
  more than half the skill's own import), and most requests never call an API.
  ``LazyApiClient`` imports it on its first call.

``ALEXA_API_CA_BUNDLE`` names a CA file to trust instead of the system's, for a
local fake Alexa API only (``skill/local/fake_reminders.py``); leave it unset
anywhere real.
"""

from __future__ import annotations

import os
import threading

from ask_sdk_model.services import ApiClient

CA_BUNDLE_ENV = "ALEXA_API_CA_BUNDLE"
CONNECT_TIMEOUT = 0.3  # seconds
READ_TIMEOUT = 0.5
TOTAL_TIMEOUT = 0.8  # connect and answer together; the caller adds a few milliseconds at most


def bounded_client():
    """A ``DefaultApiClient`` whose every call is bounded by ``TOTAL_TIMEOUT``, with the configured trust."""
    import functools

    import requests
    from ask_sdk_core.api_client import DefaultApiClient
    from ask_sdk_core.exceptions import ApiClientException
    from urllib3.util import Timeout

    timeout = Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT, total=TOTAL_TIMEOUT)

    class BoundedApiClient(DefaultApiClient):
        def _resolve_method(self, request):
            method = getattr(requests, (request.method or "").lower(), None)
            if method is None or request.method.upper() not in {"GET", "POST", "PUT", "DELETE"}:
                raise ApiClientException(f"Invalid request method: {request.method}")
            return functools.partial(method, timeout=timeout, verify=os.environ.get(CA_BUNDLE_ENV) or True,
                                     allow_redirects=False)

    return BoundedApiClient()


class LazyApiClient(ApiClient):
    """Builds the bounded client on the first call; until then the skill has not imported ``requests``."""

    def __init__(self):
        self._client = None
        self._lock = threading.Lock()

    def prepare(self):
        """Build the client now (for a SnapStart snapshot, where import time is paid before any request)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = bounded_client()
        return self._client

    def invoke(self, request):
        return self.prepare().invoke(request)
