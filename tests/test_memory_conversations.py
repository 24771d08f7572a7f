"""Resume, follow-up and forget-me as a person meets them: whole conversations through the real Lambda
handler with real Alexa envelopes, at chosen times, with an in-process store (DynamoDB: test_memory_dynamodb).

Every session starts with the emergency questions; memory speaks up only after them."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone

import pytest
from conftest import EMERGENCY_QUESTIONS, FIRST_AFTER_EMERGENCY, Conversation

from skill.local.envelopes import DEFAULT_USER_ID
from skill.store import MemoryStore, use_store, user_key
from skill.store.port import EXPIRES_AT

SAFETY_NET = "call 911 right away"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
# the one offer after self-care advice: a reminder, whose yes also keeps the follow-up (test_reminders.py)
REMEMBER = "Would you like a reminder in two weeks to check how your back feels?"
APPOINTMENT = "Would you like a reminder in three days to make that appointment?"  # after routine advice
PICK_UP = "Last time, we stopped partway through the questions. Would you like to pick up where we left off?"
KEY = user_key(DEFAULT_USER_ID)
EMERGENCY = EMERGENCY_QUESTIONS
LAUNCH = "Back Pain Check: guidance, not a diagnosis."


class Visit(Conversation):
    """One Alexa session by one person, at a moment of the test's choosing (the request timestamp)."""

    def __init__(self, when: datetime, user_id: str = DEFAULT_USER_ID, locale: str = "en-US"):
        super().__init__(locale=locale)
        self.session.user_id = user_id
        self.when = when

    def send(self, event: dict) -> dict:
        event["request"]["timestamp"] = self.when.strftime("%Y-%m-%dT%H:%M:%SZ")
        return super().send(event)

    def permission_answer(self, status: str) -> dict:
        """Alexa's answer after it asked, in its own words, for the reminders permission the skill asked it for."""
        [ask_for] = self.last["response"]["directives"]
        return self.send(self.session.permission_answer(status, token=ask_for["token"]))

    def interrupted(self, reason: str = "EXCEEDED_MAX_REPROMPTS") -> dict:
        """Alexa closes the session: two reprompts went unanswered, or the person walked away."""
        return self.send(self.session.session_ended(reason))

    def answer_until(self, question: str | None, answer: str = "no") -> None:
        while self.question != question and not self.ended and "offer" not in self.attributes:
            self.answer(answer)

    def end_at(self, outcome_question: str | None) -> None:
        """From the launch, a triage that ends at ``outcome_question``'s yes (no to its follow-ups), or with no red
        flags (None)."""
        self.launch()
        self.answer_until(outcome_question)
        if outcome_question is not None:
            self.answer("yes")
            self.finish()  # no to its follow-ups

    @property
    def attributes(self) -> dict:
        return self.last.get("sessionAttributes") or {}


@pytest.fixture
def store():
    store = MemoryStore()
    use_store(store)
    return store


def asked_questions(visit: Visit, answers: list[str]) -> list[str]:
    asked = []
    for answer in answers:
        asked.append(visit.question)
        visit.answer(answer)
    return asked


def past_the_emergency_questions(when: datetime, user_id: str = DEFAULT_USER_ID) -> Visit:
    """Open the skill and answer no to each emergency question: where memory speaks up, if it has anything to say."""
    visit = Visit(when, user_id)
    visit.launch()
    assert visit.speech.startswith(LAUNCH) and "not a diagnosis" in visit.speech
    assert asked_questions(visit, ["no"] * len(EMERGENCY)) == EMERGENCY
    return visit


def interrupted_at(question: str, when: datetime = T0) -> Visit:
    visit = Visit(when)
    visit.launch()
    visit.answer_until(question)
    visit.interrupted()
    return visit


def finish_with(outcome_question: str | None, when: datetime) -> Visit:
    """A triage that ends at ``outcome_question``'s yes, or with no red flags (None)."""
    visit = Visit(when)
    visit.end_at(outcome_question)
    return visit


def remember_self_care(when: datetime = T0) -> Visit:
    """Yes to the reminder after self-care advice, without allowing reminders: the follow-up alone is kept."""
    visit = finish_with(None, when)
    visit.answer("yes")
    visit.permission_answer("DENIED")
    return visit


def checking_in(after: timedelta, still_there: str | None = None) -> Visit:
    """A self-care outcome remembered at T0, a visit ``after`` it past the emergency questions (where memory
    asks "Is that pain still there?"), and the reply to that question if one is given."""
    remember_self_care()
    visit = past_the_emergency_questions(T0 + after)
    if still_there is not None:
        visit.answer(still_there)
    return visit


def told_the_pain_has_gone() -> Visit:
    return checking_in(timedelta(days=12), "no")


# ---- resume --------------------------------------------------------------------------------

@pytest.mark.parametrize("stopped_at", ["rash", "few_weeks"])
def test_within_the_hour_the_emergency_questions_come_first_then_an_offer_to_pick_up(store, protocol, stopped_at):
    interrupted_at(stopped_at)
    assert store.items(KEY) == {"resume": {"q": stopped_at, EXPIRES_AT: int((T0 + timedelta(hours=1)).timestamp())}}
    visit = past_the_emergency_questions(T0 + timedelta(minutes=40))
    assert visit.speech == PICK_UP and not visit.ended and visit.attributes["offer"]["kind"] == "resume"
    assert "Please answer yes or no." in visit.reprompt
    visit.answer("yes")
    assert visit.question == stopped_at and visit.speech.startswith("Okay, back to where we stopped.")
    visit.answer("yes")
    visit.answer_until(None)  # its follow-ups, if any
    assert visit.disposition == protocol.question(stopped_at).yes
    assert "resume" not in store.items(KEY)


@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_an_emergency_sign_after_an_interruption_is_an_emergency_before_any_offer(store, answer):
    interrupted_at("few_weeks")
    visit = Visit(T0 + timedelta(minutes=5))
    visit.launch()
    visit.answer(answer)  # the first question: chest pain
    assert visit.disposition == "emergency" and visit.speech.startswith("Call 911 now.")
    assert PICK_UP not in visit.speech


def test_after_an_hour_there_is_nothing_to_pick_up(store):
    interrupted_at("rash")
    visit = past_the_emergency_questions(T0 + timedelta(minutes=61))
    assert visit.question == FIRST_AFTER_EMERGENCY and "offer" not in visit.attributes


@pytest.mark.parametrize("answer", ["no", "unsure"])
def test_declining_to_pick_up_goes_on_with_the_next_question_and_forgets_the_place(store, answer):
    interrupted_at("rash")
    visit = past_the_emergency_questions(T0 + timedelta(minutes=5))
    visit.answer(answer)
    assert visit.speech.startswith("Okay, let's go on.") and visit.question == FIRST_AFTER_EMERGENCY
    assert store.items(KEY) == {}


@pytest.mark.parametrize("stopped_at", [EMERGENCY[-1], FIRST_AFTER_EMERGENCY])
def test_nothing_is_stored_when_stopped_before_anything_worth_skipping_or_by_saying_stop(store, stopped_at):
    interrupted_at(stopped_at)  # every session asks the emergency questions, then injury, anyway
    assert len(store) == 0
    visit = Visit(T0)
    visit.launch()
    visit.answer_until("rash")
    visit.intent("AMAZON.StopIntent")
    assert SAFETY_NET in visit.speech
    assert len(store) == 0


def test_interrupted_at_the_offer_or_after_picking_up_offers_the_same_place_next_time(store):
    interrupted_at("rash")
    visit = past_the_emergency_questions(T0 + timedelta(minutes=10))
    assert visit.speech == PICK_UP
    visit.interrupted()  # walked away without answering the offer
    assert store.items(KEY)["resume"]["q"] == "rash"
    visit = past_the_emergency_questions(T0 + timedelta(minutes=20))
    visit.answer("yes")
    visit.interrupted()
    assert store.items(KEY)["resume"]["q"] == "rash"


def test_each_person_gets_only_their_own_place(store):
    interrupted_at("rash")
    other = past_the_emergency_questions(T0 + timedelta(minutes=1), user_id="amzn1.ask.account.SOMEONE_ELSE")
    assert other.question == FIRST_AFTER_EMERGENCY and "offer" not in other.attributes


def test_memory_is_read_once_a_session_even_when_the_emergency_questions_are_answered_again(store):
    interrupted_at("rash")
    visit = past_the_emergency_questions(T0 + timedelta(minutes=5))
    visit.intent("AMAZON.PreviousIntent")  # back to the last emergency question, leaving the offer
    assert visit.question == EMERGENCY[-1] and "offer" not in visit.attributes
    visit.answer("no")
    assert visit.question == FIRST_AFTER_EMERGENCY and "offer" not in visit.attributes


def test_launch_never_touches_the_store(store):
    class Watched(MemoryStore):
        calls = 0

        def items(self, key):
            Watched.calls += 1
            return super().items(key)

    use_store(Watched())
    interrupted_at("few_weeks")
    Watched.calls = 0
    visit = Visit(T0 + timedelta(minutes=1))
    visit.launch()
    assert Watched.calls == 0 and visit.question == "heart_pain"


# ---- remember (opt-in follow-up) -------------------------------------------------------------

@pytest.mark.parametrize("outcome_question, disposition, offer", [(None, "self_care", REMEMBER),
                                                                   ("few_weeks", "routine", APPOINTMENT)])
def test_after_routine_or_self_care_the_skill_asks_to_remember_with_the_card_and_the_safety_net(
        store, outcome_question, disposition, offer):
    visit = finish_with(outcome_question, T0)
    assert visit.disposition == disposition and not visit.ended
    assert visit.speech.endswith(offer) and SAFETY_NET in visit.speech
    assert offer in visit.reprompt
    assert visit.last["response"]["card"]["title"].startswith("Back Pain Check:")
    assert len(store) == 0  # nothing before the person says yes


@pytest.mark.parametrize("outcome_question", [None, "few_weeks"])
def test_a_new_red_flag_said_at_the_offer_after_advice_drops_the_offer_and_asks_again(store, outcome_question):
    """'I have a fever' after self-care advice: the advice no longer fits, so it is not closed with a reminder;
    the questions start again, emergency ones first, with the fever recorded, and end in the new outcome."""
    visit = finish_with(outcome_question, T0)
    assert "offer" in visit.attributes
    visit.say("I have a fever")
    assert not visit.ended and "offer" not in visit.attributes
    assert visit.speech.startswith("Thanks, I've noted that.") and visit.question == EMERGENCY[0]
    visit.finish()
    assert visit.disposition == "urgent" and visit.ended
    assert visit.speech.count(SAFETY_NET) == 1 and len(store) == 0


def test_yes_stores_only_the_date_and_the_outcome_for_90_days(store):
    visit = remember_self_care()
    assert visit.ended and visit.disposition == "self_care"
    assert "90 days" in visit.speech and "delete my data" in visit.speech
    visit.assert_closing_after_the_offer()  # the safety net was said in the outcome, not again after the offer
    assert store.items(KEY) == {"follow_up": {
        "since": "2026-11-02", "last": "self_care", EXPIRES_AT: int((T0 + timedelta(days=90)).timestamp())}}


@pytest.mark.parametrize("answer", ["no", "unsure"])
def test_no_stores_nothing_and_ends_politely_the_safety_net_said_once_in_the_outcome(store, answer):
    visit = finish_with(None, T0)
    visit.answer(answer)
    assert visit.ended and visit.disposition == "self_care"
    assert visit.speech == "Okay, no reminder, and I won't keep anything. Take care."
    visit.assert_closing_after_the_offer()
    assert len(store) == 0


@pytest.mark.parametrize("answer, said", [
    ("yes", "Okay, I'll check in next time you open Back Pain Check. I'll forget it after 90 days, or sooner if you "
            "say: Alexa, ask Back Pain Check to delete my data."),
    ("no", "Okay, I won't keep anything. Take care."),
    ("store down", "Sorry, I couldn't save that just now, so I won't be able to check in next time."),
])
def test_the_remember_offer_closes_without_repeating_the_safety_net(store, monkeypatch, answer, said):
    """Where no reminder can be set, the offer is to remember; its answer closes as the reminder's does."""
    visit = Visit(T0)
    visit.launch()
    visit.answer_until("few_weeks")
    visit.session.api_endpoint = ""  # a request that cannot reach Alexa's APIs: no reminder to offer
    visit.finish()
    assert visit.speech.endswith("Would you like me to remember this so I can check in next time?")
    if answer == "store down":
        monkeypatch.setattr(store, "put", DeadStore().put)  # the table goes at the yes
    visit.answer("no" if answer == "no" else "yes")
    assert visit.speech == said
    visit.assert_closing_after_the_offer()
    assert ("follow_up" in store.items(KEY)) == (answer == "yes")


@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stop_at_the_remember_question_stores_nothing_and_the_safety_net_stays_said_once(store, intent):
    """The advice, a turn before, said the safety net; stopping at its offer does not say it again."""
    visit = finish_with(None, T0)
    visit.intent(intent)
    assert visit.ended and visit.speech == "Okay, stopping here." and len(store) == 0
    visit.assert_closing_after_the_offer()


@pytest.mark.parametrize("outcome_question", ["heart_pain", FIRST_AFTER_EMERGENCY])
def test_emergency_and_urgent_outcomes_end_without_asking_to_remember(store, outcome_question):
    visit = finish_with(outcome_question, T0)
    assert visit.ended and REMEMBER not in visit.speech and len(store) == 0


def test_without_a_store_the_outcome_ends_the_session_as_before():
    visit = finish_with(None, T0)
    assert visit.ended and visit.disposition == "self_care" and REMEMBER not in visit.speech


# ---- follow-up --------------------------------------------------------------------------------

@pytest.mark.parametrize("days, when", [(0, "earlier today"), (1, "yesterday"), (10, "10 days ago"),
                                        (25, "about 3 weeks ago"), (89, "about 12 weeks ago")])
def test_after_the_emergency_questions_a_later_visit_asks_whether_the_pain_is_still_there(store, days, when):
    visit = checking_in(timedelta(days=days, hours=2))
    assert visit.speech == f"You first told me about your upper back pain {when}. Is that pain still there?"
    assert visit.attributes["offer"]["kind"] == "follow_up" and not visit.ended


def test_still_there_after_three_weeks_asks_every_red_flag_and_is_at_least_routine(store, protocol):
    visit = checking_in(timedelta(days=25), "yes")
    assert "Pain that lasts a few weeks should be checked" in visit.speech and visit.question == FIRST_AFTER_EMERGENCY
    asked = list(EMERGENCY)
    while "offer" not in visit.attributes and not visit.ended:
        asked.append(visit.question)
        visit.answer("no")
    assert asked == [q.id for q in protocol.universal if protocol.reach(q.id) > protocol.rank("routine")]
    assert visit.disposition == "routine" and "make an appointment" in visit.speech
    card = visit.last["response"]["card"]["content"]
    assert "Why: Your back pain is still there after a few weeks." in card
    assert visit.speech.endswith(APPOINTMENT)
    visit.answer("yes")
    follow_up = store.items(KEY)["follow_up"]
    assert follow_up["since"] == "2026-11-02" and follow_up["last"] == "routine"  # the first report date is kept


def test_still_there_after_three_weeks_a_more_serious_red_flag_still_counts(store):
    visit = checking_in(timedelta(days=30), "yes")
    visit.answer_until("risk_factors")
    visit.answer("yes")
    visit.finish()  # the rash question can still say where to go
    assert visit.disposition == "urgent"


@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_still_there_sooner_than_three_weeks_is_an_ordinary_triage(store, answer):
    visit = checking_in(timedelta(days=20), answer)  # "not sure" the pain is gone counts as still there
    assert visit.speech.startswith("I'm sorry it's still bothering you. A few more questions")
    assert visit.question == FIRST_AFTER_EMERGENCY
    visit.answer_until(None)
    assert visit.disposition == "self_care"


def test_still_there_a_week_after_routine_advice_is_still_at_least_routine(store):
    visit = finish_with("few_weeks", T0)  # pain for weeks already: see a professional
    visit.answer("yes")
    visit = past_the_emergency_questions(T0 + timedelta(days=7))
    visit.answer("yes")
    assert "Pain that lasts a few weeks should be checked" in visit.speech
    visit.answer_until(None)
    assert visit.disposition == "routine"


def test_pain_gone_is_met_kindly_with_an_offer_to_forget_then_a_kind_goodbye(store):
    visit = told_the_pain_has_gone()
    assert visit.speech == "I'm glad the pain has gone. Would you like me to delete what I stored about it?"
    visit.answer("yes")
    assert visit.ended and visit.speech == (
        "Okay, I've deleted everything Back Pain Check stored for you. I'm glad you're feeling better. If the pain "
        "comes back, just open Back Pain Check again. If you get chest pain, trouble breathing, or weak or numb "
        "legs, call 911 right away.")
    assert len(store) == 0


def test_pain_gone_and_keep_it_keeps_it_and_ends_kindly(store):
    visit = told_the_pain_has_gone()
    visit.answer("no")
    assert visit.ended and "deleted automatically after 90 days" in visit.speech and SAFETY_NET in visit.speech
    assert "I'm glad you're feeling better" in visit.speech
    assert "follow_up" in store.items(KEY)


def test_after_forgetting_nothing_more_is_stored_in_that_session(store):
    remember_self_care()
    visit = Visit(T0 + timedelta(days=2))
    visit.launch()
    visit.intent("DeleteDataIntent")  # in the middle of the questions
    assert len(store) == 0 and visit.question == "heart_pain"
    visit.answer_until("rash")  # a place worth resuming, in any other session
    visit.interrupted()
    assert len(store) == 0


def test_saying_no_to_remembering_in_a_follow_up_stops_the_check_ins(store):
    visit = checking_in(timedelta(days=5), "yes")
    visit.answer_until(None)
    visit.answer("no")
    assert len(store) == 0
    visit.assert_closing_after_the_offer()


def test_after_90_days_there_is_no_follow_up(store):
    visit = checking_in(timedelta(days=90, minutes=1))
    assert visit.question == FIRST_AFTER_EMERGENCY and "offer" not in visit.attributes


def test_start_over_in_a_follow_up_keeps_the_floor(store):
    visit = checking_in(timedelta(days=25), "yes")
    visit.answer("no")
    visit.intent("AMAZON.StartOverIntent")
    assert visit.question == "heart_pain"
    visit.answer_until(None)
    assert visit.disposition == "routine"


# ---- questions about memory: help, repeat, misunderstanding, interruptions --------------------------

def offers(store):
    """Each kind of memory question, reached the way a person reaches it."""
    def resume():
        interrupted_at("rash")
        return past_the_emergency_questions(T0 + timedelta(minutes=5))

    def follow_up():
        return checking_in(timedelta(days=5))

    return {"resume": resume, "follow_up": follow_up, "reminder": lambda: finish_with(None, T0 + timedelta(days=100)),
            "forget": told_the_pain_has_gone}


@pytest.mark.parametrize("kind", ["resume", "follow_up", "reminder", "forget"])
def test_help_and_repeat_explain_and_ask_the_memory_question_again(store, kind):
    visit = offers(store)[kind]()
    question = visit.speech.rsplit(". ", 1)[-1]
    visit.intent("AMAZON.HelpIntent")
    assert not visit.ended and visit.speech.endswith(question) and len(visit.speech) > len(question) + 20
    visit.intent("AMAZON.RepeatIntent")
    assert visit.speech == question and visit.attributes["offer"]["kind"] == kind
    assert visit.question == (None if kind == "reminder" else FIRST_AFTER_EMERGENCY)  # the triage keeps its place


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_help_repeat_and_a_misunderstanding_at_the_reminder_offer_add_no_safety_net_to_the_ending(store, answer):
    visit = finish_with(None, T0)
    for intent in ("AMAZON.HelpIntent", "AMAZON.RepeatIntent", "AMAZON.FallbackIntent"):
        visit.intent(intent)
        assert not visit.ended and visit.speech.endswith(REMEMBER)
    visit.answer(answer)
    if answer == "yes":  # Alexa asks for the permission in its own words, then answers the skill
        visit.permission_answer("DENIED")
    assert len(visit.ending()) == 5 + (answer == "yes")
    visit.assert_closing_after_the_offer()


@pytest.mark.parametrize("kind", ["resume", "follow_up", "reminder", "forget"])
def test_two_misunderstandings_at_a_memory_question_end_with_the_safety_net(store, kind):
    visit = offers(store)[kind]()
    visit.intent("AMAZON.FallbackIntent")
    assert not visit.ended and "didn't catch that" in visit.speech and "yes or no" in visit.speech
    assert visit.question == (None if kind == "reminder" else FIRST_AFTER_EMERGENCY)
    visit.intent("AMAZON.FallbackIntent")
    assert visit.ended
    if kind == "reminder":  # the offer after advice: the advice said the safety net, once per ending
        visit.assert_closing_after_the_offer()
    else:
        assert SAFETY_NET in visit.speech


@pytest.mark.parametrize("kind", ["resume", "follow_up", "reminder", "forget"])
def test_an_emergency_at_a_memory_question_gets_the_instruction_at_once(store, kind):
    visit = offers(store)[kind]()
    visit.intent("EmergencyIntent")
    assert visit.ended and visit.disposition == "emergency" and visit.speech.startswith("Call 911 now.")


# ---- forget me -------------------------------------------------------------------------------

def test_delete_my_data_as_a_one_shot_removes_everything_and_confirms(store):
    next_day = T0 + timedelta(days=1)
    visit = checking_in(timedelta(days=1), "yes")
    visit.answer_until("rash")
    visit.interrupted()
    assert set(store.items(KEY)) == {"resume", "follow_up"}
    visit = Visit(next_day + timedelta(minutes=1))
    visit.intent("DeleteDataIntent")  # "Alexa, ask back pain check to delete my data"
    assert visit.ended and "deleted everything Back Pain Check stored for you" in visit.speech
    assert SAFETY_NET in visit.speech
    assert len(store) == 0
    later = past_the_emergency_questions(next_day + timedelta(minutes=2))
    assert later.question == FIRST_AFTER_EMERGENCY and "offer" not in later.attributes


def test_delete_my_data_mid_triage_confirms_keeps_the_place_and_stores_nothing_more(store):
    visit = checking_in(timedelta(days=1), "yes")
    visit.answer_until("rash")
    visit.intent("DeleteDataIntent")
    assert not visit.ended and visit.question == "rash"
    assert visit.speech.startswith("Okay, I've deleted everything") and visit.speech.endswith("?")
    visit.interrupted()
    visit.answer_until(None)
    assert len(store) == 0


def test_delete_my_data_without_a_store_confirms_there_is_nothing():
    visit = Visit(T0)
    visit.intent("DeleteDataIntent")
    assert visit.ended and "deleted everything" in visit.speech


# ---- a store that fails: the triage and its safety rules do not change ----------------------------

class DeadStore(MemoryStore):
    name = "dead"

    def items(self, key):
        raise ConnectionError("the table is gone")

    put = delete = delete_all = lambda self, *args: DeadStore.items(self, None)


def test_a_dead_store_changes_nothing_but_memory_and_is_logged_without_user_data(caplog):
    guarded = use_store(DeadStore())
    with caplog.at_level(logging.INFO):
        visit = Visit(T0)
        visit.launch()
        assert visit.speech.startswith("Back Pain Check: guidance, not a diagnosis.") and visit.question == "heart_pain"
        visit.answer_until(FIRST_AFTER_EMERGENCY)
        visit.interrupted()
        visit = Visit(T0)
        visit.launch()
        visit.answer_until("few_weeks")
        guarded.reset()  # the store is tried again after its cool-down
        visit.answer("no")
        assert visit.disposition == "self_care" and visit.speech.endswith(REMEMBER)
        visit.answer("yes")
        assert visit.ended and "couldn't set the reminder" in visit.speech
        visit.assert_closing_after_the_offer()  # a store failing at that moment does not change the closing
        visit = Visit(T0)
        visit.intent("DeleteDataIntent")
        assert visit.ended and "couldn't delete your data" in visit.speech and SAFETY_NET in visit.speech
        assert "deleted everything" not in visit.speech
        emergency = Visit(T0)
        emergency.launch()
        emergency.answer("unsure")
        assert emergency.disposition == "emergency" and emergency.speech.startswith("Call 911 now.")
    assert "store failed: store=dead operation=recall error=ConnectionError" in caplog.text
    store_lines = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("skill.store"))
    assert "DeleteDataIntent" not in store_lines  # the store's lines name the operation, not the request
    assert DEFAULT_USER_ID not in caplog.text and KEY not in caplog.text


def test_garbage_in_the_store_is_ignored(store):
    store.put(KEY, "resume", {"q": EMERGENCY[-1], EXPIRES_AT: 4_000_000_000})  # not a place to resume
    store.put(KEY, "follow_up", {"since": "yesterday", "last": "self_care", EXPIRES_AT: 4_000_000_000})
    visit = past_the_emergency_questions(T0)
    assert visit.question == FIRST_AFTER_EMERGENCY and "offer" not in visit.attributes


def test_tampered_offer_attributes_restart_safely(store):
    visit = Visit(T0)
    visit.launch()
    visit.session.attributes = {"offer": {"kind": "resume", "question": "few_weeks", "evil": 1}}
    visit.answer("yes")
    assert visit.question == "heart_pain"
    visit.session.attributes = {"offer": {"kind": "remember", "outcome": "nothing"}}
    visit.answer("yes")
    assert visit.question == "heart_pain" and len(store) == 0
    for kind in ("resume", "follow_up"):  # an offer without the triage it belongs to
        visit.session.attributes = {"offer": {"kind": kind, "question": "few_weeks", "since": "2026-10-01",
                                              "outcome": "self_care"}}
        visit.answer("yes")
        assert visit.question == "heart_pain" and "offer" not in visit.attributes


def test_first_report_date_today_is_kept_when_the_follow_up_is_first_stored(store):
    remember_self_care(T0 + timedelta(days=3))
    assert store.recall(KEY, T0 + timedelta(days=3)).follow_up.first_reported == date(2026, 11, 5)
