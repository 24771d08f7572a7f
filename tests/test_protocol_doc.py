"""docs/protocol.md is what the data says, so a clinician reviews what the skill really does."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

from skill.local.protocol_doc import DOC_PATH, last_gate, render


def test_committed_protocol_document_matches_the_data():
    assert DOC_PATH.read_text(encoding="utf-8") == render(), (
        "docs/protocol.md is stale: run `python -m skill protocol` and commit it")


def test_document_lists_every_question_with_wording_dispositions_and_sources(protocol, en_us):
    doc = render()
    for index, question in enumerate(protocol.questions, start=1):
        section = doc.split(f"### {index}. `{question.id}`")[1].split("###")[0]
        assert en_us.questions[question.id]["ask"] in section
        assert (f"- yes / not sure: at least **{question.yes}**" in section
                or protocol.is_pure_gate(question) and "opens its follow-ups only (a pure gate)" in section)
        assert "- no: " in section
        gates = (" and " if question.when else " or ").join(f"`{gate}`" for gate in question.gates)
        assert (f"only after yes (or not sure) to {gates}" if question.gates else "no gate") in section
        if question.clarify:
            assert en_us.questions[question.id]["clarify"] in section
        for sid in question.sources:
            assert protocol.sources[sid].title in section


def test_flowchart_has_every_question_and_every_edge(protocol):
    chart = render().split("```mermaid")[1].split("```")[0]
    assert chart.strip().startswith("flowchart TD")
    universal = protocol.universal
    for index, question in enumerate(universal):
        after = universal[index + 1].id if index + 1 < len(universal) else protocol.no_red_flags
        assert f"    {question.id} -- no --> {after}" in chart
    for question in protocol.questions:
        assert re.search(rf"^\s+{question.id}[\[{{]", chart, re.M), question.id
        chain = [f for f in protocol.follow_ups(question.id) if last_gate(protocol, f) == question.id]
        if chain:
            assert f'    {question.id} -- "yes: at least {question.yes}" --> {chain[0].id}' in chart
        else:
            assert f'    {question.id} -- "yes" --> {question.yes}' in chart
        if question.gates:  # every follow-up is entered from its gate and left by a no
            assert re.search(rf'-- "yes: at least \w+" --> {question.id}$|\.-> {question.id}$', chart, re.M)
            assert f"    {question.id} -. " in chart
    for code in protocol.ranks:
        assert re.search(rf"^\s+{code}\[\[", chart, re.M), code
    assert f"--> {protocol.emergency_interrupt}" in chart.split("interrupt(")[1]
    for line in chart.splitlines():  # a stray double quote inside a label breaks Mermaid
        labels = re.findall(r'"([^"]*)"', line)
        assert line.count('"') == 2 * len(labels), line


def test_every_red_flag_of_every_source_is_listed_with_its_question_or_its_reason(protocol):
    doc = render().split("## Red flags in the sources")[1].split("## Sources for the other outcomes")[0]
    for source in protocol.sources.values():
        for flag in source.flags:
            row = next(line for line in doc.splitlines() if line.startswith(f"| {flag.text} |"))
            assert (f"`{flag.question}`" in row) if flag.question else (f"left out: {flag.left_out}" in row)


def test_path_lengths_are_stated(protocol):
    doc = render()
    assert re.search(r"Questions asked: shortest 1, median [\d.]+, longest \d+", doc)
    assert f"A person with no red flags: {len(protocol.universal)} questions" in doc


def test_the_command_writes_the_document(tmp_path):
    out = tmp_path / "protocol.md"
    subprocess.run([sys.executable, "-m", "skill", "protocol", "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True)
    assert out.read_text(encoding="utf-8") == render()
