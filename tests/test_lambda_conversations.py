"""Whole conversations through the real Lambda handler with real Alexa envelopes."""

from __future__ import annotations

import pytest
from conftest import Conversation

SAFETY_NET = "call 911 right away"


def question_ids(protocol):
    return [q.id for q in protocol.questions]


def test_launch_says_what_it_does_that_it_is_guidance_and_asks_the_first_emergency_question(conversation, en_us):
    conversation.launch()
    speech = conversation.speech
    assert "yes or no questions" in speech
    assert "guidance, not a diagnosis" in speech
    assert "call 911" in speech
    assert speech.endswith(en_us.questions["heart_attack"]["ask"])
    assert not conversation.ended
    assert conversation.question == "heart_attack"


def test_a_person_with_no_red_flags_hears_self_care_after_at_most_eight_questions(conversation, protocol):
    conversation.launch()
    asked = 0
    while not conversation.ended:
        asked += 1
        conversation.answer("no")
    assert asked == len(protocol.questions) <= 8
    assert conversation.disposition == "self_care"
    speech = conversation.speech
    for cause in ("strained muscles", "posture", "arthritis", "herniated disk"):
        assert cause in speech
    assert "few weeks" in speech and SAFETY_NET in speech
    card = conversation.last["response"]["card"]
    assert card["title"] == "Back Pain Check: Self-care, and when to get help"
    assert "not a diagnosis" in card["content"]
    assert "not a substitute for professional medical advice" in card["content"]


@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_yes_or_unsure_to_each_question_ends_with_its_disposition(protocol, answer):
    for index, question in enumerate(protocol.questions):
        conversation = Conversation()
        conversation.launch()
        for _ in range(index):
            conversation.answer("no")
        assert conversation.question == question.id
        conversation.answer(answer)
        assert conversation.ended
        assert conversation.disposition == question.group
        assert "triage" not in conversation.last["sessionAttributes"]


def test_emergency_speech_leads_with_the_number_says_alexa_cannot_call_and_repeats_it(conversation):
    conversation.launch()
    conversation.answer("yes")
    speech = conversation.speech
    assert speech.startswith("Call 911 now.")
    assert "can't make the call for you" in speech
    assert speech.count("911") >= 2
    ssml = conversation.last["response"]["outputSpeech"]["ssml"]
    assert '<say-as interpret-as="digits">911</say-as>' in ssml
    card = conversation.last["response"]["card"]
    assert card["title"] == "Back Pain Check: Call 911 now"
    assert "heart attack" in card["content"] and "American Heart Association" in card["content"]


@pytest.mark.parametrize("disposition_question", ["injury", "few_weeks"])
def test_urgent_and_routine_say_who_to_contact_and_the_safety_net(protocol, disposition_question):
    conversation = Conversation()
    conversation.launch()
    while conversation.question != disposition_question:
        conversation.answer("no")
    conversation.answer("yes")
    assert "healthcare professional" in conversation.speech
    assert SAFETY_NET in conversation.speech
    assert "Why: You said" in conversation.last["response"]["card"]["content"]


def test_emergency_interrupt_works_at_every_step(protocol):
    for step in range(len(protocol.questions)):
        conversation = Conversation()
        conversation.launch()
        for _ in range(step):
            conversation.answer("no")
        conversation.intent("EmergencyIntent")
        assert conversation.ended and conversation.disposition == "emergency"
        assert conversation.speech.startswith("Call 911 now.")


def test_emergency_interrupt_without_an_open_session_still_gets_the_instruction(conversation):
    conversation.intent("EmergencyIntent")
    assert conversation.disposition == "emergency" and conversation.speech.startswith("Call 911 now.")


@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"])
def test_stopping_at_any_step_ends_with_the_safety_net(protocol, intent):
    for step in range(len(protocol.questions)):
        conversation = Conversation()
        conversation.launch()
        for _ in range(step):
            conversation.answer("no")
        conversation.intent(intent)
        assert conversation.ended
        assert SAFETY_NET in conversation.speech
        assert conversation.disposition is None


def test_two_misunderstandings_in_a_row_end_with_the_safety_net(conversation):
    conversation.launch()
    conversation.intent("AMAZON.FallbackIntent")
    assert not conversation.ended and "didn't catch that" in conversation.speech
    assert conversation.question == "heart_attack"
    conversation.intent("AMAZON.FallbackIntent")
    assert conversation.ended and SAFETY_NET in conversation.speech


def test_an_understood_answer_resets_the_misunderstanding_count(conversation):
    conversation.launch()
    conversation.intent("AMAZON.FallbackIntent")
    conversation.answer("no")
    conversation.intent("AMAZON.FallbackIntent")
    assert not conversation.ended and conversation.question == "vessel_or_lung"


def test_an_intent_the_skill_does_not_know_counts_as_a_misunderstanding(conversation):
    conversation.launch()
    conversation.intent("AMAZON.ShuffleOnIntent")
    assert not conversation.ended and conversation.question == "heart_attack"
    assert "didn't catch that" in conversation.speech


def test_help_explains_the_current_question_and_keeps_the_place(conversation, en_us):
    conversation.launch()
    conversation.answer("no")
    conversation.answer("no")
    conversation.intent("AMAZON.HelpIntent")
    assert "spinal cord compression" in conversation.speech
    assert conversation.speech.endswith(en_us.questions["spinal_cord"]["ask"])
    assert conversation.question == "spinal_cord"


def test_repeat_says_the_current_question_again(conversation, en_us):
    conversation.launch()
    conversation.answer("no")
    conversation.intent("AMAZON.RepeatIntent")
    assert conversation.speech == en_us.questions["vessel_or_lung"]["ask"]
    assert conversation.question == "vessel_or_lung"


def test_start_over_goes_back_to_the_first_emergency_question(conversation):
    conversation.launch()
    for _ in range(4):
        conversation.answer("no")
    conversation.intent("AMAZON.StartOverIntent")
    assert conversation.question == "heart_attack" and "start over" in conversation.speech


def test_previous_lets_the_person_change_the_last_answer(conversation):
    conversation.launch()
    conversation.answer("no")
    conversation.answer("no")
    conversation.intent("AMAZON.PreviousIntent")
    assert conversation.question == "vessel_or_lung"
    conversation.answer("yes")
    assert conversation.disposition == "emergency"


def test_previous_at_the_first_question_stays_there(conversation):
    conversation.launch()
    conversation.intent("AMAZON.PreviousIntent")
    assert conversation.question == "heart_attack" and "first question" in conversation.speech


def test_an_answer_with_no_triage_in_progress_starts_from_the_first_question(conversation):
    conversation.answer("no")  # "Alexa, tell back pain check no" as a one-shot
    assert conversation.question == "heart_attack" and not conversation.ended


def test_session_ended_request_gets_an_empty_response(conversation):
    conversation.launch()
    response = conversation.send(conversation.session.session_ended("EXCEEDED_MAX_REPROMPTS"))
    assert "outputSpeech" not in response["response"]


def test_a_tampered_state_restarts_at_the_first_question_instead_of_skipping(conversation):
    conversation.launch()
    conversation.session.attributes["triage"] = {"v": 1, "q": "no_such_question"}
    conversation.answer("no")
    assert conversation.question == "heart_attack"
    conversation.session.attributes = {"triage": {"v": 1, "q": "injury", "misses": "lots"}}
    conversation.answer("no")
    assert conversation.question == "heart_attack"
