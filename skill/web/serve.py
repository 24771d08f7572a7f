"""``python -m skill serve``: run the verified web endpoint with werkzeug's threaded server.

For a machine of your own or a quick check. In production, run the same app with
gunicorn behind TLS (see docs/self-hosting.md). Prints one
line with the address it listens on (``--port 0`` picks a free port) and, on
every start, a warning for each setting that weakens verification.
"""

from __future__ import annotations

import argparse
import signal
import sys
from typing import Any

NO_VERIFY_WARNING = ("WARNING: --no-verify: Alexa request signatures, certificates and timestamps are NOT checked. "
                     "Anyone who can reach this port can talk to the skill. For local testing only.")
TEST_TRUST_WARNING = ("WARNING: --test-trust-roots: trusting {} instead of the system's certificate authorities. "
                      "For offline testing only.")
TEST_CERT_DIR_WARNING = ("WARNING: --test-cert-dir: signing certificates are read from {} instead of being "
                         "downloaded from Amazon. For offline testing only.")
NO_SKILL_ID_WARNING = "WARNING: SKILL_ID is not set: requests for any skill id are answered."


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


def _stop(signum, frame):
    raise KeyboardInterrupt  # leave serve_forever() and close the socket, as Ctrl-C does


def run(args: argparse.Namespace) -> int:
    from werkzeug.serving import make_server

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
    server = make_server(args.host, args.port, app, threaded=True, ssl_context=ssl_context)
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
