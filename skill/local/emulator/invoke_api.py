"""The Lambda Invoke API on 127.0.0.1, as boto3 and the AWS CLI call it.

``POST /2015-03-31/functions/<name>/invocations``, the path ``sam local
start-lambda`` also serves: ``boto3.client("lambda", endpoint_url=...)``'s
``invoke`` and ``aws lambda invoke --endpoint-url`` work unchanged. The function
name is the logical id from template.yaml (an ARN ending in it works too).
Answers follow Lambda's: 200 with ``X-Amz-Function-Error: Unhandled`` when the
function failed or timed out, ``X-Amz-Log-Result`` (base64, last 4 KB) for
``LogType=Tail``, 202 for ``InvocationType=Event``, 204 for ``DryRun``, and
Lambda's error types (``ResourceNotFoundException``, ...) for bad calls.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlsplit

from .sandbox import MAX_PAYLOAD, QuietHTTPServer, Sandbox
from .template import ACCOUNT_ID

INVOKE_PATH = re.compile(r"^/2015-03-31/functions/(?P<name>[^/]+)/invocations$")
LIST_PATH = "/2015-03-31/functions"
FUNCTION_ARN = re.compile(r"^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?"
                          r"(?P<name>[A-Za-z0-9_-]+)(:(?P<qualifier>[A-Za-z0-9$_-]+))?$")


class InvokeApi(QuietHTTPServer):
    """An HTTP server answering the Invoke API for a set of sandboxes, by function name."""

    def __init__(self, sandboxes: dict[str, Sandbox], port: int = 9001, region: str = "us-east-1"):
        self.sandboxes, self.region = sandboxes, region
        super().__init__(("127.0.0.1", port), _InvokeHandler)

    @property
    def url(self) -> str:
        host, port = self.socket.getsockname()[:2]
        return f"http://{host}:{port}"


class _InvokeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: InvokeApi

    def log_message(self, format, *args):  # noqa: A002 - the sandbox prints START/END/REPORT instead
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Amzn-RequestId", (headers or {}).pop("X-Amzn-RequestId", str(uuid.uuid4())))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _error(self, status: int, error_type: str, message: str) -> None:
        body = json.dumps({"Type": "User", "message": message}).encode()
        self._send(status, body, {"Content-Type": "application/json", "X-Amzn-ErrorType": error_type})

    def _not_found(self, name: str) -> None:
        self._error(404, "ResourceNotFoundException",
                    f"Function not found: arn:aws:lambda:{self.server.region}:{ACCOUNT_ID}:function:{name}")

    def do_GET(self):  # noqa: N802 - ListFunctions, so `aws lambda list-functions` shows what is served
        if urlsplit(self.path).path.rstrip("/") != LIST_PATH:
            return self._error(404, "UnknownOperationException", "Unknown operation")
        functions = [{"FunctionName": name, "FunctionArn": box.arn, "Runtime": box.spec.runtime,
                      "Handler": box.spec.handler, "Timeout": int(box.spec.timeout),
                      "MemorySize": box.spec.memory_mb, "Version": "$LATEST"}
                     for name, box in self.server.sandboxes.items()]
        self._send(200, json.dumps({"Functions": functions}).encode(), {"Content-Type": "application/json"})

    def do_POST(self):  # noqa: N802
        url = urlsplit(self.path)
        match = INVOKE_PATH.match(url.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_PAYLOAD:
            self.close_connection = True
            return self._error(413, "RequestTooLargeException",
                               f"Request must be smaller than {MAX_PAYLOAD} bytes for the InvokeFunction operation")
        body = self.rfile.read(length)
        if not match:
            return self._error(404, "UnknownOperationException", "Unknown operation")
        raw_name = unquote(match.group("name"))
        name_match = FUNCTION_ARN.match(raw_name)
        name = name_match.group("name") if name_match else raw_name
        qualifier = parse_qs(url.query).get("Qualifier", [None])[0] or (name_match and name_match.group("qualifier"))
        sandbox = self.server.sandboxes.get(name)
        if sandbox is None or qualifier not in (None, "$LATEST", *sandbox.spec.aliases):
            return self._not_found(f"{name}:{qualifier}" if sandbox and qualifier else name)
        payload = body or b"{}"
        try:
            json.loads(payload)
        except ValueError as exc:
            return self._error(400, "InvalidRequestContentException", f"Could not parse request body into json: {exc}")
        invocation_type = self.headers.get("X-Amz-Invocation-Type", "RequestResponse")
        client_context = self.headers.get("X-Amz-Client-Context")
        if client_context:
            try:
                client_context = base64.b64decode(client_context, validate=True).decode("utf-8", "replace")
            except ValueError:
                return self._error(400, "InvalidRequestContentException", "Client context must be base64 JSON")
        if invocation_type == "DryRun":
            return self._send(204)
        if invocation_type == "Event":
            threading.Thread(target=sandbox.invoke, args=(payload, client_context), daemon=True).start()
            return self._send(202)
        if invocation_type != "RequestResponse":
            return self._error(400, "InvalidParameterValueException", f"Unsupported InvocationType {invocation_type}")
        tail = self.headers.get("X-Amz-Log-Type") == "Tail"
        result = sandbox.invoke(payload, client_context, tail=tail)
        headers = {"Content-Type": "application/json", "X-Amz-Executed-Version": "$LATEST"}
        if result.request_id:
            headers["X-Amzn-RequestId"] = result.request_id
        if result.function_error:
            headers["X-Amz-Function-Error"] = result.function_error
        if tail:
            headers["X-Amz-Log-Result"] = base64.b64encode(result.log_tail.encode()).decode()
        self._send(200, result.payload, headers)
