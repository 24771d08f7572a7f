"""gunicorn's gthread worker, with a deadline on every read from a client.

gunicorn's gthread worker gives a connection a thread once its first bytes arrive, then reads the rest of
the request with a blocking socket and no timeout: a client that sends half a header, or a body shorter
than its Content-Length, holds that thread for ever, and a few such clients stall every request behind
them (Alexa gives up after 8 s). Here each connection's socket gets ``READ_TIMEOUT_SECONDS`` on every
read, so a stalled client costs at most that, then its connection is closed; whoever sends a whole request
is unaffected. Used by skill/web/gunicorn.conf.py.

Known gap (tests/test_web_slow_clients.py): with 50 half-header connections a real request is answered at
once, but only some of the 50 are closed after the deadline so far; why the others stay open is not yet
found.
"""

from __future__ import annotations

import errno
import os

from gunicorn.workers.gthread import TConn, ThreadWorker  # type: ignore[import-untyped]

READ_TIMEOUT_SECONDS = float(os.environ.get("WEB_READ_TIMEOUT", "5"))  # seconds; the environment is for tests


class _BoundedConn(TConn):
    def init(self):
        super().init()  # the worker sets the socket blocking (no timeout) before each request: bound it again
        self.sock.settimeout(READ_TIMEOUT_SECONDS)


class BoundedThreadWorker(ThreadWorker):
    def accept(self, listener):
        """As gunicorn's ``accept``, with the bounded connection."""
        try:
            client_sock, client_addr = listener.accept()
            self.nr_conns += 1
            client_sock.setblocking(True)
            self.enqueue_req(_BoundedConn(self.cfg, client_sock, client_addr, listener.getsockname()))
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
