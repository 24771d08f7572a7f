"""Proofs the loader runs on a protocol with the real machine, refusing it, naming the item, when one fails.

``protocol.validate_protocol`` checks what the data alone can show (order, gates, sources, coverage).
What needs the walk itself is proved here, one scripted walk per question, so it stays cheap enough for
every cold start (a few milliseconds):

- every question is reached: answering yes to its gates (and theirs) and no to everything else asks it;
- no path ends below what a yes on it requires: that same walk, with a yes (or a "not sure") to the
  question itself, ends at least at the disposition the question gives a yes;
- emergency questions come first: on every one of those walks, no question that cannot lead to an
  emergency is asked while one that can is still to come for that person.
"""

from __future__ import annotations

from .machine import Answer, Asking, TriageMachine, TriageState
from .protocol import Protocol, ProtocolError

MAX_STEPS = 200


def prove_safe(protocol: Protocol) -> None:
    machine = TriageMachine(protocol)
    for question in protocol.questions:
        ancestors = _gates_of(protocol, question.id)
        for answer in (Answer.YES, Answer.UNSURE):
            asked, outcome_rank = _walk(machine, yes_to=ancestors, answer_to=(question.id, answer))
            if question.id not in asked:
                raise ProtocolError(f"question {question.id!r} cannot be reached: yes to "
                                    f"{sorted(ancestors) or 'nothing'} and no to everything else never asks it")
            if outcome_rank < protocol.rank(question.yes):
                raise ProtocolError(f"question {question.id!r}: a path with {answer.value} here ends below "
                                    f"{question.yes}")
            _check_emergency_first(machine, asked)
    asked, outcome_rank = _walk(machine, yes_to=frozenset(), answer_to=None)
    _check_emergency_first(machine, asked)
    if outcome_rank != protocol.rank(protocol.no_red_flags):
        raise ProtocolError(f"no to every question must end in {protocol.no_red_flags}")


def _gates_of(protocol: Protocol, question_id: str) -> frozenset[str]:
    """Every gate that must be yes for ``question_id`` to be asked, through gates of gates."""
    gates: set[str] = set()
    pending = list(protocol.question(question_id).when)
    while pending:
        gate = pending.pop()
        if gate not in gates:
            gates.add(gate)
            pending.extend(protocol.question(gate).when)
    return frozenset(gates)


def _walk(machine: TriageMachine, yes_to: frozenset[str],
          answer_to: tuple[str, Answer] | None) -> tuple[list[str], int]:
    """Answer every question asked (yes to ``yes_to``, the given answer to one, no otherwise) until the end."""
    state: TriageState = machine.start()
    asked: list[str] = []
    for _ in range(MAX_STEPS):
        if not isinstance(state, Asking):
            return asked, machine.protocol.rank(state.outcome.disposition)
        asked.append(state.question)
        if answer_to is not None and state.question == answer_to[0]:
            answer = answer_to[1]
        else:
            answer = Answer.YES if state.question in yes_to else Answer.NO
        state = machine.answer(state, answer)
    raise ProtocolError(f"the walk {asked[:5]}... did not end after {MAX_STEPS} questions")


def _check_emergency_first(machine: TriageMachine, asked: list[str]) -> None:
    last_emergency = max((i for i, qid in enumerate(asked) if machine.protocol.question(qid).yes
                          == machine.protocol.top), default=-1)
    for qid in asked[:last_emergency]:
        if not machine.is_emergency_question(qid):
            raise ProtocolError(f"question {qid!r} cannot lead to an emergency but is asked before "
                                f"{asked[last_emergency]!r}, which can: emergency questions come first")
