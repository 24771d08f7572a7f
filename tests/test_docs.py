"""The README and docs/ as a newcomer reads them: every ``sh`` block runs as written, from the checkout.

A block that cannot run here (it needs AWS, a signed-in ASK CLI, a second terminal, or it rewrites a committed
file another test checks) carries, on the line before it, ``<!-- docs-test: skip: <why> -->``: it shows as a
skipped test with that reason, never silently. ``<!-- docs-test: expect: <text> -->`` also checks that the
block's output says ``text``. Blocks run with bash -e, input from /dev/null (a chat opens, then ends), and the
test's own throwaway memory file (``BACK_PAIN_CHECK_DB``, see conftest.py).
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MARK = re.compile(r"<!-- docs-test: (\w+): (.*?) -->")
BLOCK = re.compile(r"^((?:<!-- docs-test: .*? -->\n)*)```sh\n(.*?)^```", re.M | re.S)
KINDS = {"skip", "expect"}
README_LINES = 150


def blocks() -> list:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for block in BLOCK.finditer(text):
            line = text.count("\n", 0, block.start(2)) + 1
            marks: dict[str, list[str]] = {}
            for kind, value in MARK.findall(block.group(1)):
                marks.setdefault(kind, []).append(value)
            found.append(pytest.param(block.group(2), marks, id=f"{page.relative_to(ROOT)}:{line}"))
    return found


BLOCKS = blocks()


@pytest.mark.parametrize("script, marks", BLOCKS)
def test_the_documented_commands_run(script, marks, request):
    if "skip" in marks:
        pytest.skip(f"{request.node.callspec.id} is not run here, as the page says: {'; '.join(marks['skip'])}")
    if not (ROOT / ".venv" / "bin" / "python").is_file():
        pytest.skip("the documented commands use .venv/bin/python: run make install first")
    result = subprocess.run(["bash", "-e", "-c", script], cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=300, env=os.environ.copy())
    said = result.stdout + result.stderr
    assert result.returncode == 0, f"exit {result.returncode}:\n{script}\n{said[-3000:]}"
    assert "Traceback (most recent call last)" not in said, said[-3000:]
    for text in marks.get("expect", []):
        assert text in said, f"the page says the output has {text!r}:\n{said[-3000:]}"


def test_every_mark_is_on_a_block_and_of_a_known_kind():
    """A misspelt or misplaced mark would make a block run, or be skipped, for no stated reason."""
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        on_blocks = sum(len(MARK.findall(block.group(1))) for block in BLOCK.finditer(text))
        assert len(re.findall(r"<!-- docs-test", text)) == len(MARK.findall(text)) == on_blocks, page
        assert {kind for kind, _ in MARK.findall(text)} <= KINDS, page


def test_there_are_blocks_that_run_and_each_skip_says_why():
    assert any("skip" not in param.values[1] for param in BLOCKS)
    assert all(all(len(why) > 10 for why in param.values[1].get("skip", [])) for param in BLOCKS)


def test_every_example_uses_the_same_prefix():
    """``python -m skill`` runs only inside an activated venv, ``sam`` only where it is on the PATH: the pages say
    ``.venv/bin/python`` and ``.venv-sam/bin/sam``, which ``make install`` creates."""
    for param in BLOCKS:
        for line in param.values[0].splitlines():
            words = line.split("#")[0].replace("(", " ").replace("|", " ").replace("&&", " ").split()
            assert "python" not in words and "python3" not in words and "sam" not in words, (param.id, line)


def test_the_readme_is_short_and_its_links_lead_somewhere():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= README_LINES
    assert text.index("make chat") < text.index("## A conversation")  # the two commands come first
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if not target.startswith(("http://", "https://")):
                assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links to missing {target}"
