"""Property tests (hypothesis): the safety rules hold for any sequence of answers and requests."""

from __future__ import annotations

from conftest import Conversation
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.triage import Answer, TriageMachine, default_protocol

PROTOCOL = default_protocol()
MACHINE = TriageMachine(PROTOCOL)
QUESTIONS = {q.id: q for q in PROTOCOL.questions}
SAFETY_NET = "call 911 right away"

answers = st.lists(st.sampled_from(list(Answer)), min_size=len(PROTOCOL.questions),
                   max_size=3 * len(PROTOCOL.questions))


@given(answers)
def test_any_answer_sequence_terminates_within_the_number_of_questions(sequence):
    state, used = MACHINE.start(), 0
    for answer in sequence:
        used += 1
        state = MACHINE.answer(state, answer)
        if state.finished:
            break
    assert state.finished and used <= len(PROTOCOL.questions)


@given(answers)
def test_positive_answer_to_an_emergency_sign_always_ends_in_emergency(sequence):
    state = MACHINE.start()
    for answer in sequence:
        question = QUESTIONS[state.question]
        state = MACHINE.answer(state, answer)
        if question.group == "emergency" and answer is not Answer.NO:
            assert state.outcome.disposition == "emergency"
        if state.finished:
            break


@given(answers)
def test_disposition_is_never_lower_than_the_most_serious_positive_answer(sequence):
    state, positives = MACHINE.start(), []
    for answer in sequence:
        if answer is not Answer.NO:
            positives.append(PROTOCOL.rank(QUESTIONS[state.question].group))
        state = MACHINE.answer(state, answer)
        if state.finished:
            break
    assert PROTOCOL.rank(state.outcome.disposition) >= max(positives, default=0)


INTENTS = [
    "AMAZON.YesIntent", "AMAZON.NoIntent", "UnsureIntent", "AMAZON.HelpIntent", "AMAZON.RepeatIntent",
    "AMAZON.PreviousIntent", "AMAZON.StartOverIntent", "AMAZON.FallbackIntent", "EmergencyIntent",
    "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent", "AMAZON.PauseIntent",
]
POSITIVE = ("AMAZON.YesIntent", "UnsureIntent")
# Weighted towards answers so that long conversations reach outcomes.
requests = st.lists(st.one_of(st.sampled_from(INTENTS[:3]), st.sampled_from(INTENTS)), max_size=25)


@settings(max_examples=150, deadline=None)
@given(requests)
def test_any_conversation_through_the_lambda_handler_keeps_the_safety_rules(sequence):
    conversation = Conversation()
    conversation.launch()
    for intent in sequence:
        asked = conversation.question
        conversation.intent(intent)  # Conversation checks SSML, reprompts and question marks on every response
        disposition = conversation.disposition
        if intent == "EmergencyIntent":
            assert disposition == "emergency"
        if intent in POSITIVE:  # the first yes / not sure ends at that question's group, never lower
            assert disposition is not None
            assert PROTOCOL.rank(disposition) >= PROTOCOL.rank(QUESTIONS[asked].group)
        if disposition is not None:
            assert conversation.ended
            if disposition == "emergency":
                assert conversation.speech.startswith("Call 911 now.")
            else:
                assert SAFETY_NET in conversation.speech
        elif conversation.ended:  # every early end says when to call
            assert SAFETY_NET in conversation.speech
        if conversation.ended:
            break
