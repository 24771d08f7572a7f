"""The triage state machine: a pure walk over the protocol's decision graph.

The protocol lists its questions in the order they are asked, most serious
first (the loader enforces it). The walk always asks the first question that
is still open: not answered yet, every gate it follows up answered yes, and
able to change the outcome (it could lead higher than what the answers so far
already require, or it could say where to go when nothing has yet). So a yes
to a gate opens its follow-ups, a no skips them, and once a yes has set the
outcome to ``urgent`` only questions that could still make it an emergency are
asked. The first answer that makes it an emergency ends the walk at once.

A person may also say a sign before it is asked ("I fell off a ladder",
"I don't have a fever"): ``tell`` records it, so that question is not asked
again; a sign said unprompted counts at once at what the protocol gives it
said alone (an emergency sign is an emergency at any moment), and a follow-up said yes
answers its pure gate too (having had cancer is a yes to "cancer, or over 50?").

The state is a sum type: ``Asking`` a question (with every answer so far, in
the order given) or ``Finished`` with an ``Outcome``. It serialises to a small
JSON dict that travels in Alexa session attributes; anything in that dict
that this protocol could not have produced restores to nothing, so the triage
starts again from the first, emergency, question rather than skipping one.

Two extras serve memory across sessions, and both can only make the walk
more careful: picking up an interrupted triage once this session has asked
the emergency questions again (``pick_up``), and a floor (``with_floor``):
pain still there three weeks after it was first reported is at least
``routine`` (the source: contact a professional if the pain does not improve
after a few weeks).
"""

# No ``from __future__ import annotations`` here: the records' field types are then read as objects when the
# module loads, not compiled from strings by typing.NamedTuple (about 0.05 ms a field, on every cold start).
from datetime import date
from enum import Enum
from typing import Iterable, Mapping, NamedTuple, Union

from .protocol import Protocol, Question

STATE_VERSION = 2
MAX_MISUNDERSTANDINGS = 2
INTERRUPT = "emergency_interrupt"  # the person said they are having an emergency, in no protocol's words
FOLLOW_UP = "follow_up"  # an outcome raised to the floor: the pain is still there after weeks
PERSISTENT_PAIN_DAYS = 21  # "does not improve after a few weeks": three weeks
PERSISTENT_PAIN_FLOOR = "routine"  # see a healthcare professional


class Answer(str, Enum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"  # counts as yes, everywhere


class Outcome(NamedTuple):
    disposition: str
    trigger: str | None  # the question that decided it, INTERRUPT, FOLLOW_UP, or None (no red flags)
    triggers: tuple[str, ...] = ()  # every question answered yes that counts, in the order given
    advice: str | None = None  # where to go, when the deciding question says (an Advice id)


class Given(NamedTuple):
    """One answer: to the question being asked (``asked``), or a sign the person said unprompted."""

    question: str
    yes: bool
    asked: bool = True


class Asking(NamedTuple):
    """A question is being asked; every earlier answer is kept in the order given."""

    question: str
    answers: tuple[Given, ...] = ()
    floor: str | None = None  # the outcome is at least this disposition (memory: pain that persists)
    misses: int = 0  # misunderstood replies in a row
    clarifying: bool = False  # "not sure" was said once; the question was asked again with an example


class Finished(NamedTuple):
    outcome: Outcome


TriageState = Union[Asking, Finished]


class TriageMachine:
    """Transitions over one protocol. Every method returns a new state."""

    def __init__(self, protocol: Protocol):
        self.protocol = protocol
        if PERSISTENT_PAIN_FLOOR not in protocol.ranks:
            raise ValueError(f"the protocol has no {PERSISTENT_PAIN_FLOOR!r} disposition")
        top_rank = protocol.rank(protocol.top)
        self.emergency_section = frozenset(q.id for q in protocol.questions if protocol.reach(q.id) == top_rank)
        self.emergency_questions = tuple(q.id for q in protocol.universal if q.id in self.emergency_section)
        # each question with what the walk asks of it on every request, looked up once; each way of opening it
        # as a set of gates, so "every gate of this way is open" is one subset test
        self._walk_plan = tuple((q, tuple(frozenset(option) for option in q.gate_options), protocol.reach(q.id),
                                 protocol.rank(q.yes)) for q in protocol.questions)
        # the pure gates a yes to each follow-up answers too: "I've had cancer" is a yes to "have you had cancer,
        # or are you over 50?" (only where one way opens it; gates of gates included)
        implied: dict[str, frozenset[str]] = {}
        for q in protocol.questions:  # gates come before their follow-ups
            if len(q.gate_options) == 1:
                gates = {g for g in q.gate_options[0] if protocol.is_pure_gate(protocol.question(g))}
                implied[q.id] = frozenset(gates.union(*(implied.get(g, frozenset()) for g in gates)))
        self._implied_gates = {k: v for k, v in implied.items() if v}

    # ---- the walk ---------------------------------------------------------------------------------------
    def start(self, floor: str | None = None) -> TriageState:
        return self._settle((), self._known_floor(floor))

    def answer(self, state: Asking, answer: Answer) -> TriageState:
        """The person's yes, no or not sure to the question being asked.

        "Not sure" counts as yes, except the first time on a question the protocol clarifies (no emergency sign
        in it): then the same question, ``clarifying``, to be asked again with a worded example.
        """
        answer = Answer(answer)
        if answer is Answer.UNSURE and not state.clarifying and self.protocol.question(state.question).clarify:
            return state._replace(clarifying=True, misses=0)
        return self._record(state, state.question, answer is not Answer.NO)

    def tell(self, state: Asking, question_id: str, present: bool) -> TriageState:
        """The person says a sign is there (``present``) or not: the answer to the question being asked,
        or a sign said unprompted, which is then not asked again.

        A yes said later over an earlier no counts (a person may realise they do have it); a no said
        later never takes back a yes. A denial answers only the question being asked, and only one about a
        single sign: "I don't have chest pain" to "chest pain, or pain in your arm or jaw?" answers nothing,
        nor does "no fever" said before the fever question. Then the state comes back unchanged.
        """
        question = self.protocol.question(question_id)  # KeyError for a sign this protocol does not know
        if not present and (question_id != state.question or not question.one_sign):
            return state
        return self._record(state, question_id, present)

    def _record(self, state: Asking, question_id: str, present: bool) -> TriageState:
        before = {given.question: given.yes for given in state.answers}
        if question_id in before and (before[question_id] or not present):
            return self._settle(state.answers, state.floor)
        kept = tuple(given for given in state.answers if given.question != question_id)
        given = Given(question_id, present, asked=question_id == state.question)
        return self._settle(kept + (given,), state.floor)

    def interrupt(self) -> Finished:
        """The person says they are having an emergency: that ends it, whatever was asked."""
        return Finished(Outcome(self.protocol.top, INTERRUPT))

    def _settle(self, answers: tuple[Given, ...], floor: str | None, misses: int = 0) -> TriageState:
        """The next question to ask after ``answers``, or the outcome when none could change it."""
        counted, opened = self._counted(answers)
        level = self._level(counted, floor)
        if level == self.protocol.rank(self.protocol.top):
            return Finished(self._outcome(answers, counted, floor))
        question = self._next_question(answers, counted, opened, level)
        if question is None:
            return Finished(self._outcome(answers, counted, floor))
        return Asking(question=question.id, answers=answers, floor=floor, misses=misses)

    def _counted(self, answers: Iterable[Given]) -> tuple[dict[str, str], frozenset[str]]:
        """Each yes that counts, with the disposition it leads to, and the questions whose yes opens their
        follow-ups. A follow-up counts fully once one way of opening it is all yes; said before that, it counts
        at its ``alone`` disposition, or waits (not counted). A pure gate opens without counting."""
        said_yes = {given.question for given in answers if given.yes}
        counted: dict[str, str] = {}
        opened: set[str] = set()
        if not said_yes:
            return counted, frozenset()
        for question_id in tuple(said_yes):
            said_yes |= self._implied_gates.get(question_id, frozenset())
        for question, options, _, _ in self._walk_plan:  # gates come before their follow-ups
            if question.id not in said_yes:
                continue
            if not options or any(map(opened.issuperset, options)):  # a way all open (map: no generator)
                opened.add(question.id)
                if not self.protocol.is_pure_gate(question):
                    counted[question.id] = question.yes
            elif question.alone is not None:
                counted[question.id] = question.alone
        return counted, frozenset(opened)

    def _level(self, counted: Mapping[str, str], floor: str | None) -> int:
        ranks = [self.protocol.rank(d) for d in counted.values()]
        if floor is not None:
            ranks.append(self.protocol.rank(floor))
        return max(ranks, default=self.protocol.rank(self.protocol.no_red_flags))

    def _next_question(self, answers: tuple[Given, ...], counted: Mapping[str, str], opened: frozenset[str],
                       level: int) -> Question | None:
        answered = {given.question for given in answers}
        advised: bool | None = None  # worked out only when a question could say where to go
        for question, options, reach, yes_rank in self._walk_plan:
            if question.id in answered or (options and not any(map(opened.issuperset, options))):
                continue
            if reach > level:
                return question
            if question.advice is not None and yes_rank == level:
                if advised is None:
                    advised = self._advice(answers, counted, level) is not None
                if not advised:
                    return question  # it cannot raise the outcome, but it can say where to go
        return None

    def _advice(self, answers: Iterable[Given], counted: Mapping[str, str], level: int) -> str | None:
        for question_id in self._triggers(answers, counted):
            question = self.protocol.question(question_id)
            if question.advice is not None and self.protocol.rank(counted[question_id]) == level \
                    and self.protocol.advice[question.advice].disposition == counted[question_id]:
                return question.advice
        return None

    @staticmethod
    def _triggers(answers: Iterable[Given], counted: Mapping[str, str]) -> tuple[str, ...]:
        return tuple(given.question for given in answers if given.yes and given.question in counted)

    def _outcome(self, answers: tuple[Given, ...], counted: Mapping[str, str],
                 floor: str | None) -> Outcome:
        level = self._level(counted, floor)
        disposition = next(d for d in self.protocol.ranks if self.protocol.rank(d) == level)
        triggers = self._triggers(answers, counted)
        at_level = [qid for qid in triggers if self.protocol.rank(counted[qid]) == level]
        advice = self._advice(answers, counted, level)
        if advice is not None:
            trigger: str | None = next(qid for qid in at_level if self.protocol.question(qid).advice == advice)
        elif at_level:
            trigger = at_level[0]
        elif floor is not None and self.protocol.rank(floor) == level:
            trigger = FOLLOW_UP
        else:
            trigger = None
        return Outcome(disposition, trigger, triggers, advice)

    def _known_floor(self, floor: str | None) -> str | None:
        if floor is not None and floor not in self.protocol.ranks:
            raise ValueError(f"unknown disposition {floor!r}")
        return floor

    # ---- navigation and misunderstandings --------------------------------------------------------------
    def back(self, state: Asking) -> tuple[Asking, bool]:
        """Take back the answer to the last question asked and ask it again; False when none was asked.

        Signs said unprompted stay: going back changes an answer, it never forgets a red flag.
        """
        last = next((i for i in range(len(state.answers) - 1, -1, -1) if state.answers[i].asked), None)
        if last is None:
            return state._replace(misses=0), False
        previous = self._settle(state.answers[:last] + state.answers[last + 1:], state.floor)
        if not isinstance(previous, Asking):  # cannot happen: fewer answers never end a walk that more did not
            return state._replace(misses=0), False
        return previous, True

    def misunderstood(self, state: Asking) -> Asking:
        return state._replace(misses=min(state.misses + 1, MAX_MISUNDERSTANDINGS))

    def understood(self, state: Asking) -> Asking:
        return state._replace(misses=0)

    def gives_up(self, state: Asking) -> bool:
        """Whether to end after repeated misunderstandings: never while an emergency question is open."""
        return state.misses >= MAX_MISUNDERSTANDINGS and not self.is_emergency_question(state.question)

    def so_far(self, state: Asking) -> Outcome | None:
        """The outcome the answers so far already require, when that is more than no red flags (for a
        conversation that has to end early: what was said still counts)."""
        counted, _ = self._counted(state.answers)
        if self._level(counted, state.floor) == self.protocol.rank(self.protocol.no_red_flags):
            return None
        return self._outcome(state.answers, counted, state.floor)

    def is_emergency_question(self, question_id: str) -> bool:
        """Whether a yes here can lead to an emergency, itself or through the follow-ups it opens."""
        return question_id in self.emergency_section

    def asked(self, state: TriageState) -> int:
        """How many questions the person has heard, the one being asked included."""
        if isinstance(state, Finished):
            return 0
        return sum(given.asked for given in state.answers) + 1

    # ---- memory across sessions ---------------------------------------------------------------------------
    def past_emergency_questions(self, before: TriageState | None, after: TriageState) -> bool:
        """Whether ``after`` has just left the emergency questions: the one moment memory is consulted.

        Everything the emergency questions ask has just been asked, in this session.
        """
        return (isinstance(before, Asking) and isinstance(after, Asking)
                and self.is_emergency_question(before.question) and not self.is_emergency_question(after.question))

    def resume_point(self, state: TriageState | None) -> str | None:
        """The question worth remembering if this triage is interrupted, or None.

        Only while every answer so far was no (so the place alone describes the triage, and nothing about
        a red flag is stored), and only past the first question after the emergency ones: every session
        asks those first and reaches that question anyway.
        """
        if not isinstance(state, Asking) or any(given.yes for given in state.answers):
            return None
        if self.is_emergency_question(state.question) or state.question == self._first_after_emergency():
            return None
        return state.question

    def _first_after_emergency(self) -> str | None:
        return next((q.id for q in self.protocol.universal if not self.is_emergency_question(q.id)), None)

    def pick_up(self, state: TriageState | None, question_id: object) -> TriageState | None:
        """Jump from ``state`` ahead to ``question_id``, where an earlier triage stopped; None if that is no jump.

        Allowed only once the emergency questions are behind (this session has just asked them again:
        time has passed, and things may have changed) and only forwards: every question everyone is asked
        before that place was answered no last time. The floor, and every answer of this session, stay.
        """
        if not isinstance(state, Asking) or not isinstance(question_id, str) \
                or not self.protocol.has_question(question_id):
            return None
        here, there = self.protocol.index_of(state.question), self.protocol.index_of(question_id)
        if self.is_emergency_question(state.question) or there <= here or self.protocol.question(question_id).gates:
            return None
        answered = {given.question for given in state.answers}
        skipped = tuple(Given(q.id, False, asked=False) for q in self.protocol.questions[:there]
                        if not q.gates and q.id not in answered)
        return self._settle(state.answers + skipped, state.floor)

    def with_floor(self, state: Asking, floor: str | None) -> TriageState:
        """``state`` with the outcome held at least at ``floor``; finished if no question left could raise it."""
        return self._settle(state.answers, self._known_floor(floor), state.misses)

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

    # ---- serialisation ---------------------------------------------------------------------------------
    def to_dict(self, state: Asking) -> dict[str, object]:
        data: dict[str, object] = {"v": STATE_VERSION, "q": state.question, "m": state.misses,
                                   "a": [[g.question, int(g.yes), int(g.asked)] for g in state.answers]}
        if state.floor is not None:
            data["f"] = state.floor
        if state.clarifying:
            data["c"] = 1
        return data

    def restore(self, data: object) -> Asking | None:
        """The triage in ``data``, or None when it is absent or not one this protocol could have made.

        Every answer must name a question once; replaying them must ask exactly the question recorded.
        """
        if not isinstance(data, dict) or data.get("v") != STATE_VERSION:
            return None
        raw_answers, misses, floor, clarifying = data.get("a"), data.get("m", 0), data.get("f"), data.get("c", 0)
        if not isinstance(raw_answers, list) or len(raw_answers) > len(self.protocol.questions):
            return None
        answers: list[Given] = []
        for item in raw_answers:
            if not (isinstance(item, list) and len(item) == 3 and self.protocol.has_question(item[0])
                    and type(item[1]) is int and item[1] in (0, 1) and type(item[2]) is int and item[2] in (0, 1)):
                return None
            answers.append(Given(item[0], bool(item[1]), bool(item[2])))
        if len({given.question for given in answers}) != len(answers):
            return None
        if type(misses) is not int or not 0 <= misses <= MAX_MISUNDERSTANDINGS:
            return None
        if floor is not None and (not isinstance(floor, str) or floor not in self.protocol.ranks):
            return None
        if type(clarifying) is not int or clarifying not in (0, 1):
            return None
        state = self._settle(tuple(answers), floor, misses)
        if not isinstance(state, Asking) or state.question != data.get("q"):
            return None
        if clarifying:
            if not self.protocol.question(state.question).clarify:
                return None
            state = state._replace(clarifying=True)
        return state
