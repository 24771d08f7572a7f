"""The skill as a Flask app for a self-hosted HTTPS endpoint, through flask-ask-sdk's ``SkillAdapter``.

Same skill as on Lambda (``skill.alexa.app.build_skill``: same handlers, same
triage core). What the web adds is who may talk to it: with ``verify=True``
(the default) every request must carry a valid Alexa signature from a
certificate chain at ``https://s3.amazonaws.com/echo.api/...``, a timestamp
within 150 s, and, when a skill id is configured, this skill's application id.
Anything else is refused with a 400 and no triage content (a body that is
not UTF-8, not JSON, nested too deep, not an Alexa envelope), logged as one
line with the reason and no traceback; bodies over ``max_body_bytes`` get 413,
a body that stops before its Content-Length (the server's read timeout) gets
408, and anything but POST gets 405. After a 413 or a 408 the connection is
closed: the rest of that body is never read. What passes is cleaned as on Lambda
(``skill.alexa.envelope_guard``) and every response is fitted under Alexa's
size limit (``skill.alexa.response_limit``).

``create_app(verify=False)`` serves the skill unverified: for local tools and
tests only (the skill-id check stays on).
"""

from __future__ import annotations

import copy
import json
import logging
from contextvars import ContextVar
from typing import Iterable

from . import oscrypto_fix

oscrypto_fix.install()  # flask_ask_sdk imports certvalidator -> oscrypto

from ask_sdk_core.serialize import DefaultSerializer  # noqa: E402
from ask_sdk_model import RequestEnvelope  # noqa: E402
from ask_sdk_webservice_support.verifier import VerificationException  # noqa: E402
from flask import Flask, abort, jsonify, request  # noqa: E402
from flask_ask_sdk.skill_adapter import (  # noqa: E402
    VERIFY_SIGNATURE_APP_CONFIG,
    VERIFY_TIMESTAMP_APP_CONFIG,
    SkillAdapter,
)
from werkzeug.exceptions import HTTPException  # noqa: E402

from ..alexa import response_limit  # noqa: E402
from ..alexa.app import build_skill, configured_skill_id, event_locale, spoken_error  # noqa: E402
from ..alexa.envelope_guard import clean_event  # noqa: E402
from ..store import active_store  # noqa: E402
from .verification import CertChainCache, CertFetcher, download_cert_chain, request_verifiers  # noqa: E402

MAX_BODY_BYTES = 128 * 1024  # real Alexa requests are a few KB
CLOSE_AFTER = frozenset({408, 413})  # the body was not read to its end: nothing after it can be trusted
EXTENSION = "back_pain_check"
log = logging.getLogger(__name__)
_locale: ContextVar[str | None] = ContextVar("request_locale", default=None)  # for a spoken error in its language


class _RefusingSerializer(DefaultSerializer):
    """The skill's serializer, except that an unreadable envelope is a refusal (400), not a crash (500).

    The SDK reads the envelope before it runs any verifier, so a body that is not
    JSON, nested too deep, or not an Alexa envelope, is refused here; what it
    reads is cleaned as the Lambda entry point cleans it. Responses are fitted
    under Alexa's size limit. The message names no content. The skill's calls to
    Alexa's APIs read their answers through the same serializer; those pass
    through untouched.
    """

    def __init__(self, skill):
        self._skill = skill
        self._inner = skill.serializer

    def deserialize(self, payload, obj_type):
        if obj_type is not RequestEnvelope:  # an Alexa API's answer (reminders): the skill's own business
            return self._inner.deserialize(payload, obj_type)
        try:
            event = clean_event(json.loads(payload))
            envelope = self._inner.deserialize_event(event, obj_type)
        except Exception:  # not JSON, too deep (RecursionError included), not an envelope: refused below
            event, envelope = None, None
        if getattr(envelope, "request", None) is None or getattr(envelope, "context", None) is None:
            raise VerificationException("request body is not a readable Alexa request") from None
        _locale.set(event_locale(event))
        return envelope

    def serialize(self, obj):
        locale = _locale.get()
        return response_limit.fit(self._inner.serialize(obj), lambda: spoken_error(locale, self._skill))


class _OneLineRefusals(logging.Filter):
    """flask-ask-sdk logs each refusal as an ERROR with a traceback; one WARNING line with the reason is enough.

    Certification and scanners send forged requests on purpose: they are expected,
    not errors. The reason never contains the request body.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, VerificationException):
            reason = error.args[0] if error.args else type(error).__name__
            record.msg, record.args = "refused a request: %s", (reason,)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True


def create_app(
    skill_id: str | None = None,
    verify: bool = True,
    route: str = "/",
    *,
    trust_roots: Iterable[bytes] | None = None,
    cert_fetcher: CertFetcher | None = None,
    cert_cache: CertChainCache | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> Flask:
    """Build the Flask app serving the skill at ``POST route``.

    skill_id: refuse other skills; defaults to the ``SKILL_ID`` environment variable.
    verify: check signature, certificate and timestamp (leave on outside tests).
    trust_roots: DER certificates to trust instead of the system store (tests with a throwaway CA).
    cert_fetcher: how a certificate URL becomes chain bytes (default: HTTPS download with a timeout).
    cert_cache: a ``CertChainCache`` to share (default: a new bounded one using ``cert_fetcher``).
    """
    skill_id = skill_id if skill_id is not None else configured_skill_id()
    # A copy, so the SDK's user-agent bookkeeping and our serializer stay off the shared Lambda skill.
    skill = copy.copy(build_skill(skill_id, active_store()))
    skill.serializer = _RefusingSerializer(skill)
    cache = cert_cache if cert_cache is not None else CertChainCache(cert_fetcher or download_cert_chain)

    app = Flask(__name__)
    if not any(isinstance(f, _OneLineRefusals) for f in app.logger.filters):  # one logger per module name
        app.logger.addFilter(_OneLineRefusals())
    # One byte over the limit: werkzeug stops reading a chunked body there instead of refusing it.
    app.config["MAX_CONTENT_LENGTH"] = max_body_bytes + 1
    # Read once, when the SkillAdapter is created: so set them first. Off, because our own
    # verifiers (same SDK checks, bounded cache, injectable trust roots) are passed instead.
    app.config[VERIFY_SIGNATURE_APP_CONFIG] = False
    app.config[VERIFY_TIMESTAMP_APP_CONFIG] = False
    verifiers = request_verifiers(skill_id, verify=verify, cert_cache=cache, trust_roots=trust_roots)
    adapter = SkillAdapter(skill=skill, skill_id=skill_id or "any", verifiers=verifiers, app=app)
    app.extensions[EXTENSION] = {"verify": verify, "skill_id": skill_id, "cert_cache": cache, "verifiers": verifiers}

    def alexa_request():
        if request.content_length is not None and request.content_length > max_body_bytes:
            abort(413)
        try:
            body = request.get_data(cache=True)
        except OSError:  # the body stopped before its Content-Length: the server's read timeout
            log.warning("refused a request: request body incomplete")
            abort(408)
        if len(body) > max_body_bytes:  # a chunked body, cut at the limit + 1
            abort(413)
        try:
            body.decode("utf-8")  # what the SDK does next, with no handler for a failure
        except UnicodeDecodeError:
            log.warning("refused a request: request body is not UTF-8")
            abort(400)
        return adapter.dispatch_request()

    app.add_url_rule(route, endpoint="alexa", view_func=alexa_request, methods=["POST"])

    @app.errorhandler(HTTPException)
    def refusal(error: HTTPException):
        """Short JSON refusals; never the request, never triage content."""
        response = jsonify(error=error.name, status=error.code)
        response.status_code = error.code or 500
        if response.status_code in CLOSE_AFTER:
            response.headers["Connection"] = "close"
        for name, value in error.get_headers():
            if name.lower() != "content-type":  # keep Allow on a 405
                response.headers[name] = value
        return response

    app.wsgi_app = _closing_when_asked(app.wsgi_app)  # type: ignore[method-assign]
    return app


def _closing_when_asked(wsgi_app):
    """Make a response's ``Connection: close`` close the connection under gunicorn too.

    gunicorn drops the application's Connection header; its Response (the ``start_response`` it passes)
    has ``force_close`` instead. werkzeug's server closes every connection anyway.
    """
    def app(environ, start_response):
        def start(status, headers, exc_info=None):
            if any(k.lower() == "connection" and v.lower() == "close" for k, v in headers):
                force_close = getattr(getattr(start_response, "__self__", None), "force_close", None)
                if callable(force_close):
                    force_close()
            return start_response(status, headers, exc_info)

        return wsgi_app(environ, start)

    return app
