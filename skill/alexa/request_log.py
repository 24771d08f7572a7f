"""ask-sdk interceptors that write one JSON log line per request (see skill/observability.py).

``Turn.send`` notes the question now asked and any disposition in the request
attributes; the response interceptor writes the line with the latency (from the
request interceptor to the response, store calls included). The question is
not logged: which follow-up is asked names the answer that opened it, and even
"an emergency question or not" tells, after the last emergency question, that
every one of them was answered "no". The disposition becomes an aggregate
metric only (``skill.observability``).
The error handler calls ``log_failed`` itself, because the SDK skips
response interceptors when a handler raises.
"""

from __future__ import annotations

import os
import time
import traceback

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor, AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput

from skill.observability import log_request, start_request

STARTED = "started_at"
QUESTION = "question"
DISPOSITION = "disposition"


def note_reply(handler_input: HandlerInput, question: str | None, disposition: str | None) -> None:
    attributes = handler_input.attributes_manager.request_attributes
    attributes[QUESTION], attributes[DISPOSITION] = question, disposition


def _describe(handler_input: HandlerInput) -> dict:
    request = getattr(handler_input.request_envelope, "request", None)
    intent = getattr(getattr(request, "intent", None), "name", None)
    attributes = handler_input.attributes_manager.request_attributes
    started = attributes.get(STARTED)
    return {
        "request_id": getattr(request, "request_id", None),
        "request_type": getattr(request, "object_type", None), "intent": intent,
        "locale": getattr(request, "locale", None), "disposition": attributes.get(DISPOSITION),
        "latency_ms": (time.perf_counter() - started) * 1000 if isinstance(started, float) else None,
    }


class RequestStart(AbstractRequestInterceptor):
    def process(self, handler_input):
        start_request()
        handler_input.attributes_manager.request_attributes[STARTED] = time.perf_counter()


class RequestLog(AbstractResponseInterceptor):
    def process(self, handler_input, response):
        log_request(**_describe(handler_input))


def log_failed(handler_input: HandlerInput, exception: BaseException) -> None:
    """The error's class and where it was raised (file, line, function), never its message or arguments."""
    where = traceback.extract_tb(exception.__traceback__)[-1:] if exception.__traceback__ else []
    place = f" at {os.path.basename(where[0].filename)}:{where[0].lineno} in {where[0].name}" if where else ""
    log_request(**_describe(handler_input), error=f"{type(exception).__name__}{place}")
