"""Say evaluation utterances through virtual-alexa (npm) to the skill served over HTTP.

``python -m skill serve --no-verify --port 0`` runs as a child process; ``tools/virtual-alexa/run.js``
resolves each utterance against the interaction model by sample matching, as virtual-alexa does, and
drives that endpoint: one fresh session per item (launch, the context answers, the utterance). It
needs Node and ``tools/virtual-alexa/node_modules`` (``make node-install``, or ``npm ci`` run here when
npm is on PATH); without them ``Unavailable`` says why, and the caller skips this resolver.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess  # nosec B404
import sys
import tempfile
from pathlib import Path

from skill.local.envelopes import DEFAULT_SKILL_ID
from skill.local.local_server import served_child

ROOT = Path(__file__).resolve().parents[2]
TOOL_DIR = ROOT / "tools" / "virtual-alexa"
RUNNER = TOOL_DIR / "run.js"
NPM_CI = ["ci", "--ignore-scripts", "--no-audit", "--no-fund"]  # aws-sdk's postinstall only prints a notice
RUN_TIMEOUT_S = 600
INSTALL_TIMEOUT_S = 600


class Unavailable(RuntimeError):
    """virtual-alexa cannot run here (no Node, or its packages cannot be installed); the message says why."""


def installed() -> bool:
    return (TOOL_DIR / "node_modules" / "virtual-alexa" / "package.json").is_file()


def ensure_installed() -> str:
    """The path of ``node``, with the runner's packages installed (``npm ci`` if they are missing)."""
    node = shutil.which("node")
    if node is None:
        raise Unavailable("node is not on PATH: install Node 18 or newer to run the virtual-alexa evaluation")
    if not installed():
        npm = shutil.which("npm")
        if npm is None:
            raise Unavailable("tools/virtual-alexa/node_modules is missing and npm is not on PATH (make node-install)")
        print("installing virtual-alexa: npm ci in tools/virtual-alexa", file=sys.stderr, flush=True)
        # npm with fixed arguments, in our own folder (bandit B603)
        done = subprocess.run([npm, *NPM_CI], cwd=TOOL_DIR, capture_output=True, text=True,  # nosec B603
                              timeout=INSTALL_TIMEOUT_S, check=False)
        if done.returncode != 0 or not installed():
            raise Unavailable(f"npm ci failed in tools/virtual-alexa: {done.stderr.strip()[-500:]}")
    return node


def serve_command() -> list[str]:
    return [sys.executable, "-m", "skill", "serve", "--no-verify", "--port", "0"]


def child_environment(skill_id: str) -> dict[str, str]:
    """The served skill's environment: this skill id only, and no memory table (each item starts afresh)."""
    env = {key: value for key, value in os.environ.items() if key != "TABLE_NAME"}
    return {**env, "SKILL_ID": skill_id, "PYTHONUNBUFFERED": "1"}


def run(items: list[dict], model: Path, locale: str, skill_id: str = DEFAULT_SKILL_ID) -> list[dict]:
    """One result per item ``{"utterance", "context_answers"}``, in order, as ``run.js`` reports them.

    The skill is served with ``SKILL_ID=skill_id`` and virtual-alexa sends that application id.
    """
    node = ensure_installed()
    env = child_environment(skill_id)
    with tempfile.TemporaryDirectory(prefix="nlu-eval-") as folder:
        items_file = Path(folder) / "items.json"
        items_file.write_text(json.dumps(items), encoding="utf-8")
        with served_child(serve_command(), cwd=ROOT, env=env) as url:
            command = [node, str(RUNNER), "--model", str(model), "--url", url, "--items", str(items_file),
                       "--locale", locale, "--application-id", skill_id]
            # node with our own script and paths (bandit B603)
            done = subprocess.run(command, cwd=TOOL_DIR, env=env, capture_output=True, text=True,  # nosec B603
                                  timeout=RUN_TIMEOUT_S, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"tools/virtual-alexa/run.js failed ({done.returncode}): {done.stderr.strip()[-1000:]}")
    results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(results) != len(items):
        raise RuntimeError(f"run.js reported {len(results)} results for {len(items)} items")
    return results
