"""One form of the signing-certificate URL: the form that is checked is the form that is fetched.

The SDK checks ``os.path.normpath`` of the raw path but downloads the raw URL,
so ``/echo.api/%2E%2E/elsewhere.pem`` passed the check while the server it is
sent to may decode and resolve it outside ``/echo.api/``. Here the URL is
normalised once, as Alexa's documentation asks (host case folded, default port
dropped, percent-encoding decoded, dot segments removed); the SDK's checks
then run on that URL and the certificate chain is downloaded from it.

Anything that has no single reading is refused rather than guessed at: user
info, a query or fragment, characters outside printable ASCII, encoding that
survives one decoding (``%252E``), empty path segments.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from . import oscrypto_fix

oscrypto_fix.install()  # the SDK's verifier module imports certvalidator -> oscrypto

from ask_sdk_webservice_support.verifier import VerificationException  # noqa: E402

DEFAULT_PORT = 443


def _refuse(why: str) -> VerificationException:
    return VerificationException(f"Signature Certificate URL {why}")


def normalise(url: object) -> str:
    """The normal form of a certificate URL; raises ``VerificationException`` when it has none."""
    if not isinstance(url, str) or not url.isascii() or not url.isprintable() or " " in url or "\\" in url:
        raise _refuse("has characters a URL cannot hold")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _refuse("cannot be read") from None
    if parts.username is not None or parts.password is not None or parts.query or parts.fragment:
        raise _refuse("has user info, a query or a fragment")
    try:
        path = unquote(parts.path, errors="strict")
    except UnicodeDecodeError:
        raise _refuse("has an ambiguous path") from None
    if "%" in path or "\\" in path or not path.startswith("/") or "//" in path:
        raise _refuse("has an ambiguous path")
    path = posixpath.normpath(path)  # dot segments resolved; a leading "/.." stays at the root
    host = parts.hostname or ""
    netloc = host if port in (None, DEFAULT_PORT) else f"{host}:{port}"
    return urlunsplit((parts.scheme.lower(), netloc, quote(path), "", ""))
