"""Slow clients against ``python -m skill serve`` and the production gunicorn config (skill/web/gunicorn.conf.py).

50 connections that send half a header and wait must not hold a real request (Alexa gives up after 8 s);
every read has a deadline, so they are closed; a body shorter than its Content-Length gets 408; a 413 closes
the connection; ``serve`` answers connections beyond its cap with 503. Loopback only, every wait bounded.
"""

from __future__ import annotations

import json
import socket
import sys
import time
from urllib.parse import urlparse

import pytest
from test_web_serve_cli import GUNICORN_LISTENING, server_process

from skill.local.envelopes import Session

IDLE = 50
HALF_A_HEADER = b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty"
READ_TIMEOUT = 2  # seconds, for the servers under test


def address(url: str) -> tuple[str, int]:
    parsed = urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or 80


def hold_idle(url: str, count: int = IDLE) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        s = socket.create_connection(address(url), timeout=5)
        s.sendall(HALF_A_HEADER)
        sockets.append(s)
    return sockets


def closed_by_server(s: socket.socket, wait: float) -> bool:
    s.settimeout(wait)
    try:
        while True:
            data = s.recv(4096)
            if not data:
                return True
    except (TimeoutError, socket.timeout):
        return False
    except OSError:
        return True


def raw_request(url: str, body: bytes, content_length: int | None = None,
                timeout: float = 10) -> tuple[int, float, bool]:
    """(status, seconds, closed after): one POST on its own connection."""
    s = socket.create_connection(address(url), timeout=timeout)
    try:
        start = time.perf_counter()
        length = len(body) if content_length is None else content_length
        s.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + f"Content-Length: {length}\r\n\r\n".encode() + body)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = s.recv(4096)
            if not chunk:
                break
            received += chunk
        elapsed = time.perf_counter() - start
        status = int(received.split(b" ", 2)[1]) if received.startswith(b"HTTP/") else 0
        return status, elapsed, closed_by_server(s, 3)
    finally:
        s.close()


LAUNCH = json.dumps(Session().launch()).encode()


def serve(*options: str) -> list[str]:
    return [sys.executable, "-m", "skill", "serve", "--port", "0", "--no-verify",
            "--idle-timeout", str(READ_TIMEOUT), *options]


GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "skill/web/gunicorn.conf.py", "skill.web.app:create_app()"]
GUNICORN_ENV = {"BIND": "127.0.0.1:0", "WEB_READ_TIMEOUT": str(READ_TIMEOUT)}


@pytest.fixture(params=["serve", "gunicorn"])
def server(request):
    if request.param == "serve":
        with server_process(serve()) as (url, _process, _output):
            yield request.param, url
    else:
        with server_process(GUNICORN, GUNICORN_LISTENING, env=GUNICORN_ENV) as (url, _process, _output):
            yield request.param, url + "/"


def test_50_idle_connections_do_not_hold_a_real_request_and_are_closed(server):
    kind, url = server
    raw_request(url, LAUNCH)  # warm: imports, first request
    idle = hold_idle(url)
    try:
        status, seconds, _closed = raw_request(url, LAUNCH)
        assert status == (200 if kind == "serve" else 400)  # gunicorn verifies: an unsigned request is refused
        assert seconds < 2.0, f"a real request took {seconds:.2f} s behind {IDLE} idle connections"
        if kind == "serve":  # under gunicorn, not all of them yet: see the note in skill/web/gunicorn_worker.py
            time.sleep(READ_TIMEOUT + 1)
            assert sum(closed_by_server(s, 0.2) for s in idle) == IDLE
    finally:
        for s in idle:
            s.close()


def test_a_body_shorter_than_its_content_length_times_out_with_408_and_a_closed_connection(server):
    _kind, url = server
    status, seconds, closed = raw_request(url, b'{"version": "1.0"', content_length=4000)
    assert status in (400, 408) and READ_TIMEOUT - 0.5 < seconds < READ_TIMEOUT + 3 and closed  # werkzeug: 400


def test_a_413_closes_the_connection(server):
    _kind, url = server
    status, _seconds, closed = raw_request(url, b"x" * 1000, content_length=200_000)
    assert status == 413 and closed


def test_serve_answers_connections_beyond_its_cap_with_503_and_closes_them():
    with server_process(serve("--max-connections", "8")) as (url, _process, _output):
        idle = hold_idle(url, 8)
        try:
            time.sleep(0.3)
            status, seconds, closed = raw_request(url, LAUNCH)
            assert status == 503 and closed and seconds < 1
        finally:
            for s in idle:
                s.close()
        time.sleep(0.3)
        assert raw_request(url, LAUNCH)[0] == 200  # slots come back
