"""Where the local tools send Alexa requests: one ``--target`` choice for chat, invoke and replay.

- ``local``: the Lambda handler in this process (``skill.alexa.app.lambda_handler``).
- ``http://host:port/path``: the web service; the envelope is POSTed as JSON, as Alexa does.
- ``lambda://127.0.0.1:9001/<LogicalId>``: the function served by ``python -m skill emulate``,
  called with boto3's Lambda client, exactly as against AWS.

Each gives a ``Callable[[dict], dict]``: request envelope in, response envelope out.
A failure on the other side (a function error, an HTTP error) raises ``TargetError``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Callable
from urllib.parse import urlsplit

Invoker = Callable[[dict], dict]
TIMEOUT = 30  # seconds; longer than the function's own Timeout so Lambda's timeout error is what shows


class TargetError(RuntimeError):
    """The target answered with an error instead of a response envelope."""


def local_invoke(event: dict) -> dict:
    """The Lambda entry point, in this process (imported late: ``--help`` needs no skill)."""
    from skill.alexa.app import lambda_handler

    return lambda_handler(event, None)


def local_invoker() -> Invoker:
    def invoke(event: dict) -> dict:
        try:
            return local_invoke(event)
        except Exception as exc:  # what Lambda would report as an Unhandled function error
            raise TargetError(f"function error (Unhandled) {type(exc).__name__}: {exc}") from exc

    return invoke


def http_invoker(url: str) -> Invoker:
    def invoke(event: dict) -> dict:
        request = urllib.request.Request(url, data=json.dumps(event).encode(), method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            # http(s) targets only (bandit B310)
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # nosec B310
                return json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            raise TargetError(f"{url} answered HTTP {exc.code}: {exc.read()[:300].decode('utf-8', 'replace')}") from exc
        except urllib.error.URLError as exc:
            raise TargetError(f"{url} unreachable: {exc.reason}") from exc

    return invoke


def lambda_invoker(endpoint: str, function_name: str, region: str = "us-east-1") -> Invoker:
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "lambda", endpoint_url=endpoint, region_name=region,
        # the emulator checks none (bandit B106)
        aws_access_key_id="emulator", aws_secret_access_key="emulator",  # nosec B106
        config=Config(connect_timeout=2, read_timeout=TIMEOUT, retries={"total_max_attempts": 1}))

    def invoke(event: dict) -> dict:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            answer = client.invoke(FunctionName=function_name, Payload=json.dumps(event).encode())
        except (BotoCoreError, ClientError) as exc:
            raise TargetError(f"{endpoint} {function_name}: {exc}") from exc
        payload = json.loads(answer["Payload"].read() or b"null")
        if answer.get("FunctionError"):
            error = payload if isinstance(payload, dict) else {}
            raise TargetError(f"function error ({answer['FunctionError']}) {error.get('errorType', '')}: "
                              f"{error.get('errorMessage', payload)}")
        return payload

    return invoke


def make_invoker(target: str) -> Invoker:
    """``local``, ``http(s)://...`` or ``lambda://host:port/<LogicalId>``."""
    if target == "local":
        return local_invoker()
    parts = urlsplit(target)
    if parts.scheme in ("http", "https") and parts.netloc:
        return http_invoker(target)
    if parts.scheme == "lambda" and parts.netloc:
        name = parts.path.strip("/")
        if not name:
            raise ValueError(f"--target {target}: name the function, e.g. lambda://127.0.0.1:9001/SkillFunction")
        return lambda_invoker(f"http://{parts.netloc}", name)
    raise ValueError(f"--target {target}: use local, http://host:port/path or lambda://host:port/<function>")


def main(event_file: str, target: str = "local") -> int:
    """``python -m skill invoke events/launch.json [--target ...]``: one request, the response JSON printed."""
    import sys

    try:
        invoke = make_invoker(target)
        text = sys.stdin.read() if event_file == "-" else open(event_file, encoding="utf-8").read()
        event = json.loads(text)
    except (ValueError, OSError) as exc:
        print(f"invoke: {exc}", file=sys.stderr)
        return 2
    try:
        response = invoke(event)
    except TargetError as exc:
        print(f"invoke: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(response, indent=2))
    return 0
