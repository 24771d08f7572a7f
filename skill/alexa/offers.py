"""Memory's yes/no questions, each with its rows in the conversation table: pick up where we stopped? is the
pain still there? remember this? delete it? (the reminder offer and Alexa's permission answer: ``reminder_handlers``).

An offer is asked at one of two moments: right after the emergency questions (``offer_after_emergency_
questions``: resume, or the check-in on old pain; memory is read only there, once per session) or after a
wait-and-watch outcome (``offer_after_outcome``: one offer per ending). Each is asked in its own turn and
answered by yes, no or not sure, said or touched, or by a statement that answers it ("it's a bit better").
"Not sure" takes the careful side: go on question by question rather than skip ahead, treat the pain as
still there, and keep nothing the person did not agree to.
"""

from __future__ import annotations

from collections.abc import Callable

from ask_sdk_model import Response

from skill.triage import Answer, Asking, Finished, Outcome

from . import intents
from .heard import ANSWER, STATEMENT, Heard
from .launch import start
from .reminders import OFFER_KINDS as REMINDER_OFFERS
from .reminders import offer_for as reminder_offer
from .speech import Reply
from .table import Router
from .turn import FORGOTTEN_KEY, MEMORY_READ_KEY, OFFER_KINDS, SINCE_KEY, Offer, Turn, parse_date

STILL_THERE = intents.OFFER_CONCEPTS[("follow_up", "yes")]
GONE = intents.OFFER_CONCEPTS[("follow_up", "no")]
router = Router()


@router.route("resume", ANSWER)
def resume_answered(turn: Turn, heard: Heard) -> Response:
    """'Would you like to pick up where we left off?': yes jumps ahead (forward only), anything else goes on.

    Either way, a follow-up remembered beside the place keeps its floor (``_kept_floor``): the triage that
    was interrupted went on after "is that pain still there?", so walking away never lowers the outcome.
    """
    turn.memory.drop_resume()  # used up, whatever the answer
    offer = turn.offer
    if turn.state is None or offer is None:  # an offer without its triage: not one this skill sent
        return start(turn)
    state = _kept_floor(turn, turn.state, offer)
    if isinstance(state, Finished):
        return outcome(turn, state.outcome)
    picked_up = turn.machine.pick_up(state, offer.question) if heard.answer is Answer.YES else None
    if picked_up is None:
        return turn.send(turn.speech.carry_on(state), state)
    if isinstance(picked_up, Finished):
        return outcome(turn, picked_up.outcome)
    return turn.send(turn.speech.picked_up(picked_up), picked_up)


def _kept_floor(turn: Turn, state: Asking, offer: Offer) -> Asking | Finished:
    """``state`` with the floor of the follow-up the resume offer carries (pain first reported weeks ago that
    the interrupted session went on with), as "is that pain still there?" would have set it; unchanged
    when it carries none or no floor applies."""
    if offer.since is None:
        return state
    turn.attributes[SINCE_KEY] = offer.since
    floor = turn.machine.pain_persists_floor(parse_date(offer.since) or turn.today, turn.today, offer.outcome)
    return state if floor is None else turn.machine.with_floor(state, floor)


@router.route("follow_up", (ANSWER, STATEMENT))
def follow_up_answered(turn: Turn, heard: Heard) -> Response:
    """'Is that pain still there?': yes (or "it's a bit better") asks the red flags with the follow-up floor;
    no (or "it's gone") offers to delete what was stored."""
    if turn.state is None:
        return start(turn)
    offer = turn.offer
    if offer is None or offer.since is None:  # cannot happen: Offer.restore requires a follow-up's date
        return start(turn)
    sign = heard.sign
    still_there = sign.concept == STILL_THERE if sign is not None else heard.answer is not Answer.NO
    if not still_there:
        return turn.send(turn.speech.pain_gone(), turn.state, offer=Offer("forget"))
    turn.attributes[SINCE_KEY] = offer.since
    floor = turn.machine.pain_persists_floor(parse_date(offer.since) or turn.today, turn.today, offer.outcome)
    state = turn.machine.with_floor(turn.state, floor)
    if isinstance(state, Finished):
        return outcome(turn, state.outcome)
    return turn.send(turn.speech.still_there(state), state)


@router.route("remember", ANSWER)
def remember_answered(turn: Turn, heard: Heard) -> Response:
    """'Would you like me to remember this so I can check in next time?' (where no reminder can be offered)."""
    offer = turn.offer
    if offer is None or offer.outcome is None:  # cannot happen: Offer.restore requires the outcome
        return turn.send(turn.speech.not_remembered())
    if heard.answer is Answer.YES:
        first_reported = parse_date(offer.since) or turn.today
        saved = turn.may_remember() and turn.memory.keep_follow_up(first_reported, offer.outcome)
        return turn.send(turn.speech.remembered(saved))
    if turn.since is not None:  # a follow-up session: no means stop checking in
        turn.memory.drop_follow_up()
    return turn.send(turn.speech.not_remembered())


@router.route("forget", ANSWER)
def forget_answered(turn: Turn, heard: Heard) -> Response:
    """'Would you like me to delete what I stored about it?' after the old pain has gone: then end kindly."""
    deleted = None
    if heard.answer is Answer.YES:
        turn.attributes[FORGOTTEN_KEY] = True
        deleted = turn.memory.forget_all()
    return turn.send(turn.speech.old_pain_settled(deleted))


@router.route(OFFER_KINDS, intents.HELP)
def offer_help(turn: Turn, heard: Heard) -> Response:
    """Help while an offer waits: what the offer means; the offer stays."""
    return _offer_kept(turn, turn.speech.offer_help)


@router.route(OFFER_KINDS, intents.REPEAT)
def offer_again(turn: Turn, heard: Heard) -> Response:
    """Repeat while an offer waits: the offer again; the offer stays."""
    return _offer_kept(turn, turn.speech.offer_again)


def _offer_kept(turn: Turn, words: Callable[[str], Reply]) -> Response:
    """``words`` for the waiting offer's kind, the offer kept for its answer."""
    offer = turn.offer
    if offer is None:  # cannot happen at an offer's moment
        return start(turn)
    return turn.send(words(offer.kind), turn.state, offer=offer)


def offer_after_emergency_questions(turn: Turn, state: Asking) -> Response | None:
    """The one point where memory is read: offer to pick up an interrupted triage, or check in on old pain.

    Once per session (going back and answering again does not ask twice). A store that is missing, failing
    or empty means no offer: None, and the caller asks the next question.
    """
    if turn.attributes.get(MEMORY_READ_KEY) or not turn.may_remember():
        return None
    turn.attributes[MEMORY_READ_KEY] = True
    remembered = turn.memory.recall()
    resume, follow_up = remembered.resume, remembered.follow_up
    if follow_up is not None and follow_up.last_outcome not in turn.machine.protocol.ranks:
        follow_up = None
    since = follow_up.first_reported.isoformat() if follow_up is not None else None
    last = follow_up.last_outcome if follow_up is not None else None
    if resume is not None and turn.machine.pick_up(state, resume.question) is not None:
        # the follow-up rides along: the interrupted triage had it, and its floor stays (resume_answered)
        offer = Offer("resume", question=resume.question, since=since, outcome=last)
        return turn.send(turn.speech.resume_offer(), state, offer=offer)
    if follow_up is not None:
        days = (turn.today - follow_up.first_reported).days
        return turn.send(turn.speech.follow_up_offer(days), state, offer=Offer("follow_up", since=since, outcome=last))
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
