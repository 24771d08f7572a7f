"""The triage state machine: a pure walk over the protocol's questions.

Questions are ordered from most to least serious (the protocol loader
enforces it), so the first positive answer fixes the disposition and later
questions cannot raise it: the walk stops there. Every answer before the
current question was therefore "no", which is why the state is only the
current question, a count of misunderstandings and, at the end, the outcome.
It serialises to a small JSON dict that travels in Alexa session attributes;
anything in that dict that does not match the protocol restarts the triage
from the first question rather than skipping one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from .protocol import NEXT, Protocol

STATE_VERSION = 1
MAX_MISUNDERSTANDINGS = 2
INTERRUPT = "emergency_interrupt"


class Answer(str, Enum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


@dataclass(frozen=True)
class Outcome:
    disposition: str
    trigger: str | None  # the question answered yes / not sure, INTERRUPT, or None (no red flags)


@dataclass(frozen=True)
class TriageState:
    question: str | None  # the question being asked; None once there is an outcome
    outcome: Outcome | None = None
    misses: int = 0  # misunderstood replies in a row

    @property
    def finished(self) -> bool:
        return self.outcome is not None


class TriageMachine:
    """Transitions over one protocol. Every method returns a new state."""

    def __init__(self, protocol: Protocol):
        self.protocol = protocol

    def start(self) -> TriageState:
        return TriageState(question=self.protocol.questions[0].id)

    def answer(self, state: TriageState, answer: Answer) -> TriageState:
        if state.finished:
            raise ValueError("the triage is already finished")
        question = self.protocol.question(state.question)
        target = question.outcome_for(Answer(answer).value)
        if target != NEXT:
            return TriageState(question=None, outcome=Outcome(target, question.id))
        position = self.protocol.index_of(question.id) + 1
        if position == len(self.protocol.questions):
            return TriageState(question=None, outcome=Outcome(self.protocol.no_red_flags, None))
        return TriageState(question=self.protocol.questions[position].id)

    def interrupt(self, state: TriageState | None = None) -> TriageState:
        """The person says they are having an emergency: that ends it, whatever was asked."""
        return TriageState(question=None, outcome=Outcome(self.protocol.emergency_interrupt, INTERRUPT))

    def back(self, state: TriageState) -> tuple[TriageState, bool]:
        """Go back to the previous question (all earlier answers were no); False at the first."""
        position = self.protocol.index_of(state.question)
        if position == 0:
            return replace(state, misses=0), False
        return TriageState(question=self.protocol.questions[position - 1].id), True

    def misunderstood(self, state: TriageState) -> TriageState:
        return replace(state, misses=state.misses + 1)

    def understood(self, state: TriageState) -> TriageState:
        return replace(state, misses=0)

    @staticmethod
    def should_give_up(state: TriageState) -> bool:
        return state.misses >= MAX_MISUNDERSTANDINGS

    def to_dict(self, state: TriageState) -> dict:
        if state.finished:
            return {"v": STATE_VERSION, "done": state.outcome.disposition, "why": state.outcome.trigger}
        return {"v": STATE_VERSION, "q": state.question, "misses": state.misses}

    def restore(self, data: object) -> TriageState | None:
        """The state in ``data``, or None when it is absent, finished or not one this protocol made."""
        if not isinstance(data, dict) or data.get("v") != STATE_VERSION:
            return None
        question, misses = data.get("q"), data.get("misses", 0)
        if not isinstance(question, str) or question not in {q.id for q in self.protocol.questions}:
            return None
        if type(misses) is not int or not 0 <= misses < MAX_MISUNDERSTANDINGS:
            return None
        return TriageState(question=question, misses=misses)

    def path_length(self, state: TriageState) -> int:
        """How many questions have been asked, this one included."""
        return self.protocol.index_of(state.question) + 1
