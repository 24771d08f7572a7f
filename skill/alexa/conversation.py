"""The conversation: one table, and the handful of handlers the SDK dispatches to.

Every IntentRequest and screen touch goes to ``ConversationHandler``: the request's
moment (``Turn.moment``) and what was heard (``heard.hear``, read once) pick one move
from ``table()``, which the triage (``handlers``), memory's offers (``offers``) and the
reminder offer (``reminder_handlers``) fill with their rows. The SDK keeps only what is
not something the person said in the conversation: the launch, the session's end,
Alexa's answer about a permission, and errors.

The table and what reads what was said are imported on the first thing said, not at
import: a cold start that answers a LaunchRequest needs neither (``app.prepare_for_snapshot``
loads them into a SnapStart snapshot).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.utils import is_request_type

from . import intents
from .launch import start
from .request_log import log_failed
from .turn import turn_of

if TYPE_CHECKING:
    from .table import Router

log = logging.getLogger(__name__)
CONVERSATION_REQUESTS = frozenset({"IntentRequest", intents.USER_EVENT})


@lru_cache(maxsize=1)
def table() -> Router:
    """The one table, with every module's rows (built once, on the first thing said)."""
    from . import handlers, offers, reminder_handlers
    from .table import Router

    rows = Router()
    rows.include_router(handlers.router)
    rows.include_router(offers.router)
    rows.include_router(reminder_handlers.router)
    return rows


class ConversationHandler(AbstractRequestHandler):
    """Anything said or touched: the table's move for (moment, what was heard)."""

    def can_handle(self, handler_input):
        return handler_input.request_envelope.request.object_type in CONVERSATION_REQUESTS

    def handle(self, handler_input):
        from .heard import hear

        turn = turn_of(handler_input)
        heard = hear(handler_input)
        return table().resolve(turn.moment, heard.key)(turn, heard)


class LaunchHandler(AbstractRequestHandler):
    """'Alexa, open back pain check': the disclaimer and the first emergency question, whatever was remembered."""

    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        return start(turn_of(handler_input))


class PermissionAnswerHandler(AbstractRequestHandler):
    """Alexa's ``Connections.Response`` after asking for the reminders permission (``reminder_handlers``)."""

    def can_handle(self, handler_input):
        from .permissions import is_consent_answer

        return is_consent_answer(handler_input)

    def handle(self, handler_input):
        from .reminder_handlers import permission_answered

        return permission_answered(handler_input)


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


# The conversation first: it is by far the most frequent request; the others' request types are disjoint from it.
REQUEST_HANDLERS = (ConversationHandler(), LaunchHandler(), PermissionAnswerHandler(), SessionEndedHandler())
EXCEPTION_HANDLERS = (ErrorHandler(),)
