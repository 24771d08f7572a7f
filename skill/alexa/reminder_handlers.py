"""The reminder offer's answer (a row of the conversation table) and Alexa's answer about the permission (for an
SDK handler, ``conversation.PermissionAnswerHandler``, as a ``Connections.Response`` is not something the person
said): no medical words.

After routine or self-care advice the outcome ends with one question (see
``offers.outcome``): "Would you like a reminder in two weeks to check how
your back feels?" (after routine advice: three days, to make the appointment).
One yes does two things the person can hear about: the skill keeps the
follow-up (to ask "is that pain still there?" next time) and Alexa sets the
reminder. No, not sure, stop or silence keep nothing.

- The permission is there: the reminder is created now, within a second.
- It is not: Alexa is asked to ask for it by voice (``Connections.SendRequest``
  "AskFor"); its answer comes back as a ``Connections.Response`` (accepted: the
  reminder is created; denied or not answered: none). Where Alexa cannot ask by
  voice, the ``AskForPermissionsConsent`` card goes to the Alexa app instead.

Every ending says what happened, plainly (a failed API call included), and
not the safety net: the outcome said it, once per ending
(``SpeechBuilder._closing``). A reminder is created only when its alert token
can be kept, so "delete my data" can always delete it. The directive's token
names the reminder, because the answer may come back in a new session.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.triage import Answer

from . import permissions, reminders
from .heard import ANSWER, Heard
from .launch import first_question, start
from .table import Router
from .turn import Turn, parse_date, safe_locale, turn_of

# the AskFor directive's token, echoed back by Alexa: this prefix and the reminder offer's kind (not a secret: B105)
TOKEN_PREFIX = "back-pain-check:"  # nosec B105
CHECK_IN = "reminder_check_in"  # said whenever the follow-up was kept
router = Router()


@router.route(reminders.OFFER_KINDS, ANSWER)
def reminder_answered(turn: Turn, heard: Heard) -> Response:
    """Yes, no or not sure (said or touched) to "Would you like a reminder ...?"."""
    offer = turn.offer
    if offer is None or offer.outcome is None or heard.answer is not Answer.YES:
        if turn.since is not None:  # a follow-up session: no means stop checking in
            turn.memory.drop_follow_up()
        return turn.send(turn.speech.reminder_end("reminder_declined"))
    first_reported = parse_date(offer.since) or turn.today
    if not (turn.may_remember() and turn.memory.keep_follow_up(first_reported, offer.outcome)):
        return turn.send(turn.speech.reminder_end("reminder_failed"))  # its token could not be kept either
    if permissions.reminders_granted(turn.handler_input):
        return set_reminder(turn, offer.kind)
    return turn.hand_over(permissions.ask_for_reminders(token=TOKEN_PREFIX + offer.kind))


def permission_answered(handler_input: HandlerInput) -> Response:
    """Alexa's ``Connections.Response`` after asking for the reminders permission: set it, or say why not
    (``conversation.PermissionAnswerHandler``)."""
    turn = turn_of(handler_input)
    if turn.refused:  # state this skill did not seal for this session: start again, as for any request
        return start(turn)
    if turn.state is not None or turn.offer is not None:
        return _where_it_was(turn)  # the question handed over ended the triage: this answers nothing
    answer = permissions.read_answer(handler_input.request_envelope.request)
    kind = (answer.token or "").removeprefix(TOKEN_PREFIX)
    if not (answer.token or "").startswith(TOKEN_PREFIX) or kind not in reminders.OFFER_KINDS:
        return turn.send(turn.speech.goodbye())  # not an answer to this skill's question
    if turn.memory.recall().follow_up is None:  # a yes to the offer keeps it before Alexa asks: never asked
        return turn.send(turn.speech.goodbye())
    if not answer.asked:
        if not answer.card_sent:
            handler_input.response_builder.set_card(permissions.consent_card())
        return turn.send(turn.speech.reminder_end("reminder_no_voice_permission", CHECK_IN))
    if answer.status == permissions.ACCEPTED:
        return set_reminder(turn, kind)
    said = "reminder_permission_denied" if answer.status == permissions.DENIED else "reminder_permission_unanswered"
    return turn.send(turn.speech.reminder_end(said, CHECK_IN))


def _where_it_was(turn: Turn) -> Response:
    """An answer from Alexa nobody asked for while a question or an offer waits: ask it again, place kept."""
    if turn.offer is not None:
        return turn.send(turn.speech.offer_again(turn.offer.kind), turn.state, offer=turn.offer)
    state = turn.state or first_question(turn)
    return turn.send(turn.speech.next_question(state), state)


def set_reminder(turn: Turn, kind: str) -> Response:
    """Create the reminder and keep its token; say what happened (the follow-up is already kept)."""
    handler_input = turn.handler_input
    if not turn.may_remember():  # the store went down since: a reminder nobody could delete is not made
        return turn.send(turn.speech.reminder_end("reminder_failed", CHECK_IN))
    locale = safe_locale(handler_input) or turn.speech.text.locale  # Alexa's own, for the reminder's voice
    result = reminders.create(handler_input, kind, turn.speech.reminder_text(), locale, turn.now)
    if result.created and result.alert_token is not None:  # a created reminder always has its token
        if turn.memory.keep_reminder(result.alert_token):
            return turn.send(turn.speech.reminder_end(f"{kind}_set", CHECK_IN))
        reminders.delete(handler_input, (result.alert_token,), budget=reminders.MIN_CALL_TIME * 5)
        return turn.send(turn.speech.reminder_end("reminder_failed", CHECK_IN))
    if result.status == reminders.NOT_ALLOWED:
        handler_input.response_builder.set_card(permissions.consent_card())
        return turn.send(turn.speech.reminder_end("reminder_not_allowed", CHECK_IN))
    return turn.send(turn.speech.reminder_end("reminder_failed", CHECK_IN))

