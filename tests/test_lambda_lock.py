"""The Lambda artifact's dependencies: every one pinned in lambda/requirements.txt, hashed in
lambda/requirements.lock (pip-compile --generate-hashes), installed from the lock with --require-hashes,
and the lock current with its input.

Offline, the lock is checked against its input (same pins, every one hashed, made by the command in
its header); where PyPI answers and pip-tools is installed, the lock is also generated again from the
input and must come out byte for byte the same.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from skill.local import build

INPUT = ROOT / "lambda" / "requirements.txt"
LOCK = ROOT / "lambda" / "requirements.lock"
COMMAND = ("pip-compile --allow-unsafe --generate-hashes --no-emit-find-links --no-emit-index-url "
           "--output-file=requirements.lock --strip-extras requirements.txt")
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([A-Za-z0-9.+!-]+)")


def input_pins() -> dict[str, str]:
    pins = {}
    for line in INPUT.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            match = PIN.fullmatch(line) or pytest.fail(f"not an exact pin in {INPUT.name}: {line!r}")
            pins[match.group(1).lower()] = match.group(2)
    return pins


def locked() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) in the lock."""
    entries: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in LOCK.read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = match.group(1).lower()
            entries[current] = (match.group(2), [])
        for digest in re.findall(r"--hash=sha256:([0-9a-f]{64})", line):
            assert current is not None
            entries[current][1].append(digest)
    return entries


def test_every_runtime_dependency_is_pinned_exactly_the_ones_the_issue_names_included():
    pins = input_pins()
    assert {"requests", "urllib3", "idna", "certifi", "charset-normalizer", "python-dateutil"} <= set(pins)
    assert pins["python-dateutil"].startswith("2.")  # 4.x conflicts with botocore


def test_the_lock_pins_what_its_input_pins_and_nothing_else_each_with_hashes():
    entries = locked()
    assert {name: version for name, (version, _h) in entries.items()} == input_pins()
    assert all(hashes for _v, hashes in entries.values()), "a locked package without a hash"


def test_the_lock_says_the_command_that_made_it():
    assert f"#    {COMMAND}\n" in LOCK.read_text()


def test_the_build_installs_from_the_lock_with_require_hashes(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(build.subprocess, "run", lambda args, **kw: calls.append(args))
    build.install_requirements(tmp_path, "3.12")
    (pip,) = calls
    assert "--require-hashes" in pip and pip[pip.index("--requirement") + 1] == str(LOCK)
    assert str(INPUT) not in pip


def pypi_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=3).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(shutil.which("pip-compile", path=str(Path(sys.executable).parent)) is None,
                    reason="pip-tools is not installed (requirements-dev.txt installs it)")
def test_the_lock_is_current_with_its_input(tmp_path):
    if not pypi_reachable():
        pytest.skip("PyPI is not reachable: the offline checks above still ran")
    shutil.copy(INPUT, tmp_path / "requirements.txt")
    compile_ = str(Path(sys.executable).parent / "pip-compile")
    # pip-compile with fixed arguments on copies in a temporary folder
    done = subprocess.run([compile_, "--quiet", *COMMAND.split()[1:]], cwd=tmp_path,  # noqa: S603
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "requirements.lock").read_text() == LOCK.read_text(), (
        "lambda/requirements.lock is not what its input gives: run, in lambda/, " + COMMAND)
