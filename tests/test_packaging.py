"""``pip install .``: the ``skill`` package with its data and the ``back-pain-check`` command, run away from the
source tree, answering a real request envelope the way ``python -m skill`` does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow


# what a checkout holds besides the project's own files; setuptools' build/ and egg-info land in the copy
NOT_IN_A_CHECKOUT = shutil.ignore_patterns(".git", ".venv*", "dist", "build", "*.egg-info", ".aws-sam", "__pycache__",
                                           ".*_cache", ".hypothesis")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A copy of the checkout, top-level folders and all, installed with pip into a folder of its own
    (its dependencies come from the test venv)."""
    source = tmp_path_factory.mktemp("checkout") / "back-pain-check"
    shutil.copytree(ROOT, source, symlinks=True, ignore=NOT_IN_A_CHECKOUT)
    target = tmp_path_factory.mktemp("installed")
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                             "--no-deps", "--target", str(target), str(source)],
                            cwd=source.parent, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return target


def run(installed: Path, *args: str) -> subprocess.CompletedProcess:
    """The installed console script, from a folder that holds no ``skill`` of its own."""
    env = {**os.environ, "PYTHONPATH": str(installed)}
    return subprocess.run([str(installed / "bin" / "back-pain-check"), *args], cwd=installed.parent,
                          capture_output=True, text=True, env=env, timeout=120)


def test_only_the_skill_package_is_installed_with_its_protocol_locales_and_screens(installed):
    assert sorted(p.name for p in installed.iterdir() if not p.name.endswith(".dist-info")) == ["bin", "skill"]
    data = installed / "skill"
    assert (data / "triage" / "data" / "protocol.json").is_file()
    for kind in ("locales", "understanding"):  # what each locale says, and how it understands people
        assert {p.name for p in (data / "triage" / "data" / kind).iterdir()} == {
            p.name for p in (ROOT / "skill" / "triage" / "data" / kind).iterdir()}
    assert {p.name for p in (data / "alexa" / "apl").glob("*.json")} == {"question.json", "outcome.json"}


def test_the_installed_command_answers_a_launch_request_from_its_own_data(installed):
    result = run(installed, "invoke", str(ROOT / "events" / "launch.json"))
    assert result.returncode == 0, result.stderr
    assert "Back Pain Check: guidance" in result.stdout
    assert str(ROOT) not in result.stdout + result.stderr


def test_the_installed_command_is_python_dash_m_skill():
    """Same parser, same commands: the console script calls ``skill.__main__.main``."""
    metadata = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert metadata["project"]["scripts"] == {"back-pain-check": "skill.__main__:main"}


def test_the_package_needs_what_the_requirements_files_pin():
    metadata = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    def pins(path: Path) -> list[str]:
        lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
        return [line for line in lines if line and not line.startswith("-r")]

    assert metadata["dependencies"] == pins(ROOT / "lambda" / "requirements.txt")
    assert metadata["optional-dependencies"]["web"] == pins(ROOT / "skill" / "web" / "requirements.txt")
    boto3 = [pin for pin in pins(ROOT / "requirements-dev.txt") if pin.startswith("boto3==")]
    assert metadata["optional-dependencies"]["aws"] == boto3


def test_the_installed_help_is_the_modules_help_under_its_own_name(installed):
    from_package = run(installed, "--help")
    from_module = subprocess.run([sys.executable, "-m", "skill", "--help"], cwd=ROOT, capture_output=True,
                                 text=True, timeout=60)
    assert from_package.returncode == from_module.returncode == 0
    assert from_package.stdout.startswith("usage: back-pain-check ")
    assert from_package.stdout.replace("back-pain-check [", "python -m skill [", 1) == from_module.stdout
    assert "``" not in from_module.stdout
