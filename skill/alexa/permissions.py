"""The reminders permission: whether a request carries it, asking for it by voice, the card, Alexa's answer.

A skill may create reminders only with the person's permission (the scope
``REMINDERS_SCOPE``, declared in the manifest). Alexa tells the skill in every
request: ``context.System.user.permissions`` holds a ``consentToken`` once
something was granted, and ``scopes`` the status of each scope (the request's
``apiAccessToken`` is what the Reminders API actually checks).

Without it, the skill hands the conversation to Alexa with
``Connections.SendRequest`` "AskFor" (an ``AskForPermissionsConsentRequest``);
Alexa asks in its own words and answers the skill with a ``Connections.Response``
request that echoes the directive's ``token``: status code 200 and
``payload.status`` ACCEPTED, DENIED or NOT_ANSWERED. Any other status code means
Alexa could not ask by voice here; then the skill sends the
``AskForPermissionsConsent`` card to the Alexa app instead.

The model classes are imported only when a directive or card is built.
"""

from __future__ import annotations

from dataclasses import dataclass

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type

REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
ASK_FOR = "AskFor"
CONNECTIONS_RESPONSE = "Connections.Response"
ACCEPTED, DENIED, NOT_ANSWERED = "ACCEPTED", "DENIED", "NOT_ANSWERED"


def reminders_granted(handler_input: HandlerInput) -> bool:
    """The person has allowed this skill's reminders (the scope's own status when Alexa sends one)."""
    context = handler_input.request_envelope.context
    system = context.system if context is not None else None
    user = system.user if system is not None else None
    permissions = user.permissions if user is not None else None
    if permissions is None:
        return False
    scope = (permissions.scopes or {}).get(REMINDERS_SCOPE) if isinstance(permissions.scopes, dict) else None
    status = getattr(getattr(scope, "status", None), "value", None)
    if status is not None:
        return status == "GRANTED"
    token = permissions.consent_token  # the only scope this skill asks for
    return isinstance(token, str) and bool(token)


def ask_for_reminders(token: str):
    """The directive that has Alexa ask, by voice, for the reminders permission."""
    from ask_sdk_model.interfaces.connections import SendRequestDirective

    return SendRequestDirective(name=ASK_FOR, token=token, payload={
        "@type": "AskForPermissionsConsentRequest",
        "@version": "2",
        "permissionScopes": [{"permissionScope": REMINDERS_SCOPE, "consentLevel": "ACCOUNT"}],
    })


def consent_card():
    """The Alexa app card that lets the person allow reminders (where Alexa cannot ask by voice)."""
    from ask_sdk_model.ui import AskForPermissionsConsentCard

    return AskForPermissionsConsentCard(permissions=[REMINDERS_SCOPE])


@dataclass(frozen=True)
class ConsentAnswer:
    """What Alexa says came of asking: ``asked`` is False when it could not ask by voice."""

    asked: bool
    status: str | None
    token: str | None
    card_sent: bool = False


def is_consent_answer(handler_input: HandlerInput) -> bool:
    """A ``Connections.Response`` to this skill's "AskFor"."""
    return (is_request_type(CONNECTIONS_RESPONSE)(handler_input)
            and getattr(handler_input.request_envelope.request, "name", None) == ASK_FOR)


def read_answer(request) -> ConsentAnswer:
    """The answer in a ``Connections.Response``; anything missing or odd reads as "not asked"."""
    code = str(getattr(getattr(request, "status", None), "code", "") or "")
    payload = getattr(request, "payload", None)
    payload = payload if isinstance(payload, dict) else {}
    status = payload.get("status")
    token = getattr(request, "token", None)
    return ConsentAnswer(
        asked=code.startswith("2") and len(code) == 3 and status in (ACCEPTED, DENIED, NOT_ANSWERED),
        status=status if status in (ACCEPTED, DENIED, NOT_ANSWERED) else None,
        token=token if isinstance(token, str) else None,
        card_sent=str(payload.get("isCardThrown", "")).lower() == "true",
    )
