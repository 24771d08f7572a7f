"""Memory's yes/no questions, each with its own handler: pick up where we stopped? is the pain still there?
remember this? delete it? (the reminder offer and Alexa's permission answer: ``reminder_handlers``).

An offer is asked at one of two moments: right after the emergency questions (``offer_after_emergency_
questions``: resume, or the check-in on old pain; memory is read only there, once per session) or after a
wait-and-watch outcome (``offer_after_outcome``: one offer per ending). Each is asked in its own turn and
answered by yes, no or not sure, said or touched, or by a statement that answers it ("it's a bit better").
"Not sure" takes the careful side: go on question by question rather than skip ahead, treat the pain as
still there, and keep nothing the person did not agree to.
"""

from __future__ import annotations

from typing import cast

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.triage import Answer, Asking, Finished, Outcome

from . import intents
from .heard import answer_of, sign_of
from .reminders import OFFER_KINDS as REMINDER_OFFERS
from .reminders import offer_for as reminder_offer
from .turn import FORGOTTEN_KEY, MEMORY_READ_KEY, SINCE_KEY, Offer, Turn, parse_date, turn_of

STILL_THERE = intents.OFFER_CONCEPTS[("follow_up", "yes")]
GONE = intents.OFFER_CONCEPTS[("follow_up", "no")]


def offered(kind: str):
    """``can_handle`` for an answer (yes, no or not sure, said or touched) to the offer ``kind``."""
    def can_handle(handler_input: HandlerInput) -> bool:
        return turn_of(handler_input).offer_kind == kind and answer_of(handler_input) is not None
    return can_handle


class ResumeOfferHandler(AbstractRequestHandler):
    """'Would you like to pick up where we left off?': yes jumps ahead (forward only), anything else goes on."""

    def can_handle(self, handler_input):
        return offered("resume")(handler_input)

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        turn.memory.drop_resume()  # used up, whatever the answer
        if turn.state is None:  # an offer without its triage: not one this skill sent
            return start(turn)
        yes = answer_of(handler_input) is Answer.YES
        picked_up = turn.machine.pick_up(turn.state, turn.offer.question) if yes and turn.offer else None
        if picked_up is None:
            return turn.send(turn.speech.carry_on(turn.state), turn.state)
        if isinstance(picked_up, Finished):
            return outcome(turn, picked_up.outcome)
        return turn.send(turn.speech.picked_up(picked_up), picked_up)


class FollowUpOfferHandler(AbstractRequestHandler):
    """'Is that pain still there?': yes (or "it's a bit better") asks the red flags with the follow-up floor;
    no (or "it's gone") offers to delete what was stored."""

    def can_handle(self, handler_input):
        if offered("follow_up")(handler_input):
            return True
        sign = sign_of(handler_input)
        return sign is not None and sign.concept in (STILL_THERE, GONE) \
            and turn_of(handler_input).offer_kind == "follow_up"

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        if turn.state is None:
            return start(turn)
        offer = turn.offer
        if offer is None or offer.since is None:  # cannot happen: Offer.restore requires a follow-up's date
            return start(turn)
        sign = sign_of(handler_input)
        still_there = sign.concept == STILL_THERE if sign is not None else answer_of(handler_input) is not Answer.NO
        if not still_there:
            return turn.send(turn.speech.pain_gone(), turn.state, offer=Offer("forget"))
        turn.attributes[SINCE_KEY] = offer.since
        floor = turn.machine.pain_persists_floor(parse_date(offer.since) or turn.today, turn.today, offer.outcome)
        state = turn.machine.with_floor(turn.state, floor)
        if isinstance(state, Finished):
            return outcome(turn, state.outcome)
        return turn.send(turn.speech.still_there(state), state)


class RememberOfferHandler(AbstractRequestHandler):
    """'Would you like me to remember this so I can check in next time?' (where no reminder can be offered)."""

    def can_handle(self, handler_input):
        return offered("remember")(handler_input)

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        offer = turn.offer
        if offer is None or offer.outcome is None:  # cannot happen: Offer.restore requires the outcome
            return turn.send(turn.speech.not_remembered())
        if answer_of(handler_input) is Answer.YES:
            first_reported = parse_date(offer.since) or turn.today
            saved = turn.may_remember() and turn.memory.keep_follow_up(first_reported, offer.outcome)
            return turn.send(turn.speech.remembered(saved))
        if turn.since is not None:  # a follow-up session: no means stop checking in
            turn.memory.drop_follow_up()
        return turn.send(turn.speech.not_remembered())


class ForgetOfferHandler(AbstractRequestHandler):
    """'Would you like me to delete what I stored about it?' after the old pain has gone: then end kindly."""

    def can_handle(self, handler_input):
        return offered("forget")(handler_input)

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        deleted = None
        if answer_of(handler_input) is Answer.YES:
            turn.attributes[FORGOTTEN_KEY] = True
            deleted = turn.memory.forget_all()
        return turn.send(turn.speech.old_pain_settled(deleted))


class OfferHelpHandler(AbstractRequestHandler):
    """Help or repeat while an offer waits: what the offer means, or the offer again; the offer stays."""

    def can_handle(self, handler_input):
        return (is_intent_name(intents.HELP)(handler_input) or is_intent_name(intents.REPEAT)(handler_input)) \
            and turn_of(handler_input).offer is not None

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        offer = turn.offer
        if offer is None:  # cannot happen after can_handle
            return start(turn)
        if is_intent_name(intents.HELP)(handler_input):
            return turn.send(turn.speech.offer_help(offer.kind), turn.state, offer=offer)
        return turn.send(turn.speech.offer_again(offer.kind), turn.state, offer=offer)


def offer_after_emergency_questions(turn: Turn, state: Asking) -> Response | None:
    """The one point where memory is read: offer to pick up an interrupted triage, or check in on old pain.

    Once per session (going back and answering again does not ask twice). A store that is missing, failing
    or empty means no offer: None, and the caller asks the next question.
    """
    if turn.attributes.get(MEMORY_READ_KEY) or not turn.may_remember():
        return None
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
    return None


OUTCOME_OFFERS = ("remember", *REMINDER_OFFERS)  # the offers that follow advice already given


def offer_after_outcome(turn: Turn, result: Outcome) -> Response | None:
    """For an outcome that asks the person to wait and watch, the one offer of this ending: a reminder
    (``reminder_handlers``) where this request can set one, else to check in next time. None: no offer."""
    if not (turn.machine.follow_up_worthwhile(result) and turn.may_remember()):
        return None
    kind = reminder_offer(result.disposition, turn.handler_input) or "remember"
    offer = Offer(kind, outcome=result.disposition, since=turn.attributes.get(SINCE_KEY))
    return turn.send(turn.speech.outcome(result, ask_to_remember=True, offer_kind=kind), offer=offer)


def outcome(turn: Turn, result: Outcome, unsure: bool = False) -> Response:
    """The disposition; for one that asks the person to wait and watch, one offer (``offer_after_outcome``)."""
    return offer_after_outcome(turn, result) or turn.send(turn.speech.outcome(result, unsure=unsure))


def first_question(turn: Turn) -> Asking:
    """The first question: the loader refuses a protocol without one (and a start has no floor to end it)."""
    return cast(Asking, turn.machine.start())


def start(turn: Turn, overview: bool = False) -> Response:
    """The disclaimer and the first, emergency, question (with an overview of the skill, when asked for)."""
    state = first_question(turn)
    return turn.send(turn.speech.overview(state) if overview else turn.speech.launch(state), state)


OFFER_HANDLERS = (ResumeOfferHandler(), FollowUpOfferHandler(), RememberOfferHandler(), ForgetOfferHandler(),
                  OfferHelpHandler())
