"""ask-sdk-core request handlers for the triage: one moment of the conversation each, no medical words.

Each handler says in ``can_handle`` which moment it owns and maps the request to
a triage transition; the words come from ``speech``, the rules from
``skill.triage``, the request's state from the ``Turn`` the loader read once
(``turn_of``). Memory offers have their own handlers (``offers.py``,
``reminder_handlers.py``). When a request arrives with no triage in progress (a
one-shot "ask back pain check ...", or a session whose state was lost or
tampered with), the triage starts from its first, emergency, question.

Memory is consulted once per session, right after the emergency questions
(never before them, so a slow or failed store cannot delay them).
"""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.triage import Answer, Asking, Finished

from . import intents
from .heard import USER_EVENT, answer_of, intent_name, sign_of, unmatched_words
from .offers import (
    OFFER_HANDLERS,
    OUTCOME_OFFERS,
    Offer,
    first_question,
    offer_after_emergency_questions,
    outcome,
    start,
)
from .own_words import Spotted, spotter_for
from .request_log import log_failed
from .turn import FORGOTTEN_KEY, SINCE_KEY, Turn, turn_of

log = logging.getLogger(__name__)

END_INTENTS = (intents.STOP, intents.CANCEL, intents.NAVIGATE_HOME)


def _no_offer(handler_input: HandlerInput) -> bool:
    return turn_of(handler_input).offer is None


class LaunchHandler(AbstractRequestHandler):
    """'Alexa, open back pain check': the disclaimer and the first emergency question, whatever was remembered."""

    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        return start(turn_of(handler_input))


class EmergencyHandler(AbstractRequestHandler):
    """'Call an ambulance', 'I think I'm dying', at any moment: the emergency instruction at once."""

    def can_handle(self, handler_input):
        return is_intent_name(intents.EMERGENCY)(handler_input)

    def handle(self, handler_input):
        return interrupted(turn_of(handler_input))


class SignHandler(AbstractRequestHandler):
    """A sign said in the person's own words, there ("I fell off a ladder") or not ("no fever").

    The current question's sign answers it; another sign is recorded and not asked again; an emergency
    sign is an emergency at any moment; a denial is only ever a no, and only to the question being asked
    when that question is about that one sign (otherwise the question is asked again, yes or no). With no
    triage in progress (a one-shot "tell back pain check I fell") the triage starts, emergency questions
    first, with the sign recorded.
    """

    def can_handle(self, handler_input):
        sign = sign_of(handler_input)
        return sign is not None and turn_of(handler_input).machine.protocol.has_question(sign.concept)

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        sign = sign_of(handler_input)
        if sign is None:  # cannot happen after can_handle; start safely rather than fail
            return start(turn)
        return told(turn, sign.concept, sign.present)


class OwnWordsHandler(AbstractRequestHandler):
    """Words Alexa could not match that name an emergency ("a truck slammed into my car"), in a SignIntent or a
    NoSignIntent (a denial is never one): the emergency instruction at once, at any moment. Words that name
    none go on to the fallback (``own_words``)."""

    def can_handle(self, handler_input):
        return _spotted(handler_input) is not None

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        spotted = _spotted(handler_input)
        if spotted is None or spotted.concept is None:
            return interrupted(turn)
        return told(turn, spotted.concept, present=True)


def _spotted(handler_input: HandlerInput) -> Spotted | None:
    """An emergency in the words of a SignIntent or NoSignIntent that Alexa could not match (``own_words``)."""
    unmatched = unmatched_words(handler_input)
    if unmatched is None:
        return None
    return spotter_for(turn_of(handler_input).speech.text.locale).emergency(unmatched.words, unmatched.after_denial)


def told(turn: Turn, concept: str, present: bool) -> Response:
    """A sign the person named, there or not, whatever was being asked."""
    started = turn.state is None
    state = turn.state or first_question(turn)
    result = turn.machine.tell(state, concept, present)
    if isinstance(result, Finished):
        return outcome(turn, result.outcome)
    if _after_advice(turn) and result != state:
        # A new sign after the advice was given: the advice may no longer fit, so the offer is dropped and
        # the questions start again, emergency ones first, with the sign recorded.
        return turn.send(turn.speech.noted_then_ask(result), result)
    if turn.offer is not None:  # recorded; the offer still waits for its yes or no
        return turn.send(turn.speech.noted_then_offer(turn.offer.kind), result, offer=turn.offer)
    if started:
        return turn.send(turn.speech.launch(result, noted=result != state), result)
    if result == state:  # a denial that answers nothing ("I don't have chest pain"): ask it as a whole
        return turn.send(turn.speech.check(state), state)
    if result.question == state.question and concept != state.question:
        return turn.send(turn.speech.noted_then_ask(result), result)
    return next_question(turn, state, result)


class AnswerHandler(AbstractRequestHandler):
    """Yes, no or not sure to the current question, spoken or touched."""

    def can_handle(self, handler_input):
        return answer_of(handler_input) is not None and _no_offer(handler_input)

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        if turn.state is None:
            return start(turn)
        answer = answer_of(handler_input)
        if answer is None:  # cannot happen after can_handle
            return turn.send(turn.speech.next_question(turn.state), turn.state)
        state = turn.machine.answer(turn.state, answer)
        if isinstance(state, Finished):
            unsure = answer is Answer.UNSURE and state.outcome.trigger == turn.state.question
            return outcome(turn, state.outcome, unsure=unsure)
        if state.clarifying and not turn.state.clarifying:  # a first "not sure" where an example settles it
            return turn.send(turn.speech.clarify(state), state)
        return next_question(turn, turn.state, state)


class DeleteDataHandler(AbstractRequestHandler):
    """'Ask back pain check to delete my data': delete everything stored for this person and say so.

    In the middle of a triage the current question follows, so the person can carry on.
    """

    def can_handle(self, handler_input):
        return is_intent_name(intents.DELETE_DATA)(handler_input)

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        deleted = turn.memory.forget_all()
        turn.attributes[FORGOTTEN_KEY] = True
        turn.attributes.pop(SINCE_KEY, None)
        if turn.state is not None:
            return turn.send(turn.speech.forgotten_then_ask(turn.state, deleted), turn.state)
        return turn.send(turn.speech.forgotten(deleted))


class HelpHandler(AbstractRequestHandler):
    """Explains the current question's terms and keeps the place; before any triage, what the skill does."""

    def can_handle(self, handler_input):
        return is_intent_name(intents.HELP)(handler_input) and _no_offer(handler_input)

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        if turn.state is None:  # a one-shot "what can you do": an overview, then the first question
            return start(turn, overview=True)
        state = turn.machine.understood(turn.state)
        return turn.send(turn.speech.help(state), state)


class RepeatHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name(intents.REPEAT)(handler_input) and _no_offer(handler_input)

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        if turn.state is None:
            return start(turn)
        return turn.send(turn.speech.next_question(turn.state), turn.state)


class StartOverHandler(AbstractRequestHandler):
    """From the first question again, disclaimer included; a follow-up's floor stays (it never lowers it)."""

    def can_handle(self, handler_input):
        return is_intent_name(intents.START_OVER)(handler_input)

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        if turn.state is None:  # a one-shot "start over": as a launch
            return start(turn)
        state = turn.machine.start(floor=turn.state.floor)
        if isinstance(state, Finished):
            return outcome(turn, state.outcome)
        return turn.send(turn.speech.start_over(state), state)


class PreviousHandler(AbstractRequestHandler):
    """'Go back': ask the last question again so the answer can change (signs said unprompted stay); a
    memory offer that was waiting is left, as the person chose the questions over it."""

    def can_handle(self, handler_input):
        return is_intent_name(intents.PREVIOUS)(handler_input)

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        if turn.state is None:
            return start(turn)
        state, moved = turn.machine.back(turn.state)
        return turn.send(turn.speech.went_back(state, moved), state)


class StopHandler(AbstractRequestHandler):
    """Stop, cancel, or home on a screen device: end, with the safety net (and store nothing). At the offer
    after advice, the advice said the safety net a turn ago: it is said once per ending."""

    def can_handle(self, handler_input):
        return intent_name(handler_input) in END_INTENTS

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        return turn.send(turn.speech.goodbye(after_advice=_after_advice(turn)))


def _after_advice(turn: Turn) -> bool:
    """The offer that follows an outcome is waiting: the outcome, with its safety net, was the turn before."""
    return turn.offer is not None and turn.offer.kind in OUTCOME_OFFERS


class FallbackHandler(AbstractRequestHandler):
    """Anything not understood: an intent this skill does not know, a sign it could not match, a stray touch.

    Re-asks the question; an emergency question in simpler words, with "if you have any of these, call the
    number now", and never gives up on it; after two misunderstandings in a row elsewhere it stops, with the
    safety net. Registered last, so it only sees what no other handler took.
    """

    def can_handle(self, handler_input):
        return is_request_type("IntentRequest")(handler_input) or is_request_type(USER_EVENT)(handler_input)

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        if turn.offer is not None:
            return _offer_not_understood(turn, turn.offer)
        if turn.state is None:
            return start(turn)
        state = turn.machine.misunderstood(turn.state)
        if turn.machine.gives_up(state):
            so_far = turn.machine.so_far(state)  # a red flag already said still gets its advice
            if so_far is not None:
                return turn.send(turn.speech.outcome(so_far, lead="misunderstood_so_far"))
            return turn.send(turn.speech.gave_up())
        emergency = turn.machine.is_emergency_question(state.question)
        return turn.send(turn.speech.fallback(state, emergency=emergency), state)


def _offer_not_understood(turn: Turn, offer: Offer) -> Response:
    missed = offer.missed()
    if missed is None:
        return turn.send(turn.speech.gave_up(after_advice=_after_advice(turn)))
    return turn.send(turn.speech.offer_fallback(offer.kind), turn.state, offer=missed)


class SessionEndedHandler(AbstractRequestHandler):
    """Alexa closed the session (silence, the user left, an error): nothing may be said.

    A triage that stopped past the emergency questions with every answer no is remembered for an hour, as
    its current question only, so the next session can offer to pick it up (after asking the emergency
    questions again). Ending while that offer was waiting keeps the place already remembered.
    """

    def can_handle(self, handler_input):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        reason = getattr(getattr(request, "reason", None), "value", None)
        error = getattr(getattr(getattr(request, "error", None), "object_type", None), "value", None)
        log.info("session ended: reason=%s error=%s", reason, error)
        turn = turn_of(handler_input)
        resume_point = turn.machine.resume_point(turn.state)
        if resume_point is not None and turn.offer_kind != "resume" and turn.may_remember():
            turn.memory.keep_resume(resume_point)
        return handler_input.response_builder.response


class ErrorHandler(AbstractExceptionHandler):
    """Any failure: say sorry and when to call the emergency number, then end."""

    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        turn = turn_of(handler_input)
        response = turn.send(turn.speech.error())
        log_failed(handler_input, exception)
        return response


def interrupted(turn: Turn) -> Response:
    """An emergency said at any moment: the emergency instruction at once."""
    return turn.send(turn.speech.outcome(turn.machine.interrupt().outcome))


def next_question(turn: Turn, before: Asking, state: Asking) -> Response:
    """The next question, or, the moment the emergency questions are behind, what memory has to offer."""
    if turn.machine.past_emergency_questions(before, state):
        offered = offer_after_emergency_questions(turn, state)
        if offered is not None:
            return offered
    return turn.send(turn.speech.next_question(state), state)


REQUEST_HANDLERS = (
    LaunchHandler(),
    EmergencyHandler(),
    *OFFER_HANDLERS,
    SignHandler(),
    AnswerHandler(),
    DeleteDataHandler(),
    HelpHandler(),
    RepeatHandler(),
    StartOverHandler(),
    PreviousHandler(),
    StopHandler(),
    SessionEndedHandler(),
)
LAST_HANDLERS = (OwnWordsHandler(), FallbackHandler())  # what no handler above understood
