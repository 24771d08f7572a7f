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
# names the skill's APL document (skill/alexa/turn.py's APL_TOKEN), not a secret (bandit B105)
SCREEN_TOKEN = "backPainCheck"  # nosec B105
# What an Echo Show reports in context.System.device.supportedInterfaces.
SCREEN_INTERFACES = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}}}


def _timestamp(now: datetime | None = None) -> str:
    return (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")


class Session:
    """One Alexa session: keeps the session id, new flag and attributes across turns."""

    def __init__(self, skill_id: str = DEFAULT_SKILL_ID, locale: str = "en-US",
                 user_id: str = DEFAULT_USER_ID, device_id: str = DEFAULT_DEVICE_ID,
                 interfaces: dict | None = None):
        self.skill_id, self.locale = skill_id, locale
        self.user_id, self.device_id = user_id, device_id
        self.interfaces = interfaces or {}
        self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.new = True
        self.attributes: dict = {}
        self.ended = False

    def envelope(self, request: dict) -> dict:
        application = {"applicationId": self.skill_id}
        user = {"userId": self.user_id}
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
                    "apiEndpoint": API_ENDPOINT,
                    "apiAccessToken": "local-test-token",
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
        intent: dict[str, object] = {"name": name, "confirmationStatus": "NONE"}
        if slots:
            intent["slots"] = {k: {"name": k, "value": v, "confirmationStatus": "NONE"} for k, v in slots.items()}
        return self.envelope({"type": "IntentRequest", "dialogState": "COMPLETED", "intent": intent})

    def user_event(self, arguments: list, source_id: str = "yesButton") -> dict:
        """A touch on an APL screen: the arguments of the document's SendEvent command."""
        return self.envelope({"type": "Alexa.Presentation.APL.UserEvent", "token": SCREEN_TOKEN,
                              "arguments": list(arguments),
                              "source": {"type": "TouchWrapper", "handler": "Press", "id": source_id}})

    def session_ended(self, reason: str = "USER_INITIATED") -> dict:
        return self.envelope({"type": "SessionEndedRequest", "reason": reason})

    def absorb(self, response: dict) -> None:
        """Carry the response's session attributes into the next request, as Alexa does."""
        self.new = False
        self.attributes = dict(response.get("sessionAttributes") or {})
        self.ended = bool(response.get("response", {}).get("shouldEndSession", True))
