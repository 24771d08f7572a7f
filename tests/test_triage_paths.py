"""Every path through the protocol, walked exhaustively on the pure state machine."""

from __future__ import annotations

import itertools

import pytest

from skill.triage import INTERRUPT, Answer, TriageMachine
from skill.triage.machine import MAX_MISUNDERSTANDINGS


def walk(machine: TriageMachine, answers):
    """Answer until the triage ends; returns (outcome, questions asked)."""
    state, asked = machine.start(), []
    for answer in answers:
        asked.append(state.question)
        state = machine.answer(state, answer)
        if state.finished:
            return state.outcome, asked
    raise AssertionError(f"triage did not end after {asked}")


def all_paths(protocol):
    """Every distinct path: no to the first k questions, then yes or not sure; or no to all."""
    n = len(protocol.questions)
    for k in range(n):
        for last in (Answer.YES, Answer.UNSURE):
            yield [Answer.NO] * k + [last]
    yield [Answer.NO] * n


def test_emergency_questions_come_first(protocol):
    groups = [q.group for q in protocol.questions]
    first_non_emergency = next(i for i, g in enumerate(groups) if g != "emergency")
    assert groups[:first_non_emergency] == ["emergency"] * first_non_emergency
    assert "emergency" not in groups[first_non_emergency:]
    ranks = [protocol.rank(g) for g in groups]
    assert ranks == sorted(ranks, reverse=True)


def test_every_path_ends_in_exactly_one_known_disposition(protocol):
    machine = TriageMachine(protocol)
    seen = set()
    for answers in all_paths(protocol):
        outcome, asked = walk(machine, answers)
        assert outcome.disposition in protocol.ranks
        assert len(asked) == len(answers)
        seen.add(outcome.disposition)
    assert seen == {"emergency", "urgent", "routine", "self_care"}


def test_first_yes_or_unsure_ends_at_that_questions_disposition(protocol):
    machine = TriageMachine(protocol)
    for index, question in enumerate(protocol.questions):
        for last in (Answer.YES, Answer.UNSURE):
            outcome, asked = walk(machine, [Answer.NO] * index + [last])
            assert asked[-1] == question.id
            assert outcome.disposition == question.group
            assert outcome.trigger == question.id


def test_unsure_on_an_emergency_sign_is_an_emergency(protocol):
    machine = TriageMachine(protocol)
    emergency_questions = [q for q in protocol.questions if q.group == "emergency"]
    assert len(emergency_questions) >= 3
    for question in emergency_questions:
        index = protocol.index_of(question.id)
        outcome, _ = walk(machine, [Answer.NO] * index + [Answer.UNSURE])
        assert outcome.disposition == "emergency"


def test_no_red_flags_is_self_care_in_at_most_eight_questions(protocol):
    outcome, asked = walk(TriageMachine(protocol), [Answer.NO] * len(protocol.questions))
    assert outcome.disposition == "self_care" and outcome.trigger is None
    assert len(asked) <= 8


def test_every_question_is_reachable(protocol):
    machine = TriageMachine(protocol)
    reached = set()
    for answers in all_paths(protocol):
        reached.update(walk(machine, answers)[1])
    assert reached == {q.id for q in protocol.questions}


def test_brute_force_every_answer_sequence_agrees_with_the_first_positive_answer(protocol):
    """All 3^n answer sequences: the outcome is the group of the first yes / not sure, else self-care."""
    machine = TriageMachine(protocol)
    n = len(protocol.questions)
    for answers in itertools.product(list(Answer), repeat=n):
        outcome, asked = walk(machine, answers)
        positives = [protocol.questions[i].group for i, a in enumerate(answers) if a is not Answer.NO]
        expected = positives[0] if positives else "self_care"
        assert outcome.disposition == expected
        # never lower than the most serious positive answer the person actually gave
        assert protocol.rank(outcome.disposition) >= max(
            (protocol.rank(protocol.questions[i].group) for i in range(len(asked)) if answers[i] is not Answer.NO),
            default=0,
        )


def test_interrupt_is_an_emergency_from_any_question(protocol):
    machine = TriageMachine(protocol)
    state = machine.start()
    while not state.finished:
        assert machine.interrupt(state).outcome.disposition == "emergency"
        assert machine.interrupt(state).outcome.trigger == INTERRUPT
        state = machine.answer(state, Answer.NO)


def test_back_returns_to_the_previous_question_and_not_before_the_first(protocol):
    machine = TriageMachine(protocol)
    first = machine.start()
    state, moved = machine.back(first)
    assert not moved and state.question == protocol.questions[0].id
    second = machine.answer(first, Answer.NO)
    state, moved = machine.back(second)
    assert moved and state.question == protocol.questions[0].id


def test_two_misunderstandings_in_a_row_give_up_and_an_answer_resets_the_count(protocol):
    machine = TriageMachine(protocol)
    state = machine.misunderstood(machine.start())
    assert not machine.should_give_up(state)
    assert not machine.should_give_up(machine.misunderstood(machine.understood(state)))
    assert machine.should_give_up(machine.misunderstood(state))
    assert MAX_MISUNDERSTANDINGS == 2


def test_state_round_trips_through_json_dict(protocol):
    machine = TriageMachine(protocol)
    state = machine.misunderstood(machine.answer(machine.start(), Answer.NO))
    assert machine.restore(machine.to_dict(state)) == state


@pytest.mark.parametrize("tampered", [
    None, "junk", [], {}, {"v": 1}, {"v": 2, "q": "heart_attack"}, {"v": 1, "q": "no_such_question"},
    {"v": 1, "q": 3}, {"v": 1, "q": "heart_attack", "misses": -1}, {"v": 1, "q": "heart_attack", "misses": 9},
    {"v": 1, "q": "heart_attack", "misses": True}, {"v": 1, "done": "self_care", "why": None},
])
def test_anything_but_a_valid_in_progress_state_restores_to_nothing(protocol, tampered):
    assert TriageMachine(protocol).restore(tampered) is None


def test_a_finished_triage_cannot_be_answered_again(protocol):
    machine = TriageMachine(protocol)
    with pytest.raises(ValueError):
        machine.answer(machine.interrupt(machine.start()), Answer.NO)
