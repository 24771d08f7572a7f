"""The assembled skill and its Lambda entry point.

Every way of running the skill (Lambda, the web service, the terminal chat,
the emulator) goes through ``build_skill`` and, for raw JSON events,
``handle_event``. The skill is built once per process and skill id, not per
request as ``SkillBuilder.lambda_handler`` does, with an API client so that
handlers can call Alexa's APIs (reminders); ``requests`` loads on the first call.

The entry point guards what the SDK does not: an envelope it cannot read (a
malformed body, an unknown request type, nesting too deep) gets a spoken error
with the safety net instead of an unhandled exception; session attributes the
skill did not write, or any in a new session, are dropped before the SDK sees
them (``envelope_guard``); every response is measured against Alexa's size
limit (``response_limit``); a request for another skill id is refused with
``SkillIdRefused`` and no triage content.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope, ResponseEnvelope

from skill.observability import log_request, start_request
from skill.store import active_store

from . import response_limit
from .api_client import LazyApiClient
from .conversation import EXCEPTION_HANDLERS, REQUEST_HANDLERS
from .envelope_guard import MalformedEnvelope, clean_event
from .request_log import RequestLog, RequestStart
from .serializer import FastRequestSerializer
from .turn import TurnLoader, speech_for

if TYPE_CHECKING:
    from skill.store import GuardedStore

log = logging.getLogger(__name__)
SKILL_ID_ENV = "SKILL_ID"


class SkillIdRefused(AskSdkException):
    """The request names another skill: this skill does not answer it."""


def configured_skill_id() -> str | None:
    return os.environ.get(SKILL_ID_ENV) or None


@lru_cache(maxsize=4)
def build_skill(skill_id: str | None, store: GuardedStore | None = None) -> CustomSkill:
    """The skill: its handlers (``conversation``), the loader that reads each request's turn once, and the
    store it remembers in."""
    builder = CustomSkillBuilder(api_client=LazyApiClient())
    builder.skill_id = skill_id  # type: ignore[assignment]  # the SDK declares the attribute as None only
    for handler in REQUEST_HANDLERS:
        builder.add_request_handler(handler)
    for exception_handler in EXCEPTION_HANDLERS:
        builder.add_exception_handler(exception_handler)
    builder.add_global_request_interceptor(RequestStart())
    builder.add_global_request_interceptor(TurnLoader(store))
    builder.add_global_response_interceptor(RequestLog())
    skill = builder.create()
    skill.serializer = FastRequestSerializer()
    return skill


def prepare_for_snapshot() -> None:
    """Do at init what every request would otherwise do first, so a SnapStart snapshot holds it.

    Builds the skill and the conversation's table, loads and validates the protocol and every locale (with its
    emergency spotter and the spotter's weight table), imports memory, and creates the
    DynamoDB client (botocore import and client set-up: no call to DynamoDB, nothing random
    or time-dependent computed; see docs/cold-start.md for credentials), and the Alexa API
    client with the reminder models (imports only). Called only when Lambda initialises for
    a snapshot; an on-demand cold start stays lazy.
    """
    from skill.triage import default_locales

    from . import heard, memory  # noqa: F401  # imported on first use otherwise (a launch needs neither)
    from .conversation import table
    from .own_words import spotter_for
    from .reminders import prepare as prepare_reminders

    store = active_store()
    skill = build_skill(configured_skill_id(), store)
    api_client = skill.api_client
    if not isinstance(api_client, LazyApiClient):  # build_skill always gives it one; anything else is a bug here
        raise TypeError(f"the skill's API client is a {type(api_client).__name__}, not a LazyApiClient")
    api_client.prepare()
    prepare_reminders()
    table()  # the conversation's moves
    for locale in default_locales():  # the spotters, with their learned weight tables (read lazily otherwise)
        spotter_for(locale)
    if store is not None:
        store.prepare()


def handle_event(event: object, context: object = None, skill_id: str | None = None) -> dict:
    """Answer one Alexa request given as parsed JSON; returns the response envelope as JSON."""
    skill_id = skill_id if skill_id is not None else configured_skill_id()
    skill = build_skill(skill_id, active_store())
    try:
        envelope = cast(FastRequestSerializer, skill.serializer).deserialize_event(clean_event(event), RequestEnvelope)
        application_id = envelope.context.system.application.application_id
        if envelope.request is None or not envelope.request.object_type:
            raise ValueError("no request")
    except Exception as exc:  # anything unreadable: a spoken error, never a crash
        start_request()
        request = event.get("request") if isinstance(event, dict) else None
        log_request(request_type=None, intent=None, locale=None, disposition=None,
                    latency_ms=None, error=f"unreadable request: {reason(exc)}",
                    request_id=request.get("requestId") if isinstance(request, dict) else None)
        return unreadable_request_response(event, skill)
    if skill_id is not None and application_id != skill_id:
        log.warning("refused a request for another skill id")
        raise SkillIdRefused("request is for another skill")
    response = cast(dict, skill.serializer.serialize(skill.invoke(request_envelope=envelope, context=context)))
    return response_limit.fit(response, lambda: unreadable_request_response(event, skill))


def reason(exc: Exception) -> str:
    """Why a request was unreadable, for the log: the guard's own words, or the exception's class only."""
    return f"{type(exc).__name__} ({exc})" if isinstance(exc, MalformedEnvelope) else type(exc).__name__


def event_locale(event: object) -> str | None:
    """The locale a raw event names, if it names one (for the spoken error of an unreadable request)."""
    request = event.get("request") if isinstance(event, dict) else None
    locale = request.get("locale") if isinstance(request, dict) else None
    return locale if isinstance(locale, str) else None


def spoken_error(locale: str | None, skill: CustomSkill) -> dict:
    """The spoken error, with when to call the locale's emergency number, ending the session."""
    reply = speech_for(locale).error()
    response = ResponseFactory().speak(reply.speech).set_should_end_session(True).response
    return cast(dict, skill.serializer.serialize(ResponseEnvelope(version="1.0", response=response)))


def unreadable_request_response(event: object, skill: CustomSkill) -> dict:
    return spoken_error(event_locale(event), skill)


def lambda_handler(event, context):
    """AWS Lambda's entry point (``lambda/lambda_function.handler`` re-exports it)."""
    return handle_event(event, context)
