"""The triage core: protocol data, its validation, and the pure state machine.

Nothing here imports ask_sdk, boto3 or flask; every adapter (Alexa handlers,
the web service, the terminal chat) drives the same ``TriageMachine``.
"""

from functools import lru_cache

from .machine import INTERRUPT, Answer, Outcome, TriageMachine, TriageState
from .protocol import (
    DEFAULT_LOCALE,
    LocaleText,
    Protocol,
    ProtocolError,
    load_locales,
    load_protocol,
)

__all__ = [
    "INTERRUPT", "Answer", "Outcome", "TriageMachine", "TriageState", "DEFAULT_LOCALE",
    "LocaleText", "Protocol", "ProtocolError", "default_protocol", "default_locales",
    "locale_text",
]


@lru_cache(maxsize=1)
def default_protocol() -> Protocol:
    return load_protocol()


@lru_cache(maxsize=1)
def default_locales() -> dict:
    return load_locales(default_protocol())


def locale_text(locale: str | None) -> LocaleText:
    """The text for ``locale``; an unsupported one gets the default wording with no fixed number."""
    locales = default_locales()
    if locale in locales:
        return locales[locale]
    fallback = locales[DEFAULT_LOCALE]
    return LocaleText(
        locale=fallback.locale, skill_name=fallback.skill_name, emergency_number=None,
        questions=fallback.questions, dispositions=fallback.dispositions, phrases=fallback.phrases,
    )
