"""ask-sdk-core request handlers: one concern each, no medical words.

Each handler maps an Alexa request to a triage transition and picks the reply;
the words come from ``speech``, the rules from ``skill.triage``. When a
request arrives with no triage in progress (a one-shot "ask back pain check
yes", or a session whose state was lost or tampered with), the triage starts
from its first, emergency, question.

Memory (resume, follow-up, forget me) is optional: every handler works the same
when no store is configured or the store fails, only without the offers. Memory
is consulted once per session, right after the emergency questions (never before
them, so a slow or failed store cannot delay them, and a launch never waits on it).
"""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.triage import Answer, Asking, Finished, Outcome
from skill.triage.machine import MAX_MISUNDERSTANDINGS

from .reminders import offer_for as reminder_offer
from .request_log import log_failed
from .turn import FORGOTTEN_KEY, MEMORY_READ_KEY, SINCE_KEY, Offer, Turn, parse_date, pending_offer

log = logging.getLogger(__name__)

ANSWER_INTENTS = {
    "AMAZON.YesIntent": Answer.YES,
    "AMAZON.NoIntent": Answer.NO,
    "UnsureIntent": Answer.UNSURE,
}
EMERGENCY_INTENT = "EmergencyIntent"
DELETE_DATA_INTENT = "DeleteDataIntent"
END_INTENTS = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent")


USER_EVENT = "Alexa.Presentation.APL.UserEvent"


def _intent_in(handler_input: HandlerInput, names) -> bool:
    return is_request_type("IntentRequest")(handler_input) and get_intent_name(handler_input) in names


def answer_of(handler_input: HandlerInput) -> Answer | None:
    """Yes, no or not sure, said (an answer intent) or touched on a screen (``SendEvent ["answer", "yes"]``)."""
    if is_request_type("IntentRequest")(handler_input):
        return ANSWER_INTENTS.get(get_intent_name(handler_input))
    if is_request_type(USER_EVENT)(handler_input):
        arguments = handler_input.request_envelope.request.arguments or []
        if len(arguments) == 2 and arguments[0] == "answer" and arguments[1] in {a.value for a in Answer}:
            return Answer(arguments[1])
    return None


class LaunchHandler(AbstractRequestHandler):
    """'Alexa, open back pain check': the disclaimer and the first emergency question, whatever was remembered."""

    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        return _start(Turn(handler_input))


class EmergencyHandler(AbstractRequestHandler):
    """'I have chest pain', at any moment: the emergency instruction at once."""

    def can_handle(self, handler_input):
        return is_intent_name(EMERGENCY_INTENT)(handler_input)

    def handle(self, handler_input):
        turn = Turn(handler_input)
        return turn.send(turn.speech.outcome(turn.machine.interrupt().outcome))


class OfferAnswerHandler(AbstractRequestHandler):
    """Yes, no or not sure to a question about memory (pick up? still there? remember? forget?).

    "Not sure" takes the careful side: go on question by question rather than skip ahead,
    treat the pain as still there, and store nothing the person did not agree to.
    """

    def can_handle(self, handler_input):
        return answer_of(handler_input) is not None and pending_offer(handler_input) is not None

    def handle(self, handler_input):
        turn = Turn(handler_input)
        answer = answer_of(handler_input)
        yes, unsure = answer is Answer.YES, answer is Answer.UNSURE
        offer = turn.offer
        if offer.kind == "resume":
            return _answer_resume(turn, offer, yes)
        if offer.kind == "follow_up":
            return _answer_follow_up(turn, offer, still_there=yes or unsure)
        if offer.kind == "remember":
            return _answer_remember(turn, offer, yes)
        return _answer_forget(turn, yes)


def _answer_resume(turn: Turn, offer: Offer, yes: bool) -> Response:
    turn.memory.drop_resume()  # used up, whatever the answer
    if turn.state is None:  # an offer without its triage: not one this skill sent
        return _start(turn)
    picked_up = turn.machine.pick_up(turn.state, offer.question) if yes else None
    if picked_up is None:
        return turn.send(turn.speech.carry_on(turn.state), turn.state)
    if isinstance(picked_up, Finished):
        return _outcome(turn, picked_up.outcome)
    return turn.send(turn.speech.picked_up(picked_up), picked_up)


def _answer_follow_up(turn: Turn, offer: Offer, still_there: bool) -> Response:
    if turn.state is None:
        return _start(turn)
    if not still_there:
        return turn.send(turn.speech.pain_gone(), turn.state, offer=Offer("forget"))
    turn.attributes[SINCE_KEY] = offer.since
    floor = turn.machine.pain_persists_floor(parse_date(offer.since), turn.today, offer.outcome)
    state = turn.machine.with_floor(turn.state, floor)
    if isinstance(state, Finished):
        return _outcome(turn, state.outcome)
    return turn.send(turn.speech.still_there(state), state)


def _answer_remember(turn: Turn, offer: Offer, yes: bool) -> Response:
    if yes:
        first_reported = parse_date(offer.since) or turn.today
        saved = turn.may_remember() and turn.memory.keep_follow_up(first_reported, offer.outcome)
        return turn.send(turn.speech.remembered(saved))
    if turn.since is not None:  # a follow-up session: no now means stop checking in
        turn.memory.drop_follow_up()
    return turn.send(turn.speech.not_remembered())


def _answer_forget(turn: Turn, yes: bool) -> Response:
    """The old pain has gone: forget (or keep) what was remembered, and end kindly with the safety net."""
    deleted = None
    if yes:
        turn.attributes[FORGOTTEN_KEY] = True
        deleted = turn.memory.forget_all()
    return turn.send(turn.speech.old_pain_settled(deleted))


class AnswerHandler(AbstractRequestHandler):
    """Yes, no or not sure to the current question, spoken or touched."""

    def can_handle(self, handler_input):
        return answer_of(handler_input) is not None

    def handle(self, handler_input):
        turn = Turn(handler_input)
        if turn.state is None:
            return _start(turn)
        answer = answer_of(handler_input)
        state = turn.machine.answer(turn.state, answer)
        if isinstance(state, Finished):
            unsure = answer is Answer.UNSURE and state.outcome.trigger == turn.state.question
            return _outcome(turn, state.outcome, unsure=unsure)
        if turn.machine.past_emergency_questions(turn.state, state):
            return _after_emergency_questions(turn, state)
        return turn.send(turn.speech.next_question(state), state)


def _after_emergency_questions(turn: Turn, state: Asking) -> Response:
    """The one point where memory is read: offer to pick up an interrupted triage, or check in on old pain.

    Once per session (going back and answering again does not ask twice). A
    store that is missing, failing or empty means simply the next question.
    """
    if turn.attributes.get(MEMORY_READ_KEY) or not turn.may_remember():
        return turn.send(turn.speech.next_question(state), state)
    turn.attributes[MEMORY_READ_KEY] = True
    remembered = turn.memory.recall()
    resume = remembered.resume
    if resume is not None and turn.machine.pick_up(state, resume.question) is not None:
        return turn.send(turn.speech.resume_offer(), state, offer=Offer("resume", question=resume.question))
    follow_up = remembered.follow_up
    if follow_up is not None and follow_up.last_outcome in turn.machine.protocol.ranks:
        days = (turn.today - follow_up.first_reported).days
        offer = Offer("follow_up", since=follow_up.first_reported.isoformat(), outcome=follow_up.last_outcome)
        return turn.send(turn.speech.follow_up_offer(days), state, offer=offer)
    return turn.send(turn.speech.next_question(state), state)


class DeleteDataHandler(AbstractRequestHandler):
    """'Ask back pain check to delete my data': delete everything stored for this person and say so.

    In the middle of a triage the current question follows, so the person can carry on.
    """

    def can_handle(self, handler_input):
        return is_intent_name(DELETE_DATA_INTENT)(handler_input)

    def handle(self, handler_input):
        turn = Turn(handler_input)
        deleted = turn.memory.forget_all()
        turn.attributes[FORGOTTEN_KEY] = True
        turn.attributes.pop(SINCE_KEY, None)
        if turn.state is not None:
            return turn.send(turn.speech.forgotten_then_ask(turn.state, deleted), turn.state)
        return turn.send(turn.speech.forgotten(deleted))


class HelpHandler(AbstractRequestHandler):
    """Explains the current question's terms (or what a memory question means) and keeps the place."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input):
        turn = Turn(handler_input)
        if turn.offer is not None:
            return turn.send(turn.speech.offer_help(turn.offer.kind), turn.state, offer=turn.offer)
        if turn.state is None:  # before any triage (a one-shot "what can you do"): an overview, then start
            return _start(turn, overview=True)
        state = turn.machine.understood(turn.state)
        return turn.send(turn.speech.help(state), state)


class RepeatHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.RepeatIntent")(handler_input)

    def handle(self, handler_input):
        turn = Turn(handler_input)
        if turn.offer is not None:
            return turn.send(turn.speech.offer_again(turn.offer.kind), turn.state, offer=turn.offer)
        if turn.state is None:
            return _start(turn)
        return turn.send(turn.speech.next_question(turn.state), turn.state)


class StartOverHandler(AbstractRequestHandler):
    """From the first question again; a floor from a follow-up stays (starting over cannot lower the outcome)."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.StartOverIntent")(handler_input)

    def handle(self, handler_input):
        turn = Turn(handler_input)
        if turn.state is None:  # a one-shot "start over": as a launch, disclaimer included
            return _start(turn)
        state = turn.machine.start(floor=turn.state.floor)
        if isinstance(state, Finished):
            return _outcome(turn, state.outcome)
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
    """Stop, cancel, or home on a screen device: end, with the safety net (and store nothing)."""

    def can_handle(self, handler_input):
        return _intent_in(handler_input, END_INTENTS)

    def handle(self, handler_input):
        turn = Turn(handler_input)
        return turn.send(turn.speech.goodbye())


class FallbackHandler(AbstractRequestHandler):
    """Anything not understood, including intents this skill does not know.

    Re-asks the question; an emergency question in simpler words, with "if you have any of these, call
    the number now", and never gives up on it; after two misunderstandings in a row elsewhere it stops,
    with the safety net.
    Registered last so that it only sees what no other handler took (a screen event this skill
    did not send counts as not understood too).
    """

    def can_handle(self, handler_input):
        return is_request_type("IntentRequest")(handler_input) or is_request_type(USER_EVENT)(handler_input)

    def handle(self, handler_input):
        turn = Turn(handler_input)
        if turn.offer is not None:
            offer = Offer(**{**turn.offer.to_dict(), "misses": turn.offer.misses + 1})
            if offer.misses >= MAX_MISUNDERSTANDINGS:
                return turn.send(turn.speech.gave_up())
            return turn.send(turn.speech.offer_fallback(offer.kind), turn.state, offer=offer)
        if turn.state is None:
            return _start(turn)
        state = turn.machine.misunderstood(turn.state)
        if turn.machine.gives_up(state):
            return turn.send(turn.speech.gave_up())
        return turn.send(turn.speech.fallback(state, emergency=turn.machine.is_emergency_question(state.question)),
                         state)


class SessionEndedHandler(AbstractRequestHandler):
    """Alexa closed the session (silence, the user left, an error): nothing may be said.

    A triage that stopped past the emergency questions is remembered for an hour,
    as its current question only, so the next session can offer to pick it up
    (after asking the emergency questions again). Ending while that offer was
    waiting keeps the place already remembered.
    """

    def can_handle(self, handler_input):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        reason = getattr(getattr(request, "reason", None), "value", None)
        error = getattr(getattr(getattr(request, "error", None), "object_type", None), "value", None)
        log.info("session ended: reason=%s error=%s", reason, error)
        turn = Turn(handler_input)
        resume_point = turn.machine.resume_point(turn.state)
        offered_resume = turn.offer is not None and turn.offer.kind == "resume"
        if resume_point is not None and not offered_resume and turn.may_remember():
            turn.memory.keep_resume(resume_point)
        return handler_input.response_builder.response


class ErrorHandler(AbstractExceptionHandler):
    """Any failure: say sorry and when to call the emergency number, then end."""

    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        turn = Turn(handler_input)
        response = turn.send(turn.speech.error())
        log_failed(handler_input, exception)
        return response


def _start(turn: Turn, overview: bool = False) -> Response:
    state = turn.machine.start()
    assert isinstance(state, Asking)  # a protocol always has a first question
    return turn.send(turn.speech.overview(state) if overview else turn.speech.launch(state), state)


def _outcome(turn: Turn, outcome: Outcome, unsure: bool = False) -> Response:
    """The disposition; for one that asks the person to wait and watch, one offer: a reminder (see
    reminder_handlers.py) where the request can set one, else to check in next time."""
    if turn.machine.follow_up_worthwhile(outcome) and turn.may_remember():
        kind = reminder_offer(outcome.disposition, turn.handler_input) or "remember"
        offer = Offer(kind, outcome=outcome.disposition, since=turn.attributes.get(SINCE_KEY))
        return turn.send(turn.speech.outcome(outcome, ask_to_remember=True, offer_kind=kind), offer=offer)
    return turn.send(turn.speech.outcome(outcome, unsure=unsure))


REQUEST_HANDLERS = (
    LaunchHandler(),
    EmergencyHandler(),
    OfferAnswerHandler(),
    AnswerHandler(),
    DeleteDataHandler(),
    HelpHandler(),
    RepeatHandler(),
    StartOverHandler(),
    PreviousHandler(),
    StopHandler(),
    SessionEndedHandler(),
    FallbackHandler(),
)
