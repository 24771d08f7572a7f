"""The triage's moves: rows of the conversation table.

Each move answers one (moment, heard) row of the table (``table``; moments in
``turn``, what was heard in ``heard``) by a triage transition; the words come from
``speech``, the rules from ``skill.triage``, the request's state from the ``Turn``
the loader read once (``turn_of``). Memory offers add their own rows (``offers.py``,
``reminder_handlers.py``); ``conversation`` includes them all. When a request
arrives with no triage in progress (``idle``: a one-shot "ask back pain check ...",
or a session whose state was lost or tampered with), the triage starts from its
first, emergency, question.

Memory is consulted once per session, right after the emergency questions
(never before them, so a slow or failed store cannot delay them).
"""

from __future__ import annotations

from ask_sdk_model import Response

from skill.triage import Answer, Asking, Finished

from . import intents
from .heard import ANSWER, DENIAL, SIGN, SPOTTED, Heard
from .launch import first_question, start
from .offers import OUTCOME_OFFERS, Offer, offer_after_emergency_questions, outcome
from .table import ANY, Router
from .turn import ASKING, FORGOTTEN_KEY, IDLE, SINCE_KEY, Turn

END_INTENTS = (intents.STOP, intents.CANCEL, intents.NAVIGATE_HOME)
router = Router()


@router.route(ANY, intents.EMERGENCY)
def emergency(turn: Turn, heard: Heard) -> Response:
    """'Call an ambulance', 'I think I'm dying', at any moment: the emergency instruction at once."""
    return interrupted(turn)


@router.route(ANY, SIGN)
def sign(turn: Turn, heard: Heard) -> Response:
    """A sign said in the person's own words, there ("I fell off a ladder") or not ("no fever").

    The current question's sign answers it; another sign is recorded and not asked again; an emergency
    sign is an emergency at any moment; a denial is only ever a no, and only to the question being asked
    when that question is about that one sign (otherwise the question is asked again, yes or no). With no
    triage in progress (a one-shot "tell back pain check I fell") the triage starts, emergency questions
    first, with the sign recorded.
    """
    said = heard.sign
    if said is None:  # cannot happen in this row; start safely rather than fail
        return start(turn)
    return told(turn, said.concept, said.present)


@router.route(ANY, SPOTTED)
def own_words(turn: Turn, heard: Heard) -> Response:
    """Words Alexa could not match that name an emergency ("a truck slammed into my car"), in a SignIntent or a
    NoSignIntent (a denial is never one): the emergency instruction at once, at any moment. Words that name
    none are not understood (the fallback row; ``own_words``)."""
    spotted = heard.spotted
    if spotted is None or spotted.concept is None:
        return interrupted(turn)
    return told(turn, spotted.concept, present=True)


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
        return turn.send(turn.speech.launch(result, noted=result != state, again=turn.refused), result)
    if result == state:  # a denial that answers nothing ("I don't have chest pain"): ask it as a whole
        return _check(turn, state)
    if result.question == state.question and concept != state.question:
        return turn.send(turn.speech.noted_then_ask(result), result)
    return next_question(turn, state, result)


@router.route(ASKING, DENIAL)
def unclear_denial(turn: Turn, heard: Heard) -> Response:
    """Words that deny something the skill could not make out ("my breathing's grand, no bother"): thanks, and
    the question as a whole again, yes or no. Nothing is recorded; elsewhere it is not understood."""
    if turn.state is None:
        return start(turn)
    return _check(turn, turn.state)


def _check(turn: Turn, state: Asking) -> Response:
    """The whole question again, yes or no, after a denial that did not answer it."""
    return turn.send(turn.speech.check(state), state)


@router.route(IDLE, (ANSWER, intents.REPEAT))
def idle_start(turn: Turn, heard: Heard) -> Response:
    """An answer or 'repeat' with no triage in progress: the disclaimer and the first question."""
    return start(turn)


@router.route(ASKING, ANSWER)
def answer(turn: Turn, heard: Heard) -> Response:
    """Yes, no or not sure to the current question, spoken or touched."""
    if turn.state is None:
        return start(turn)
    said = heard.answer
    if said is None:  # cannot happen in this row
        return turn.send(turn.speech.next_question(turn.state), turn.state)
    state = turn.machine.answer(turn.state, said)
    if isinstance(state, Finished):
        unsure = said is Answer.UNSURE and state.outcome.trigger == turn.state.question
        return outcome(turn, state.outcome, unsure=unsure)
    if state.clarifying and not turn.state.clarifying:  # a first "not sure" where an example settles it
        return turn.send(turn.speech.clarify(state), state)
    return next_question(turn, turn.state, state)


@router.route(ANY, intents.DELETE_DATA)
def delete_data(turn: Turn, heard: Heard) -> Response:
    """'Ask back pain check to delete my data': delete everything stored for this person and say so.

    In the middle of a triage the current question follows, so the person can carry on.
    """
    deleted = turn.memory.forget_all()
    turn.attributes[FORGOTTEN_KEY] = True
    turn.attributes.pop(SINCE_KEY, None)
    if turn.state is not None:
        return turn.send(turn.speech.forgotten_then_ask(turn.state, deleted), turn.state)
    return turn.send(turn.speech.forgotten(deleted))


@router.route(IDLE, intents.HELP)
def overview(turn: Turn, heard: Heard) -> Response:
    """A one-shot "what can you do": an overview, then the first question."""
    return start(turn, overview=True)


@router.route(ASKING, intents.HELP)
def help_(turn: Turn, heard: Heard) -> Response:
    """Explains the current question's terms and keeps the place."""
    if turn.state is None:
        return start(turn, overview=True)
    state = turn.machine.understood(turn.state)
    return turn.send(turn.speech.help(state), state)


@router.route(ASKING, intents.REPEAT)
def repeat(turn: Turn, heard: Heard) -> Response:
    if turn.state is None:
        return start(turn)
    return turn.send(turn.speech.next_question(turn.state), turn.state)


@router.route(ANY, intents.START_OVER)
def start_over(turn: Turn, heard: Heard) -> Response:
    """From the first question again, disclaimer included; a follow-up's floor stays (it never lowers it)."""
    if turn.state is None:  # a one-shot "start over": as a launch
        return start(turn)
    state = turn.machine.start(floor=turn.state.floor)
    if isinstance(state, Finished):
        return outcome(turn, state.outcome)
    return turn.send(turn.speech.start_over(state), state)


@router.route(ANY, intents.PREVIOUS)
def previous(turn: Turn, heard: Heard) -> Response:
    """'Go back': ask the last question again so the answer can change (signs said unprompted stay); a
    memory offer that was waiting is left, as the person chose the questions over it."""
    if turn.state is None:
        return start(turn)
    state, moved = turn.machine.back(turn.state)
    return turn.send(turn.speech.went_back(state, moved), state)


@router.route(ANY, END_INTENTS)
def stop(turn: Turn, heard: Heard) -> Response:
    """Stop, cancel, or home on a screen device: end, with the safety net (and store nothing). At the offer
    after advice, the advice said the safety net a turn ago: it is said once per ending."""
    return turn.send(turn.speech.goodbye(after_advice=_after_advice(turn)))


def _after_advice(turn: Turn) -> bool:
    """The offer that follows an outcome is waiting: the outcome, with its safety net, was the turn before."""
    return turn.offer is not None and turn.offer.kind in OUTCOME_OFFERS


@router.route(ANY, ANY)
def fallback(turn: Turn, heard: Heard) -> Response:
    """The fallback row: anything not understood (an intent this skill does not know, a sign or words it could
    not use, a stray touch), and any intent with no row for this moment.

    Re-asks the question; an emergency question in simpler words, with "if you have any of these, call the
    number now", and never gives up on it; after two misunderstandings in a row elsewhere it stops, with the
    safety net.
    """
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
