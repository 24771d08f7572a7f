"""The memory rules in the pure core: memory comes only after the emergency questions, picking up never
skips one, and a follow-up floor only ever raises the outcome."""

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


def past_emergency(machine, protocol):
    """The state a session reaches by answering no to every emergency question."""
    state, asked = walk(machine, machine.start(), [Answer.NO] * len(emergency_ids(protocol)))
    assert asked == emergency_ids(protocol)
    return state


def test_memory_is_consulted_exactly_when_the_emergency_questions_have_just_been_answered_no(machine, protocol):
    moments = []
    state = machine.start()
    while not state.finished:
        after = machine.answer(state, Answer.NO)
        moments.append(machine.past_emergency_questions(state, after))
        state = after
    n = len(emergency_ids(protocol))
    assert moments == [i == n - 1 for i in range(len(protocol.questions))]
    assert not machine.past_emergency_questions(None, past_emergency(machine, protocol))


@pytest.mark.parametrize("answer", [Answer.YES, Answer.UNSURE])
def test_a_yes_or_not_sure_to_an_emergency_question_never_reaches_memory(machine, protocol, answer):
    for index in range(len(emergency_ids(protocol))):
        outcome, _ = walk(machine, machine.start(), [Answer.NO] * index + [answer])
        assert outcome.disposition == "emergency"


def test_picking_up_jumps_forward_only_once_the_emergency_questions_are_behind(machine, protocol):
    here = past_emergency(machine, protocol)
    for target in later_ids(protocol)[1:]:
        picked = machine.pick_up(here, target)
        assert picked.question == target and picked.floor is None
    assert machine.pick_up(here, here.question) is None  # already there: nothing to pick up


def test_after_picking_up_the_answers_count_exactly_as_they_would_have(machine, protocol):
    here = past_emergency(machine, protocol)
    for target in later_ids(protocol)[1:]:
        start = protocol.index_of(target)
        for answers in itertools.product(list(Answer), repeat=len(protocol.questions) - start):
            picked, _ = walk(machine, machine.pick_up(here, target), list(answers))
            straight, _ = walk(machine, machine.start(), [Answer.NO] * start + list(answers))
            assert picked == straight


def test_no_jump_from_or_into_the_emergency_questions_backwards_or_to_anything_unknown(machine, protocol):
    state = machine.start()
    while state.question in emergency_ids(protocol):
        for target in later_ids(protocol):
            assert machine.pick_up(state, target) is None
        state = machine.answer(state, Answer.NO)
    further = machine.answer(state, Answer.NO)
    assert machine.pick_up(further, state.question) is None  # backwards
    for question in emergency_ids(protocol):
        assert machine.pick_up(state, question) is None
    for junk in (None, 3, "", "no_such_question", ["injury"]):
        assert machine.pick_up(state, junk) is None
    assert machine.pick_up(None, "few_weeks") is None
    assert machine.pick_up(machine.interrupt(), "few_weeks") is None


def test_picking_up_keeps_the_floor_and_stops_where_nothing_left_could_raise_it(machine, protocol):
    here = machine.with_floor(past_emergency(machine, protocol), PERSISTENT_PAIN_FLOOR)
    assert machine.pick_up(here, "severe_or_tingling").floor == PERSISTENT_PAIN_FLOOR
    finished = machine.pick_up(here, "few_weeks")  # a routine question cannot raise a routine floor
    assert finished.outcome.disposition == PERSISTENT_PAIN_FLOOR and finished.outcome.trigger == FOLLOW_UP


def test_only_a_place_past_the_emergency_questions_is_worth_remembering(machine, protocol):
    state = machine.start()
    points = []
    while not state.finished:
        points.append(machine.resume_point(state))
        state = machine.answer(state, Answer.NO)
    n = len(emergency_ids(protocol))
    assert points == [None] * (n + 1) + later_ids(protocol)[1:]
    assert machine.resume_point(state) is None and machine.resume_point(None) is None


def floor_walk(machine, answers):
    return walk(machine, machine.start(floor=PERSISTENT_PAIN_FLOOR), answers)


def test_a_floor_set_after_the_emergency_questions_walks_as_one_set_from_the_start(machine, protocol):
    n = len(emergency_ids(protocol))
    here = past_emergency(machine, protocol)
    floored = machine.with_floor(here, PERSISTENT_PAIN_FLOOR)
    assert floored.question == here.question and floored.floor == PERSISTENT_PAIN_FLOOR
    for answers in itertools.product(list(Answer), repeat=len(protocol.questions) - n):
        later, _ = walk(machine, floored, list(answers))
        from_start, _ = walk(machine, machine.start(floor=PERSISTENT_PAIN_FLOOR), [Answer.NO] * n + list(answers))
        assert later == from_start
    assert machine.with_floor(here, None) == here
    with pytest.raises(ValueError):
        machine.with_floor(here, "fine")


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


def test_state_with_a_floor_round_trips(machine):
    floored = machine.answer(machine.start(floor="routine"), Answer.NO)
    assert machine.restore(machine.to_dict(floored)) == floored


@pytest.mark.parametrize("tampered", [
    {"v": 1, "q": "no_such_question", "f": "routine"},
    {"v": 1, "q": "heart_attack", "f": "fine"},
    {"v": 1, "q": "heart_attack", "f": ["routine"]},
])
def test_a_tampered_floor_restores_to_nothing(machine, tampered):
    assert machine.restore(tampered) is None
