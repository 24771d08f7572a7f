"""The triage core: protocol data, its validation, and the pure state machine.

Nothing here imports ask_sdk, boto3 or flask; every adapter (Alexa handlers,
the web service, the terminal chat) drives the same ``TriageMachine``.
"""

from functools import lru_cache

from .compiled import Compiled, is_compiled
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
    "locale_text", "known_locale", "compiled_artifact",
]


@lru_cache(maxsize=1)
def compiled_artifact() -> Compiled | None:
    """The protocol compiled at build (the Lambda artifact), checked against its sources; None in a checkout."""
    return Compiled() if is_compiled() else None


@lru_cache(maxsize=1)
def default_protocol() -> Protocol:
    """The protocol: compiled and already proved in the Lambda artifact; loaded and proved here otherwise."""
    artifact = compiled_artifact()
    if artifact is not None:
        return artifact.protocol
    from .loader import load_protocol  # here: the Lambda artifact was proved at build and needs no prover

    return load_protocol()


@lru_cache(maxsize=1)
def default_locales() -> dict[str, LocaleText]:
    """Every locale (the tools, and the snapshot's warm-up); a request needs only its own (``locale_text``)."""
    artifact = compiled_artifact()
    if artifact is not None:
        return {name: text for name in artifact.locales if (text := artifact.locale(name)) is not None}
    return load_locales(default_protocol())


def known_locale(locale: object) -> LocaleText | None:
    """The locale named ``locale``, loading only that one from a compiled artifact; None for any other name."""
    if not isinstance(locale, str):
        return None
    artifact = compiled_artifact()
    if artifact is not None:
        return artifact.locale(locale)
    return default_locales().get(locale)


def locale_text(locale: str | None) -> LocaleText:
    """The text for ``locale``; an unsupported one gets the default wording with no fixed number."""
    text = known_locale(locale)
    if text is not None:
        return text
    default = known_locale(DEFAULT_LOCALE)
    if default is None:  # cannot happen: the loader and the compiler both require the default locale
        raise ProtocolError(f"the default locale {DEFAULT_LOCALE} is missing")
    return default._replace(emergency_number=None, urgent_number=None)
