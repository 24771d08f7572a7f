"""ask-sdk-core request handlers: one concern each, no medical words.

Each handler maps an Alexa request to a triage transition and picks the reply;
the words come from ``speech``, the rules from ``skill.triage``. When a
request arrives with no triage in progress (a one-shot "ask back pain check
yes", or a session whose state was lost or tampered with), the triage starts
from its first, emergency, question.
"""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.triage import Answer

from .turn import Turn

log = logging.getLogger(__name__)

ANSWER_INTENTS = {
    "AMAZON.YesIntent": Answer.YES,
    "AMAZON.NoIntent": Answer.NO,
    "UnsureIntent": Answer.UNSURE,
}
EMERGENCY_INTENT = "EmergencyIntent"
END_INTENTS = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent")


def _intent_in(handler_input: HandlerInput, names) -> bool:
    return is_request_type("IntentRequest")(handler_input) and get_intent_name(handler_input) in names


class LaunchHandler(AbstractRequestHandler):
    """'Alexa, open back pain check': what the skill does, the disclaimer, the first question."""

    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        turn = Turn(handler_input)
        state = turn.machine.start()
        return turn.send(turn.speech.launch(state), state)


class EmergencyHandler(AbstractRequestHandler):
    """'I have chest pain', at any moment: the emergency instruction at once."""

    def can_handle(self, handler_input):
        return is_intent_name(EMERGENCY_INTENT)(handler_input)

    def handle(self, handler_input):
        turn = Turn(handler_input)
        state = turn.machine.interrupt(turn.state)
        return turn.send(turn.speech.outcome(state.outcome))


class AnswerHandler(AbstractRequestHandler):
    """Yes, no or not sure to the current question."""

    def can_handle(self, handler_input):
        return _intent_in(handler_input, ANSWER_INTENTS)

    def handle(self, handler_input):
        turn = Turn(handler_input)
        if turn.state is None:
            return _start(turn)
        answer = ANSWER_INTENTS[get_intent_name(handler_input)]
        state = turn.machine.answer(turn.state, answer)
        if state.finished:
            return turn.send(turn.speech.outcome(state.outcome))
        return turn.send(turn.speech.next_question(state), state)


class HelpHandler(AbstractRequestHandler):
    """Explains the current question's terms and keeps the place."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input):
        turn = Turn(handler_input)
        state = turn.machine.understood(turn.state) if turn.state else turn.machine.start()
        return turn.send(turn.speech.help(state), state)


class RepeatHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.RepeatIntent")(handler_input)

    def handle(self, handler_input):
        turn = Turn(handler_input)
        if turn.state is None:
            return _start(turn)
        return turn.send(turn.speech.next_question(turn.state), turn.state)


class StartOverHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.StartOverIntent")(handler_input)

    def handle(self, handler_input):
        turn = Turn(handler_input)
        state = turn.machine.start()
        return turn.send(turn.speech.start_over(state), state)


class PreviousHandler(AbstractRequestHandler):
    """'Go back': ask the previous question again so the answer can change."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.PreviousIntent")(handler_input)

    def handle(self, handler_input):
        turn = Turn(handler_input)
        if turn.state is None:
            return _start(turn)
        state, moved = turn.machine.back(turn.state)
        return turn.send(turn.speech.went_back(state, moved), state)


class StopHandler(AbstractRequestHandler):
    """Stop, cancel, or home on a screen device: end, with the safety net."""

    def can_handle(self, handler_input):
        return _intent_in(handler_input, END_INTENTS)

    def handle(self, handler_input):
        turn = Turn(handler_input)
        return turn.send(turn.speech.goodbye())


class FallbackHandler(AbstractRequestHandler):
    """Anything not understood, including intents this skill does not know.

    Re-asks the question; after two misunderstandings in a row it stops, with the safety net.
    Registered last so that it only sees what no other handler took.
    """

    def can_handle(self, handler_input):
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input):
        turn = Turn(handler_input)
        if turn.state is None:
            return _start(turn)
        state = turn.machine.misunderstood(turn.state)
        if turn.machine.should_give_up(state):
            return turn.send(turn.speech.gave_up())
        return turn.send(turn.speech.fallback(state), state)


class SessionEndedHandler(AbstractRequestHandler):
    """Alexa closed the session (silence, the user left, an error): nothing may be said."""

    def can_handle(self, handler_input):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        reason = getattr(getattr(request, "reason", None), "value", None)
        error = getattr(getattr(getattr(request, "error", None), "object_type", None), "value", None)
        log.info("session ended: reason=%s error=%s", reason, error)
        return handler_input.response_builder.response


class ErrorHandler(AbstractExceptionHandler):
    """Any failure: say sorry and when to call the emergency number, then end."""

    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        log.error("request failed: %s", type(exception).__name__)
        turn = Turn(handler_input)
        return turn.send(turn.speech.error())


def _start(turn: Turn) -> Response:
    state = turn.machine.start()
    return turn.send(turn.speech.launch(state), state)


REQUEST_HANDLERS = (
    LaunchHandler(),
    EmergencyHandler(),
    AnswerHandler(),
    HelpHandler(),
    RepeatHandler(),
    StartOverHandler(),
    PreviousHandler(),
    StopHandler(),
    SessionEndedHandler(),
    FallbackHandler(),
)
