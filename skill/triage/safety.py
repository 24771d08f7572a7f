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

from collections.abc import Callable, Iterable
from itertools import product

from .machine import Answer, Asking, Finished, TriageMachine, TriageState
from .protocol import Protocol, ProtocolError

MAX_STEPS = 200


def walk(machine: TriageMachine, answer_for: Callable[[str], Answer], state: TriageState | None = None,
         max_steps: int = MAX_STEPS) -> tuple[list[str], Finished]:
    """Answer every question asked with ``answer_for(question_id)``, from ``state`` (the start), until the end:
    the questions asked, in order, and the final state. A walk longer than ``max_steps`` is refused."""
    state = machine.start() if state is None else state
    asked: list[str] = []
    while isinstance(state, Asking):
        if len(asked) >= max_steps:
            raise ProtocolError(f"the walk {asked[:5]}... did not end after {max_steps} questions")
        asked.append(state.question)
        state = machine.answer(state, answer_for(state.question))
    return asked, state


def every_walk(machine: TriageMachine, answers: Iterable[Answer] = (Answer.YES, Answer.NO),
               state: TriageState | None = None) -> list[tuple[list[tuple[str, Answer]], Finished]]:
    """Every distinct walk from ``state`` (the start) with these answers: the (question, answer) pairs given, in
    order, and the final state."""
    choices = tuple(answers)
    walks: list[tuple[list[tuple[str, Answer]], Finished]] = []

    def follow(current: TriageState, given: list[tuple[str, Answer]]) -> None:
        if not isinstance(current, Asking):
            walks.append((given, current))
            return
        for answer in choices:
            follow(machine.answer(current, answer), given + [(current.question, answer)])

    follow(machine.start() if state is None else state, [])
    return walks


def prove_safe(protocol: Protocol) -> None:
    machine = TriageMachine(protocol)
    for question in protocol.questions:
        for ancestors, answer in product(ways_to(protocol, question.id), (Answer.YES, Answer.UNSURE)):
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


def ways_to(protocol: Protocol, question_id: str) -> list[frozenset[str]]:
    """For each way of opening ``question_id`` (all of its ``when``, or any one of its ``when_any``), the gates that
    must be yes, through gates of gates (each opened its first way)."""
    def first_way(gate: str) -> frozenset[str]:
        options = protocol.question(gate).gate_options
        return frozenset({gate}).union(*(first_way(g) for g in options[0])) if options else frozenset({gate})

    options = protocol.question(question_id).gate_options or ((),)
    return [frozenset().union(*(first_way(gate) for gate in option)) for option in options]


def _walk(machine: TriageMachine, yes_to: frozenset[str],
          answer_to: tuple[str, Answer] | None) -> tuple[list[str], int]:
    """Answer every question asked (yes to ``yes_to``, the given answer to one, no otherwise) until the end."""
    def answer_for(question_id: str) -> Answer:
        if answer_to is not None and question_id == answer_to[0]:
            return answer_to[1]
        return Answer.YES if question_id in yes_to else Answer.NO

    asked, final = walk(machine, answer_for)
    return asked, machine.protocol.rank(final.outcome.disposition)


def _check_emergency_first(machine: TriageMachine, asked: list[str]) -> None:
    last_emergency = max((i for i, qid in enumerate(asked) if machine.protocol.question(qid).yes
                          == machine.protocol.top), default=-1)
    for qid in asked[:last_emergency]:
        if not machine.is_emergency_question(qid):
            raise ProtocolError(f"question {qid!r} cannot lead to an emergency but is asked before "
                                f"{asked[last_emergency]!r}, which can: emergency questions come first")
