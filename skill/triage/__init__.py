"""The triage core: protocol data, its validation, and the pure state machine.

Nothing here imports ask_sdk, boto3 or flask; every adapter (Alexa handlers,
the web service, the terminal chat) drives the same ``TriageMachine``.
"""

from dataclasses import replace
from functools import lru_cache

from .loader import load_protocol
from .machine import INTERRUPT, Answer, Asking, Finished, Given, Outcome, TriageMachine, TriageState
from .protocol import (
    DEFAULT_LOCALE,
    LocaleText,
    Protocol,
    ProtocolError,
    load_locales,
)

__all__ = [
    "INTERRUPT", "Answer", "Asking", "Finished", "Given", "Outcome", "TriageMachine", "TriageState",
    "DEFAULT_LOCALE", "LocaleText", "Protocol", "ProtocolError", "default_protocol", "default_locales",
    "locale_text",
]


@lru_cache(maxsize=1)
def default_protocol() -> Protocol:
    return load_protocol()


@lru_cache(maxsize=1)
def default_locales() -> dict[str, LocaleText]:
    return load_locales(default_protocol())


def locale_text(locale: str | None) -> LocaleText:
    """The text for ``locale``; an unsupported one gets the default wording with no fixed number."""
    locales = default_locales()
    if locale in locales:
        return locales[locale]
    return replace(locales[DEFAULT_LOCALE], emergency_number=None, urgent_number=None)
