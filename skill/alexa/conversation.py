"""The conversation: one table, and the handful of handlers the SDK dispatches to.

Every IntentRequest and screen touch goes to ``ConversationHandler``: the request's
moment (``Turn.moment``) and what was heard (``heard.hear``, read once) pick one move
from ``TABLE``, which the triage (``handlers``), memory's offers (``offers``) and the
reminder offer (``reminder_handlers``) fill with their rows. The SDK keeps only what is
not something the person said in the conversation: the launch, the session's end,
Alexa's answer about a permission, and errors.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler

from . import handlers, offers, reminder_handlers
from .handlers import ErrorHandler, LaunchHandler, SessionEndedHandler
from .heard import USER_EVENT, hear
from .reminder_handlers import PermissionAnswerHandler
from .table import Router
from .turn import turn_of

TABLE = Router()
TABLE.include_router(handlers.router)
TABLE.include_router(offers.router)
TABLE.include_router(reminder_handlers.router)

CONVERSATION_REQUESTS = frozenset({"IntentRequest", USER_EVENT})


class ConversationHandler(AbstractRequestHandler):
    """Anything said or touched: the table's move for (moment, what was heard)."""

    def can_handle(self, handler_input):
        return handler_input.request_envelope.request.object_type in CONVERSATION_REQUESTS

    def handle(self, handler_input):
        turn = turn_of(handler_input)
        heard = hear(handler_input)
        return TABLE.resolve(turn.moment, heard.key)(turn, heard)


# The conversation first: it is by far the most frequent request; the others' request types are disjoint from it.
REQUEST_HANDLERS = (ConversationHandler(), LaunchHandler(), PermissionAnswerHandler(), SessionEndedHandler())
EXCEPTION_HANDLERS = (ErrorHandler(),)
