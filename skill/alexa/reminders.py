"""Alexa reminders the skill sets and deletes, through ask-sdk's Reminders client; every failure a plain value.

Which reminder goes with which outcome (``OFFER_FOR``), and how far ahead
(``DELAYS``): after self-care advice, two weeks (the source article: see a
professional if it is not better in a few weeks); after routine advice, three
days, a nudge to make the appointment. The trigger is relative, so the
reminder comes at the time of day the person was talking to Alexa, in their
own time zone, with no time zone look-up. Its words are only the locale's
``reminder_text`` ("Check on your back."): a reminder is heard and seen by the
whole household, so it says nothing else about health.

Calls go to ``POST /v1/alerts/reminders`` and ``DELETE /v1/alerts/reminders/{alertToken}``
at the request's ``apiEndpoint`` with its ``apiAccessToken``
(``handler_input.service_client_factory.get_reminder_management_service()``).
Each is bounded by the API client (``skill/alexa/api_client.py``) to under a
second, and ``delete`` shares one budget across tokens. Every failure (401 or
403: not allowed; 429, 5xx, a timeout, a refused connection, an unreadable
answer: unavailable) is returned as a ``Result``, logged by its class only
(never a token, a user id or what was said), and counted as a
``ReminderFailure`` metric on Lambda. Nothing here raises.
"""

# No ``from __future__ import annotations`` here: the records' field types are then read as objects when the
# module loads, not compiled from strings by typing.NamedTuple (about 0.05 ms a field, on every cold start).
import logging
import time
from datetime import datetime, timedelta, timezone
from typing import Callable, NamedTuple

from ask_sdk_core.handler_input import HandlerInput

from skill.observability import emit_metric

log = logging.getLogger(__name__)

SELF_CARE_REMINDER = "reminder"
APPOINTMENT_REMINDER = "appointment_reminder"
OFFER_KINDS = (SELF_CARE_REMINDER, APPOINTMENT_REMINDER)
OFFER_FOR = {"self_care": SELF_CARE_REMINDER, "routine": APPOINTMENT_REMINDER}  # disposition -> reminder offer
DELAYS = {SELF_CARE_REMINDER: timedelta(days=14), APPOINTMENT_REMINDER: timedelta(days=3)}
DELETE_BUDGET = 1.0  # seconds for deleting every kept reminder in one request
MIN_CALL_TIME = 0.1  # not worth starting a call with less left than this

CREATED, NOT_ALLOWED, UNAVAILABLE = "created", "not_allowed", "unavailable"


class Result(NamedTuple):
    status: str  # CREATED, NOT_ALLOWED (401, 403) or UNAVAILABLE (anything else that went wrong)
    alert_token: str | None = None
    error: str | None = None  # the failure's class, for the log: "HTTP 429", "Timeout", ...

    @property
    def created(self) -> bool:
        return self.status == CREATED


def available(handler_input: HandlerInput) -> bool:
    """This request can reach the Reminders API: a service client factory, an endpoint and a token."""
    system = getattr(getattr(handler_input.request_envelope, "context", None), "system", None)
    endpoint, token = getattr(system, "api_endpoint", None), getattr(system, "api_access_token", None)
    return (handler_input.service_client_factory is not None and isinstance(endpoint, str)
            and endpoint.startswith("https://") and isinstance(token, str) and bool(token))


def offer_for(disposition: str, handler_input: HandlerInput) -> str | None:
    """The reminder to offer after this outcome, if this request can set reminders at all."""
    kind = OFFER_FOR.get(disposition)
    return kind if kind is not None and available(handler_input) else None


def reminder_request(kind: str, text: str, locale: str, now: datetime):
    """The ``ReminderRequest``: ``text`` only, ``DELAYS[kind]`` from now, push notification on."""
    from ask_sdk_model.services.reminder_management import (
        AlertInfo,
        PushNotification,
        PushNotificationStatus,
        ReminderRequest,
        SpokenInfo,
        SpokenText,
        Trigger,
        TriggerType,
    )

    moment = now.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)
    return ReminderRequest(
        request_time=moment,
        trigger=Trigger(object_type=TriggerType.SCHEDULED_RELATIVE,
                        offset_in_seconds=int(DELAYS[kind].total_seconds())),
        alert_info=AlertInfo(spoken_info=SpokenInfo(content=[SpokenText(locale=locale, text=text)])),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED),
    )


def _described(exc: BaseException) -> tuple[int | None, str]:
    """(HTTP status, error class) of a failed call. The SDK wraps a call that got no answer (timeout,
    refused, TLS) in ``ApiClientException`` and then in a ``ServiceException`` "500": name the real cause."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    names = [type(e).__name__ for e in chain]
    if "ApiClientException" in names:
        below = chain[names.index("ApiClientException") + 1:]
        return None, type(below[0]).__name__ if below else "ApiClientException"
    status = getattr(exc, "status_code", None)
    if type(status) is int:
        return status, f"HTTP {status}"
    return None, type(exc).__name__


def _failure(operation: str, exc: BaseException) -> Result:
    """Log and count a failure by its class only; 401 and 403 mean the permission is missing."""
    status, error = _described(exc)
    log.warning("reminder failed: operation=%s error=%s", operation, error)
    emit_metric("ReminderFailure", {"Operation": operation})
    return Result(NOT_ALLOWED if status in (401, 403) else UNAVAILABLE, error=error)


def create(handler_input: HandlerInput, kind: str, text: str, locale: str, now: datetime) -> Result:
    """Create the reminder for ``kind``; a ``Result``, never an exception."""
    if kind not in DELAYS or not available(handler_input):
        log.warning("reminder failed: operation=create error=no_api_access")
        return Result(UNAVAILABLE, error="no_api_access")
    try:
        client = handler_input.service_client_factory.get_reminder_management_service()
        response = client.create_reminder(reminder_request(kind, text, locale, now))
        token = getattr(response, "alert_token", None)
        if not isinstance(token, str) or not token:
            raise ValueError("no alert token in the answer")
        return Result(CREATED, alert_token=token)
    except Exception as exc:  # any failure of the API or of reading its answer: said plainly, never raised
        return _failure("create", exc)


def delete(handler_input: HandlerInput, alert_tokens: tuple[str, ...], budget: float = DELETE_BUDGET
           ) -> tuple[str, ...]:
    """Delete these reminders; returns the tokens of those that may still exist (none: all gone).

    A reminder Alexa no longer has (404: it went off and was cleared, or the person deleted it) is gone.
    """
    if not alert_tokens:
        return ()
    if not available(handler_input):
        log.warning("reminder failed: operation=delete error=no_api_access")
        return tuple(alert_tokens)
    deadline = time.monotonic() + budget
    left: list[str] = []
    for index, token in enumerate(alert_tokens):
        if deadline - time.monotonic() < MIN_CALL_TIME:
            log.warning("reminder failed: operation=delete error=out_of_time")
            return (*left, *alert_tokens[index:])
        try:
            handler_input.service_client_factory.get_reminder_management_service().delete_reminder(token)
        except Exception as exc:  # 404 means already gone; anything else keeps the token for another try
            if _described(exc)[0] != 404:
                _failure("delete", exc)
                left.append(token)
    return tuple(left)


def deleter(handler_input: HandlerInput) -> Callable[[tuple[str, ...]], tuple[str, ...]]:
    """``delete`` for this request, as ``Memory`` wants it: tokens in, tokens not deleted out."""
    return lambda alert_tokens: delete(handler_input, alert_tokens)


def prepare() -> None:
    """Import now what creating a reminder needs (for a SnapStart snapshot; an on-demand start stays lazy)."""
    import ask_sdk_model.services.reminder_management  # noqa: F401
    import ask_sdk_model.ui.ask_for_permissions_consent_card  # noqa: F401
    from ask_sdk_model.interfaces.connections import SendRequestDirective  # noqa: F401
