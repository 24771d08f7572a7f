"""Protocol 3 (issue 21): each class of the clinical review, walked through the pure machine and, where a person
hears something new, through the Lambda handler.

- No red flag behind a gate its owner may not pass (blood in the pee, unsteady legs with a fever, a band of
  numbness after cancer).
- Onset where acuteness is the danger: sudden pain opens "tearing"; feeling sick asks when it began.
- "Not sure" on a sign that is not an emergency hears an example first; on an emergency sign it stays yes.
- The other false alarms: pain on breathing in alone, over 50 with an obvious strain.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from test_lambda_conversations import walk_to

from skill.triage import Answer, Asking, Finished, TriageMachine
from skill.triage.safety import walk


@pytest.fixture(scope="module")
def machine(protocol):
    return TriageMachine(protocol)


def outcome(machine, yes: Iterable[str] = (), unsure: Iterable[str] = ()) -> tuple[list[str], Finished]:
    """Yes to ``yes``, not sure to ``unsure`` (said as often as asked), no to everything else."""
    yes, unsure = set(yes), set(unsure)
    return walk(machine, lambda q: Answer.YES if q in yes else Answer.UNSURE if q in unsure else Answer.NO)


def test_blood_in_the_pee_is_asked_of_everyone_whose_peeing_changed_without_severe_or_lasting_pain(machine):
    asked, final = outcome(machine, yes={"toilet", "kidney"})
    assert "kidney" in asked and final.outcome.disposition == "urgent" and final.outcome.advice == "kidney"
    assert asked.index("bladder_bowel") < asked.index("kidney")  # the emergency signs of the gate first


def test_a_change_in_peeing_alone_is_nothing_but_cannot_pee_or_a_numb_bottom_is_an_emergency(machine, protocol):
    _, final = outcome(machine, yes={"toilet"})
    assert final.outcome.disposition == protocol.no_red_flags  # a water infection, constipation from painkillers
    _, final = outcome(machine, yes={"toilet", "bladder_bowel"})
    assert final.outcome.disposition == "emergency" and final.outcome.advice == "emergency_department"


@pytest.mark.parametrize("gate", ["fever", "cancer"])
def test_unsteady_legs_and_a_band_of_numbness_are_asked_after_a_fever_as_after_cancer(machine, gate):
    yes = {gate, "cancer_risk"} if gate == "cancer" else {gate}
    for sign in ("unsteady", "band_pain"):
        asked, final = outcome(machine, yes=yes | {sign})
        assert sign in asked and final.outcome.disposition == "emergency", sign
    asked, _ = outcome(machine, yes={"limbs"})
    assert "unsteady" not in asked  # one numb leg alone (sciatica) is not asked about the walk


def test_a_sudden_onset_alone_is_nothing_and_tearing_after_it_an_emergency(machine, protocol):
    asked, final = outcome(machine, yes={"sudden"})
    assert "tearing" in asked and "cold_sweat" in asked and final.outcome.disposition == protocol.no_red_flags
    _, final = outcome(machine, yes={"sudden", "tearing"})
    assert final.outcome.disposition == "emergency"
    asked, _ = outcome(machine)
    assert "tearing" not in asked


def test_tearing_said_unprompted_is_still_an_emergency(machine):
    assert isinstance(machine.tell(machine.start(), "tearing", True), Finished)


def test_stomach_pain_for_weeks_over_sixty_is_urgent_and_new_stomach_pain_over_sixty_an_emergency(machine):
    asked, final = outcome(machine, yes={"unwell", "heart_risk", "unusually_tired"})  # weeks: unwell_new no
    assert "heart_risk" not in asked and final.outcome.disposition == "urgent"
    _, final = outcome(machine, yes={"unwell", "unwell_new", "heart_risk"})
    assert final.outcome.disposition == "emergency"
    _, final = outcome(machine, yes={"unwell", "faint"})  # faintness is an emergency whenever it began
    assert final.outcome.disposition == "emergency"


def test_pain_on_breathing_in_alone_is_routine_and_with_a_clot_sign_an_emergency(machine):
    _, final = outcome(machine, yes={"breathing"})
    assert final.outcome.disposition == "routine"
    for sign in ("short_of_breath", "coughing_blood", "leg_swelling", "clot_risk", "racing_heart"):
        _, final = outcome(machine, yes={"breathing", sign})
        assert final.outcome.disposition == "emergency", sign


def test_over_fifty_with_an_obvious_strain_is_self_care_and_out_of_the_blue_routine(machine, protocol):
    _, final = outcome(machine, yes={"cancer_risk"})
    assert final.outcome.disposition == protocol.no_red_flags
    _, final = outcome(machine, yes={"cancer_risk", "out_of_blue"})
    assert final.outcome.disposition == "routine"


def test_not_sure_on_a_sign_that_is_not_an_emergency_hears_an_example_once_then_counts_as_yes(machine, protocol):
    clarified = [q for q in protocol.questions if q.clarify]
    assert {"risk_factors", "injury", "cancer", "kidney", "fever"} <= {q.id for q in clarified}
    for question in clarified:
        assert protocol.rank(question.yes) < protocol.rank(protocol.top)
    state = machine.start()
    while state.question != "risk_factors":
        state = machine.answer(state, Answer.NO)
    once = machine.answer(state, Answer.UNSURE)
    assert isinstance(once, Asking) and once.question == "risk_factors" and once.clarifying
    assert machine.restore(machine.to_dict(once)) == once
    twice = machine.answer(once, Answer.UNSURE)
    assert isinstance(twice, Asking) and ("risk_factors", True) in [(g.question, g.yes) for g in twice.answers]
    settled = machine.answer(once, Answer.NO)
    assert isinstance(settled, Asking) and settled.question != "risk_factors" and not settled.clarifying


def test_not_sure_on_an_emergency_sign_or_a_gate_naming_one_counts_as_yes_at_once(machine, protocol, en_us):
    for question in protocol.questions:
        assert not (question.yes == protocol.top and question.clarify), question.id
    for gate in ("breathing", "unwell", "toilet"):  # they name short of breath, faint, can't pee: no example first
        assert not protocol.question(gate).clarify, gate
    # where a gate covering an emergency sign is clarified, its example names that sign
    assert "crash" in en_us.questions["injury"]["clarify"] and "weak" in en_us.questions["limbs"]["clarify"]
    assert isinstance(machine.answer(machine.start(), Answer.UNSURE), Finished)


def test_a_clarification_the_skill_did_not_write_is_not_trusted(machine):
    state = machine.start()
    data = {**machine.to_dict(state), "c": 1}  # heart_pain is never clarified
    assert machine.restore(data) is None
    assert machine.restore({**machine.to_dict(state), "c": 2}) is None


def test_through_the_lambda_handler_not_sure_hears_the_example_and_the_question_again(conversation, en_us):
    conversation.launch()
    walk_to(conversation, "risk_factors")
    conversation.answer("unsure")
    assert conversation.question == "risk_factors" and not conversation.ended
    assert conversation.speech.startswith(en_us.questions["risk_factors"]["clarify"])
    assert conversation.speech.endswith(en_us.questions["risk_factors"]["ask"])
    conversation.answer("no")
    assert conversation.question != "risk_factors"


def test_through_the_lambda_handler_a_second_not_sure_counts_as_yes(conversation):
    conversation.launch()
    walk_to(conversation, "risk_factors")
    conversation.answer("unsure")
    conversation.answer("unsure")
    conversation.finish()
    assert conversation.disposition == "urgent"


def test_the_no_red_flag_path_stays_within_twelve_questions_and_150_words(machine, en_us):
    from skill.triage.protocol import word_count

    asked, final = outcome(machine)
    assert len(asked) <= 12 and sum(word_count(en_us.questions[q]["ask"]) for q in asked) <= 150
    assert final.outcome.disposition == "self_care"


def test_every_spanish_locale_asks_the_same_questions_with_its_examples(protocol):
    from skill.triage import default_locales

    for name, text in default_locales().items():
        for question in protocol.questions:
            assert bool(text.questions[question.id].get("clarify")) == question.clarify, (name, question.id)

