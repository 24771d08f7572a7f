"""One function's execution environment: AWS's runtime client in a child process, fed by our Runtime API.

The child runs ``python -m awslambdaric <Handler>`` (AWS's runtime interface
client, the same loop the managed Python runtime runs) with the environment
Lambda gives a function. It long-polls ``GET /2018-06-01/runtime/invocation/next``
on a small HTTP server here and posts the answer back to
``/invocation/<id>/response`` or ``/invocation/<id>/error``; an import failure
arrives at ``/init/error``.

As on Lambda: the first invocation starts the runtime (a cold start, whose
``Init Duration`` the REPORT line shows), later ones reuse it (warm); an
invocation that runs past the function's Timeout is answered with
"Task timed out after N.NN seconds" and the runtime is stopped, so the next
invocation starts a fresh one; a runtime that exits mid-invocation is a
``Runtime.ExitError``. One invocation runs at a time per function (Lambda would
start more environments; locally, callers queue).

Logs: the function's own output, then START / END / REPORT lines, are printed
as CloudWatch would show them. Events and responses are never logged: they
hold health answers.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import signal
import struct

# starts the function's runtime, as Lambda does (bandit B404)
import subprocess  # nosec B404
import sys
import termios
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, cast

from .template import ACCOUNT_ID, FunctionSpec

RUNTIME_API = "/2018-06-01/runtime"
INIT_TIMEOUT = 10.0  # seconds Lambda allows the init phase of an on-demand function
MAX_PAYLOAD = 6 * 1024 * 1024  # synchronous request and response payload limit
LOG_TAIL_BYTES = 4096


def _log_time() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass
class Result:
    """What the Invoke API returns: the payload, and the function error type if it failed."""

    payload: bytes
    function_error: str | None = None  # "Unhandled" like Lambda, or None
    log_tail: str = ""
    request_id: str = ""
    init_ms: float | None = None  # set on a cold start
    duration_ms: float = 0.0


@dataclass
class Invocation:
    request_id: str
    event: bytes
    deadline_ms: int
    client_context: str | None = None
    done: threading.Event = field(default_factory=threading.Event)
    payload: bytes = b""
    error_type: str | None = None


# Like sam local: dummy credentials, never the caller's own; a placeholder nothing checks.
PLACEHOLDER = "emulator"
DUMMY_CREDENTIALS = {"AWS_ACCESS_KEY_ID": PLACEHOLDER, "AWS_SECRET_ACCESS_KEY": PLACEHOLDER,
                     "AWS_SESSION_TOKEN": PLACEHOLDER}


def _error_payload(error_type: str, message: str) -> bytes:
    return json.dumps({"errorMessage": message, "errorType": error_type}).encode()


class Sandbox:
    """Runs one function: starts its runtime when needed, hands it events, enforces the timeout."""

    def __init__(self, spec: FunctionSpec, extra_env: dict[str, str] | None = None, region: str = "us-east-1",
                 python: str = sys.executable, log: Callable[[str], None] | None = None):
        self.spec, self.region, self.python = spec, region, python
        self.extra_env = dict(extra_env or {})
        self.arn = f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{spec.logical_id}"
        self._print = log or (lambda line: print(line, flush=True))
        self._cond = threading.Condition()
        self._invoke_lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._generation = 0  # bumps on every (re)start so stale long-polls give up
        self._ready = False
        self._init_error: dict | None = None
        self._exited = False
        self._pending: Invocation | None = None
        self._current: Invocation | None = None
        self._capture: list[str] | None = None
        self._pump_idle = True
        self._server = _RuntimeApiServer(("127.0.0.1", 0), _RuntimeApiHandler)
        self._server.sandbox = self
        self._server_thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="runtime-api",
                                               daemon=True)
        self._server_thread.start()

    @property
    def runtime_api(self) -> str:
        host, port = self._server.socket.getsockname()[:2]
        return f"{host}:{port}"

    # ----- logs -------------------------------------------------------------------------------------------------

    def log(self, line: str) -> None:
        with self._cond:
            if self._capture is not None:
                self._capture.append(line)
        self._print(line)

    def _pump_output(self, process: subprocess.Popen, generation: int) -> None:
        if process.stdout is None:  # always started with stdout=PIPE
            return
        fd, pending = process.stdout.fileno(), b""
        while True:
            self._pump_idle = True
            chunk = os.read(fd, 65536)
            self._pump_idle = False
            if not chunk:
                break
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                self.log(line.decode("utf-8", "replace"))
        if pending:
            self.log(pending.decode("utf-8", "replace"))
        process.wait()
        with self._cond:
            if generation == self._generation:
                self._exited = True
                for invocation in (self._current, self._pending):
                    if invocation is not None:
                        self._finish(invocation, _error_payload(
                            "Runtime.ExitError",
                            f"RequestId: {invocation.request_id} Error: Runtime exited with error: "
                            f"exit status {process.returncode}"), "Runtime.ExitError")
            self._cond.notify_all()

    # ----- the runtime process ------------------------------------------------------------------------------------

    def environment(self) -> dict[str, str]:
        """The variables Lambda sets for a Python function, then the template's, then the emulator's."""
        spec = self.spec
        env = {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "PYTHONPATH": str(spec.code_dir),
            "LAMBDA_TASK_ROOT": str(spec.code_dir),
            "_HANDLER": spec.handler,
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}",
            "AWS_LAMBDA_FUNCTION_NAME": spec.logical_id,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_mb),
            "AWS_LAMBDA_LOG_GROUP_NAME": spec.log_group,
            "AWS_LAMBDA_LOG_STREAM_NAME": f"{datetime.now(timezone.utc):%Y/%m/%d}/[$LATEST]{uuid.uuid4().hex}",
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_LAMBDA_RUNTIME_API": self.runtime_api,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            **DUMMY_CREDENTIALS,
        }
        if spec.log_format.upper() == "JSON":  # what Lambda sets for LoggingConfig; awslambdaric reads them
            env["AWS_LAMBDA_LOG_FORMAT"] = "JSON"
            if spec.log_level:
                env["AWS_LAMBDA_LOG_LEVEL"] = spec.log_level
        env.update(spec.environment)
        env.update(self.extra_env)
        return env

    def _drain_output(self, limit: float = 0.2) -> None:
        """Waits until the function's log lines written so far are printed, so they come before END."""
        process, deadline = self._process, time.monotonic() + limit
        while process is not None and process.stdout is not None and time.monotonic() < deadline:
            try:
                unread = struct.unpack("i", fcntl.ioctl(process.stdout.fileno(), termios.FIONREAD, b"\0" * 4))[0]
            except (OSError, ValueError):
                return
            if unread == 0 and self._pump_idle:
                return
            time.sleep(0.001)

    def _start(self) -> None:
        with self._cond:
            self._generation += 1
            generation = self._generation
            self._ready, self._init_error, self._exited = False, None, False
            # the template's handler under awslambdaric (bandit B603)
            self._process = subprocess.Popen(  # nosec B603
                [self.python, "-m", "awslambdaric", self.spec.handler],
                cwd=self.spec.code_dir, env=self.environment(), stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        threading.Thread(target=self._pump_output, args=(self._process, generation),
                         name="runtime-logs", daemon=True).start()

    def stop(self) -> None:
        """Stops the runtime (as Lambda recycles an idle environment): the next invocation is a cold start."""
        with self._invoke_lock:
            self._stop()

    def _stop(self) -> None:
        with self._cond:
            process, self._process = self._process, None
            self._generation += 1
            self._ready = False
            self._cond.notify_all()
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=10)

    @property
    def warm(self) -> bool:
        return self._process is not None and self._process.poll() is None and self._ready

    def _max_memory_mb(self) -> int:
        if self._process is None:
            return 0
        try:
            status = Path(f"/proc/{self._process.pid}/status").read_text()
        except OSError:
            return 0
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return math.ceil(int(line.split()[1]) / 1024)
        return 0

    def _cold_start(self) -> tuple[float, Result | None]:
        """Starts the runtime and waits for its first poll; returns the init time and, on failure, the error."""
        started = time.perf_counter()
        try:
            self._start()
        except OSError as exc:  # --python points at nothing runnable
            self.log(f"INIT_REPORT Phase: init\tStatus: error\tError Type: Runtime.InvalidEntrypoint ({exc})")
            refusal = _error_payload("Runtime.InvalidEntrypoint", f"cannot start {self.python}: {exc.strerror}")
            return 0.0, Result(refusal, "Unhandled")
        with self._cond:
            self._cond.wait_for(lambda: self._ready or self._init_error or self._exited, timeout=INIT_TIMEOUT)
            init_ms = (time.perf_counter() - started) * 1000
            if self._ready:
                return init_ms, None
            error = self._init_error
        self._stop()
        if error is not None:
            error_type = error.get("errorType") or "Runtime.Unknown"
            payload = json.dumps({k: error[k] for k in ("errorMessage", "errorType", "stackTrace") if k in error})
        elif init_ms >= INIT_TIMEOUT * 1000:
            error_type = "Sandbox.Timedout"
            payload = _error_payload(error_type, f"Init timed out after {INIT_TIMEOUT:.2f} seconds").decode()
        else:
            error_type = "Runtime.ExitError"
            payload = _error_payload(error_type, "Runtime exited without providing a reason").decode()
        self.log(f"INIT_REPORT Init Duration: {init_ms:.2f} ms\tPhase: init\tStatus: error\tError Type: {error_type}")
        return init_ms, Result(payload.encode(), "Unhandled", init_ms=init_ms)

    # ----- invocations ------------------------------------------------------------------------------------------

    def invoke(self, event: bytes, client_context: str | None = None, tail: bool = False) -> Result:
        with self._invoke_lock:
            return self._invoke(event, client_context, tail)

    def _invoke(self, event: bytes, client_context: str | None, tail: bool) -> Result:
        with self._cond:
            self._capture = [] if tail else None
        init_ms = None
        if not self.warm:
            self._stop()
            init_ms, failure = self._cold_start()
            if failure is not None:
                failure.log_tail = self._end_capture()
                return failure
        request_id = str(uuid.uuid4())
        timeout = self.spec.timeout
        started = time.perf_counter()
        invocation = Invocation(request_id, event, int(time.time() * 1000 + timeout * 1000), client_context)
        self.log(f"START RequestId: {request_id} Version: $LATEST")
        with self._cond:
            self._pending = invocation
            self._cond.notify_all()
        finished = invocation.done.wait(timeout)
        duration_ms = (time.perf_counter() - started) * 1000
        timed_out = not finished
        if timed_out:
            with self._cond:
                self._finish(invocation, _error_payload(
                    "Sandbox.Timedout", f"RequestId: {request_id} Error: Task timed out after {timeout:.2f} seconds"),
                    "Sandbox.Timedout")
            self.log(f"{_log_time()} {request_id} Task timed out after {timeout:.2f} seconds")
        self._drain_output()
        memory = self._max_memory_mb()
        if timed_out or invocation.error_type in ("Runtime.ExitError",):
            self._stop()  # Lambda discards an environment that timed out or crashed
        self.log(f"END RequestId: {request_id}")
        report = (f"REPORT RequestId: {request_id}\tDuration: {duration_ms:.2f} ms\t"
                  f"Billed Duration: {math.ceil(duration_ms + (init_ms or 0))} ms\t"
                  f"Memory Size: {self.spec.memory_mb} MB\tMax Memory Used: {memory} MB")
        if init_ms is not None:
            report += f"\tInit Duration: {init_ms:.2f} ms"
        if timed_out:
            report += "\tStatus: timeout"
        self.log(report)
        if memory > self.spec.memory_mb:
            self.log(f"WARNING: Max Memory Used {memory} MB is over MemorySize {self.spec.memory_mb} MB: "
                     f"Lambda would stop this function (Runtime.OutOfMemory)")
        function_error = "Unhandled" if invocation.error_type else None
        return Result(invocation.payload, function_error, self._end_capture(), request_id, init_ms, duration_ms)

    def _end_capture(self) -> str:
        with self._cond:
            lines, self._capture = self._capture, None
        return "\n".join(lines or [])[-LOG_TAIL_BYTES:]

    def _finish(self, invocation: Invocation, payload: bytes, error_type: str | None) -> None:
        """Records an invocation's outcome once (the caller holds the condition)."""
        if invocation.done.is_set():
            return
        invocation.payload, invocation.error_type = payload, error_type
        if self._current is invocation:
            self._current = None
        if self._pending is invocation:
            self._pending = None
        invocation.done.set()

    # ----- Runtime API callbacks (run on the runtime API server's threads) -------------------------------------

    def next_invocation(self) -> Invocation | None:
        with self._cond:
            generation = self._generation
            self._ready = True
            self._cond.notify_all()
            self._cond.wait_for(lambda: self._pending is not None or self._generation != generation)
            if self._generation != generation:
                return None
            invocation, self._pending = self._pending, None
            self._current = invocation
            return invocation

    def post_response(self, request_id: str, body: bytes) -> bool:
        with self._cond:
            invocation = self._current
            if invocation is None or invocation.request_id != request_id:
                return False
            if len(body) > MAX_PAYLOAD:
                self._finish(invocation, _error_payload(
                    "Function.ResponseSizeTooLarge",
                    f"Response payload size ({len(body)} bytes) exceeded maximum allowed payload size "
                    f"({MAX_PAYLOAD} bytes)."), "Function.ResponseSizeTooLarge")
            else:
                self._finish(invocation, body, None)
            return True

    def post_error(self, request_id: str, body: bytes, error_type: str | None) -> bool:
        with self._cond:
            invocation = self._current
            if invocation is None or invocation.request_id != request_id:
                return False
            try:
                error = json.loads(body or b"{}")
            except ValueError:
                error = {"errorMessage": body.decode("utf-8", "replace")}
            error.pop("requestId", None)
            error.setdefault("errorType", error_type or "Unhandled")
            self._finish(invocation, json.dumps(error).encode(), error["errorType"])
            return True

    def post_init_error(self, body: bytes, error_type: str | None) -> None:
        with self._cond:
            try:
                error = json.loads(body or b"{}")
            except ValueError:
                error = {"errorMessage": body.decode("utf-8", "replace")}
            error.setdefault("errorType", error_type or "Runtime.Unknown")
            self._init_error = error
            self._cond.notify_all()

    def close(self) -> None:
        self._stop()
        self._server.shutdown()
        self._server.server_close()


class QuietHTTPServer(ThreadingHTTPServer):
    """A threaded HTTP server that does not print a traceback when a stopped runtime hangs up."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class _RuntimeApiServer(QuietHTTPServer):
    """One sandbox's Runtime API: its handlers reach the sandbox through the server."""

    sandbox: Sandbox


class _RuntimeApiHandler(BaseHTTPRequestHandler):
    """The Lambda Runtime API (2018-06-01) as the runtime interface client uses it."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # header and body go out as separate writes: no 40 ms delayed-ACK stalls

    def log_message(self, format, *args):  # noqa: A002 - quiet: the REPORT lines say what happened
        pass

    @property
    def sandbox(self) -> Sandbox:
        return cast(_RuntimeApiServer, self.server).sandbox

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _reply(self, status: int, body: dict, headers: dict | None = None, raw: bytes | None = None) -> None:
        data = raw if raw is not None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802
        if self.path != f"{RUNTIME_API}/invocation/next":
            return self._reply(404, {"errorMessage": "not found", "errorType": "NotFound"})
        invocation = self.sandbox.next_invocation()
        if invocation is None:  # this runtime was stopped while it waited
            self.close_connection = True
            return self._reply(410, {"errorMessage": "runtime stopped", "errorType": "Runtime.Stopped"})
        headers = {
            "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
            "Lambda-Runtime-Deadline-Ms": str(invocation.deadline_ms),
            "Lambda-Runtime-Invoked-Function-Arn": self.sandbox.arn,
            "Lambda-Runtime-Trace-Id": f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]};Sampled=0",
        }
        if invocation.client_context:
            headers["Lambda-Runtime-Client-Context"] = invocation.client_context
        self._reply(200, {}, headers, raw=invocation.event)

    def do_POST(self):  # noqa: N802
        body = self._body()
        parts = self.path.removeprefix(RUNTIME_API).strip("/").split("/")
        error_type = self.headers.get("Lambda-Runtime-Function-Error-Type")
        if parts == ["init", "error"]:
            self.sandbox.post_init_error(body, error_type)
            return self._reply(202, {"status": "OK"})
        if len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
            if parts[2] == "response":
                accepted = self.sandbox.post_response(parts[1], body)
            else:
                accepted = self.sandbox.post_error(parts[1], body, error_type)
            if accepted:
                return self._reply(202, {"status": "OK"})
            return self._reply(400, {"errorMessage": "Invalid request ID", "errorType": "InvalidRequestID"})
        return self._reply(404, {"errorMessage": "not found", "errorType": "NotFound"})
