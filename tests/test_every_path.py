"""Every path ends with the safety net: every request type the skill can receive, in every moment.

Each moment is reached by a real conversation through the real Lambda handler (real Alexa envelopes, an
in-process store, a local Reminders API): asking each emergency question, asking later questions, each
offer waiting, Alexa asking for the reminders permission, and idle (after an outcome, or a new session).
Then every request type is sent there: a launch, every intent of the interaction model (built-ins
included, bare and with signs), Alexa's permission answer (accepted, denied, not asked, a token that is not
ours), screen touches, the session's end, and request types the skill does not declare.

For each: no exception escapes; a session that ends says when to call the emergency number (or the
outcome said it in this very session, one turn before an offer's closing: once per ending); a session that
goes on keeps the triage where it was or starts it again at the emergency questions, and never skips an
emergency question the person did not answer.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from conftest import EMERGENCY_QUESTIONS, FIRST_AFTER_EMERGENCY, HANDLER, ROOT, check_response_shape, speech_text
from test_memory_conversations import KEY, T0, Visit

from skill.alexa.api_client import CA_BUNDLE_ENV
from skill.local.envelopes import Session
from skill.local.fake_reminders import FakeRemindersApi
from skill.store import FollowUp, MemoryStore, use_store
from skill.triage import default_locales

TEXT = default_locales()["en-US"]
SAFETY_NET = TEXT.phrases["safety_net"].replace("{number}", "911")
INSTRUCTION = "Call 911 now."
EMERGENCY = set(EMERGENCY_QUESTIONS)
MODEL_INTENTS = [i["name"] for i in json.loads((ROOT / "interaction_models" / "en-US.json").read_text())[
    "interactionModel"]["languageModel"]["intents"]]
AFTER_ADVICE = {"remember", "reminder", "appointment_reminder", "handed_over"}  # the outcome said the net just before
OUR_TOKEN = "back-pain-check:reminder"  # nosec B105 (a directive's token, not a secret)


@dataclass
class Moment:
    """A conversation stopped at one moment: what Alexa would send next, and what memory holds."""

    name: str
    session: Session
    items: dict
    net_said: bool  # an earlier reply in this session said the safety net (the outcome, before its offer)

    @property
    def attributes(self) -> dict:
        return self.session.attributes


def _requests() -> dict:
    """Every request type, as a function of the session it is sent in."""
    said = {
        "launch": lambda s: s.launch(),
        **{name: (lambda n: lambda s: s.intent(n))(name) for name in MODEL_INTENTS},
        "SignIntent:chest_pain": lambda s: s.intent("SignIntent", {"sign": ("chest pain", "heart_pain", "SIGN_NAME")}),
        "SignIntent:rash": lambda s: s.intent("SignIntent", {"sign": ("a rash", "rash", "SIGN_NAME")}),
        "SignIntent:unmatched_words": lambda s: s.intent("SignIntent", {"said": ("my knee itches", None, "SIGN_SAID")}),
        "NoSignIntent:no_chest_pain": lambda s: s.intent("NoSignIntent",
                                                         {"sign": ("chest pain", "heart_pain", "SIGN_NAME")}),
        "Connections.Response:accepted": lambda s: s.permission_answer("ACCEPTED", token=OUR_TOKEN),
        "Connections.Response:denied": lambda s: s.permission_answer("DENIED", token=OUR_TOKEN),
        "Connections.Response:not_asked": lambda s: s.permission_answer(None, code="400", token=OUR_TOKEN),
        "Connections.Response:unknown_token": lambda s: s.permission_answer("ACCEPTED", token="someone-else:x"),
        "APL.UserEvent:yes": lambda s: s.user_event(["answer", "yes"]),
        "APL.UserEvent:stray": lambda s: s.user_event(["somewhere", "else"], source_id="logo"),
        "SessionEndedRequest": lambda s: s.session_ended("EXCEEDED_MAX_REPROMPTS"),
        "CanFulfillIntentRequest": lambda s: s.envelope({"type": "CanFulfillIntentRequest",
                                                         "intent": {"name": "AMAZON.YesIntent", "slots": {}}}),
        "unknown request type": lambda s: s.envelope({"type": "Alexa.Something.Unheard"}),
    }
    return said


REQUESTS = _requests()
EMERGENCY_WORDS = {"EmergencyIntent", "SignIntent:chest_pain"}


@pytest.fixture(scope="module")
def api():
    with FakeRemindersApi() as fake:
        yield fake


def _visit(api_url: str, when=T0) -> Visit:
    visit = Visit(when)
    visit.session.api_endpoint = api_url
    return visit


def _moment(name: str, visit: Visit | None, store: MemoryStore, session: Session | None = None) -> Moment:
    session = session if session is not None else visit.session
    said = [speech_text(r) for r in visit.responses] if visit else []
    return Moment(name, copy.deepcopy(session), copy.deepcopy(store._items), any(SAFETY_NET in s for s in said))


def build_moments(api_url: str) -> list[Moment]:
    """Every moment, each reached by a real conversation."""
    moments = []

    def fresh() -> MemoryStore:
        store = MemoryStore()
        use_store(store)
        return store

    for question in [*EMERGENCY_QUESTIONS, FIRST_AFTER_EMERGENCY, "rash"]:
        store, visit = fresh(), _visit(api_url)
        visit.launch()
        visit.answer_until(question)
        assert visit.question == question
        moments.append(_moment(f"asking:{question}", visit, store))

    store, visit = fresh(), _visit(api_url)  # resume: walked away at rash, back 20 minutes later
    visit.launch()
    visit.answer_until("rash")
    visit.interrupted()
    visit = _visit(api_url, T0 + timedelta(minutes=20))
    visit.launch()
    visit.answer_until(None)
    assert visit.attributes["offer"]["kind"] == "resume"
    moments.append(_moment("resume", visit, store))

    store = fresh()  # follow_up and forget: pain reported 30 days ago
    use_store(store).save(KEY, FollowUp((T0 - timedelta(days=30)).date(), "self_care"), T0 - timedelta(days=30))
    visit = _visit(api_url)
    visit.launch()
    visit.answer_until(None)
    assert visit.attributes["offer"]["kind"] == "follow_up"
    moments.append(_moment("follow_up", visit, store))
    visit.answer("no")
    assert visit.attributes["offer"]["kind"] == "forget"
    moments.append(_moment("forget", visit, store))

    for kind, question, endpoint in (("reminder", None, api_url), ("appointment_reminder", "few_weeks", api_url),
                                     ("remember", None, "none")):
        store, visit = fresh(), _visit(endpoint)
        visit.end_at(question)
        assert visit.attributes["offer"]["kind"] == kind
        moments.append(_moment(kind, visit, store))
        if kind == "reminder":
            visit.answer("yes")  # no permission yet: Alexa is asked to ask for it
            assert visit.last["response"]["directives"][0]["token"] == OUR_TOKEN
            moments.append(_moment("handed_over", visit, store))
            store, visit = fresh(), _visit(endpoint)
            visit.end_at(None)
            visit.answer("no")
            assert visit.ended
            moments.append(_moment("idle:after_self_care", visit, store))

    store, visit = fresh(), _visit(api_url)
    visit.launch()
    visit.answer("yes")
    assert visit.ended and visit.disposition == "emergency"
    moments.append(_moment("idle:after_emergency", visit, store))

    store = fresh()
    moments.append(_moment("idle:new_session", None, store, session=_visit(api_url).session))
    return moments


def triage(attributes: dict | None) -> dict | None:
    return (attributes or {}).get("triage")


def answered(state: dict | None) -> set[str]:
    return {item[0] for item in (state or {}).get("a", [])}


def check(moment: Moment, request: str, response: dict) -> None:
    """What every (moment, request) must satisfy; raises AssertionError naming what broke."""
    check_response_shape(response)
    body = response["response"]
    said = speech_text(response)
    if request == "SessionEndedRequest":
        assert "outputSpeech" not in body  # nothing may be said: Alexa closed the session
        return
    if request in EMERGENCY_WORDS:
        assert said.startswith(INSTRUCTION) and body["shouldEndSession"] is True, said
        return
    if "directives" in body and "outputSpeech" not in body:  # a hand-over to Alexa (yes to the reminder)
        assert moment.name in ("reminder", "appointment_reminder") and request in ("AMAZON.YesIntent",
                                                                                  "APL.UserEvent:yes"), said
        return
    if body.get("shouldEndSession") is True:
        if "911" in said:
            return
        # a closing after an outcome's offer: the outcome, the reply before in this session, said the net
        assert moment.name in AFTER_ADVICE and moment.net_said, f"ended without the safety net: {said}"
        return
    before, after = triage(moment.attributes), triage(response.get("sessionAttributes"))
    if after is None:  # an offer after the outcome still waits (help, repeat, a misunderstanding)
        offer = (response["sessionAttributes"].get("offer") or {}).get("kind")
        assert offer is not None and offer == (moment.attributes.get("offer") or {}).get("kind"), said
        return
    new = (answered(after) - answered(before)) & EMERGENCY
    restarted = not after["a"]
    if restarted:
        assert after["q"] == EMERGENCY_QUESTIONS[0], said
        return
    # kept where it was, or moved on by this one answer: no emergency question marked answered unheard
    allowed = {before["q"]} if before else set()
    if request == "NoSignIntent:no_chest_pain":
        allowed.add("heart_pain")
    assert new <= allowed and len(new) <= 1, (new, said)
    assert answered(before) <= answered(after) or request == "AMAZON.PreviousIntent", said


@pytest.fixture(scope="module")
def moments(api):
    import os

    old = os.environ.get(CA_BUNDLE_ENV)
    os.environ[CA_BUNDLE_ENV] = api.ca_file
    try:
        yield build_moments(api.url)
    finally:
        if old is None:
            os.environ.pop(CA_BUNDLE_ENV, None)
        else:
            os.environ[CA_BUNDLE_ENV] = old


def send(moment: Moment, request: str) -> dict:
    store = MemoryStore()
    store._items = copy.deepcopy(moment.items)
    use_store(store)
    session = copy.deepcopy(moment.session)
    session.session_id = moment.session.session_id
    return HANDLER(REQUESTS[request](session), None)


def test_every_request_type_in_every_moment_ends_with_the_safety_net_or_keeps_the_triage(moments, api,
                                                                                        monkeypatch):
    monkeypatch.setenv(CA_BUNDLE_ENV, api.ca_file)
    failures, covered = [], 0
    for moment in moments:
        for request in REQUESTS:
            try:
                check(moment, request, send(moment, request))
                covered += 1
            except Exception as exc:  # noqa: BLE001 (collected, so one run names every failing pair)
                failures.append(f"{moment.name} x {request}: {type(exc).__name__} {str(exc)[:160]}")
    assert covered == len(moments) * len(REQUESTS) and not failures, "\n".join(failures)
    assert len(moments) >= 20 and len(REQUESTS) >= 25


def test_the_walk_covers_every_intent_of_every_model_and_every_moment_kind():
    from skill.alexa.turn import MOMENTS

    for path in (ROOT / "interaction_models").glob("*.json"):
        names = {i["name"] for i in json.loads(path.read_text())["interactionModel"]["languageModel"]["intents"]}
        assert names <= set(REQUESTS), path.name
    walked = {name.split(":")[0] for name in (m.name for m in build_moments("https://127.0.0.1:9"))}
    assert set(MOMENTS) <= walked | {"asking", "idle"}
