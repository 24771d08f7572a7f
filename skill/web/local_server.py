"""Serve a WSGI app with werkzeug's real threaded server on 127.0.0.1 in a background thread.

For tests, the load benchmark and local tools: binds port 0 (a free port), and
always shuts the server down and closes the socket when the block ends.
"""

from __future__ import annotations

import subprocess  # nosec B404
import threading
from contextlib import contextmanager
from typing import Iterator

from werkzeug.serving import make_server


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
