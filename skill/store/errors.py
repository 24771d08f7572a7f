"""How a store fails, apart from the port: the session seal and the salt need only this, and a launch (which
reads no memory) then imports none of the port's records and base classes."""

from __future__ import annotations

import re


class StoreError(Exception):
    """The store could not do what was asked (unreachable, throttled, refused)."""


def error_code(exc: Exception) -> str:
    """The service's error code (e.g. ProvisionedThroughputExceededException) or the exception's class name."""
    response = getattr(exc, "response", None)
    code = response.get("Error", {}).get("Code") if isinstance(response, dict) else None
    return code if isinstance(code, str) and re.fullmatch(r"[A-Za-z0-9.:]{1,80}", code) else type(exc).__name__
