"""The memory rules in the pure core: memory comes only after the emergency questions, picking up never
skips one, and a follow-up floor only ever raises the outcome."""

from __future__ import annotations

from datetime import date

import pytest

from skill.triage import Answer, Asking, Finished, TriageMachine, safety
from skill.triage.machine import FOLLOW_UP, PERSISTENT_PAIN_FLOOR


@pytest.fixture(scope="module")
def machine(protocol):
    return TriageMachine(protocol)


def walk(machine, state, answer_for):
    """Answer until the end with ``answer_for(question)``; returns (final state, questions asked)."""
    asked, final = safety.walk(machine, answer_for, state)
    return final, asked


def all_no(question):
    return Answer.NO


def every_walk_from(machine, state):
    """Every distinct continuation from ``state`` (yes and no; "not sure" walks as yes, tests/test_triage_paths.py):
    (answers given, final state)."""
    return safety.every_walk(machine, (Answer.YES, Answer.NO), state)


def past_emergency(machine):
    """The state a session reaches by answering no to every emergency question."""
    state = machine.start()
    for question in machine.emergency_questions:
        assert state.question == question
        state = machine.answer(state, Answer.NO)
    return state


def test_memory_is_consulted_exactly_when_the_emergency_questions_have_just_been_answered_no(machine, protocol):
    moments, state = [], machine.start()
    while isinstance(state, Asking):
        after = machine.answer(state, Answer.NO)
        moments.append(machine.past_emergency_questions(state, after))
        state = after
    n = len(machine.emergency_questions)
    assert moments == [i == n - 1 for i in range(len(protocol.universal))]
    assert not machine.past_emergency_questions(None, past_emergency(machine))


def test_a_yes_or_not_sure_to_any_emergency_sign_never_reaches_memory(machine, protocol):
    for given, final in every_walk_from(machine, machine.start()):
        if final.outcome.disposition == protocol.top:
            continue
        state = machine.start()
        for _, answer in given:  # replay: memory is read only when no emergency was reached
            after = machine.answer(state, answer)
            if machine.past_emergency_questions(state, after):
                assert isinstance(after, Asking) and not machine.is_emergency_question(after.question)
            state = after


def test_picking_up_jumps_forward_only_once_the_emergency_questions_are_behind(machine, protocol):
    here = past_emergency(machine)
    later = [q.id for q in protocol.universal if not machine.is_emergency_question(q.id)]
    for target in later[1:]:
        picked = machine.pick_up(here, target)
        assert picked.question == target and picked.floor is None
    assert machine.pick_up(here, here.question) is None  # already there: nothing to pick up


def test_after_picking_up_the_answers_count_exactly_as_they_would_have(machine, protocol):
    here = past_emergency(machine)
    later = [q.id for q in protocol.universal if not machine.is_emergency_question(q.id)]
    for target in later[1:]:
        picked = machine.pick_up(here, target)
        straight = here
        while straight.question != target:
            straight = machine.answer(straight, Answer.NO)
        for given, final in every_walk_from(machine, picked):
            state = straight
            for _, answer in given:
                state = machine.answer(state, answer)
            assert isinstance(state, Finished) and state.outcome.disposition == final.outcome.disposition


def test_no_jump_from_or_into_the_emergency_questions_backwards_or_to_anything_unknown(machine, protocol):
    state = machine.start()
    later = [q.id for q in protocol.universal if not machine.is_emergency_question(q.id)]
    while machine.is_emergency_question(state.question):
        for target in later:
            assert machine.pick_up(state, target) is None
        state = machine.answer(state, Answer.NO)
    further = machine.answer(state, Answer.NO)
    assert machine.pick_up(further, state.question) is None  # backwards
    for question in machine.emergency_questions:
        assert machine.pick_up(state, question) is None
    for follow_up in (q.id for q in protocol.questions if q.gates):
        assert machine.pick_up(state, follow_up) is None  # only questions everyone is asked
    for junk in (None, 3, "", "no_such_question", ["few_weeks"]):
        assert machine.pick_up(state, junk) is None
    assert machine.pick_up(None, "few_weeks") is None
    assert machine.pick_up(machine.interrupt(), "few_weeks") is None


def test_picking_up_keeps_the_floor_and_stops_where_nothing_left_could_raise_it(machine):
    here = machine.with_floor(past_emergency(machine), PERSISTENT_PAIN_FLOOR)
    assert machine.pick_up(here, "rash").floor == PERSISTENT_PAIN_FLOOR
    urgent = machine.with_floor(past_emergency(machine), "urgent")
    finished = machine.pick_up(urgent, "few_weeks")  # its follow-ups reach urgent: they cannot raise an urgent floor
    assert finished.outcome.disposition == "urgent" and finished.outcome.trigger == FOLLOW_UP


def test_only_a_place_past_the_emergency_questions_with_every_answer_no_is_worth_remembering(machine, protocol):
    state, points = machine.start(), []
    while isinstance(state, Asking):
        points.append(machine.resume_point(state))
        state = machine.answer(state, Answer.NO)
    n = len(machine.emergency_questions)
    later = [q.id for q in protocol.universal[n + 1:]]
    assert points == [None] * (n + 1) + later
    assert machine.resume_point(state) is None and machine.resume_point(None) is None
    with_a_yes = machine.tell(machine.pick_up(past_emergency(machine), "rash"), "injury", True)
    assert isinstance(with_a_yes, Asking) and machine.resume_point(with_a_yes) is None  # a red flag: never stored


def test_a_floor_set_after_the_emergency_questions_walks_as_one_set_from_the_start(machine):
    here = past_emergency(machine)
    floored = machine.with_floor(here, PERSISTENT_PAIN_FLOOR)
    assert floored.question == here.question and floored.floor == PERSISTENT_PAIN_FLOOR
    from_start = machine.start(floor=PERSISTENT_PAIN_FLOOR)
    for _ in machine.emergency_questions:
        from_start = machine.answer(from_start, Answer.NO)
    assert floored == from_start
    assert machine.with_floor(here, None) == here
    with pytest.raises(ValueError):
        machine.with_floor(here, "fine")


def test_with_the_floor_every_walk_ends_at_least_routine_and_never_lower_than_an_answer_requires(machine,
                                                                                                  protocol):
    floor_rank = protocol.rank(PERSISTENT_PAIN_FLOOR)
    walks = every_walk_from(machine, machine.start(floor=PERSISTENT_PAIN_FLOOR))
    assert len(walks) > 500
    for given, final in walks:
        required = max([protocol.rank(protocol.question(q).yes) for q, a in given if a is not Answer.NO]
                       + [floor_rank])
        assert protocol.rank(final.outcome.disposition) == required
        sections = [machine.is_emergency_question(q) for q, _ in given]
        assert sections == sorted(sections, reverse=True)  # the emergency questions first, then the others


def test_the_floor_asks_every_red_flag_again_but_not_questions_that_cannot_raise_it(machine, protocol):
    outcome, asked = walk(machine, machine.start(floor=PERSISTENT_PAIN_FLOOR), all_no)
    assert outcome.outcome.disposition == "routine" and outcome.outcome.trigger == FOLLOW_UP
    assert asked == [q.id for q in protocol.universal if protocol.reach(q.id) > protocol.rank("routine")]
    assert "cancer_risk" in asked and "few_weeks" in asked  # gates whose follow-ups could still raise it


def test_a_red_flag_under_the_floor_keeps_its_own_reason(machine):
    final, _ = walk(machine, machine.start(floor=PERSISTENT_PAIN_FLOOR),
                    lambda q: Answer.YES if q == "risk_factors" else Answer.NO)
    assert final.outcome.disposition == "urgent" and final.outcome.trigger == "risk_factors"


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
    {"v": 2, "q": "no_such_question", "a": [], "f": "routine"},
    {"v": 2, "q": "heart_pain", "a": [], "f": "fine"},
    {"v": 2, "q": "heart_pain", "a": [], "f": ["routine"]},
])
def test_a_tampered_floor_restores_to_nothing(machine, tampered):
    assert machine.restore(tampered) is None
