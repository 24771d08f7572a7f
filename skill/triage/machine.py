"""The triage state machine: a pure walk over the protocol's questions.

Questions are ordered from most to least serious (the protocol loader
enforces it), so the first positive answer fixes the disposition and later
questions cannot raise it: the walk stops there. Every answer before the
current question was therefore "no", which is why the state is only the
current question, a count of misunderstandings and, at the end, the outcome.
It serialises to a small JSON dict that travels in Alexa session attributes;
anything in that dict that does not match the protocol restarts the triage
from the first question rather than skipping one.

Two extras serve memory across sessions. Both come only after the emergency
questions have been answered in this session (the first thing any session
asks, whatever was remembered), and both can only make the walk more careful,
never skip a safety question:

- picking up: because every earlier answer was "no", an interrupted triage is
  fully described by the question it stopped at. Once the emergency questions
  have been asked again, the walk may jump ahead to it (``pick_up``).
- a floor: pain still there three weeks or more after it was first reported,
  or still there after ``routine`` was the advice, is at least ``routine`` (the
  source: contact a professional if the pain does not improve after a few
  weeks). The remaining red-flag questions are still asked; the walk stops as
  soon as no remaining question could lead higher than the floor.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import Enum

from .protocol import NEXT, Protocol

STATE_VERSION = 1
MAX_MISUNDERSTANDINGS = 2
INTERRUPT = "emergency_interrupt"
FOLLOW_UP = "follow_up"  # an outcome raised to the floor: the pain is still there after weeks
PERSISTENT_PAIN_DAYS = 21  # "does not improve after a few weeks": three weeks, as the few_weeks question's help says
PERSISTENT_PAIN_FLOOR = "routine"  # see a healthcare professional


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
    floor: str | None = None  # the outcome is at least this disposition

    @property
    def finished(self) -> bool:
        return self.outcome is not None


class TriageMachine:
    """Transitions over one protocol. Every method returns a new state."""

    def __init__(self, protocol: Protocol):
        self.protocol = protocol
        if PERSISTENT_PAIN_FLOOR not in protocol.ranks:
            raise ValueError(f"the protocol has no {PERSISTENT_PAIN_FLOOR!r} disposition")
        top = protocol.emergency_interrupt
        self.emergency_questions = tuple(q.id for q in protocol.questions if q.group == top)

    def start(self, floor: str | None = None) -> TriageState:
        return TriageState(question=self.protocol.questions[0].id, floor=self._known_floor(floor))

    def _known_floor(self, floor: str | None) -> str | None:
        if floor is not None and floor not in self.protocol.ranks:
            raise ValueError(f"unknown disposition {floor!r}")
        return floor

    def answer(self, state: TriageState, answer: Answer) -> TriageState:
        if state.finished:
            raise ValueError("the triage is already finished")
        question = self.protocol.question(state.question)
        target = question.outcome_for(Answer(answer).value)
        if target != NEXT:
            return self._finish(state, Outcome(target, question.id))
        return self._continue_at(state, self.protocol.index_of(question.id) + 1)

    def _continue_at(self, state: TriageState, position: int) -> TriageState:
        """The question at ``position``, or the outcome when none is left that could raise it."""
        if position == len(self.protocol.questions) or not self._could_raise(state.floor, position):
            return self._finish(state, Outcome(self.protocol.no_red_flags, None))
        return TriageState(question=self.protocol.questions[position].id, floor=state.floor)

    def _could_raise(self, floor: str | None, position: int) -> bool:
        """Whether the question at ``position`` (or any after it, ranked lower) could end above the floor."""
        return floor is None or self.protocol.rank(self.protocol.questions[position].group) > self.protocol.rank(floor)

    def _finish(self, state: TriageState, outcome: Outcome) -> TriageState:
        floor = state.floor
        if floor is not None and self.protocol.rank(outcome.disposition) < self.protocol.rank(floor):
            outcome = Outcome(floor, FOLLOW_UP)
        return TriageState(question=None, outcome=outcome)

    # ---- memory across sessions ------------------------------------------
    def past_emergency_questions(self, before: TriageState | None, after: TriageState) -> bool:
        """Whether ``after`` is the first question past the emergency ones, just reached by a "no" from ``before``.

        This is the one moment memory is consulted: everything the emergency
        questions ask has just been asked, in this session.
        """
        first_after = len(self.emergency_questions)
        return (before is not None and not after.finished
                and self.protocol.index_of(before.question) == first_after - 1
                and self.protocol.index_of(after.question) == first_after)

    def resume_point(self, state: TriageState | None) -> str | None:
        """The question worth remembering if this triage is interrupted, or None.

        Only a place beyond the first question after the emergency ones is worth
        it: every session asks the emergency questions first and reaches that
        question anyway.
        """
        if state is None or state.finished:
            return None
        if self.protocol.index_of(state.question) <= len(self.emergency_questions):
            return None
        return state.question

    def pick_up(self, state: TriageState | None, question_id: object) -> TriageState | None:
        """Jump from ``state`` ahead to ``question_id``, where an earlier triage stopped; None if that is no jump.

        Allowed only once the emergency questions are behind (this session has
        just asked them again: time has passed since, and things may have
        changed) and only forwards: every question skipped was answered "no"
        last time. The floor, if any, stays.
        """
        if state is None or state.finished or not isinstance(question_id, str) \
                or question_id not in self._question_ids():
            return None
        here = self.protocol.index_of(state.question)
        if here < len(self.emergency_questions) or self.protocol.index_of(question_id) <= here:
            return None
        return self._continue_at(state, self.protocol.index_of(question_id))

    def with_floor(self, state: TriageState, floor: str | None) -> TriageState:
        """``state`` with the outcome held at least at ``floor``; finished if no question left could raise it."""
        floor = self._known_floor(floor)
        if state.finished:
            return state
        return self._continue_at(replace(state, floor=floor), self.protocol.index_of(state.question))

    @staticmethod
    def pain_persists_floor(first_reported: date, today: date, last_outcome: str | None = None) -> str | None:
        """The floor for pain that is still there, else None.

        At least routine three weeks after it was first reported, or when routine
        was already the advice last time (the pain had lasted a few weeks then).
        """
        if (today - first_reported).days >= PERSISTENT_PAIN_DAYS or last_outcome == PERSISTENT_PAIN_FLOOR:
            return PERSISTENT_PAIN_FLOOR
        return None

    def follow_up_worthwhile(self, outcome: Outcome) -> bool:
        """Whether checking in later makes sense: outcomes that ask the person to wait and watch."""
        return self.protocol.rank(outcome.disposition) <= self.protocol.rank(PERSISTENT_PAIN_FLOOR)

    def _question_ids(self) -> set[str]:
        return {q.id for q in self.protocol.questions}

    def interrupt(self, state: TriageState | None = None) -> TriageState:
        """The person says they are having an emergency: that ends it, whatever was asked."""
        return TriageState(question=None, outcome=Outcome(self.protocol.emergency_interrupt, INTERRUPT))

    def back(self, state: TriageState) -> tuple[TriageState, bool]:
        """Go back to the previous question (all earlier answers were no); False at the first."""
        position = self.protocol.index_of(state.question)
        if position == 0:
            return replace(state, misses=0), False
        previous = self.protocol.questions[position - 1].id
        return TriageState(question=previous, floor=state.floor), True

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
        data = {"v": STATE_VERSION, "q": state.question, "misses": state.misses}
        if state.floor is not None:
            data["f"] = state.floor
        return data

    def restore(self, data: object) -> TriageState | None:
        """The state in ``data``, or None when it is absent, finished or not one this protocol made."""
        if not isinstance(data, dict) or data.get("v") != STATE_VERSION:
            return None
        question, misses, floor = data.get("q"), data.get("misses", 0), data.get("f")
        if not isinstance(question, str) or question not in self._question_ids():
            return None
        if type(misses) is not int or not 0 <= misses < MAX_MISUNDERSTANDINGS:
            return None
        if floor is not None and (not isinstance(floor, str) or floor not in self.protocol.ranks):
            return None
        return TriageState(question=question, misses=misses, floor=floor)

    def path_length(self, state: TriageState) -> int:
        """How many questions have been asked, this one included."""
        return self.protocol.index_of(state.question) + 1
