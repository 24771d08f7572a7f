"""One request's view of the conversation: its locale, its triage state, and how a reply goes out.

Handlers read the state through a ``Turn`` and hand back a ``Reply``; ``Turn.send``
is the only place that writes session attributes and calls the response builder.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from skill.triage import TriageMachine, TriageState, default_protocol, locale_text

from .speech import Reply, SpeechBuilder

STATE_KEY = "triage"
DISPOSITION_KEY = "disposition"


def machine() -> TriageMachine:
    return TriageMachine(default_protocol())


def speech_for(locale: str | None) -> SpeechBuilder:
    return SpeechBuilder(default_protocol(), locale_text(locale))


def safe_locale(handler_input: HandlerInput) -> str | None:
    try:
        return get_locale(handler_input)
    except Exception:  # a malformed envelope still deserves the safety net
        return None


def session_attributes(handler_input: HandlerInput) -> dict:
    """The session's attributes; a throwaway dict for a request outside a session."""
    if handler_input.request_envelope.session is None:
        return {}
    attributes = handler_input.attributes_manager.session_attributes
    if not isinstance(attributes, dict):  # tampered: start afresh
        attributes = handler_input.attributes_manager.session_attributes = {}
    return attributes


class Turn:
    def __init__(self, handler_input: HandlerInput):
        self.handler_input = handler_input
        self.machine = machine()
        self.speech = speech_for(safe_locale(handler_input))
        self.attributes = session_attributes(handler_input)
        self.state: TriageState | None = self.machine.restore(self.attributes.get(STATE_KEY))

    def send(self, reply: Reply, state: TriageState | None = None) -> Response:
        """Record ``state`` (or the outcome) in the session and build the response."""
        attributes = self.attributes
        attributes.pop(STATE_KEY, None)
        if reply.outcome is not None:
            attributes[DISPOSITION_KEY] = reply.outcome.disposition
        elif state is not None and not reply.end_session:
            attributes[STATE_KEY] = self.machine.to_dict(state)
        builder = self.handler_input.response_builder.speak(reply.speech)
        if reply.card is not None:
            builder.set_card(SimpleCard(title=reply.card.title, content=reply.card.text))
        if reply.end_session:
            builder.set_should_end_session(True)
        else:
            builder.ask(reply.reprompt)
        return builder.response
