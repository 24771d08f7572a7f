"""Serve a WSGI app with werkzeug's real threaded server on 127.0.0.1 in a background thread.

For tests, the load benchmark and local tools: binds port 0 (a free port), and
always shuts the server down and closes the socket when the block ends.
``served_child`` does the same for ``python -m skill serve`` run as a child process.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess  # nosec B404
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from werkzeug.serving import make_server

LISTENING = re.compile(r"listening on (https?://\S+)")


@contextmanager
def serving(app, host: str = "127.0.0.1", route: str = "/") -> Iterator[str]:
    """``with serving(app) as url:`` -> ``http://127.0.0.1:<port><route>`` while the block runs."""
    server = make_server(host, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=f"werkzeug-{server.server_port}", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}{route}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def stop(process: subprocess.Popen, reader: threading.Thread | None = None, timeout: float = 10) -> None:
    """End a server started as a child process: terminate, kill if it lingers, then close its output."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)
    if reader is not None:
        reader.join(timeout=timeout)
    if process.stdout is not None:
        process.stdout.close()


@contextmanager
def served_child(args: list[str], cwd: str | os.PathLike, env: dict[str, str], timeout: float = 30) -> Iterator[str]:
    """Run a server (``python -m skill serve --port 0 ...``) as a child; yield the URL it prints; always stop it.

    Its standard output is read to the end in a thread, so the child never blocks on a full pipe; its
    standard error (warnings, werkzeug's request lines) is discarded.
    """
    # a command line built by the caller from sys.executable and fixed arguments (bandit B603)
    process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE,  # nosec B603
                               stderr=subprocess.DEVNULL, text=True)
    output = process.stdout
    if output is None:  # never with stdout=PIPE; checked so that the reader below surely has a pipe
        stop(process)
        raise RuntimeError("the server's standard output is not a pipe")
    lines: "queue.Queue[str | None]" = queue.Queue()

    def read() -> None:
        for line in output:
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=read, name="served-child-output", daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise RuntimeError(f"the server did not say where it listens within {timeout:.0f} s") from None
            if line is None:
                raise RuntimeError(f"the server exited (status {process.wait()}) before it listened")
            match = LISTENING.search(line)
            if match:
                break
        yield match.group(1)
    finally:
        stop(process, reader)
