"""``python -m skill chat``: talk to the skill in a terminal, as you would to an Echo.

Each line you type is resolved to an intent from the interaction model, wrapped
in a real Alexa request envelope (session attributes carried over turn to
turn), and passed to the same Lambda handler that runs on AWS. It prints what
Alexa would say, the reprompt, and the card the Alexa app would show. With
``--screen`` it plays an Echo Show: it prints what the screen shows, and
"tap yes" (no, not sure) touches a button.

Reminders: the in-process skill talks to a local fake Reminders API
(``skill/local/fake_reminders.py``), and the chat prints each reminder it
would create or delete. ``--grant reminders`` plays a person who already
allowed them. Otherwise, when the skill asks for the permission, the chat plays
Alexa asking in its own words: type yes, no, or anything else for no answer.
``--no-voice-permission`` plays a device where Alexa cannot ask by voice.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Callable, TextIO

from skill.local.envelopes import (
    API_ENDPOINT,
    DEFAULT_SKILL_ID,
    SCREEN_INTERFACES,
    Session,
    ask_for,
    is_ask_for,
)
from skill.local.nlu import LAUNCH, Resolver
from skill.local.targets import local_invoke, make_invoker

QUIT = {"quit", "exit", "bye chat", ":q"}
TAPS = {"tap yes": "yes", "tap no": "no", "tap not sure": "unsure", "tap unsure": "unsure",
        "toca sí": "yes", "toca si": "yes", "toca no": "no", "toca no sé": "unsure", "toca no se": "unsure"}
# Alexa hears the person's answer to its permission question as a yes or a no, in the locale's own words
CONSENT = {"AMAZON.YesIntent": "ACCEPTED", "AMAZON.NoIntent": "DENIED"}
Invoke = Callable[[dict], dict]


def ssml_to_text(ssml: str | None) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", ssml or "").split())


def describe(response: dict) -> list[str]:
    """What a person would hear and see, as printable lines."""
    body = response.get("response", {})
    lines = []
    speech = body.get("outputSpeech")
    if speech:
        lines.append(f"Alexa: {ssml_to_text(speech.get('ssml') or speech.get('text'))}")
    reprompt = (body.get("reprompt") or {}).get("outputSpeech")
    if reprompt:
        lines.append(f"       (if you say nothing: {ssml_to_text(reprompt.get('ssml'))})")
    card = body.get("card")
    if card and card.get("type") == "AskForPermissionsConsent":
        lines.append(f"  [Card] asks you to allow: {', '.join(card.get('permissions') or [])} (a button in the app)")
    elif card:
        lines.append(f"  [Card] {card.get('title', '')}")
        for paragraph in (card.get("content") or card.get("text") or "").split("\n\n"):
            lines.append(f"         {paragraph}")
    for directive in body.get("directives") or []:
        if directive.get("type") == "Alexa.Presentation.APL.RenderDocument":
            lines.extend(describe_screen(directive["datasources"]["payload"]["screen"]))
        if is_ask_for(directive):
            lines.append("  [the skill hands over to Alexa, which asks for the reminders permission]")
    disposition = (response.get("sessionAttributes") or {}).get("disposition")
    if disposition:
        lines.append(f"  [disposition: {disposition}]")
    return lines


def describe_screen(screen: dict) -> list[str]:
    """An Echo Show's screen as text: the question and its buttons, or the outcome."""
    if "question" in screen:
        buttons = "  ".join(f"[ {screen[b]} ]" for b in ("yes", "no", "unsure"))
        hint = "(type 'tap yes', 'tap no', 'tap not sure')"
        return [f"  [Screen] {screen['question']}", f"           {buttons}   {hint}"]
    indent = " " * 11
    lines = [f"  [Screen] {screen['headline'].upper()}", f"{indent}{screen['action']}", f"{indent}{screen['why']}"]
    if screen.get("safetyNet"):
        lines.append(f"           {screen['safetyNet']}")
    return lines + [f"           {screen['disclaimer']}"]


class Chat:
    def __init__(self, locale: str = "en-US", invoke: Invoke = local_invoke, out: TextIO = sys.stdout,
                 skill_id: str | None = None, screen: bool = False, grants: set[str] | None = None,
                 api_endpoint: str = API_ENDPOINT, voice_permission: bool = True):
        self.locale, self.invoke, self.out = locale, invoke, out
        self.interfaces = SCREEN_INTERFACES if screen else {}
        self.skill_id = skill_id or os.environ.get("SKILL_ID") or DEFAULT_SKILL_ID
        self.resolver = Resolver.for_locale(locale)
        # what a person says to open the skill in this locale: "open back pain check", "abre chequeo de espalda"
        self.opening = f"{self.resolver.openers[0]} {self.resolver.invocation}"
        self.session: Session | None = None
        self.grants, self.api_endpoint, self.voice_permission = set(grants or ()), api_endpoint, voice_permission
        self.asking: dict | None = None  # the AskFor directive Alexa is asking about, until the person answers

    def show(self, *lines: str) -> None:
        for line in lines:
            print(line, file=self.out)
        self.out.flush()

    def _session(self) -> Session:
        """The session requests belong to: ``open`` or ``say`` starts one before anything is sent."""
        if self.session is None:
            raise RuntimeError("no session yet: open() the skill first")
        return self.session

    def send(self, event: dict) -> dict:
        session = self._session()
        response = self.invoke(event)
        session.absorb(response)
        self.show(*describe(response))
        self.asking = ask_for(response)
        if self.asking is not None:
            if not self.voice_permission:
                self.show("  [this device can't ask by voice: Alexa tells the skill so]")
                return self.send(session.permission_answer(None, code="400", token=self.asking.get("token", "")))
            self.show("Alexa (in its own words): Do you give Back Pain Check permission to create reminders? "
                      "You can say yes or no.")
            self.show("       (type yes or no; anything else is no answer)")
            return response
        if session.ended:
            self.show(f"  [session ended. Type '{self.opening}' to start again, or 'quit'.]")
        return response

    def answer_permission(self, text: str | None) -> dict:
        """The person's answer to Alexa's permission question, and Alexa's ``Connections.Response`` to the skill."""
        session, asking = self._session(), self.asking or {}
        status = CONSENT.get(self.resolver.resolve(text).name, "NOT_ANSWERED") if text else "NOT_ANSWERED"
        if status == "ACCEPTED":  # from now on, Alexa's requests carry the permission
            self.grants.add("reminders")
            session.grants.add("reminders")
            self.show("Alexa (in its own words): Okay. You can change this in the Alexa app.")
        self.show(f"  [Alexa tells the skill: {status}]")
        return self.send(session.permission_answer(status, token=asking.get("token", "")))

    def new_session(self) -> Session:
        return Session(skill_id=self.skill_id, locale=self.locale, interfaces=self.interfaces, grants=self.grants,
                       api_endpoint=self.api_endpoint)

    def open(self) -> dict:
        self.session = self.new_session()
        return self.send(self.session.launch())

    def say(self, text: str) -> dict | None:
        if self.asking is not None:
            return self.answer_permission(text)
        tapped = TAPS.get(" ".join(text.lower().split()))
        if tapped and self.interfaces and self.session is not None and not self.session.ended:
            self.show(f"  [touched {tapped}]")
            return self.send(self.session.user_event(["answer", tapped]))
        resolution = self.resolver.resolve(text)
        heard = ", ".join(f"{name}={slot.id}" if slot.id else f"{name}: words no value matched"
                          for name, slot in resolution.slots.items())
        self.show(f"  [heard as {resolution.name}" + (f" ({heard})" if heard else "") + "]")
        if resolution.name == LAUNCH:
            return self.open()
        if self.session is None or self.session.ended:
            self.session = self.new_session()
        slots = {name: (slot.value, slot.id, slot.type) for name, slot in resolution.slots.items()}
        return self.send(self.session.intent(resolution.name, slots))

    def close(self) -> None:
        if self.asking is not None:  # the person walked away from Alexa's question
            self.answer_permission(None)
        if self.session is not None and not self.session.ended:
            self.send(self.session.session_ended("USER_INITIATED"))

    def run(self, lines: TextIO, interactive: bool) -> int:
        self.show(f"Back Pain Check simulator ({self.locale}). Say what you would say to Alexa; 'quit' leaves.",
                  f"You: Alexa, {self.opening}")
        self.open()
        while True:
            if interactive:
                self.out.write("You: ")
                self.out.flush()
            line = lines.readline()
            if not line:
                break
            text = line.strip()
            if not text:
                continue
            if not interactive:
                self.show(f"You: {text}")
            if text.lower() in QUIT:
                break
            self.say(text)
        self.close()
        return 0


def use_chat_store(name: str, db: str | None = None) -> str:
    """Give the in-process skill its memory (``--store``); returns a line saying which, for the chat."""
    from skill.store import SqliteStore, store_named, use_store

    store = use_store(store_named(name, db))
    if isinstance(store.store, SqliteStore):
        return f"  [memory: sqlite file {store.store.path}; 'delete my data' clears it]"
    return f"  [memory: {store.name}]"


def pretending(invoke: Invoke, day: str) -> Invoke:
    """``--now YYYY-MM-DD``: requests carry that date (at the current time of day), as if it were later."""
    from datetime import date, datetime, timezone

    real = datetime.now(timezone.utc)
    offset = datetime.combine(date.fromisoformat(day), real.time(), timezone.utc) - real

    def invoke_later(event: dict) -> dict:
        if isinstance(event.get("request"), dict):
            moment = datetime.now(timezone.utc) + offset
            event["request"]["timestamp"] = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        return invoke(event)

    return invoke_later


def fake_reminders_api(show: Callable[..., None]):
    """A local fake Reminders API for the in-process skill, which trusts its throwaway certificate authority."""
    from skill.alexa.api_client import CA_BUNDLE_ENV
    from skill.local.fake_reminders import FakeRemindersApi, describe

    def changed(what: str, reminder: dict) -> None:
        show(f"  [Alexa reminder {what}: {describe(reminder)}]")

    api = FakeRemindersApi(on_change=changed).start()
    os.environ[CA_BUNDLE_ENV] = api.ca_file
    return api


def main(locale: str = "en-US", target: str = "local", store: str = "sqlite", db: str | None = None,
         now: str | None = None, screen: bool = False, grants: list[str] | None = None,
         api_endpoint: str | None = None, voice_permission: bool = True) -> int:
    invoke = local_invoke if target == "local" else make_invoker(target)
    notes = [use_chat_store(store, db)] if target == "local" else []
    if now:
        invoke = pretending(invoke, now)
        notes.append(f"  [pretending today is {now}]")
    chat = Chat(locale=locale, invoke=invoke, screen=screen, grants=set(grants or ()),
                voice_permission=voice_permission)
    api = None
    if api_endpoint:
        chat.api_endpoint = api_endpoint
    elif target == "local":
        try:
            api = fake_reminders_api(chat.show)
        except ModuleNotFoundError as missing:  # an installed package without the [web] extra's cryptography
            chat.api_endpoint = ""  # requests that cannot reach Alexa's APIs: the skill offers to remember instead
            notes.append(f"  [reminders: off, the local fake Reminders API needs {missing.name} "
                         "(pip install 'back-pain-check[web]'); the skill offers to remember instead]")
        else:
            chat.api_endpoint = api.url
            notes.append(f"  [reminders: a local fake Reminders API at {api.url}; permission "
                         f"{'granted' if 'reminders' in chat.grants else 'not granted yet'}]")
    chat.show(*notes)
    try:
        return chat.run(sys.stdin, interactive=sys.stdin.isatty())
    finally:
        if api is not None:
            api.close()
