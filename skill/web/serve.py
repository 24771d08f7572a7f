"""``python -m skill serve``: run the verified web endpoint with werkzeug's threaded server.

For a machine of your own or a quick check. In production, run the same app with
gunicorn and skill/web/gunicorn.conf.py behind TLS (see
docs/self-hosting.md). Slow clients cannot pile up: every read from a client has a
deadline (``--idle-timeout``: half a header, or a body shorter than its
Content-Length, is cut there), and at most ``--max-connections`` are served at
once (beyond that a connection gets a 503 and is closed at once). Prints one
line with the address it listens on (``--port 0`` picks a free port) and, on
every start, a warning for each setting that weakens verification.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any

NO_VERIFY_WARNING = ("WARNING: --no-verify: Alexa request signatures, certificates and timestamps are NOT checked. "
                     "Anyone who can reach this port can talk to the skill. For local testing only.")
TEST_TRUST_WARNING = ("WARNING: --test-trust-roots: trusting {} instead of the system's certificate authorities. "
                      "For offline testing only.")
TEST_CERT_DIR_WARNING = ("WARNING: --test-cert-dir: signing certificates are read from {} instead of being "
                         "downloaded from Amazon. For offline testing only.")
NO_SKILL_ID_WARNING = "WARNING: SKILL_ID is not set: requests for any skill id are answered."
IDLE_TIMEOUT_SECONDS = 5.0  # Alexa sends a whole request at once; gives up itself after 8 s
MAX_CONNECTIONS = 256
BUSY = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default: 8080; 0 picks a free one)")
    parser.add_argument("--route", default="/", help="path Alexa POSTs to (default: /)")
    parser.add_argument("--no-verify", action="store_true",
                        help="do not check signatures and timestamps (local testing only; warns on start)")
    parser.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM); needs --tls-key")
    parser.add_argument("--tls-key", help="private key (PEM) for --tls-cert")
    parser.add_argument("--test-trust-roots", metavar="PEM",
                        help="trust only these CA certificates for request signatures (offline tests only)")
    parser.add_argument("--test-cert-dir", metavar="DIR",
                        help="read signing-certificate chains from DIR/<file name in the URL> (offline tests only)")
    parser.add_argument("--idle-timeout", type=float, default=IDLE_TIMEOUT_SECONDS, metavar="SECONDS",
                        help=f"close a connection that sends nothing for this long (default: {IDLE_TIMEOUT_SECONDS:g})")
    parser.add_argument("--max-connections", type=int, default=MAX_CONNECTIONS, metavar="N",
                        help=f"connections served at once; more get 503 (default: {MAX_CONNECTIONS})")


def make_bounded_server(host: str, port: int, app, idle_timeout: float, max_connections: int,
                        ssl_context=None):
    """werkzeug's threaded server, with a deadline on every read and a cap on connections served at once."""
    from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

    class Handler(WSGIRequestHandler):
        timeout = idle_timeout  # socketserver sets it on the connection: each read waits at most this long

    class BoundedServer(ThreadedWSGIServer):
        slots = threading.BoundedSemaphore(max_connections)

        def process_request(self, request, client_address):
            if not self.slots.acquire(blocking=False):
                try:
                    request.settimeout(1.0)
                    request.sendall(BUSY)
                except OSError:
                    pass
                self.shutdown_request(request)
                return
            try:
                super().process_request(request, client_address)
            except BaseException:
                self.slots.release()
                raise

        def process_request_thread(self, request, client_address):
            try:
                super().process_request_thread(request, client_address)
            finally:
                self.slots.release()

    return BoundedServer(host, port, app, Handler, ssl_context=ssl_context)


def _stop(signum, frame):
    raise KeyboardInterrupt  # leave serve_forever() and close the socket, as Ctrl-C does


def run(args: argparse.Namespace) -> int:
    from ..alexa.app import configured_skill_id
    from .app import create_app
    from .verification import directory_cert_fetcher, load_trust_roots

    if bool(args.tls_cert) != bool(args.tls_key):
        print("--tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    options: dict[str, Any] = {}
    if args.no_verify:
        print(NO_VERIFY_WARNING, file=sys.stderr, flush=True)
    if args.test_trust_roots:
        options["trust_roots"] = load_trust_roots(args.test_trust_roots)
        print(TEST_TRUST_WARNING.format(args.test_trust_roots), file=sys.stderr, flush=True)
    if args.test_cert_dir:
        options["cert_fetcher"] = directory_cert_fetcher(args.test_cert_dir)
        print(TEST_CERT_DIR_WARNING.format(args.test_cert_dir), file=sys.stderr, flush=True)
    if configured_skill_id() is None:
        print(NO_SKILL_ID_WARNING, file=sys.stderr, flush=True)

    app = create_app(verify=not args.no_verify, route=args.route, **options)
    ssl_context = (args.tls_cert, args.tls_key) if args.tls_cert else None
    if args.idle_timeout <= 0 or args.max_connections < 1:
        print("--idle-timeout must be above 0 and --max-connections at least 1", file=sys.stderr)
        return 2
    server = make_bounded_server(args.host, args.port, app, args.idle_timeout, args.max_connections, ssl_context)
    scheme = "https" if ssl_context else "http"
    mode = "verification OFF" if args.no_verify else "verification on"
    print(f"Back Pain Check listening on {scheme}://{args.host}:{server.server_port}{args.route} ({mode})", flush=True)
    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
