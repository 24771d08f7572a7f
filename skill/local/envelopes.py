"""Alexa request envelopes, shaped as the Alexa service sends them.

Used by the terminal chat, the tests, ``events/`` and the replay tools, so that
everything local goes through the same JSON the real service would post.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

DEFAULT_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
DEFAULT_USER_ID = "amzn1.ask.account.LOCALTESTUSER"
DEFAULT_DEVICE_ID = "amzn1.ask.device.LOCALTESTDEVICE"
API_ENDPOINT = "https://api.amazonalexa.com"
# placeholders for Alexa's API tokens, which only the local fake API reads (bandit B105); the
# second carries the reminders permission, as a real token does once the person has granted it
API_ACCESS_TOKEN = "local-test-token"  # nosec B105
GRANTED_API_ACCESS_TOKEN = "local-test-token.reminders"  # nosec B105
CONSENT_TOKEN = "local-test-consent-token"  # nosec B105
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
GRANTS = {"reminders": REMINDERS_SCOPE}  # what ``grants`` (and the chat's --grant) may name
# names the skill's APL document (skill/alexa/turn.py's APL_TOKEN), not a secret (bandit B105)
SCREEN_TOKEN = "backPainCheck"  # nosec B105
# What an Echo Show reports in context.System.device.supportedInterfaces.
SCREEN_INTERFACES = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}}}


def _timestamp(now: datetime | None = None) -> str:
    return (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")


class Session:
    """One Alexa session: keeps the session id, new flag and attributes across turns.

    ``grants`` names the permissions the person has given the skill (``"reminders"``): Alexa then puts
    ``permissions`` (a ``consentToken`` and each scope's status) in ``context.System.user`` and
    ``session.user``, and the ``apiAccessToken`` carries them to the API. ``api_endpoint`` is where the
    skill calls Alexa's APIs (a local fake, to try reminders).
    """

    def __init__(self, skill_id: str = DEFAULT_SKILL_ID, locale: str = "en-US",
                 user_id: str = DEFAULT_USER_ID, device_id: str = DEFAULT_DEVICE_ID,
                 interfaces: dict | None = None, grants: set[str] | frozenset[str] = frozenset(),
                 api_endpoint: str = API_ENDPOINT):
        self.skill_id, self.locale = skill_id, locale
        self.user_id, self.device_id = user_id, device_id
        self.interfaces = interfaces or {}
        self.grants = set(grants)
        if not self.grants <= set(GRANTS):
            raise ValueError(f"unknown permission: {sorted(self.grants - set(GRANTS))}")
        self.api_endpoint = api_endpoint
        self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.new = True
        self.attributes: dict = {}
        self.ended = False

    def envelope(self, request: dict) -> dict:
        application = {"applicationId": self.skill_id}
        user: dict = {"userId": self.user_id}
        if self.grants:
            user["permissions"] = {"consentToken": CONSENT_TOKEN,
                                   "scopes": {GRANTS[g]: {"status": "GRANTED"} for g in sorted(self.grants)}}
        body = {
            "version": "1.0",
            "session": {
                "new": self.new,
                "sessionId": self.session_id,
                "application": application,
                "attributes": dict(self.attributes),
                "user": user,
            },
            "context": {
                "System": {
                    "application": application,
                    "user": user,
                    "device": {"deviceId": self.device_id, "supportedInterfaces": self.interfaces},
                    "apiEndpoint": self.api_endpoint,
                    "apiAccessToken": GRANTED_API_ACCESS_TOKEN if "reminders" in self.grants else API_ACCESS_TOKEN,
                },
            },
            "request": {
                "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
                "timestamp": _timestamp(),
                "locale": self.locale,
                **request,
            },
        }
        return body

    def launch(self) -> dict:
        return self.envelope({"type": "LaunchRequest"})

    def intent(self, name: str, slots: dict | None = None) -> dict:
        """An IntentRequest; ``slots`` maps a slot name to its words, or to (words, value id, slot type) for a
        custom slot Alexa resolved, which carries entity resolution as Alexa sends it."""
        intent: dict[str, object] = {"name": name, "confirmationStatus": "NONE"}
        if slots:
            intent["slots"] = {k: self._slot(k, v) for k, v in slots.items()}
        return self.envelope({"type": "IntentRequest", "dialogState": "COMPLETED", "intent": intent})

    def _slot(self, name: str, said: str | tuple[str, str | None, str]) -> dict:
        if isinstance(said, str):
            return {"name": name, "value": said, "confirmationStatus": "NONE"}
        words, value_id, slot_type = said
        authority = f"amzn1.er-authority.echo-sdk.{self.skill_id}.{slot_type}"
        resolution: dict[str, object] = {"authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}
        if value_id is not None:
            resolution = {"authority": authority, "status": {"code": "ER_SUCCESS_MATCH"},
                          "values": [{"value": {"name": words, "id": value_id}}]}
        return {"name": name, "value": words, "confirmationStatus": "NONE", "source": "USER",
                "resolutions": {"resolutionsPerAuthority": [resolution]}}

    def user_event(self, arguments: list, source_id: str = "yesButton") -> dict:
        """A touch on an APL screen: the arguments of the document's SendEvent command."""
        return self.envelope({"type": "Alexa.Presentation.APL.UserEvent", "token": SCREEN_TOKEN,
                              "arguments": list(arguments),
                              "source": {"type": "TouchWrapper", "handler": "Press", "id": source_id}})

    def permission_answer(self, status: str | None = "ACCEPTED", code: str = "200", token: str | None = None) -> dict:
        """Alexa's ``Connections.Response`` after it asked for the reminders permission (an "AskFor"):
        ``status`` ACCEPTED, DENIED or NOT_ANSWERED; a ``code`` other than 200 when it could not ask."""
        payload: dict = {"permissionScopes": [{"permissionScope": REMINDERS_SCOPE, "consentLevel": "ACCOUNT"}]}
        if status is not None:
            payload["status"] = status
        message = "OK" if code == "200" else "Voice permission is not supported"
        return self.envelope({"type": "Connections.Response", "name": "AskFor",
                              "status": {"code": code, "message": message}, "payload": payload, "token": token or ""})

    def session_ended(self, reason: str = "USER_INITIATED") -> dict:
        return self.envelope({"type": "SessionEndedRequest", "reason": reason})

    def absorb(self, response: dict) -> None:
        """Carry the response's session attributes into the next request, as Alexa does."""
        self.new = False
        self.attributes = dict(response.get("sessionAttributes") or {})
        self.ended = bool(response.get("response", {}).get("shouldEndSession", True))


def is_ask_for(directive: dict) -> bool:
    """The skill asks Alexa to ask the person for a permission."""
    return directive.get("type") == "Connections.SendRequest" and directive.get("name") == "AskFor"


def ask_for(response: dict) -> dict | None:
    """The "AskFor" directive in a response, if there is one."""
    return next((d for d in response.get("response", {}).get("directives") or [] if is_ask_for(d)), None)
