"""Drive the real skill through every way a triage can go, keeping what it said at each turn.

The voice report (``voice_report``) must measure what a person hears, not what
the locale files hold: a reply is assembled from several phrases (a lead, the
question, the safety net, an offer), and only the assembled reply says whether
the emergency instruction comes first or the safety net is said twice. So each
turn here is a real Alexa request envelope (``skill.local.envelopes``) sent to
the Lambda entry point (``skill.alexa.app.lambda_handler``), as the chat and the
tests do, and each reply is kept as the words Alexa would speak.

The walk branches at every question on yes and no (the protocol's whole graph:
a few hundred turns, about a second per locale), and at each question also asks
for help, says "not sure", and is misunderstood twice. Every ending is followed
to the end of its session: a waiting offer is answered no, and yes with Alexa's
permission question answered no. Memory is on, as on Lambda (a table is set), in
an in-process store, and each envelope carries Alexa's API endpoint and token, so
offers (reminders) are made where they would be in production; once more, every
answer no from a device whose requests cannot reach Alexa's APIs, where the offer
is to remember instead.
"""

from __future__ import annotations

import copy
import os
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

from skill.alexa import intents
from skill.local.envelopes import DEFAULT_SKILL_ID, Session, ask_for, is_ask_for
from skill.local.targets import local_invoke

Invoke = Callable[[dict], dict]
ANSWERS = {"yes": intents.YES, "no": intents.NO, "not sure": intents.UNSURE}
STOPS = (intents.STOP, intents.CANCEL)


def spoken(ssml: str | None) -> str:
    """What Alexa says for ``ssml``: the tags removed (a ``say-as`` keeps its digits), whitespace single."""
    words = " ".join(re.sub(r"<[^>]+>", " ", ssml or "").split())
    return re.sub(r" ([.,;:?!])", r"\1", words)  # "call <say-as>911</say-as>." is "call 911."


@dataclass(frozen=True)
class Said:
    """One reply as a person meets it: the words, the reprompt, and where the conversation is left."""

    speech: str
    reprompt: str = ""
    ends: bool = True
    question: str | None = None  # the triage question waiting for its answer
    disposition: str | None = None  # set on the turn that gives the outcome
    offer: str | None = None  # the memory offer waiting for its yes or no (its kind)
    asks_permission: bool = False  # the skill handed over to Alexa to ask for the reminders permission

    @classmethod
    def of(cls, response: dict) -> "Said":
        body = response.get("response") or {}
        attributes = response.get("sessionAttributes") or {}
        reprompt = ((body.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml")
        directives = body.get("directives") or []
        return cls(
            speech=spoken((body.get("outputSpeech") or {}).get("ssml")),
            reprompt=spoken(reprompt),
            ends=bool(body.get("shouldEndSession", True)),
            question=(attributes.get("triage") or {}).get("q"),
            disposition=attributes.get("disposition"),
            offer=(attributes.get("offer") or {}).get("kind"),
            asks_permission=any(is_ask_for(d) for d in directives),
        )


class Talk:
    """One Alexa session through the Lambda handler; ``fork`` copies it so a walk can branch at each answer."""

    def __init__(self, locale: str, user_id: str | None = None, invoke: Invoke = local_invoke):
        skill_id = os.environ.get("SKILL_ID") or DEFAULT_SKILL_ID  # the id the handler accepts, as the chat uses
        self.session = Session(skill_id=skill_id, locale=locale, user_id=user_id or new_user())
        self.invoke = invoke
        self.ask_for: dict = {}  # the skill's last AskFor directive: Alexa's answer echoes its token

    def fork(self, user_id: str | None = None) -> "Talk":
        """The same conversation from here on, apart; ``user_id``: as another person (memory kept apart)."""
        twin = copy.copy(self)
        twin.session = copy.deepcopy(self.session)
        if user_id is not None:
            twin.session.user_id = user_id
        return twin

    def send(self, event: dict) -> Said:
        response = self.invoke(event)
        self.session.absorb(response)
        self.ask_for = ask_for(response) or self.ask_for
        return Said.of(response)

    def launch(self) -> Said:
        return self.send(self.session.launch())

    def intent(self, name: str) -> Said:
        return self.send(self.session.intent(name))

    def answer(self, answer: str) -> Said:
        return self.intent(ANSWERS[answer])

    def permission(self, status: str) -> Said:
        """Alexa's answer after it asked, in its own words, for the reminders permission."""
        return self.send(self.session.permission_answer(status, token=self.ask_for.get("token", "")))


def new_user() -> str:
    return f"amzn1.ask.account.VOICEREPORT{uuid.uuid4().hex.upper()}"


@dataclass(frozen=True)
class Ending:
    """One way a session ends: how it was reached, and every turn from the outcome (or stop) to the end."""

    how: tuple[str, ...]  # the steps: "breathing=yes", "rash=not understood twice", "offer=no", "stop", ...
    turns: tuple[Said, ...]

    @property
    def disposition(self) -> str | None:
        return self.turns[0].disposition

    @property
    def answers(self) -> tuple[str, ...]:
        """The steps that answered the triage ("question=answer"), the offer's and the permission's left out."""
        return tuple(step for step in self.how if "=" in step)

    def way(self, full: bool = False) -> str:
        """How the triage was left, short: the answers that were not a plain no (a no is where nothing happened),
        or the request that ended it; ``full``: and what came after the outcome (the offer's answer)."""
        told = [step for step in self.answers if not step.endswith("=no")] or ["every answer no"]
        others = [step.removeprefix("AMAZON.") for step in self.how if "=" not in step
                  and (full or ("offer" not in step and "permission" not in step))]
        return ", ".join(others if not self.answers and others else told + others)


@dataclass(frozen=True)
class Unsure:
    """'Not sure' to a question where it decides the outcome, beside 'yes' to the same question."""

    question: str
    yes: Said
    unsure: Said


@dataclass
class Walk:
    """Everything the skill said in one locale, by moment."""

    locale: str
    welcome: Said  # first-time: the launch
    returning: Said  # the launch for a person memory already holds (after one triage ended with a follow-up kept)
    returning_offer: Said | None  # what memory offers that person after the emergency questions
    questions: dict[str, list[Said]] = field(default_factory=dict)  # question id -> each reply that asked it
    misheard: dict[str, list[Said]] = field(default_factory=dict)  # question -> the re-ask after one misunderstanding
    help: dict[str, list[Said]] = field(default_factory=dict)
    unsure: list[Unsure] = field(default_factory=list)
    endings: list[Ending] = field(default_factory=list)
    no_red_flags: tuple[Said, ...] = ()  # launch through the outcome turn, every answer no
    stops: dict[str, Said] = field(default_factory=dict)  # intent -> the reply to it at the first question


@contextmanager
def production_memory() -> Iterator[None]:
    """Memory on, as on Lambda with its table, in a throwaway in-process store; afterwards as the environment says."""
    from skill.store import MemoryStore, use_store

    use_store(MemoryStore())
    try:
        yield
    finally:
        use_store(None)


def walk(locale: str, invoke: Invoke = local_invoke) -> Walk:
    """Walk the whole conversation graph for ``locale`` through ``invoke`` (the Lambda handler)."""
    with production_memory():
        start = Talk(locale, invoke=invoke)
        welcome = start.launch()
        returning, offer = returning_person(locale, invoke)
        result = Walk(locale=locale, welcome=welcome, returning=returning, returning_offer=offer)
        result.questions.setdefault(welcome.question or "", []).append(start.fork().intent(intents.REPEAT))
        for name in STOPS:
            result.stops[name] = start.fork().intent(name)
            result.endings.append(Ending((name,), (result.stops[name],)))
        result.endings.append(Ending((intents.EMERGENCY,), (start.fork().intent(intents.EMERGENCY),)))
        result.no_red_flags = every_answer_no(start, welcome)
        _branch(result, start, welcome, ())
        result.endings.extend(without_reminders(start, welcome))
    return result


def every_answer_no(start: Talk, welcome: Said) -> tuple[Said, ...]:
    talk, said, heard = start.fork(), welcome, [welcome]
    while not said.ends and said.offer is None and said.disposition is None:
        said = talk.answer("no")
        heard.append(said)
    return tuple(heard)


def without_reminders(start: Talk, welcome: Said) -> list[Ending]:
    """Every answer no where the requests carry no API endpoint (no reminder can be set): the offer is to remember."""
    talk, said = start.fork(), welcome
    how: tuple[str, ...] = ()
    talk.session.api_endpoint = ""
    while not said.ends and said.offer is None and said.disposition is None:
        how += (f"{said.question}=no",)
        said = talk.answer("no")
    return _endings(talk, said, (*how, "no reminders on this device"))


def returning_person(locale: str, invoke: Invoke) -> tuple[Said, Said | None]:
    """A person whose last triage ended with yes to the reminder offer (memory keeps a follow-up), back again:
    the launch, and what memory offers once the emergency questions are answered no."""
    user = new_user()
    first = Talk(locale, user_id=user, invoke=invoke)
    said = first.launch()
    while not said.ends and said.offer is None:
        said = first.answer("no")
    if said.offer is not None:
        said = first.answer("yes")
        if said.asks_permission:
            first.permission("DENIED")
    again = Talk(locale, user_id=user, invoke=invoke)
    launch = said = again.launch()
    while not said.ends and said.offer is None and said.disposition is None:
        said = again.answer("no")
    return launch, said if said.offer is not None else None


def _branch(result: Walk, talk: Talk, said: Said, how: tuple[str, ...]) -> None:
    """Record the question ``said`` asks (its help, 'not sure', two misunderstandings), then go on by yes and no."""
    question = said.question
    if said.ends or said.disposition is not None or said.offer is not None or question is None:
        result.endings.extend(_endings(talk, said, how))
        return
    if how:
        result.questions.setdefault(question, []).append(said)
    result.help.setdefault(question, []).append(talk.fork().intent(intents.HELP))
    yes_talk = talk.fork()
    yes = yes_talk.answer("yes")
    unsure_talk = talk.fork()
    unsure = unsure_talk.answer("not sure")
    if unsure.disposition is not None:
        result.unsure.append(Unsure(question, yes, unsure))
        result.endings.extend(_endings(unsure_talk, unsure, (*how, f"{question}=not sure")))
    _misunderstood_twice(result, talk.fork(), question, how)
    _branch(result, yes_talk, yes, (*how, f"{question}=yes"))
    no_talk = talk.fork()
    _branch(result, no_talk, no_talk.answer("no"), (*how, f"{question}=no"))


def _misunderstood_twice(result: Walk, talk: Talk, question: str, how: tuple[str, ...]) -> None:
    first = talk.intent(intents.FALLBACK)
    if first.question == question and not first.ends:
        result.misheard.setdefault(question, []).append(first)
    second = talk.intent(intents.FALLBACK)
    if second.ends:
        result.endings.extend(_endings(talk, second, (*how, f"{question}=not understood twice")))


def _endings(talk: Talk, said: Said, how: tuple[str, ...]) -> list[Ending]:
    """Each way this session can end from ``said``: at once, or after the offer's no, or after its yes."""
    if said.offer is None or said.ends:
        return [Ending(how, (said,))]
    no_talk = talk.fork()
    declined = no_talk.answer("no")
    endings = [Ending((*how, "offer answered no"), (said, declined))]
    yes_talk = talk.fork(user_id=new_user())  # keeps a follow-up: as another person, so the walk's memory stays empty
    accepted = yes_talk.answer("yes")
    turns: tuple[Said, ...] = (said, accepted)
    if accepted.asks_permission:
        turns += (yes_talk.permission("DENIED"),)
    endings.append(Ending((*how, "offer answered yes", "permission denied"), turns))
    return endings
