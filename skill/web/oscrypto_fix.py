"""Let oscrypto 1.3.0 read OpenSSL 3.0.10+ version strings, without touching site-packages.

Why: flask-ask-sdk -> ask-sdk-webservice-support -> certvalidator -> oscrypto.
oscrypto 1.3.0 (the last release on PyPI) finds libcrypto's version with the
regular expression ``\\b(\\d\\.\\d\\.\\d[a-z]*)\\b``, which cannot match a
two-digit patch number: "OpenSSL 3.0.19 27 Jan 2026" makes
``import oscrypto.asymmetric`` raise ``LibraryNotFoundError("Error detecting
the version of libcrypto")`` (upstream issues wbond/oscrypto#75 and #78). The
fix upstream (pull request #76, on master, not released) lets the last number
have more digits: ``\\d+``.

How: ``install()`` puts an import finder in front of ``sys.meta_path`` for the
two oscrypto modules that hold that expression. When one is imported, the
finder reads the installed source; only if it contains the exact buggy
expression does it load the module from the source with that one expression
replaced by the upstream one. Any other source (a fixed oscrypto, a future
release) is left to the normal import system, so the fix becomes a no-op by
itself. Nothing on disk is changed and no bytecode is written for the patched
source. Call ``install()`` before anything imports certvalidator or oscrypto.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import threading

# The expressions exactly as written in oscrypto 1.3.0's source, and upstream's fix.
BUGGY_VERSION_PATTERN = r"re.search('\\b(\\d\\.\\d\\.\\d[a-z]*)\\b', version_string)"
FIXED_VERSION_PATTERN = r"re.search('\\b(\\d\\.\\d\\.\\d+[a-z]*)\\b', version_string)"
PATCHED_MODULES = frozenset({"oscrypto._openssl._libcrypto_cffi", "oscrypto._openssl._libcrypto_ctypes"})

_install_lock = threading.Lock()


def patched_source(source: str) -> str | None:
    """The source with the version expression fixed, or None when the source does not have the bug."""
    if BUGGY_VERSION_PATTERN not in source:
        return None
    return source.replace(BUGGY_VERSION_PATTERN, FIXED_VERSION_PATTERN)


class _PatchedSourceLoader(importlib.machinery.SourceFileLoader):
    """Loads one module from its file with the version expression fixed (bypasses the bytecode cache)."""

    def get_code(self, fullname):
        source = self.get_data(self.path).decode("utf-8")
        return compile(patched_source(source) or source, self.path, "exec", dont_inherit=True)

    def get_source(self, fullname):
        source = self.get_data(self.path).decode("utf-8")
        return patched_source(source) or source


class OscryptoVersionFinder:
    """Meta path finder that hands the two affected modules to the patching loader, and only when needed."""

    patched: set[str]

    def __init__(self):
        self.patched = set()

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in PATCHED_MODULES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return None
        with open(spec.origin, encoding="utf-8") as source_file:
            if patched_source(source_file.read()) is None:
                return None  # this oscrypto does not have the bug: import it untouched
        self.patched.add(fullname)
        return importlib.util.spec_from_file_location(
            fullname, spec.origin, loader=_PatchedSourceLoader(fullname, spec.origin),
            submodule_search_locations=None,
        )


def installed_finder() -> OscryptoVersionFinder | None:
    return next((f for f in sys.meta_path if isinstance(f, OscryptoVersionFinder)), None)


def install() -> OscryptoVersionFinder:
    """Install the finder once per process (idempotent); returns it so callers can see what it patched."""
    with _install_lock:
        finder = installed_finder()
        if finder is None:
            finder = OscryptoVersionFinder()
            sys.meta_path.insert(0, finder)
        return finder

