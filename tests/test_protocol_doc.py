"""docs/protocol.md is what the data says, so a clinician reviews what the skill really does."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

from skill.local.protocol_doc import DOC_PATH, render


def test_committed_protocol_document_matches_the_data():
    assert DOC_PATH.read_text(encoding="utf-8") == render(), (
        "docs/protocol.md is stale: run `python -m skill protocol` and commit it")


def test_document_lists_every_question_with_wording_dispositions_and_sources(protocol, en_us):
    doc = render()
    for index, question in enumerate(protocol.questions, start=1):
        section = doc.split(f"### {index}. `{question.id}`")[1].split("###")[0]
        assert en_us.questions[question.id]["ask"] in section
        assert f"- yes: **{question.group}**" in section
        assert f"- not sure: **{question.group}**" in section
        assert "- no: " in section
        for sid in question.sources:
            assert protocol.sources[sid].title in section


def test_flowchart_has_every_question_and_every_edge(protocol):
    chart = render().split("```mermaid")[1].split("```")[0]
    assert chart.strip().startswith("flowchart TD")
    n = len(protocol.questions)
    for index, question in enumerate(protocol.questions, start=1):
        assert f'Q{index} -- "yes / not sure" --> {question.group}' in chart
        assert f"Q{index} -- no --> {'Q%d' % (index + 1) if index < n else protocol.no_red_flags}" in chart
    for code in protocol.ranks:
        assert re.search(rf"^\s+{code}\[\[", chart, re.M), code
    assert f"--> {protocol.emergency_interrupt}" in chart.split("interrupt(")[1]
    for line in chart.splitlines():  # a stray double quote inside a label breaks Mermaid
        labels = re.findall(r'"([^"]*)"', line)
        assert line.count('"') == 2 * len(labels), line


def test_the_command_writes_the_document(tmp_path):
    out = tmp_path / "protocol.md"
    subprocess.run([sys.executable, "-m", "skill", "protocol", "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True)
    assert out.read_text(encoding="utf-8") == render()
