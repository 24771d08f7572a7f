"""Logs and metrics that help an operator and tell nobody anything about a person.

One JSON log line per request: Alexa's request id, its type, the intent
(answers collapsed to "answer", so the line never says what was answered), the
locale, the latency, and whether the store failed. Never a user id (or its
hash), an utterance, speech, or an answer; and nothing from which an answer can
be inferred: no question (which follow-up is asked next names the answer that
opened it), no disposition, no store outcome beyond "failed" (a save after
"yes, remember me" would otherwise say "yes"). Two conversations that differ in
one answer leave the same lines, apart from request ids and latencies.

Outcomes are counted only in aggregate: on Lambda, a CloudWatch metric per
disposition in the embedded metric format (a JSON line on stdout, with no
request id), and store failures likewise.

The line is handed to ``logging`` as a dict that prints as JSON: with Lambda's
JSON log format (template.yaml's LoggingConfig) the runtime nests it, as an
object, under ``message`` beside its own ``requestId``; anywhere else it is the
JSON text itself. It is built only when INFO is enabled, and turned into text
only when a handler writes it.

Store outcomes are tracked per request in a ``ContextVar``: each Lambda
invocation and each web-server thread sees only its own.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from contextvars import ContextVar

METRIC_NAMESPACE = "BackPainCheck"
ANSWER_INTENTS = frozenset({"AMAZON.YesIntent", "AMAZON.NoIntent", "UnsureIntent"})
REQUEST_ID = re.compile(r"[A-Za-z0-9.\-_]{1,100}")

log = logging.getLogger("skill.requests")
_store_outcome: ContextVar[str] = ContextVar("store_outcome", default="unused")


def start_request() -> None:
    _store_outcome.set("unused")


def note_store(outcome: str) -> None:
    """What the store did for this request: ok, failed or skipped (cooling down after a failure).

    A failure is never overwritten by a later success in the same request.
    """
    if _store_outcome.get() != "failed":
        _store_outcome.set(outcome)


def store_outcome() -> str:
    return _store_outcome.get()


def public_intent(intent: str | None) -> str | None:
    """The intent name as it may be logged: yes / no / not sure all read "answer"."""
    return "answer" if intent in ANSWER_INTENTS else intent


class LogLine(dict):
    """A log record's fields: a dict to Lambda's JSON formatter, one line of JSON to any other."""

    _JSON = json.JSONEncoder(separators=(",", ":"))  # made once: json.dumps makes one per call with an option

    def __str__(self) -> str:
        return self._JSON.encode(self)


def safe_request_id(value: object) -> str | None:
    """Alexa's request id, when it looks like one (it names a request, never a person)."""
    return value if isinstance(value, str) and REQUEST_ID.fullmatch(value) else None


def log_request(*, request_type: str | None, intent: str | None, locale: str | None, disposition: str | None,
                latency_ms: float | None, error: str | None = None, request_id: str | None = None) -> dict | None:
    """Write the request's JSON log line (and, for a disposition, its aggregate metric only); returns the
    fields, for tests (None when INFO is off and nothing was built)."""
    if disposition:
        emit_metric("Outcome", {"Disposition": disposition})
    if not log.isEnabledFor(logging.INFO):
        return None
    fields = LogLine({
        "event": "request", "request_id": safe_request_id(request_id), "type": request_type,
        "intent": public_intent(intent), "locale": locale,
        "latency_ms": None if latency_ms is None else round(latency_ms, 2), "store_failed": store_outcome() == "failed",
    })
    if error:
        fields["error"] = error
    log.info(fields)
    return fields


def emit_metric(name: str, dimensions: dict[str, str]) -> None:
    """Count one ``name`` in CloudWatch (embedded metric format), on Lambda only."""
    if not os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        return
    print(json.dumps({
        "_aws": {"Timestamp": int(time.time() * 1000), "CloudWatchMetrics": [{
            "Namespace": METRIC_NAMESPACE, "Dimensions": [sorted(dimensions)],
            "Metrics": [{"Name": name, "Unit": "Count"}]}]},
        **dimensions, name: 1,
    }, separators=(",", ":")), flush=True)
