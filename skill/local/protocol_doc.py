"""``python -m skill protocol``: the clinician's view of the protocol, generated from the data.

Writes ``docs/protocol.md``: how the walk decides; path lengths; the
dispositions and where-to-go advice with what the person hears; every question
in order with its gate, its wording, help text, what yes / not sure / no lead
to, and its sources; for every source, each red flag it names with the
question that asks it or the reason it is left out; the clinical choices; and
a Mermaid flowchart of the graph (GitHub renders it). A test fails when the
committed document differs from what the data generates, so the document
cannot drift from the skill's behaviour.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from skill.triage import Answer, Finished, Protocol, TriageMachine, default_locales, default_protocol
from skill.triage.machine import MAX_MISUNDERSTANDINGS, PERSISTENT_PAIN_DAYS, PERSISTENT_PAIN_FLOOR
from skill.triage.protocol import DEFAULT_LOCALE, Flag, LocaleText, Question, Source, reached_after, word_count
from skill.triage.safety import every_walk, walk

ROOT = Path(__file__).resolve().parents[2]
DOC_PATH = ROOT / "docs" / "protocol.md"


@dataclass(frozen=True)
class PathStats:
    """Every distinct walk (yes or no to each question asked; not sure walks as yes)."""

    count: int
    shortest: int
    median: float
    longest: int
    no_red_flags_questions: int
    no_red_flags_words: int


def all_walks(machine: TriageMachine) -> list[tuple[list[str], Finished]]:
    """Each distinct yes/no path: the questions asked, in order, and the final state."""
    return [([question for question, _ in given], final) for given, final in every_walk(machine)]


def path_stats(machine: TriageMachine, text: LocaleText) -> PathStats:
    lengths = [len(asked) for asked, _ in all_walks(machine)]
    asked, _ = walk(machine, lambda question: Answer.NO)
    return PathStats(len(lengths), min(lengths), statistics.median(lengths), max(lengths), len(asked),
                     sum(word_count(text.questions[q]["ask"]) for q in asked))


def _fill(template: str, text: LocaleText) -> str:
    number = text.emergency_number or text.phrases["unsupported_number"]
    return template.replace("{number}", number).replace("{urgent_number}", text.urgent_number or "")


def _mermaid(text: str) -> str:
    return text.replace('"', "#quot;")


def flowchart(protocol: Protocol, text: LocaleText) -> list[str]:
    """The graph: everyone's questions in a column (no goes down), each gate's follow-ups chained beside it."""
    first = protocol.questions[0].id
    lines = ["```mermaid", "flowchart TD", f'    launch(["Alexa, open back pain check"]) --> {first}']
    for code in protocol.dispositions:
        lines.append(f'    {code}[["{code}: {_mermaid(_fill(text.dispositions[code]["title"], text))}"]]')
    for question in protocol.questions:
        ask = _mermaid(text.questions[question.id]["ask"])
        shape = ('{{"', '"}}') if protocol.follow_ups(question.id) else ('["', '"]')
        lines.append(f"    {question.id}{shape[0]}{question.id}<br/>{ask}{shape[1]}")
    universal = protocol.universal
    after: dict[str, str] = {}  # where a no (or the last follow-up's no) goes on from each question
    for index, question in enumerate(universal):
        after[question.id] = universal[index + 1].id if index + 1 < len(universal) else protocol.no_red_flags
        lines.append(f"    {question.id} -- no --> {after[question.id]}")
    for question in protocol.questions:  # gates before their follow-ups, so ``after`` is known for each gate
        chain = [f for f in protocol.follow_ups(question.id) if last_gate(protocol, f) == question.id]
        if not chain:
            lines.append(f'    {question.id} -- "yes" --> {question.yes}')
            continue
        lines.append(f'    {question.id} -- "yes: at least {question.yes}" --> {chain[0].id}')
        for position, follow_up in enumerate(chain):
            after[follow_up.id] = chain[position + 1].id if position + 1 < len(chain) else after[question.id]
            lines.append(f'    {follow_up.id} -. "no" .-> {after[follow_up.id]}')
        for follow_up in chain:
            joiner = " and " if follow_up.when else " or "
            for gate in (g for g in follow_up.gates if g != question.id):
                lines.append(f'    {gate} -. "yes to {joiner.join(follow_up.gates)}" .-> {follow_up.id}')
    lines.append('    interrupt(["At any moment: an emergency said in the person\'s own words"]) '
                 f"--> {protocol.top}")
    safety_net = _mermaid(_fill(text.phrases["safety_net"], text))
    lines.append(f'    stop(["Stop, cancel, repeated misunderstanding, an error"]) --> net["{safety_net}"]')
    lines.append("```")
    return lines


def last_gate(protocol: Protocol, question: Question) -> str:
    """The gate a follow-up is drawn under: the last of its gates to be asked."""
    return max(question.gates, key=protocol.index_of)


def _gate_line(protocol: Protocol, question: Question) -> str:
    if not question.gates:
        return "- Asked of: everyone who reaches it (no gate)"
    joiner = " and " if question.when else " or "
    return "- Asked of: only after yes (or not sure) to " + joiner.join(f"`{g}`" for g in question.gates)


def render(protocol: Protocol | None = None, text: LocaleText | None = None) -> str:
    protocol = protocol or default_protocol()
    text = text or default_locales()[DEFAULT_LOCALE]
    machine = TriageMachine(protocol)
    stats = path_stats(machine, text)
    lines = [
        f"# {protocol.name}",
        "",
        "<!-- Generated by `python -m skill protocol` from skill/triage/data/. Do not edit by hand:",
        "     change the data and regenerate; tests/test_protocol_doc.py fails when this file is stale. -->",
        "",
        f"Protocol version {protocol.version}; wording shown for {text.locale} "
        f"(emergency number {text.emergency_number}).",
        "",
        "## How it decides",
        "",
        f"- {len(protocol.universal)} questions everyone may hear, most serious first; "
        f"{len(protocol.questions) - len(protocol.universal)} follow-ups, each asked only after a yes (or not sure)"
        " to its gate.",
        "- The walk always asks the first question in this order that is still open: not answered, its gates answered",
        "  yes, and able to change the outcome (it could lead higher than the answers so far require, or it says where",
        "  to go when nothing has yet). So once a yes has set `urgent`, only questions that could make it an",
        "  emergency are asked; the first answer that makes it an emergency ends the walk.",
        "- \"Not sure\" counts as yes: on an emergency sign it is an emergency at once, on a gate it opens the",
        "  follow-ups. Where a question names no emergency sign and the protocol marks it (\"clarified\" below), a",
        "  first \"not sure\" hears a worded example and the question again; a second counts as yes.",
        "- A pure gate (yes leads to no disposition by itself) only opens its follow-ups: \"did severe pain come on",
        "  suddenly?\" matters with tearing pain, not alone.",
        "- A sign said before it is asked (\"I fell off a ladder\") is recorded and not asked again. Said unprompted,",
        "  a follow-up counts at its 'said alone' disposition until its gate is yes; an emergency sign said at any",
        "  moment is an emergency.",
        "- A denial (\"I don't have chest pain\") answers only the question being asked, and only a question about",
        "  that one sign (\"denial answers it\" below); otherwise the question is asked again for a yes or no, so",
        "  denying one sign never answers the others asked with it, nor a later question.",
        "- The loader refuses a protocol in which any question comes before a more serious one, a follow-up is less",
        "  serious than its gate, a question cannot be reached, a path with a yes ends below what that yes requires,",
        "  a red flag of a source is neither asked nor explained, or a red flag is asked only behind a gate that a",
        "  person with only that flag may answer no (each flag's gates are listed under \"Red flags\" below); it",
        "  names the item.",
        "- Misunderstood replies: an emergency question is asked again in simpler words with",
        f"  \"{_fill(text.phrases['fallback_emergency'], text)}\"; the skill never gives up on it. Elsewhere,",
        f"  {MAX_MISUNDERSTANDINGS} misunderstandings in a row end the conversation with the safety net.",
        "- Stop, cancel, repeated misunderstanding and any error end with the safety net:",
        f"  \"{_fill(text.phrases['safety_net'], text)}\"",
        "",
        "## Path lengths",
        "",
        f"- Distinct paths: {stats.count}. Questions asked: shortest {stats.shortest}, median {stats.median:g},"
        f" longest {stats.longest}.",
        f"- A person with no red flags: {stats.no_red_flags_questions} questions, {stats.no_red_flags_words} words"
        f" of questions ({text.locale}), then `{protocol.no_red_flags}`.",
        "",
        "## Dispositions",
        "",
        "| code | rank | what the person hears | card |",
        "| --- | --- | --- | --- |",
    ]
    for code in protocol.dispositions:
        texts = text.dispositions[code]
        lines.append(f"| `{code}` | {protocol.rank(code)} | {_fill(texts['speech'], text)} "
                     f"| {_fill(texts['card'], text)} |")
    lines += ["", "## Where to go (advice that replaces the disposition's words)", "",
              "| advice | disposition | given after | what the person hears | sources |",
              "| --- | --- | --- | --- | --- |"]
    for advice in protocol.advice.values():
        givers = ", ".join(f"`{q.id}`" for q in protocol.questions if q.advice == advice.id)
        sources = "; ".join(protocol.sources[s].title for s in advice.sources)
        lines.append(f"| `{advice.id}` | `{advice.disposition}` | {givers} | "
                     f"{_fill(text.advice[advice.id]['speech'], text)} | {sources} |")
    lines += ["", "## Questions", ""]
    for index, question in enumerate(protocol.questions, start=1):
        texts = text.questions[question.id]
        lines += [
            f"### {index}. `{question.id}`",
            "",
            f"> {texts['ask']}",
            "",
            _gate_line(protocol, question),
            f"- Words: {word_count(texts['ask'])}. Said again after a misunderstanding: \"{texts['simple']}\"",
            f"- Help text (\"what does that mean?\"): {texts['help']}",
            f"- Reason on the card: {texts['reason']}",
            ("- yes / not sure: opens its follow-ups only (a pure gate)" if protocol.is_pure_gate(question)
             else f"- yes / not sure: at least **{question.yes}**")
            + (f", where to go: `{question.advice}`" if question.advice else ""),
        ]
        if question.clarify:
            lines.append(f"- Clarified: a first \"not sure\" hears \"{texts['clarify']}\" and the question again")
        if question.inside:
            lines.append("- Its sign is covered by the wording of " + ", ".join(f"`{g}`" for g in question.inside)
                         + ": a person with it says yes there first")
        if question.gates:
            alone = f"**{question.alone}**" if question.alone else "nothing until its gate is yes"
            lines.append(f"- Said unprompted before its gate is yes: {alone}")
        follow_ups = protocol.follow_ups(question.id)
        if follow_ups:
            lines.append("- Follow-ups: " + ", ".join(f"`{f.id}`" for f in follow_ups))
        lines.append("- no: on to the next open question"
                     + ("; a denial answers it (it asks about one sign)" if question.one_sign
                        else "; a denial of one of its signs does not answer it"))
        lines.append("- Sources:")
        lines += [f"  - {_source_line(protocol, sid)}" for sid in question.sources]
        lines.append("")
    lines += ["## Red flags in the sources, and where each is asked", ""]
    for source in protocol.sources.values():
        if not source.flags:
            continue
        lines += [f"### {source.title}", "",
                  "| red flag | asked by, or why it is left out | a person with only this flag says yes first to |",
                  "| --- | --- | --- |"]
        for flag in source.flags:
            where = f"`{flag.question}`" if flag.question else f"left out: {flag.left_out}"
            lines.append(f"| {flag.text} | {where} | {_before(protocol, flag)} |")
        lines.append("")
    lines += ["## Sources for the other outcomes", ""]
    lines.append("- Emergency interrupt: " + "; ".join(protocol.sources[s].title for s in protocol.interrupt_sources))
    lines.append("- No red flags (self-care): "
                 + "; ".join(protocol.sources[s].title for s in protocol.no_red_flags_sources))
    lines += ["", "## Clinical choices", ""]
    lines += [f"- {note}" for note in protocol.clinical_notes]
    lines += [
        "",
        "## Memory (resume kept for an hour; follow-up only on the person's yes; see README)",
        "",
        "- Every session asks the emergency questions first; memory is read only once they are behind.",
        "- Resume: a triage interrupted past the first question after the emergency ones, with every answer no,",
        "  can be picked up within an hour, once the emergency questions have been asked again; the jump is forward",
        "  only. A triage with any yes is never stored.",
        f"- Follow-up: after a `{PERSISTENT_PAIN_FLOOR}` or lower outcome the skill offers to check in next time.",
        f"  If the pain is still there {PERSISTENT_PAIN_DAYS} or more days after it was first reported (or the last",
        f"  advice was already `{PERSISTENT_PAIN_FLOOR}`), the outcome is at least `{PERSISTENT_PAIN_FLOOR}`; the",
        "  remaining red-flag questions are still asked, and a positive answer can still raise it.",
        "",
        "## Decision path",
        "",
        "Solid arrows: yes leads there, or no to a question everyone may hear. Dotted: no to a follow-up.",
        "After a yes has set an outcome, questions that cannot raise it are skipped.",
        "",
    ]
    lines += flowchart(protocol, text)
    lines += ["", "## All sources", ""]
    lines += [f"- `{sid}`: {_source_line(protocol, sid)}" for sid in protocol.sources]
    return "\n".join(lines) + "\n"


def _before(protocol: Protocol, flag: Flag) -> str:
    """The gates a person with only this red flag passes first (the loader's proof), and which the source names
    together with the sign."""
    if flag.question is None:
        return ""
    gates = reached_after(protocol, flag)
    if not gates:
        return "nothing: asked of everyone"
    return ", ".join(f"`{g}`" + (" (the source's combination)" if g in flag.with_ else "") for g in gates)


def source_link(source: Source) -> str:
    """A source's title, linked to its page where it has one."""
    return f"[{source.title}]({source.url})" if source.url else source.title


def _source_line(protocol: Protocol, sid: str) -> str:
    source = protocol.sources[sid]
    return f"{source_link(source)}. {source.says}"


def main(out: str | None = None) -> int:
    path = Path(out) if out else DOC_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    print(f"wrote {path}")
    return 0
