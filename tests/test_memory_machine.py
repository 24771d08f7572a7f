"""The memory rules in the pure core: resuming never skips an emergency question, and a follow-up floor
only ever raises the outcome."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from skill.triage import Answer, TriageMachine
from skill.triage.machine import FOLLOW_UP, PERSISTENT_PAIN_FLOOR


@pytest.fixture(scope="module")
def machine(protocol):
    return TriageMachine(protocol)


def emergency_ids(protocol):
    return [q.id for q in protocol.questions if q.group == protocol.emergency_interrupt]


def later_ids(protocol):
    return [q.id for q in protocol.questions if q.group != protocol.emergency_interrupt]


def walk(machine, state, answers):
    asked = []
    for answer in answers:
        asked.append(state.question)
        state = machine.answer(state, answer)
        if state.finished:
            return state.outcome, asked
    return state, asked


def test_every_resume_asks_all_emergency_questions_again_then_lands_where_it_stopped(machine, protocol):
    for target in later_ids(protocol):
        state = machine.resume(target)
        assert state.question == protocol.questions[0].id and state.resume_to == target
        state, asked = walk(machine, state, [Answer.NO] * len(emergency_ids(protocol)))
        assert asked == emergency_ids(protocol)
        assert state.question == target and state.resume_to is None


@pytest.mark.parametrize("answer", [Answer.YES, Answer.UNSURE])
def test_a_yes_or_not_sure_to_an_emergency_question_while_resuming_is_an_emergency(machine, protocol, answer):
    for target in later_ids(protocol):
        for index in range(len(emergency_ids(protocol))):
            outcome, _ = walk(machine, machine.resume(target), [Answer.NO] * index + [answer])
            assert outcome.disposition == "emergency"


def test_after_resuming_the_answers_count_exactly_as_they_would_have(machine, protocol):
    n_emergency = len(emergency_ids(protocol))
    for target in later_ids(protocol):
        start = protocol.index_of(target)
        for answers in itertools.product(list(Answer), repeat=len(protocol.questions) - start):
            resumed, _ = walk(machine, machine.resume(target), [Answer.NO] * n_emergency + list(answers))
            straight, _ = walk(machine, machine.start(), [Answer.NO] * start + list(answers))
            assert resumed == straight


def test_nowhere_to_resume_among_the_emergency_questions_or_for_anything_unknown(machine, protocol):
    for question in emergency_ids(protocol):
        assert machine.resume(question) is None
    for junk in (None, 3, "", "no_such_question", ["injury"]):
        assert machine.resume(junk) is None


def test_only_a_place_past_the_emergency_questions_is_worth_remembering(machine, protocol):
    state = machine.start()
    points = []
    while not state.finished:
        points.append(machine.resume_point(state))
        state = machine.answer(state, Answer.NO)
    n = len(emergency_ids(protocol))
    assert points == [None] * n + later_ids(protocol)
    assert machine.resume_point(state) is None and machine.resume_point(None) is None


def test_interrupted_again_while_resuming_remembers_the_furthest_place(machine, protocol):
    state = machine.answer(machine.resume("cancer_history"), Answer.NO)
    assert state.question in emergency_ids(protocol)
    assert machine.resume_point(state) == "cancer_history"


def test_going_back_while_resuming_keeps_the_place_to_return_to(machine, protocol):
    state = machine.answer(machine.resume("few_weeks"), Answer.NO)
    back, moved = machine.back(state)
    assert moved and back.question == protocol.questions[0].id and back.resume_to == "few_weeks"


def floor_walk(machine, answers):
    return walk(machine, machine.start(floor=PERSISTENT_PAIN_FLOOR), answers)


def test_with_the_floor_every_answer_sequence_ends_at_least_routine_and_never_lower_than_a_positive(machine, protocol):
    floor_rank = protocol.rank(PERSISTENT_PAIN_FLOOR)
    for answers in itertools.product(list(Answer), repeat=len(protocol.questions)):
        outcome, asked = floor_walk(machine, answers)
        positives = [protocol.questions[i].group for i, a in enumerate(answers[:len(asked)]) if a is not Answer.NO]
        expected = positives[0] if positives and protocol.rank(positives[0]) > floor_rank else PERSISTENT_PAIN_FLOOR
        assert outcome.disposition == expected
        assert asked[:len(emergency_ids(protocol))] == emergency_ids(protocol)[:len(asked)]


def test_the_floor_asks_every_red_flag_again_but_not_questions_that_cannot_raise_it(machine, protocol):
    outcome, asked = floor_walk(machine, [Answer.NO] * len(protocol.questions))
    assert outcome.disposition == "routine" and outcome.trigger == FOLLOW_UP
    assert asked == [q.id for q in protocol.questions if protocol.rank(q.group) > protocol.rank("routine")]
    assert "few_weeks" not in asked


def test_a_red_flag_under_the_floor_keeps_its_own_reason(machine):
    outcome, _ = floor_walk(machine, [Answer.NO] * 3 + [Answer.YES])
    assert outcome.disposition == "urgent" and outcome.trigger == "injury"


@pytest.mark.parametrize("days, floor", [(0, None), (20, None), (21, "routine"), (22, "routine"), (89, "routine")])
def test_pain_still_there_three_weeks_after_the_first_report_has_a_routine_floor(days, floor):
    first = date(2026, 11, 2)
    assert TriageMachine.pain_persists_floor(first, date.fromordinal(first.toordinal() + days)) == floor


@pytest.mark.parametrize("last, floor", [("self_care", None), ("routine", "routine"), (None, None)])
def test_pain_still_there_after_routine_advice_keeps_routine_as_the_floor_even_sooner(last, floor):
    assert TriageMachine.pain_persists_floor(date(2026, 11, 2), date(2026, 11, 9), last) == floor


def test_checking_in_later_is_offered_only_for_wait_and_watch_outcomes(machine, protocol):
    from skill.triage import Outcome

    offered = {code for code in protocol.ranks if machine.follow_up_worthwhile(Outcome(code, None))}
    assert offered == {"routine", "self_care"}


def test_state_with_resume_and_floor_round_trips(machine):
    resumed = machine.answer(machine.resume("injury"), Answer.NO)
    assert machine.restore(machine.to_dict(resumed)) == resumed
    floored = machine.answer(machine.start(floor="routine"), Answer.NO)
    assert machine.restore(machine.to_dict(floored)) == floored


@pytest.mark.parametrize("tampered", [
    {"v": 1, "q": "heart_attack", "r": "no_such_question"},
    {"v": 1, "q": "heart_attack", "r": "spinal_cord"},  # resuming into the emergency questions skips nothing
    {"v": 1, "q": "injury", "r": "few_weeks"},  # past the emergency questions, a jump would skip questions
    {"v": 1, "q": "heart_attack", "r": 4},
    {"v": 1, "q": "heart_attack", "f": "fine"},
    {"v": 1, "q": "heart_attack", "f": ["routine"]},
])
def test_a_tampered_resume_target_or_floor_restores_to_nothing(machine, tampered):
    assert machine.restore(tampered) is None
