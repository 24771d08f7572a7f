"""Whole conversations through the real Lambda handler with real Alexa envelopes."""

from __future__ import annotations

import pytest
from conftest import NO_RED_FLAGS, SAFETY_NET_US, UNIVERSAL, Conversation, with_token_state

from skill.triage.protocol import word_count
from skill.triage.safety import ways_to

SAFETY_NET = "call 911 right away"
TO_URGENT = UNIVERSAL.index("risk_factors")  # no this many times, then yes: urgent


def walk_to(conversation: Conversation, question: str, yes_to: frozenset = frozenset()) -> None:
    """Answer no (yes to ``yes_to``) until ``question`` is asked."""
    while conversation.question != question:
        assert not conversation.ended, f"{question} was never asked"
        conversation.answer("yes" if conversation.question in yes_to else "no")


def test_launch_is_short_says_it_is_guidance_and_asks_the_first_emergency_question(conversation, en_us):
    conversation.launch()
    speech = conversation.speech
    assert speech.startswith("Back Pain Check: guidance, not a diagnosis.")
    assert speech.endswith(en_us.questions["heart_pain"]["ask"])
    assert word_count(speech) <= 20
    assert conversation.last["response"]["reprompt"]["outputSpeech"]["ssml"].count("call <say-as") == 1
    assert "In an emergency, call" in conversation.last["response"]["reprompt"]["outputSpeech"]["ssml"]
    assert not conversation.ended and conversation.question == "heart_pain"


def test_a_person_with_no_red_flags_hears_self_care_after_twelve_questions(conversation):
    conversation.launch()
    asked = 0
    while not conversation.ended:
        asked += 1
        conversation.answer("no")
    assert asked == NO_RED_FLAGS <= 12
    assert conversation.disposition == "self_care"
    speech = conversation.speech
    assert "usually gets better on its own" in speech and speech.endswith(SAFETY_NET_US)
    assert speech.count(SAFETY_NET) == 1 and word_count(speech) <= 45
    card = conversation.last["response"]["card"]
    assert card["title"] == "Back Pain Check: Self-care, and when to get help"
    for cause in ("strained muscles", "posture", "arthritis", "herniated disk", "few weeks"):
        assert cause in card["content"]
    assert "not a diagnosis" in card["content"]
    assert "not a substitute for professional medical advice" in card["content"]


@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_yes_or_unsure_to_each_question_leads_at_least_to_its_disposition(protocol, answer):
    for question in protocol.questions:
        conversation = Conversation()
        conversation.launch()
        walk_to(conversation, question.id, yes_to=ways_to(protocol, question.id)[0])
        conversation.answer(answer)
        if conversation.question == question.id:  # a first "not sure" here heard an example: the second counts
            conversation.answer(answer)
        while not conversation.ended:
            conversation.answer("no")
        assert protocol.rank(conversation.disposition) >= protocol.rank(question.yes), question.id
        assert "triage" not in conversation.last["sessionAttributes"]


def test_emergency_speech_leads_with_the_number_says_alexa_cannot_call_and_stays_short(conversation):
    conversation.launch()
    conversation.answer("yes")
    speech = conversation.speech
    assert speech.startswith("Call 911 now.")
    assert "can't call for you" in speech and "Don't drive yourself" in speech
    assert word_count(speech) <= 45 and SAFETY_NET not in speech
    ssml = conversation.last["response"]["outputSpeech"]["ssml"]
    assert '<say-as interpret-as="digits">911</say-as>' in ssml
    card = conversation.last["response"]["card"]
    assert card["title"] == "Back Pain Check: Call 911 now"
    assert "heart attack" in card["content"] and "American Heart Association" in card["content"]


def test_not_sure_to_an_emergency_sign_says_in_one_sentence_why_it_counts(conversation):
    conversation.launch()
    conversation.answer("unsure")
    assert conversation.speech.startswith("Call 911 now. When you're not sure about an emergency sign, "
                                          "it's safest to call.")


def test_spinal_signs_name_the_emergency_room_as_well(conversation, protocol):
    conversation.launch()
    walk_to(conversation, "bladder_bowel", yes_to=frozenset({"toilet"}))  # "any change in peeing or pooing?"
    conversation.answer("yes")
    assert conversation.speech.startswith("Call 911 now, or have someone take you to the emergency room")
    assert "Cauda equina" in conversation.last["response"]["card"]["content"]


def test_cancer_without_nerve_signs_names_the_cancer_teams_line(conversation):
    conversation.launch()
    walk_to(conversation, "cancer", yes_to=frozenset({"cancer_risk"}))  # "have you had cancer, or are you over 50?"
    conversation.answer("yes")
    while not conversation.ended:
        conversation.answer("no")
    assert conversation.disposition == "urgent"
    assert conversation.speech.startswith("If you have a cancer team, call their 24-hour line today.")
    assert "NICE guideline NG234" in conversation.last["response"]["card"]["content"]


def test_a_yes_to_a_gate_asks_its_follow_ups_and_an_emergency_one_ends_at_once(conversation):
    conversation.launch()
    walk_to(conversation, "breathing")
    conversation.answer("yes")
    assert conversation.question == "short_of_breath"
    conversation.answer("no")
    assert conversation.question == "coughing_blood"
    conversation.answer("yes")
    assert conversation.disposition == "emergency"
    card = conversation.last["response"]["card"]["content"]
    assert "coughed up blood" in card and "breathing may be hard or painful" in card  # every reason counts


@pytest.mark.parametrize("disposition_question, who", [("risk_factors", "healthcare professional"),
                                                        ("few_weeks", "make an appointment")])
def test_urgent_and_routine_say_who_to_contact_and_the_safety_net_once(protocol, disposition_question, who):
    conversation = Conversation()
    conversation.launch()
    walk_to(conversation, disposition_question)
    conversation.answer("yes")
    conversation.finish()
    assert who in conversation.speech
    assert conversation.speech.count(SAFETY_NET) == 1 and word_count(conversation.speech) <= 45
    assert "Why: You said" in conversation.last["response"]["card"]["content"]


def test_emergency_interrupt_works_at_every_step():
    for step in range(NO_RED_FLAGS):
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
def test_stopping_at_any_step_ends_with_the_safety_net(intent):
    for step in range(NO_RED_FLAGS):
        conversation = Conversation()
        conversation.launch()
        for _ in range(step):
            conversation.answer("no")
        conversation.intent(intent)
        assert conversation.ended
        assert conversation.speech.endswith(SAFETY_NET_US)  # not an answer to an offer: the safety net, once
        conversation.assert_safety_net_said_once_in_the_ending()
        assert conversation.disposition is None


def test_misunderstandings_never_end_an_emergency_question_they_ask_it_again_in_simpler_words(conversation,
                                                                                               en_us):
    conversation.launch()
    for _ in range(4):
        conversation.intent("AMAZON.FallbackIntent")
        assert not conversation.ended and conversation.question == "heart_pain"
        assert conversation.speech == ("Sorry, I didn't catch that. If you have any of these, call 911 now. "
                                       + en_us.questions["heart_pain"]["simple"])
    conversation.answer("no")
    assert conversation.question == "breathing"


def test_two_misunderstandings_in_a_row_after_the_emergency_questions_end_with_the_safety_net(conversation):
    conversation.launch()
    walk_to(conversation, "risk_factors")
    conversation.intent("AMAZON.FallbackIntent")
    assert not conversation.ended and "didn't catch that" in conversation.speech
    conversation.intent("AMAZON.FallbackIntent")
    assert conversation.ended and conversation.speech.endswith(SAFETY_NET_US)
    conversation.assert_safety_net_said_once_in_the_ending()


@pytest.mark.parametrize("yes_to, at, disposition, advice", [
    ("breathing", "risk_factors", "routine", "Please make an appointment with a doctor or physical therapist."),
    ("limbs", "rash", "urgent", "Please contact a doctor or other healthcare professional today."),
])
def test_two_misunderstandings_after_a_red_flag_stop_here_and_still_give_its_advice(conversation, yes_to, at,
                                                                                    disposition, advice):
    conversation.launch()
    walk_to(conversation, at, yes_to=frozenset({yes_to}))
    conversation.intent("AMAZON.FallbackIntent")
    conversation.intent("AMAZON.FallbackIntent")
    assert conversation.ended and conversation.disposition == disposition
    speech = conversation.speech
    assert speech.startswith("I'll stop here. ") and advice in speech and "trouble understanding" not in speech
    assert speech.endswith(SAFETY_NET_US) and speech.count(SAFETY_NET) == 1 and "?" not in speech
    conversation.assert_safety_net_said_once_in_the_ending()


def test_an_understood_answer_resets_the_misunderstanding_count(conversation):
    conversation.launch()
    walk_to(conversation, "risk_factors")
    conversation.intent("AMAZON.FallbackIntent")
    conversation.answer("no")
    conversation.intent("AMAZON.FallbackIntent")
    assert not conversation.ended and conversation.question == "rash"


def test_an_intent_the_skill_does_not_know_counts_as_a_misunderstanding(conversation):
    conversation.launch()
    conversation.intent("AMAZON.ShuffleOnIntent")
    assert not conversation.ended and conversation.question == "heart_pain"
    assert "didn't catch that" in conversation.speech


def test_help_explains_the_current_question_briefly_and_keeps_the_place(conversation, en_us):
    conversation.launch()
    walk_to(conversation, "unwell")
    conversation.intent("AMAZON.HelpIntent")
    unwell = en_us.questions["unwell"]
    assert unwell["simple"] != unwell["ask"]
    assert conversation.speech == f"{unwell['help']} {unwell['simple']}"  # the question in its simpler words
    assert word_count(conversation.speech) <= 40 and not conversation.ended
    assert conversation.reprompt.startswith("You can answer yes, no, or not sure, or say repeat or go back. In an "
                                            "emergency, call 911.")
    assert conversation.reprompt.endswith(unwell["ask"])  # and in full if the person says nothing
    assert conversation.question == "unwell"


def test_repeat_says_the_current_question_again(conversation, en_us):
    conversation.launch()
    conversation.answer("no")
    conversation.intent("AMAZON.RepeatIntent")
    assert conversation.speech == en_us.questions["breathing"]["ask"]
    assert conversation.question == "breathing"


def test_start_over_goes_back_to_the_first_emergency_question_with_the_disclaimer(conversation):
    conversation.launch()
    for _ in range(4):
        conversation.answer("no")
    conversation.intent("AMAZON.StartOverIntent")
    assert conversation.question == "heart_pain"
    assert conversation.speech.startswith("Okay, from the start. Back Pain Check: guidance, not a diagnosis.")


def test_previous_lets_the_person_change_the_last_answer(conversation):
    conversation.launch()
    conversation.answer("no")
    conversation.answer("no")
    conversation.intent("AMAZON.PreviousIntent")
    assert conversation.question == "breathing"
    conversation.answer("yes")
    assert conversation.question == "short_of_breath"


def test_previous_at_the_first_question_stays_there(conversation):
    conversation.launch()
    conversation.intent("AMAZON.PreviousIntent")
    assert conversation.question == "heart_pain" and "first question" in conversation.speech


def test_an_answer_with_no_triage_in_progress_starts_from_the_first_question(conversation):
    conversation.answer("no")  # "Alexa, tell back pain check no" as a one-shot
    assert conversation.question == "heart_pain" and not conversation.ended


def test_session_ended_request_gets_an_empty_response(conversation):
    conversation.launch()
    response = conversation.send(conversation.session.session_ended("EXCEEDED_MAX_REPROMPTS"))
    assert "outputSpeech" not in response["response"]


def test_a_tampered_state_restarts_at_the_first_question_instead_of_skipping(conversation):
    conversation.launch()
    attributes = conversation.session.attributes
    conversation.session.attributes = with_token_state(attributes, {"triage": {"v": 2, "q": "no_such_question",
                                                                               "a": []}})
    conversation.answer("no")
    assert conversation.question == "heart_pain"
    conversation.session.attributes = {"triage": {"v": 2, "q": "few_weeks", "a": [], "m": 0}}  # no token
    conversation.answer("no")
    assert conversation.question == "heart_pain"
    conversation.session.attributes["triage"] = {"v": 2, "q": "few_weeks", "a": [], "m": 0}  # the readable copy
    conversation.answer("no")
    assert conversation.question == UNIVERSAL[1]  # never read: the "no" answered the sealed question, chest pain
