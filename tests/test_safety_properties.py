"""Property tests (hypothesis): the safety rules hold for any sequence of answers, statements and requests."""

from __future__ import annotations

from conftest import Conversation
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.triage import Answer, Asking, TriageMachine, default_protocol

PROTOCOL = default_protocol()
MACHINE = TriageMachine(PROTOCOL)
QUESTIONS = {q.id: q for q in PROTOCOL.questions}
SAFETY_NET = "call 911 right away"
TOP = PROTOCOL.rank(PROTOCOL.top)

answers = st.lists(st.sampled_from(list(Answer)), min_size=2 * len(PROTOCOL.questions),
                   max_size=3 * len(PROTOCOL.questions))
# Things a person may say unprompted at any moment: (sign, there or not), mixed with plain answers.
moves = st.lists(st.one_of(st.sampled_from(list(Answer)),
                           st.tuples(st.sampled_from(sorted(QUESTIONS)), st.booleans())),
                 min_size=len(PROTOCOL.questions), max_size=4 * len(PROTOCOL.questions))


def required(said: list[tuple[str, bool]]) -> int:
    """What a clinician requires of what the person said: each yes at least at what it means alone or,
    once all its gates were said yes too, at what it means asked."""
    yes = {q for q, present in said if present}
    ranks = [PROTOCOL.rank(PROTOCOL.no_red_flags)]
    for question in PROTOCOL.questions:
        if question.id not in yes:
            continue
        if any(all(gate in yes for gate in option) for option in question.gate_options or ((),)):
            ranks.append(PROTOCOL.rank(question.yes))
        elif question.alone is not None:
            ranks.append(PROTOCOL.rank(question.alone))
    return max(ranks)


@given(answers)
def test_any_answer_sequence_ends_within_the_number_of_questions(sequence):
    state, used = MACHINE.start(), 0
    for answer in sequence:
        if not isinstance(state, Asking):
            break
        used += 1
        state = MACHINE.answer(state, answer)
    assert not isinstance(state, Asking) and used <= len(PROTOCOL.questions)


@given(moves)
def test_answers_and_unprompted_statements_never_end_below_what_was_said(sequence):
    state, said = MACHINE.start(), []
    for move in sequence:
        if not isinstance(state, Asking):
            break
        if isinstance(move, Answer):
            said.append((state.question, move is not Answer.NO))
            question = QUESTIONS[state.question]
            state = MACHINE.answer(state, move)
            if question.yes == PROTOCOL.top and move is not Answer.NO:
                assert not isinstance(state, Asking) and state.outcome.disposition == PROTOCOL.top
        else:
            question_id, present = move
            before = {q: p for q, p in said}
            if question_id in before and before[question_id]:
                present = True  # a no said later never takes back a yes
            said.append((question_id, present))
            state = MACHINE.tell(state, question_id, present)
        if required(said) == TOP:
            assert not isinstance(state, Asking) and state.outcome.disposition == PROTOCOL.top
    while isinstance(state, Asking):
        said.append((state.question, False))
        state = MACHINE.answer(state, Answer.NO)
    assert PROTOCOL.rank(state.outcome.disposition) >= required(said)


INTENTS = [
    "AMAZON.YesIntent", "AMAZON.NoIntent", "UnsureIntent", "AMAZON.HelpIntent", "AMAZON.RepeatIntent",
    "AMAZON.PreviousIntent", "AMAZON.StartOverIntent", "AMAZON.FallbackIntent", "EmergencyIntent",
    "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent", "AMAZON.PauseIntent",
]
POSITIVE = ("AMAZON.YesIntent", "UnsureIntent")
# Weighted towards answers so that long conversations reach outcomes.
requests = st.lists(st.one_of(st.sampled_from(INTENTS[:3]), st.sampled_from(INTENTS)), max_size=40)


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
        if intent in POSITIVE and asked is not None and QUESTIONS[asked].yes == PROTOCOL.top:
            assert disposition == "emergency"
        if intent in POSITIVE and asked is not None and disposition is not None:
            assert PROTOCOL.rank(disposition) >= PROTOCOL.rank(QUESTIONS[asked].yes)
        if asked is not None and MACHINE.is_emergency_question(asked) and intent not in (
                *POSITIVE, "EmergencyIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent",
                "AMAZON.NavigateHomeIntent"):
            assert not conversation.ended  # misunderstandings never end the emergency questions
        if disposition is not None:
            assert conversation.ended
            if disposition == "emergency":
                assert conversation.speech.startswith("Call 911 now")  # "." or ", or have someone take you..."
            else:
                assert conversation.speech.count(SAFETY_NET) == 1
        elif conversation.ended:  # every early end says when to call
            assert SAFETY_NET in conversation.speech
        if conversation.ended:
            break


def test_a_follow_up_said_unprompted_answers_its_pure_gate_too():
    """Found by the property above: "band pain" and "I've had cancer" said unprompted are an emergency at once,
    as a clinician hears them: having had cancer is a yes to "have you had cancer, or are you over 50?"."""
    state = MACHINE.start()
    state = MACHINE.tell(state, "band_pain", True)
    assert isinstance(state, Asking)
    state = MACHINE.tell(state, "cancer", True)
    assert not isinstance(state, Asking) and state.outcome.disposition == PROTOCOL.top
