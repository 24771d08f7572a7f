"""Every path through the protocol's decision graph, walked exhaustively on the pure state machine.

The rules a clinician signs off, checked on all of them: emergency questions come first; "not sure" is
yes; no path ends below what a yes on it requires; no red flags ends in self-care within the budget;
every question is reached; one concept per question in one breath.
"""

from __future__ import annotations

import itertools

import pytest

from skill.local.protocol_doc import all_walks, path_stats
from skill.triage import INTERRUPT, Answer, Asking, Finished, TriageMachine, safety
from skill.triage.machine import MAX_MISUNDERSTANDINGS
from skill.triage.protocol import item_count, word_count

NO_RED_FLAG_QUESTIONS = 12
NO_RED_FLAG_WORDS = 150


@pytest.fixture(scope="module")
def machine(protocol):
    return TriageMachine(protocol)


def walk(machine, answer_for):
    """Answer every question asked with ``answer_for(question_id)``; returns (questions asked, final state). A walk
    asking more than twice the protocol's questions is refused: it does not end."""
    return safety.walk(machine, answer_for, max_steps=2 * len(machine.protocol.questions))


def every_answer_walk(machine):
    """Every distinct walk with yes and no; "not sure" is checked against them walk by walk (it walks as yes, after
    one example where a question is clarified)."""
    return safety.every_walk(machine, (Answer.YES, Answer.NO))


@pytest.fixture(scope="module")
def walks(machine):
    return every_answer_walk(machine)


def required(protocol, given):
    """The least a clinician would accept: the most serious disposition any yes / not sure on the path
    requires, counting a follow-up in full (every follow-up is asked only after its gates were yes)."""
    last = dict(given)  # a question asked again (after a first "not sure") counts by its last answer
    return max((protocol.rank(protocol.question(q).yes) for q, a in last.items() if a is not Answer.NO),
               default=protocol.rank(protocol.no_red_flags))


def test_every_walk_ends_at_or_above_what_its_yes_answers_require(walks, protocol):
    assert len(walks) > 1000  # yes and no at every question asked
    for given, final in walks:
        assert isinstance(final, Finished)
        assert protocol.rank(final.outcome.disposition) >= required(protocol, given), given


def test_the_outcome_is_exactly_the_most_serious_answer_and_emergency_ends_at_once(walks, protocol):
    """Never over-triaged by the machine itself either: the outcome is what the answers require."""
    for given, final in walks:
        assert protocol.rank(final.outcome.disposition) == required(protocol, given), given
        last_question, last_answer = given[-1]
        if final.outcome.disposition == protocol.top:
            assert last_answer is not Answer.NO and protocol.question(last_question).yes == protocol.top


def test_not_sure_walks_exactly_as_yes(machine, walks, protocol):
    """Every yes on every walk said as "not sure" instead: the same questions (a clarified one asked once more, with
    its example) and the same outcome."""
    for given, final in walks:
        as_unsure = {q: Answer.UNSURE if a is Answer.YES else a for q, a in given}
        asked, unsure_final = walk(machine, lambda q, said=as_unsure: said.get(q, Answer.NO))
        again = [q for q, a in given if a is Answer.YES and protocol.question(q).clarify]
        assert [q for i, q in enumerate(asked) if i == 0 or q != asked[i - 1] or q not in again] \
            == [q for q, _ in given]
        assert unsure_final.outcome.disposition == final.outcome.disposition


def test_emergency_questions_come_first_on_every_walk(machine, walks, protocol):
    """No question that cannot lead to an emergency is asked while one that can is still to come."""
    for given, _ in walks:
        asked = [q for q, _ in given]
        can_lead = [machine.is_emergency_question(q) for q in asked]
        if False in can_lead:
            assert True not in can_lead[can_lead.index(False):], asked
    assert protocol.questions[0].yes == protocol.top and not protocol.questions[0].when


def test_no_red_flags_is_self_care_within_the_question_and_word_budget(machine, protocol, en_us):
    asked, final = walk(machine, lambda q: Answer.NO)
    assert final.outcome.disposition == protocol.no_red_flags and final.outcome.trigger is None
    assert asked == [q.id for q in protocol.universal]
    assert len(asked) <= NO_RED_FLAG_QUESTIONS
    assert sum(word_count(en_us.questions[q]["ask"]) for q in asked) <= NO_RED_FLAG_WORDS


def test_follow_ups_cost_nothing_to_a_person_who_answers_no_to_their_gate(machine, protocol):
    for gate in protocol.universal:
        if not protocol.follow_ups(gate.id):
            continue
        asked, _ = walk(machine, lambda q: Answer.NO)
        assert not set(asked) & {f.id for f in protocol.follow_ups(gate.id)}


def test_every_question_is_asked_on_some_walk_and_every_disposition_is_reached(walks, protocol):
    asked = {q for given, _ in walks for q, _ in given}
    assert asked == {q.id for q in protocol.questions}
    assert {final.outcome.disposition for _, final in walks} == set(protocol.ranks)


def test_path_lengths_and_the_no_red_flag_budget_are_reported_from_the_same_walks(machine, en_us):
    stats = path_stats(machine, en_us)
    walked = [len(asked) for asked, _ in all_walks(machine)]
    assert (stats.count, stats.shortest, stats.longest) == (len(walked), min(walked), max(walked))
    assert stats.shortest == 1 and stats.no_red_flags_questions == NO_RED_FLAG_QUESTIONS
    assert stats.no_red_flags_words <= NO_RED_FLAG_WORDS


@pytest.mark.parametrize("locale", ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"])
def test_every_question_is_one_concept_in_one_breath(protocol, locale):
    from skill.triage import default_locales

    text = default_locales()[locale]
    for question in protocol.questions:
        for wording in ("ask", "simple"):
            said = text.questions[question.id][wording]
            assert word_count(said) <= 15 and item_count(said) <= 3, (question.id, said)
            assert said.endswith("?") and "%" not in said
        assert word_count(text.questions[question.id]["help"]) <= 40, question.id


@pytest.mark.parametrize("said, items", [
    ("Do you have chest pain, or pain spreading to your arm or jaw?", 3),
    ("Do you feel sick, sweaty or faint?", 3),
    ("Are you short of breath, or struggling to breathe?", 2),
    ("Have you ever had cancer?", 1),
    ("Do you have chest pain, breathlessness, a cold sweat, nausea, or light-headedness?", 5),
])
def test_items_are_counted_as_a_listener_counts_them(said, items):
    assert item_count(said) == items


def test_a_sign_said_unprompted_is_not_asked_again_and_counts_at_once(machine, protocol):
    state = machine.start()
    told = machine.tell(state, "injury", True)
    assert isinstance(told, Asking) and told.question == state.question  # still asking the first question
    asked, final = walk_from(machine, told, lambda q: Answer.NO)
    assert "injury" not in asked and "serious_accident" in asked  # its follow-up is asked in its place
    assert final.outcome.disposition == "urgent" and final.outcome.trigger == "injury"


def walk_from(machine, state, answer_for):
    asked = []
    while isinstance(state, Asking):
        asked.append(state.question)
        state = machine.answer(state, answer_for(state.question))
    return asked, state


@pytest.mark.parametrize("question_id", ["short_of_breath", "coughing_blood", "cold_sweat", "faint", "both_legs",
                                         "confused", "skin_colour", "rash_not_fading", "serious_accident"])
def test_an_emergency_sign_said_at_any_moment_is_an_emergency(machine, protocol, question_id):
    state = machine.start()
    while isinstance(state, Asking):
        told = machine.tell(state, question_id, True)
        assert isinstance(told, Finished) and told.outcome.disposition == protocol.top
        assert told.outcome.trigger == question_id
        state = machine.answer(state, Answer.NO)


def test_a_follow_up_said_alone_counts_at_its_alone_disposition_until_its_gate_is_yes(machine, protocol):
    state = machine.tell(machine.start(), "leg_swelling", True)  # a swollen leg alone: urgent (NHS DVT)
    asked, final = walk_from(machine, state, lambda q: Answer.NO)
    assert final.outcome.disposition == "urgent" and final.outcome.trigger == "leg_swelling"
    state = machine.tell(machine.start(), "clot_risk", True)  # recent surgery alone: nothing yet
    asked, final = walk_from(machine, state, lambda q: Answer.NO)
    assert final.outcome.disposition == protocol.no_red_flags
    asked, final = walk_from(machine, state, lambda q: Answer.YES if q == "breathing" else Answer.NO)
    assert final.outcome.disposition == protocol.top and final.outcome.trigger == "clot_risk"
    assert asked[-1] == "breathing"  # the gate's yes made the earlier statement an emergency at once


def test_a_no_said_later_never_takes_back_a_yes_and_a_later_yes_counts(machine):
    state = machine.answer(machine.start(), Answer.NO)  # no chest pain
    assert isinstance(machine.tell(state, "heart_pain", True), Finished)  # "actually my chest hurts"
    fever = machine.tell(state, "fever", True)
    assert machine.tell(fever, "fever", False) == fever


def test_a_denial_answers_only_the_question_asked_and_only_when_it_is_about_that_one_sign(machine, protocol):
    """'I don't have chest pain' must not answer 'chest pain, or pain in your arm or jaw?', and 'no fever'
    said early must not stop the fever question (with its night sweats and weight loss) being asked."""
    state = machine.start()
    single = [q for q in protocol.questions if q.one_sign]
    assert single and len(single) < len(protocol.questions)
    for question in protocol.questions:
        assert machine.tell(state, question.id, False) == state or question.id == state.question
    for question in single:
        asked = Asking(question=question.id, answers=state.answers)
        told = machine.tell(asked, question.id, False)
        assert isinstance(told, Asking) and dict((g.question, g.yes) for g in told.answers)[question.id] is False
    several = next(q for q in protocol.questions if not q.one_sign)
    asked = Asking(question=several.id, answers=state.answers)
    assert machine.tell(asked, several.id, False) == asked


def test_cancer_raises_nerve_signs_in_the_arms_to_an_emergency_but_not_without_it(machine, protocol):
    both = {"limbs", "cancer_risk", "cancer", "arms_hands"}
    _, final = walk(machine, lambda q: Answer.YES if q in both else Answer.NO)
    assert final.outcome.disposition == protocol.top and final.outcome.advice == "emergency_department"
    asked, final = walk(machine, lambda q: Answer.YES if q == "limbs" else Answer.NO)
    assert "arms_hands" not in asked and final.outcome.disposition == "urgent"
    _, final = walk(machine, lambda q: Answer.YES if q in ("cancer_risk", "cancer") else Answer.NO)
    assert final.outcome.disposition == "urgent" and final.outcome.advice == "cancer_team"
    _, final = walk(machine, lambda q: Answer.YES if q == "cancer_risk" else Answer.NO)  # over 50, an obvious strain
    assert final.outcome.disposition == protocol.no_red_flags and final.outcome.trigger is None
    _, final = walk(machine, lambda q: Answer.YES if q in ("cancer_risk", "out_of_blue") else Answer.NO)
    assert final.outcome.disposition == "routine" and final.outcome.trigger == "out_of_blue"


def test_interrupt_is_an_emergency_from_any_question(machine, protocol):
    assert machine.interrupt().outcome.disposition == protocol.top
    assert machine.interrupt().outcome.trigger == INTERRUPT


def test_back_returns_to_the_last_question_asked_and_keeps_what_was_said_unprompted(machine, protocol):
    first = machine.start()
    state, moved = machine.back(first)
    assert not moved and state.question == first.question
    second = machine.answer(first, Answer.NO)
    told = machine.tell(second, "injury", True)
    back, moved = machine.back(told)
    assert moved and back.question == first.question
    assert ("injury", True) in [(g.question, g.yes) for g in back.answers]


def test_misunderstandings_never_end_an_emergency_question_and_end_others_after_two(machine, protocol):
    state = machine.start()
    for _ in range(5):
        state = machine.misunderstood(state)
        assert not machine.gives_up(state)
    asked, _ = walk(machine, lambda q: Answer.NO)
    later = next(q for q in asked if not machine.is_emergency_question(q))
    state = machine.start()
    while state.question != later:
        state = machine.answer(state, Answer.NO)
    assert not machine.gives_up(machine.misunderstood(state))
    assert machine.gives_up(machine.misunderstood(machine.misunderstood(state)))
    assert not machine.gives_up(machine.misunderstood(machine.understood(machine.misunderstood(state))))
    assert MAX_MISUNDERSTANDINGS == 2


def test_every_state_on_every_walk_round_trips_through_its_json_dict(machine, walks):
    for given, _ in walks[:: max(1, len(walks) // 300)]:
        state = machine.start()
        for _, answer in given:
            if not isinstance(state, Asking):
                break
            assert machine.restore(machine.to_dict(state)) == state
            state = machine.answer(state, answer)


@pytest.mark.parametrize("tampered", [
    None, "junk", [], {}, {"v": 2}, {"v": 1, "q": "heart_pain"}, {"v": 2, "q": "no_such_question", "a": []},
    {"v": 2, "q": "breathing", "a": []},  # says the second question, but nothing was answered
    {"v": 2, "q": "breathing", "a": [["heart_pain", 1, 1]]},  # a yes to chest pain never leads on
    {"v": 2, "q": "breathing", "a": [["heart_pain", 0, 1], ["heart_pain", 0, 1]]},
    {"v": 2, "q": "breathing", "a": [["heart_pain", False, True]]},
    {"v": 2, "q": "breathing", "a": [["heart_pain", 0]]},
    {"v": 2, "q": "heart_pain", "a": [], "m": 9}, {"v": 2, "q": "heart_pain", "a": [], "m": True},
    {"v": 2, "q": "heart_pain", "a": [], "f": "whatever"},
    {"v": 2, "q": "heart_pain", "a": [["x", 0, 1]] * 100},
])
def test_anything_but_a_state_this_protocol_could_make_restores_to_nothing(machine, tampered):
    assert machine.restore(tampered) is None


def test_the_state_is_a_sum_type(machine):
    """Asking a question, or finished with an outcome: never both, never neither."""
    state = machine.start()
    assert isinstance(state, Asking) and not hasattr(state, "outcome")
    assert not hasattr(machine.interrupt(), "question")


def test_exhaustive_walks_agree_with_a_brute_force_over_answer_vectors(machine, protocol):
    """For the questions everyone may hear, every yes/no vector: the outcome is the most serious yes."""
    universal = [q.id for q in protocol.universal if not protocol.follow_ups(q.id)]
    for vector in itertools.product([False, True], repeat=len(universal)):
        yes = {q for q, v in zip(universal, vector, strict=True) if v}
        _, final = walk(machine, lambda q, yes=yes: Answer.YES if q in yes else Answer.NO)
        expected = max((protocol.rank(protocol.question(q).yes) for q in yes),
                       default=protocol.rank(protocol.no_red_flags))
        assert protocol.rank(final.outcome.disposition) == expected
