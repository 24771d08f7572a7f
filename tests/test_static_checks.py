"""What `make lint` promises beyond pass or fail: bandit's skips are all still needed, and the ASK CLI's
state (`ask deploy` writes `.ask/`) can never be committed by accident."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_every_bandit_skip_still_matches_a_finding():
    """A stale ``# nosec`` hides nothing today and would hide a real finding added on its line tomorrow."""
    bandit = Path(sys.executable).parent / "bandit"
    result = subprocess.run([str(bandit), "--quiet", "--recursive", "skill", "lambda"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout
    assert "nosec encountered" not in result.stderr, result.stderr


def test_the_ask_cli_state_folder_is_ignored_by_git():
    result = subprocess.run(["git", "check-ignore", "--quiet", "--no-index", ".ask/ask-states.json"], cwd=ROOT)
    assert result.returncode == 0
