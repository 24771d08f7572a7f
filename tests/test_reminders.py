"""The reminder after routine or self-care advice (issue 15), as a person meets it: real Alexa envelopes through
the Lambda handler, ask-sdk's own Reminders client, and a fake Reminders API over real HTTPS on 127.0.0.1.

One offer ends the outcome, after its safety net; yes keeps the follow-up and sets the reminder (asking for the
permission first when it is missing); every failure is said plainly within a second; whatever comes of the offer
closes without the safety net again (it is said once per ending, in the outcome); "delete my data" deletes the
reminders too."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from conftest import HANDLER, NO_RED_FLAGS, ROOT, check_response_shape, speech_text
from test_memory_conversations import APPOINTMENT, KEY, REMEMBER, SAFETY_NET, T0, Visit

from skill.alexa.api_client import CA_BUNDLE_ENV, TOTAL_TIMEOUT
from skill.local.envelopes import DEFAULT_USER_ID, GRANTED_API_ACCESS_TOKEN, REMINDERS_SCOPE, Session
from skill.local.fake_reminders import FakeRemindersApi
from skill.store import MAX_REMINDERS, FollowUp, MemoryStore, Reminders, use_store
from skill.store.port import EXPIRES_AT, from_item, to_item
from skill.triage import default_locales

TWO_WEEKS, THREE_DAYS = 14 * 86400, 3 * 86400
SET_TWO_WEEKS = "Okay, Alexa will remind you in two weeks to check on your back."
CHECK_IN = "I'll ask how you are next time you open Back Pain Check."
KEPT = f"{CHECK_IN} I'll forget what I kept after 90 days, or sooner if you say: Alexa, ask Back Pain Check to " \
    "delete my data."  # the last words whenever the follow-up was kept
FAILED = "Sorry, I couldn't set the reminder just now."
NOT_ALLOWED = "Sorry, I couldn't set the reminder, because Back Pain Check isn't allowed to."
NINETY_DAYS = int((T0 + timedelta(days=90)).timestamp())


@pytest.fixture
def api(monkeypatch):
    with FakeRemindersApi() as fake:
        monkeypatch.setenv(CA_BUNDLE_ENV, fake.ca_file)
        yield fake


@pytest.fixture
def store():
    store = MemoryStore()
    use_store(store)
    return store


def at_the_offer(api_url: str, outcome_question: str | None = None, granted: bool = False,
                 locale: str = "en-US") -> Visit:
    """A triage ended by ``outcome_question``'s yes (None: no red flags), the reminder offer waiting."""
    visit = Visit(T0, locale=locale)
    visit.session.api_endpoint = api_url
    visit.session.grants = {"reminders"} if granted else set()
    visit.end_at(outcome_question)
    return visit


def posts(api: FakeRemindersApi) -> list:
    return [call for call in api.calls if call.method == "POST"]


def directives(visit: Visit) -> list[dict]:
    return visit.last["response"].get("directives") or []


# ---- the offer ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("outcome_question, offer", [(None, REMEMBER), ("few_weeks", APPOINTMENT)])
def test_the_outcome_ends_with_one_short_reminder_question_in_its_own_turn(store, api, outcome_question, offer):
    visit = at_the_offer(api.url, outcome_question)
    assert visit.speech.endswith(offer) and visit.speech.count("?") == 1 and SAFETY_NET in visit.speech
    assert len(offer.split()) <= 15
    assert "remember this" not in visit.speech  # one offer per ending: the reminder is it
    assert visit.attributes["offer"]["kind"] in ("reminder", "appointment_reminder")
    assert api.calls == [] and len(store) == 0  # nothing happens before yes


def test_without_api_access_in_the_request_the_offer_is_to_check_in_next_time(store, api):
    visit = Visit(T0)
    visit.launch()
    visit.answer_until("few_weeks")
    visit.session.api_endpoint = ""  # a request that cannot reach Alexa's APIs
    visit.finish()
    assert visit.speech.endswith("Would you like me to remember this so I can check in next time?")
    visit.answer("yes")
    assert visit.ended and "I'll check in next time" in visit.speech and "follow_up" in store.items(KEY)


def test_without_a_store_there_is_no_offer_because_a_reminder_could_not_be_deleted_later(api):
    visit = at_the_offer(api.url, granted=True)
    assert visit.ended and visit.disposition == "self_care" and "reminder" not in visit.speech
    assert api.calls == []


@pytest.mark.parametrize("answer", ["no", "unsure"])
def test_no_or_not_sure_keeps_nothing_and_sets_nothing(store, api, answer):
    visit = at_the_offer(api.url, granted=True)
    visit.answer(answer)
    assert visit.ended and visit.speech == "Okay, no reminder, and I won't keep anything. Take care."
    visit.assert_closing_after_the_offer()
    assert len(store) == 0 and api.calls == []


# ---- yes, with the permission ----------------------------------------------------------------------------------

@pytest.mark.parametrize("outcome_question, offset, said", [
    (None, TWO_WEEKS, SET_TWO_WEEKS),
    ("few_weeks", THREE_DAYS, "Okay, Alexa will remind you in three days to check on your back."),
])
def test_yes_with_the_permission_creates_the_reminder_and_keeps_only_its_token(
        store, api, outcome_question, offset, said):
    visit = at_the_offer(api.url, outcome_question, granted=True)
    visit.answer("yes")
    assert visit.ended and visit.speech == f"{said} {KEPT}"
    visit.assert_closing_after_the_offer()
    [call] = api.calls
    assert (call.method, call.path) == ("POST", "/v1/alerts/reminders")
    assert call.authorization == f"Bearer {GRANTED_API_ACCESS_TOKEN}" and call.content_type == "application/json"
    assert call.body == {
        "requestTime": "2026-11-02T09:00:00",
        "trigger": {"type": "SCHEDULED_RELATIVE", "offsetInSeconds": offset},
        "alertInfo": {"spokenInfo": {"content": [{"locale": "en-US", "text": "Check on your back."}]}},
        "pushNotification": {"status": "ENABLED"},
    }
    [token] = api.reminders
    items = store.items(KEY)
    assert items["reminders"] == {"tokens": token, EXPIRES_AT: NINETY_DAYS}
    assert items["follow_up"]["since"] == "2026-11-02" and set(items) == {"follow_up", "reminders"}


# "Check on your back", as each language says it: nothing more about health (the household sees reminders).
REMINDER_TEXT = {"en": "Check on your back.", "es": "Revise cómo está su espalda."}


def test_the_reminder_says_only_check_on_your_back_in_every_locale(store, api):
    for name, text in default_locales().items():
        assert text.phrases["reminder_text"] == REMINDER_TEXT[name.split("-")[0]], name
    visit = at_the_offer(api.url, granted=True, locale="en-GB")
    visit.answer("yes")
    [call] = posts(api)
    assert call.body["alertInfo"]["spokenInfo"]["content"] == [{"locale": "en-GB", "text": "Check on your back."}]
    assert "call 999 right away" in visit.ending()[0]  # the outcome's safety net, in the locale's own number
    visit.assert_closing_after_the_offer()


def test_tokens_of_several_reminders_are_kept_newest_last_and_bounded(store, api):
    for _ in range(MAX_REMINDERS + 1):
        store.delete(KEY, "follow_up")  # so that each visit ends at the offer rather than checking in
        visit = at_the_offer(api.url, granted=True)
        visit.answer("yes")
    kept = store.items(KEY)["reminders"]["tokens"].split(" ")
    assert len(kept) == MAX_REMINDERS and kept == list(api.reminders)[-MAX_REMINDERS:]


# ---- yes, without the permission: Alexa asks by voice -----------------------------------------------------------

def test_without_the_permission_yes_keeps_the_follow_up_and_hands_over_to_alexa_to_ask(store, api):
    visit = at_the_offer(api.url)
    visit.answer("yes")
    body = visit.last["response"]
    assert directives(visit) == [{
        "type": "Connections.SendRequest", "name": "AskFor", "token": "back-pain-check:reminder",
        "payload": {"@type": "AskForPermissionsConsentRequest", "@version": "2",
                    "permissionScopes": [{"permissionScope": REMINDERS_SCOPE, "consentLevel": "ACCOUNT"}]}}]
    assert "outputSpeech" not in body and "reprompt" not in body and "shouldEndSession" not in body
    assert "offer" not in visit.attributes  # a later yes is not taken for this one
    assert set(store.items(KEY)) == {"follow_up"} and api.calls == []


def test_permission_accepted_then_the_reminder_is_created(store, api):
    visit = at_the_offer(api.url, "few_weeks")
    visit.answer("yes")
    assert directives(visit)[0]["token"] == "back-pain-check:appointment_reminder"
    visit.session.grants = {"reminders"}  # Alexa's next request carries the permission
    visit.permission_answer("ACCEPTED")
    assert visit.ended and visit.speech == f"Okay, Alexa will remind you in three days to check on your back. {KEPT}"
    visit.assert_closing_after_the_offer()  # outcome and offer, Alexa asking (nothing said by the skill), closing
    [call] = posts(api)
    assert call.body["trigger"]["offsetInSeconds"] == THREE_DAYS
    assert set(store.items(KEY)) == {"follow_up", "reminders"}


@pytest.mark.parametrize("status, said", [
    ("DENIED", "Okay, no reminder."),
    ("NOT_ANSWERED", "I didn't get an answer, so no reminder for now."),
])
def test_permission_denied_or_not_answered_sets_nothing_and_says_the_check_in_stands(store, api, status, said):
    visit = at_the_offer(api.url)
    visit.answer("yes")
    visit.permission_answer(status)
    assert visit.ended and visit.speech == f"{said} {KEPT}"
    visit.assert_closing_after_the_offer()
    assert api.calls == [] and set(store.items(KEY)) == {"follow_up"}
    assert "card" not in visit.last["response"]


def test_where_alexa_cannot_ask_by_voice_the_permission_card_goes_to_the_app(store, api):
    visit = at_the_offer(api.url)
    visit.answer("yes")
    [ask_for] = directives(visit)
    visit.send(visit.session.permission_answer(None, code="400", token=ask_for["token"]))
    assert visit.ended and visit.speech == ("I can't ask for permission by voice on this device, so I've sent a "
                                            f"card to your Alexa app where you can allow reminders. {KEPT}")
    visit.assert_closing_after_the_offer()
    assert visit.last["response"]["card"] == {"type": "AskForPermissionsConsent", "permissions": [REMINDERS_SCOPE]}
    assert api.calls == []


def test_an_answer_to_a_question_this_skill_did_not_ask_sets_nothing(store, api):
    visit = Visit(T0)
    visit.session.grants = {"reminders"}
    visit.session.api_endpoint = api.url
    for token in ("", "someone-else:reminder", "back-pain-check:nonsense"):
        visit.send(visit.session.permission_answer("ACCEPTED", token=token))
        assert visit.ended and SAFETY_NET in visit.speech and "reminder" not in visit.speech  # not a closing
    assert api.calls == [] and len(store) == 0


# ---- every failure of the API: said plainly, within a second, and the safety net not said again --------------

def refused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("failure, said, logged", [
    (401, NOT_ALLOWED, "HTTP 401"),
    (403, NOT_ALLOWED, "HTTP 403"),
    (429, FAILED, "HTTP 429"),
    (500, FAILED, "HTTP 500"),
    (503, FAILED, "HTTP 503"),
    (504, FAILED, "HTTP 504"),
    ("hang", FAILED, "ReadTimeout"),
    ("garbage", FAILED, "SerializationException"),
    ("refused", FAILED, "ConnectionError"),
])
def test_each_api_failure_is_said_plainly_within_a_second_and_nothing_escapes(store, api, caplog, failure, said,
                                                                                logged):
    visit = at_the_offer(api.url, granted=True)
    if failure == "hang":
        api.hang()
    elif failure == "garbage":
        api.garbage()
    elif failure == "refused":
        visit.session.api_endpoint = f"https://127.0.0.1:{refused_port()}"
    else:
        api.fail_with(failure)
    started = time.perf_counter()
    with caplog.at_level(logging.INFO):
        visit.answer("yes")
    assert time.perf_counter() - started < 1.0
    assert visit.ended and visit.speech.startswith(said) and visit.speech.endswith(KEPT)
    visit.assert_closing_after_the_offer()
    card = visit.last["response"].get("card")
    assert card == ({"type": "AskForPermissionsConsent", "permissions": [REMINDERS_SCOPE]} if said == NOT_ALLOWED
                    else None)
    assert set(store.items(KEY)) == {"follow_up"}  # no reminder, so no token; the check-in stands
    assert f"reminder failed: operation=create error={logged}" in caplog.text
    assert DEFAULT_USER_ID not in caplog.text and KEY not in caplog.text and "Check on your back" not in caplog.text


def test_the_api_client_is_bounded_well_under_a_second():
    assert TOTAL_TIMEOUT < 1.0


def test_a_store_that_fails_at_yes_means_no_reminder_because_its_token_could_not_be_kept(api):
    class Failing(MemoryStore):
        def put(self, key, kind, item):
            raise ConnectionError("the table is gone")

    use_store(Failing())
    visit = at_the_offer(api.url, granted=True)
    visit.answer("yes")
    assert visit.ended and visit.speech == FAILED and api.calls == []  # nothing was kept: no check-in to speak of
    visit.assert_closing_after_the_offer()


def test_a_reminder_whose_token_cannot_be_kept_is_deleted_again(api):
    class NoReminders(MemoryStore):
        def put(self, key, kind, item):
            if kind == "reminders":
                raise ConnectionError("throttled")
            super().put(key, kind, item)

    store = NoReminders()
    use_store(store)
    visit = at_the_offer(api.url, granted=True)
    visit.answer("yes")
    assert visit.speech == f"{FAILED} {KEPT}"
    visit.assert_closing_after_the_offer()
    assert [c.method for c in api.calls] == ["POST", "DELETE"] and api.reminders == {}
    assert set(store.items(KEY)) == {"follow_up"}


# ---- delete my data deletes the reminders too ---------------------------------------------------------------

def with_a_reminder(api: FakeRemindersApi) -> str:
    visit = at_the_offer(api.url, granted=True)
    visit.answer("yes")
    [token] = api.reminders
    return token


def delete_my_data(api: FakeRemindersApi, granted: bool = True) -> Visit:
    visit = Visit(T0 + timedelta(days=1))
    visit.session.api_endpoint = api.url
    visit.session.grants = {"reminders"} if granted else set()
    visit.intent("DeleteDataIntent")
    return visit


def test_delete_my_data_deletes_the_reminders_the_skill_created(store, api):
    token = with_a_reminder(api)
    visit = delete_my_data(api)
    assert visit.ended and "deleted everything Back Pain Check stored for you" in visit.speech
    assert SAFETY_NET in visit.speech
    delete = api.calls[-1]
    assert (delete.method, delete.path, delete.body) == ("DELETE", f"/v1/alerts/reminders/{token}", None)
    assert delete.authorization == f"Bearer {GRANTED_API_ACCESS_TOKEN}"
    assert api.reminders == {} and len(store) == 0


def test_a_reminder_already_gone_counts_as_deleted(store, api):
    with_a_reminder(api)
    api.reminders.clear()  # it went off and Alexa cleared it, or the person deleted it in the app
    visit = delete_my_data(api)
    assert "deleted everything" in visit.speech and len(store) == 0


@pytest.mark.parametrize("failure", [500, 429, "hang"])
def test_a_reminder_that_cannot_be_deleted_is_said_and_its_token_alone_is_kept_for_another_try(store, api, failure):
    token = with_a_reminder(api)
    api.hang() if failure == "hang" else api.fail_with(failure)
    started = time.perf_counter()
    visit = delete_my_data(api)
    assert time.perf_counter() - started < 1.5
    assert visit.ended and "couldn't delete your data" in visit.speech and "deleted everything" not in visit.speech
    assert store.items(KEY) == {"reminders": {"tokens": token, EXPIRES_AT: int(
        (T0 + timedelta(days=91)).timestamp())}}  # the follow-up is gone; only what finishes the job is left
    api.behave()
    visit = delete_my_data(api)
    assert "deleted everything" in visit.speech and len(store) == 0 and api.reminders == {}


def test_forgetting_when_the_old_pain_has_gone_deletes_the_reminders_too(store, api):
    with_a_reminder(api)
    visit = Visit(T0 + timedelta(days=12))
    visit.session.api_endpoint = api.url
    visit.session.grants = {"reminders"}
    visit.launch()
    visit.answer_until(None)
    assert visit.attributes["offer"]["kind"] == "follow_up"
    visit.answer("no")  # the pain has gone
    visit.answer("yes")  # delete what was stored
    assert "deleted everything" in visit.speech and api.reminders == {} and len(store) == 0


# ---- what is stored -------------------------------------------------------------------------------------

def test_the_reminders_record_holds_only_alert_tokens_and_its_expiry():
    kind, item = to_item(Reminders(("a.1", "b-2")), T0)
    assert (kind, item) == ("reminders", {"tokens": "a.1 b-2", EXPIRES_AT: NINETY_DAYS})
    assert from_item(kind, item, T0) == Reminders(("a.1", "b-2"))
    assert from_item(kind, item, T0 + timedelta(days=90)) is None
    for garbage in ({"tokens": "", EXPIRES_AT: NINETY_DAYS}, {"tokens": "a b c d e f", EXPIRES_AT: NINETY_DAYS},
                    {"tokens": "<script>", EXPIRES_AT: NINETY_DAYS}, {"tokens": 7, EXPIRES_AT: NINETY_DAYS}):
        assert from_item(kind, garbage, T0) is None
    with pytest.raises(ValueError):
        to_item(Reminders(("not a token",)), T0)


def test_the_manifest_declares_the_reminders_permission():
    manifest = json.loads((ROOT / "skill-package" / "skill.json").read_text())["manifest"]
    assert manifest["permissions"] == [{"name": REMINDERS_SCOPE}]


# ---- the same through the web service, the emulator, the chat; and cold start stays lean ----------------------

def test_the_web_service_carries_reminders(store, api):
    from skill.web.app import create_app

    client = create_app(verify=False).test_client()
    session = Session(grants={"reminders"}, api_endpoint=api.url)

    def send(event: dict) -> dict:
        event["request"]["timestamp"] = T0.strftime("%Y-%m-%dT%H:%M:%SZ")
        response = client.post("/", json=event)
        assert response.status_code == 200
        body = response.get_json()
        check_response_shape(body)
        session.absorb(body)
        return body

    remind_then_delete(send, session, api)


@pytest.mark.slow
def test_the_emulated_lambda_function_carries_reminders(api):
    import boto3
    from botocore.config import Config

    from skill.local.emulator import Emulator

    with Emulator(ROOT / "template.yaml", port=0, parameters={"SkillId": Session().skill_id}, dynamodb="moto",
                  log=lambda line: None, environment={CA_BUNDLE_ENV: api.ca_file}) as emulator:
        client = boto3.client("lambda", endpoint_url=emulator.url, region_name="us-east-1",
                              aws_access_key_id="x", aws_secret_access_key="x",
                              config=Config(read_timeout=30, retries={"total_max_attempts": 1}))
        session = Session(grants={"reminders"}, api_endpoint=api.url)

        def send(event: dict) -> dict:
            answer = client.invoke(FunctionName="SkillFunction", Payload=json.dumps(event).encode())
            assert "FunctionError" not in answer
            body = json.loads(answer["Payload"].read())
            session.absorb(body)
            return body

        remind_then_delete(send, session, api)


def remind_then_delete(send: Callable[[dict], dict], session: Session, api: FakeRemindersApi) -> None:
    """The same person through any target: no red flags, yes to the reminder, then "delete my data" deletes it."""
    send(session.launch())
    for _ in range(NO_RED_FLAGS):
        body = send(session.intent("AMAZON.NoIntent"))
    assert speech_text(body).endswith(REMEMBER)
    body = send(session.intent("AMAZON.YesIntent"))
    assert speech_text(body).startswith(SET_TWO_WEEKS) and len(api.reminders) == 1
    body = send(Session(grants={"reminders"}, api_endpoint=api.url).intent("DeleteDataIntent"))
    assert "deleted everything" in speech_text(body) and api.reminders == {}


def chat(*lines: str, options: tuple = ()) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("SKILL_ID", CA_BUNDLE_ENV)}
    result = subprocess.run([sys.executable, "-m", "skill", "chat", "--store", "memory", *options],
                            input="\n".join(lines) + "\n", capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_chat_with_the_permission_granted_shows_the_reminder_it_creates():
    out = chat(*["no"] * NO_RED_FLAGS, "yes", options=("--grant", "reminders"))
    assert "Would you like a reminder in two weeks to check how your back feels?" in out
    assert "[Alexa reminder created: \u201cCheck on your back.\u201d in 14 days, push notification on]" in out
    assert f"Alexa: {SET_TWO_WEEKS}" in out


def test_the_chat_without_it_plays_alexa_asking_for_the_permission():
    out = chat(*["no"] * NO_RED_FLAGS, "yes", "yes")
    assert "[the skill hands over to Alexa, which asks for the reminders permission]" in out
    assert "Do you give Back Pain Check permission to create reminders?" in out
    assert "[Alexa tells the skill: ACCEPTED]" in out and "[Alexa reminder created:" in out
    out = chat(*["no"] * NO_RED_FLAGS, "yes", "no")
    assert "[Alexa tells the skill: DENIED]" in out and "Alexa: Okay, no reminder." in out
    assert "[Alexa reminder created:" not in out
    out = chat(*["no"] * NO_RED_FLAGS, "yes", options=("--no-voice-permission",))
    assert f"[Card] asks you to allow: {REMINDERS_SCOPE}" in out


def test_a_cold_start_imports_neither_requests_nor_the_connections_models():
    """What only reminders need loads on the first reminder (ask-sdk-core itself already imports the reminder
    models, through its ServiceClientFactory)."""
    code = ("import json, sys; sys.path.insert(0, 'lambda'); import lambda_function; "
            "from skill.local.envelopes import Session; "
            "lambda_function.handler(Session().launch(), None); "
            "print(json.dumps(sorted(m for m in sys.modules if m in ('requests', 'ask_sdk_core.api_client', "
            "'ask_sdk_model.interfaces.connections', 'cryptography'))))")
    env = {k: v for k, v in os.environ.items() if k not in ("SKILL_ID", "TABLE_NAME")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=60, check=True)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
    snapshot = ("import sys; sys.path.insert(0, 'lambda'); from skill.alexa.app import prepare_for_snapshot; "
                "prepare_for_snapshot(); print('requests' in sys.modules, "
                "'ask_sdk_model.interfaces.connections' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", snapshot], capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=60, check=True)
    assert result.stdout.split() == ["True", "True"]  # a SnapStart snapshot holds them already


def test_the_lambda_handler_answers_a_fuzzed_permission_answer_plainly_and_ends():
    """Not this skill's question (no token): a goodbye with the safety net. This skill's token, however garbled the
    rest: what came of the reminder, closing without the safety net, as the outcome before the hand-over said it;
    never the error reply. (The follow-up is kept, as a yes to the offer keeps it before Alexa asks.)"""
    use_store(MemoryStore()).save(KEY, FollowUp(T0.date(), "self_care"), T0)
    session = Session(api_endpoint="none")  # no Reminders API here: a reminder cannot be created
    error = default_locales()["en-US"].phrases["error"]
    for request, said in (
            ({"type": "Connections.Response", "name": "AskFor"}, "Okay, stopping here."),
            ({"type": "Connections.Response", "name": "AskFor", "status": {"code": None}, "payload": None,
              "token": "back-pain-check:reminder"}, "I can't ask for permission by voice on this device"),
            ({"type": "Connections.Response", "name": "AskFor", "status": {"code": "200"},
              "payload": {"status": ["ACCEPTED"]}, "token": "back-pain-check:reminder"},
             "I can't ask for permission by voice on this device"),
            ({"type": "Connections.Response", "name": "AskFor", "status": {"code": "200"},
              "payload": {"status": "ACCEPTED"}, "token": "back-pain-check:reminder"}, FAILED)):
        event = session.envelope(request)
        response = HANDLER(event, None)
        check_response_shape(response)
        speech = speech_text(response)
        assert response["response"]["shouldEndSession"] is True and error not in speech
        assert speech.startswith(said)
        assert (SAFETY_NET in speech) == ("token" not in request), speech


def test_an_answer_with_this_skills_token_when_nothing_was_kept_is_not_taken_for_a_yes():
    """The issue's case: Alexa's answer with the reminder's token, but no yes to the offer kept the follow-up
    (no offer was made): not "I'll ask how you are next time", but a goodbye with the safety net."""
    use_store(MemoryStore())
    session = Session(api_endpoint="none")
    for status in ("ACCEPTED", "DENIED", "NOT_ANSWERED"):
        response = HANDLER(session.permission_answer(status, token="back-pain-check:reminder"), None)
        check_response_shape(response)
        assert response["response"]["shouldEndSession"] is True
        assert SAFETY_NET in speech_text(response) and "next time" not in speech_text(response)
