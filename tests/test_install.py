"""A newcomer's ``pip install .``: a clean venv (nothing from the test venv, no PyYAML), the checkout installed into
it, and the ``back-pain-check`` command run from a folder outside the checkout, as a person would after a clone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_packaging import NOT_IN_A_CHECKOUT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A new venv with the checkout (a copy, so setuptools' build/ stays out of it) installed by pip, with its
    dependencies from the package index (pip's cache makes later runs quicker)."""
    source = tmp_path_factory.mktemp("clone") / "back-pain-check"
    shutil.copytree(ROOT, source, symlinks=True, ignore=NOT_IN_A_CHECKOUT)
    venv = tmp_path_factory.mktemp("clean") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    result = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(source)],
                            cwd=source.parent, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return venv


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    """A working folder that is not the checkout, with a home of its own (the chat's memory goes there)."""
    folder = tmp_path / "somewhere"
    folder.mkdir()
    return folder


def command(venv: Path, elsewhere: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "VIRTUAL_ENV", "BACK_PAIN_CHECK_DB"}}
    env.update(HOME=str(elsewhere), XDG_STATE_HOME=str(elsewhere / "state"))
    return subprocess.run([str(venv / "bin" / "back-pain-check"), *args], cwd=elsewhere, input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)


def test_the_clean_venv_has_only_the_runtime_dependencies(venv):
    """What makes this test meaningful: nothing of the test venv's (PyYAML, moto, Flask) is there to lean on."""
    result = subprocess.run([str(venv / "bin" / "python"), "-c", "import yaml"], capture_output=True, text=True)
    assert result.returncode != 0 and "No module named 'yaml'" in result.stderr


def test_help_lists_the_commands(venv, elsewhere):
    result = command(venv, elsewhere, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: back-pain-check ")
    assert "chat" in result.stdout and "serve" in result.stdout and "``" not in result.stdout


def test_serve_help_works_without_the_web_extra(venv, elsewhere):
    result = command(venv, elsewhere, "serve", "--help")
    assert result.returncode == 0, result.stderr
    assert "--no-verify" in result.stdout


def test_serve_without_the_web_extra_says_what_to_install_in_one_line(venv, elsewhere):
    result = command(venv, elsewhere, "serve", "--port", "0")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert "pip install 'back-pain-check[web]'" in result.stderr


def test_a_chat_outside_the_checkout_hears_an_emergency(venv, elsewhere):
    result = command(venv, elsewhere, "chat", stdin="I have chest pain\n")
    assert result.returncode == 0, result.stderr
    assert "Call 911 now" in result.stdout
    assert result.stderr == ""
    # its memory is the person's own (XDG), not a folder of the checkout
    assert f"sqlite file {elsewhere / 'state' / 'back-pain-check' / 'memory.sqlite3'}" in result.stdout


def test_a_spanish_chat_outside_the_checkout(venv, elsewhere):
    result = command(venv, elsewhere, "chat", "--locale", "es-US", stdin="tengo dolor en el pecho\n")
    assert result.returncode == 0, result.stderr
    assert "Llame al 911 ahora" in result.stdout


def test_an_unsupported_locale_is_one_line_naming_the_valid_ones(venv, elsewhere):
    result = command(venv, elsewhere, "chat", "--locale", "fr-FR")
    assert result.returncode == 2
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    assert "fr-FR" in result.stderr and "en-US" in result.stderr and "es-US" in result.stderr


def test_a_command_that_needs_a_checkout_says_so_in_one_line(venv, elsewhere):
    result = command(venv, elsewhere, "build")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "needs a checkout" in result.stderr
