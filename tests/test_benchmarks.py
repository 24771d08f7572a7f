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


def test_a_short_tampering_fuzz_refuses_every_tampered_variant_and_every_ending_says_the_safety_net():
    """benchmarks/fuzz_tampering.py (issue 23): its exit status says no exception, every tampered variant
    refused, every ended reply with the safety net; a longer run gives the figures for the notes."""
    result = subprocess.run([sys.executable, "benchmarks/fuzz_tampering.py", "--sessions", "40", "--seed", "3"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"tampered variants: (\d+) sent, \1 refused", result.stdout)
    assert "exceptions: 0" in result.stdout
