"""``make bench`` keeps working: a tiny run prints every ratio the targets are about, the deployed artifact's
cold start against the hello-world skill's among them (values are not judged here; speed is judged by the
benchmark itself, as ratios measured in one run)."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT


def test_a_tiny_benchmark_run_reports_every_ratio():
    result = subprocess.run([sys.executable, "benchmarks/bench.py", "--rounds", "2", "--cold-runs", "1",
                             "--no-zip", "--no-write"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = result.stdout
    for label in ("Warm median ratio: ", "Cold-start ratio: ", "peak memory ratio "):
        assert re.search(label + r"\**\d+\.\d\dx", report), label
    assert re.search(r"the last one reading the table\): \d+ ms, \d+\.\d\dx the stock skill's cold start", report)
    assert re.search(r"Reading the key salt from Secrets Manager .* adds -?\d+ ms", report)
    assert re.search(r"Deployed artifact's cold-start ratio to the hello-world skill's: \*\*\d+\.\d\dx\*\*", report)
    for target in (r"warm median \| \d+\.\d\dx \| at most 0\.9x", r"warm p99 \| \d+\.\d\dx \| at most 2\.0x",
                   r"deployed cold start \| \d+\.\d\dx \| at most 1\.2x"):
        assert re.search(target + r" \| (yes|no) \|", report), target
