"""Property tests (hypothesis): with memory on, any sequence of sessions, answers, interruptions, pauses of
any length and deletions keeps the safety rules and stores only the minimum.

A longer campaign outside CI: ``MEMORY_EXAMPLES=3000 python -m pytest tests/test_memory_properties.py``."""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_memory_conversations import KEY, T0, Visit

from skill.store import MemoryStore, use_store
from skill.triage import TriageMachine, default_protocol

PROTOCOL = default_protocol()
MACHINE = TriageMachine(PROTOCOL)
EMERGENCY = set(MACHINE.emergency_questions)  # the emergency questions everyone is asked
EMERGENCY_SECTION = set(MACHINE.emergency_section)  # those and the follow-ups that can lead to an emergency
EMERGENCY_SIGN = {q.id for q in PROTOCOL.questions if q.yes == PROTOCOL.top}  # a yes here is an emergency
ALLOWED_ITEMS = {"resume": {"q", "expires_at"}, "follow_up": {"since", "last", "expires_at"}}

INTENTS = ["AMAZON.YesIntent", "AMAZON.NoIntent", "UnsureIntent", "AMAZON.HelpIntent", "AMAZON.RepeatIntent",
           "AMAZON.PreviousIntent", "AMAZON.StartOverIntent", "AMAZON.FallbackIntent", "EmergencyIntent",
           "AMAZON.StopIntent", "DeleteDataIntent"]
# A run of "no" first, so that sessions get past the emergency questions and reach outcomes and offers,
# then anything at all.
lines = st.tuples(st.integers(0, len(PROTOCOL.universal) + 1), st.lists(st.sampled_from(INTENTS), max_size=6)).map(
    lambda drawn: ["AMAZON.NoIntent"] * drawn[0] + drawn[1])
sessions = st.tuples(
    st.sampled_from([timedelta(seconds=30), timedelta(minutes=20)] * 3 + [
        timedelta(minutes=61), timedelta(days=3), timedelta(days=21), timedelta(days=40), timedelta(days=100)]),
    st.sampled_from(["launch"] * 8 + ["DeleteDataIntent", "AMAZON.NoIntent"]),  # how it opens
    st.sampled_from(["AMAZON.YesIntent"] * 2 + ["AMAZON.NoIntent", "UnsureIntent"]),  # the reply to the launch
    lines,
    st.sampled_from(["AMAZON.YesIntent", "AMAZON.NoIntent"]),  # the reply to a question about memory at the end
    st.booleans(),  # whether Alexa closes it (silence, the person walks away) if it is still open
)


NO, YES = "AMAZON.NoIntent", "AMAZON.YesIntent"
N_EMERGENCY, N_ALL = len(EMERGENCY), len(PROTOCOL.universal)
STOPPED_PART_WAY = (timedelta(seconds=30), "launch", NO, [NO] * N_EMERGENCY, NO, True)  # left past the first after
PICKED_UP = (timedelta(minutes=20), "launch", NO, [NO] * (N_EMERGENCY - 1) + [YES, NO], NO, False)
SELF_CARE_REMEMBERED = (timedelta(seconds=30), "launch", NO, [NO] * (N_ALL - 1), YES, False)
STILL_THERE_WEEKS_LATER = (timedelta(days=21), "launch", NO, [NO] * (N_EMERGENCY - 1) + [YES] + [NO] * 3, NO, False)


@settings(max_examples=int(os.environ.get("MEMORY_EXAMPLES", "300")), deadline=None)
@given(st.lists(sessions, min_size=1, max_size=6))
@example([STOPPED_PART_WAY, PICKED_UP])
@example([SELF_CARE_REMEMBERED, STILL_THERE_WEEKS_LATER, STOPPED_PART_WAY, PICKED_UP])
def test_across_sessions_nothing_comes_before_the_emergency_questions_and_yes_to_one_is_an_emergency(
        script):
    store = MemoryStore()
    use_store(store)
    now = T0
    for pause, opener, reply, said, last_reply, interrupted in script:
        now += pause
        visit, asked = Visit(now), set()

        def say(step: str) -> None:
            before = visit.question if visit.last is not None else None
            visit.launch() if step == "launch" else visit.intent(step)
            if before in EMERGENCY_SIGN and step in ("AMAZON.YesIntent", "UnsureIntent"):
                assert visit.disposition == "emergency" and visit.ended
            question = visit.question
            offer = visit.attributes.get("offer", {}).get("kind")
            if offer in ("resume", "follow_up"):  # memory speaks only once the emergency questions are asked
                assert EMERGENCY <= asked, (offer, asked)
            if question is not None:
                if question not in EMERGENCY_SECTION:  # never resumed (or walked) past an emergency question unasked
                    assert EMERGENCY <= asked, (question, asked)
                asked.add(question)
            if step == "DeleteDataIntent":
                assert store.items(KEY) == {}
            for kind, item in store.items(KEY).items():
                assert set(item) == ALLOWED_ITEMS[kind]

        for step in [opener, reply, *said]:
            if visit.last is not None and visit.ended:
                break
            say(step)
        if not visit.ended and "offer" in visit.attributes:
            say(last_reply)
        if interrupted and not visit.ended:
            visit.interrupted()
    use_store(None)
