"""The oscrypto version-detection fix: it makes flask-ask-sdk importable here, and steps aside when not needed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from skill.web import oscrypto_fix
from skill.web.oscrypto_fix import BUGGY_VERSION_PATTERN, FIXED_VERSION_PATTERN, OscryptoVersionFinder, patched_source


def version_found(pattern_call: str, version_string: str) -> str | None:
    """Run one of the ``re.search(...)`` expressions as oscrypto does, on a given version string."""
    match = eval(pattern_call, {"re": re, "version_string": version_string})  # noqa: S307 (our own constant)
    return match.group(1) if match else None


@pytest.mark.parametrize("version_string, expected", [
    ("OpenSSL 3.0.19 27 Jan 2026", "3.0.19"),
    ("OpenSSL 3.0.10 1 Aug 2023", "3.0.10"),
    ("OpenSSL 3.0.9 30 May 2023", "3.0.9"),
    ("OpenSSL 1.1.1w  11 Sep 2023", "1.1.1w"),
])
def test_the_fixed_expression_reads_every_openssl_version_the_buggy_one_misses_two_digit_patches(
        version_string, expected):
    assert version_found(FIXED_VERSION_PATTERN, version_string) == expected
    two_digit_patch = re.search(r"\d\.\d\.\d\d", version_string) is not None
    assert (version_found(BUGGY_VERSION_PATTERN, version_string) is None) == two_digit_patch


def test_patched_source_changes_only_the_buggy_expression_and_leaves_fixed_source_alone():
    source = f"import re\nversion_match = {BUGGY_VERSION_PATTERN}\nother = 1\n"
    assert patched_source(source) == f"import re\nversion_match = {FIXED_VERSION_PATTERN}\nother = 1\n"
    assert patched_source(patched_source(source)) is None
    assert patched_source("print('a fixed oscrypto')\n") is None


def fake_oscrypto_module(directory: Path, source: str) -> list[str]:
    package = directory / "oscrypto" / "_openssl"
    package.mkdir(parents=True)
    (package / "_libcrypto_cffi.py").write_text(source)
    return [str(package)]


def test_the_finder_is_a_no_op_for_an_oscrypto_without_the_bug(tmp_path):
    fixed = f"import re\nversion_string = 'OpenSSL 3.0.19'\nversion_match = {FIXED_VERSION_PATTERN}\n"
    path = fake_oscrypto_module(tmp_path, fixed)
    assert OscryptoVersionFinder().find_spec("oscrypto._openssl._libcrypto_cffi", path) is None


def test_the_finder_loads_a_buggy_module_with_the_upstream_expression(tmp_path):
    buggy = f"import re\nversion_string = 'OpenSSL 3.0.19 27 Jan 2026'\nversion_match = {BUGGY_VERSION_PATTERN}\n"
    path = fake_oscrypto_module(tmp_path, buggy)
    finder = OscryptoVersionFinder()
    spec = finder.find_spec("oscrypto._openssl._libcrypto_cffi", path)
    assert spec is not None and finder.patched == {"oscrypto._openssl._libcrypto_cffi"}
    namespace: dict = {}
    exec(spec.loader.get_code(spec.name), namespace)  # noqa: S102 (the test's own file)
    assert namespace["version_match"].group(1) == "3.0.19"
    assert FIXED_VERSION_PATTERN in spec.loader.get_source(spec.name)


def test_the_finder_ignores_every_other_module():
    assert OscryptoVersionFinder().find_spec("json", None) is None
    assert OscryptoVersionFinder().find_spec("oscrypto.asymmetric", None) is None


def test_install_is_idempotent():
    first = oscrypto_fix.install()
    assert oscrypto_fix.install() is first
    assert sum(isinstance(f, OscryptoVersionFinder) for f in sys.meta_path) == 1


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)


INSTALLED_SOURCE_HAS_BUG = "from importlib.util import find_spec; import sys; " \
    "from skill.web.oscrypto_fix import BUGGY_VERSION_PATTERN as B; " \
    "paths = [find_spec(m).origin for m in " \
    "('oscrypto._openssl._libcrypto_cffi', 'oscrypto._openssl._libcrypto_ctypes')]; " \
    "print(any(B in open(p).read() for p in paths))"

LIBCRYPTO_VERSION = "import ctypes, ctypes.util; lib = ctypes.CDLL(ctypes.util.find_library('crypto')); " \
    "lib.OpenSSL_version.restype = ctypes.c_char_p; print(lib.OpenSSL_version(0).decode())"


def test_with_the_fix_flask_ask_sdk_imports_and_oscrypto_reads_this_machines_openssl_version():
    result = run_python(
        "from skill.web import oscrypto_fix; finder = oscrypto_fix.install(); "
        "import flask_ask_sdk.skill_adapter; from oscrypto._openssl import _libcrypto; "
        "print(_libcrypto.libcrypto_version_info); print(sorted(finder.patched))")
    assert result.returncode == 0, result.stderr
    version_info, patched = result.stdout.splitlines()
    libcrypto = run_python(LIBCRYPTO_VERSION).stdout
    assert version_info == str(tuple(int(n) for n in re.search(r"(\d+)\.(\d+)\.(\d+)", libcrypto).groups()))
    installed_has_bug = run_python(INSTALLED_SOURCE_HAS_BUG).stdout.strip() == "True"
    assert (patched != "[]") == installed_has_bug


def test_without_the_fix_the_import_fails_exactly_when_the_bug_meets_a_two_digit_openssl_patch():
    """Guards the premise: if this starts failing, a fixed oscrypto may be installed and the fix can go."""
    result = run_python("import flask_ask_sdk.skill_adapter")
    libcrypto = run_python(LIBCRYPTO_VERSION).stdout
    two_digit_patch = re.search(r"\b\d+\.\d+\.\d{2}", libcrypto) is not None
    installed_has_bug = run_python(INSTALLED_SOURCE_HAS_BUG).stdout.strip() == "True"
    expect_failure = installed_has_bug and two_digit_patch
    assert (result.returncode != 0) == expect_failure, result.stderr[-500:]
    if expect_failure:
        assert "Error detecting the version of libcrypto" in result.stderr


def test_the_fix_also_covers_oscryptos_ctypes_backend():
    result = run_python(
        "import oscrypto; oscrypto.use_ctypes(); from skill.web import oscrypto_fix; finder = oscrypto_fix.install(); "
        "import certvalidator; from oscrypto._openssl import _libcrypto; "
        "print(oscrypto.ffi(), _libcrypto.libcrypto_version_info >= (1, 0, 0))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ctypes", "True"]
