"""``python -m skill replay FILE...``: scripted conversations against any target, with expectations.

Two file formats:

- The ASK CLI's ``ask dialog --replay`` file (JSON): ``{"skillId", "locale",
  "type": "text", "userInput": ["open back pain check", "no", ...]}``. It has no
  expectations: a turn fails only when the target fails to answer.
- This project's YAML conversation tests (in the spirit of Bespoken's ``bst
  test``), one conversation per YAML document::

      name: not sure to an emergency sign is an emergency
      locale: en-US                  # optional
      conversation:
        - say: open back pain check  # typed text, resolved like the chat does
          expect:
            speech_contains: Back Pain Check: guidance
            session_ended: false
        - say: I'm not sure
          expect:
            speech_matches: "^Call 911 now"
            card_title: "Back Pain Check: Call 911 now"
            session_ended: true
            disposition: emergency

  A turn is ``say: <text>``, ``intent: <IntentName>`` (skips the language
  model) or ``session_end: <reason>``; a bare string is a ``say``. Expectations:
  ``heard_as``, ``speech_contains``, ``speech_not_contains``, ``speech_matches``
  (a regular expression, searched), ``reprompt_contains``, ``reprompt_matches``,
  ``card_title``, ``card_contains``, ``session_ended``, ``disposition`` (``null``
  for none yet). Speech is compared as the words Alexa says (SSML tags removed).

Each text is resolved to an intent with ``nlu.Resolver`` and sent through
``chat.Chat``, so a replay is exactly a typed chat. Each conversation is a new
user (a fresh user id), so what the skill remembers from one conversation
never changes another's outcome. The transcript is printed;
the exit status is 1 when any expectation fails or a target errs; ``--junit``
writes JUnit XML for CI systems.
"""

from __future__ import annotations

import json
import re
import sys
import time
import uuid

# only writes JUnit XML, parses none (bandit B405)
import xml.etree.ElementTree as ET  # nosec B405
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Callable, Sequence, TextIO

import yaml

from skill.local.chat import Chat, ssml_to_text
from skill.local.envelopes import Session
from skill.local.nlu import Resolver
from skill.local.targets import TargetError, make_invoker

Invoker = Callable[[dict], dict]
LIST_EXPECTATIONS = {"speech_contains", "speech_not_contains", "card_contains", "reprompt_contains"}
EXPECTATIONS = LIST_EXPECTATIONS | {"heard_as", "speech_matches", "reprompt_matches", "card_title",
                                    "session_ended", "disposition"}
ACTIONS = ("say", "intent", "session_end")


class _DialogLoader(yaml.SafeLoader):
    """YAML where only true/false are booleans: a turn ``- no`` or ``- yes`` is what the person says."""


_DialogLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_DialogLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                    list("tTfF"))


class ScriptError(ValueError):
    """A dialog file that cannot be read as either format."""


@dataclass
class Step:
    action: str  # say | intent | session_end
    value: str
    expect: dict = field(default_factory=dict)

    def label(self) -> str:
        return {"say": self.value, "intent": f"<{self.value}>", "session_end": f"<session ended: {self.value}>"}[
            self.action]


@dataclass
class Script:
    name: str
    source: Path
    steps: list[Step]
    locale: str = "en-US"
    skill_id: str | None = None


@dataclass
class Outcome:
    script: Script
    failures: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    transcript: str = ""

    @property
    def passed(self) -> bool:
        return not self.failures and self.error is None


# ----- reading files ------------------------------------------------------------------------------------------------

def _step(raw: object, where: str) -> Step:
    if isinstance(raw, str):
        return Step("say", raw)
    if not isinstance(raw, dict):
        raise ScriptError(f"{where}: a turn is a text or a mapping with one of {', '.join(ACTIONS)}")
    actions = [key for key in ACTIONS if key in raw]
    unknown = set(raw) - set(ACTIONS) - {"expect"}
    if len(actions) != 1 or unknown:
        raise ScriptError(f"{where}: a turn needs exactly one of {', '.join(ACTIONS)} (and optional expect); "
                          f"got {sorted(raw)}")
    expect = raw.get("expect") or {}
    if not isinstance(expect, dict) or set(expect) - EXPECTATIONS:
        raise ScriptError(f"{where}: unknown expectation(s) {sorted(set(expect) - EXPECTATIONS)}; "
                          f"known: {', '.join(sorted(EXPECTATIONS))}")
    for key in ("speech_matches", "reprompt_matches"):
        if key in expect:
            try:
                re.compile(expect[key])
            except re.error as exc:
                raise ScriptError(f"{where}: {key} is not a regular expression: {exc}") from exc
    return Step(actions[0], str(raw[actions[0]]), expect)


def _from_ask_replay(data: dict, path: Path) -> list[Script]:
    if data.get("type") != "text" or not isinstance(data.get("userInput"), list):
        raise ScriptError(f"{path}: an ask dialog replay file needs \"type\": \"text\" and a \"userInput\" list")
    steps = [Step("say", str(text)) for text in data["userInput"]]
    return [Script(path.stem, path, steps, data.get("locale") or "en-US", data.get("skillId"))]


def _from_yaml(documents: list, path: Path) -> list[Script]:
    scripts = []
    for number, doc in enumerate(documents, 1):
        if doc is None:
            continue
        where = f"{path} (conversation {number})"
        if not isinstance(doc, dict) or not isinstance(doc.get("conversation"), list):
            raise ScriptError(f"{where}: needs a 'conversation' list")
        unknown = set(doc) - {"name", "locale", "skill_id", "conversation"}
        if unknown:
            raise ScriptError(f"{where}: unknown key(s) {sorted(unknown)}")
        steps = [_step(raw, f"{where} turn {i}") for i, raw in enumerate(doc["conversation"], 1)]
        scripts.append(Script(str(doc.get("name") or f"{path.stem} #{number}"), path, steps,
                              doc.get("locale") or "en-US", doc.get("skill_id")))
    if not scripts:
        raise ScriptError(f"{path}: no conversation")
    return scripts


def load_scripts(path: Path) -> list[Script]:
    """The conversations in one file: an ``ask dialog`` replay JSON, or project YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScriptError(f"{path}: {exc.strerror}") from exc
    if path.suffix == ".json":
        try:
            return _from_ask_replay(json.loads(text), path)
        except (ValueError, AttributeError) as exc:
            raise ScriptError(f"{path}: not an ask dialog replay file ({exc})") from exc
    try:
        return _from_yaml(list(yaml.load_all(text, Loader=_DialogLoader)), path)  # noqa: S506 (SafeLoader)
    except yaml.YAMLError as exc:
        raise ScriptError(f"{path}: not YAML ({exc})") from exc


# ----- checking a response ------------------------------------------------------------------------------------------

def _as_list(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def check(expect: dict, response: dict, heard: str | None) -> list[str]:
    """The expectations this response does not meet, each as a sentence a person can act on."""
    body = response.get("response") or {}
    speech = ssml_to_text((body.get("outputSpeech") or {}).get("ssml") or (body.get("outputSpeech") or {}).get("text"))
    reprompt = ssml_to_text(((body.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml"))
    card = body.get("card") or {}
    card_text = card.get("content") or card.get("text") or ""
    ended = bool(body.get("shouldEndSession", True))
    disposition = (response.get("sessionAttributes") or {}).get("disposition")
    failures = []
    said = f"it was {speech!r}"
    for key, wanted in expect.items():
        if key == "heard_as" and heard != wanted:
            failures.append(f"expected the text to be heard as {wanted}, was {heard}")
        elif key == "speech_contains":
            failures += [f"expected speech to contain {w!r}; {said}" for w in _as_list(wanted) if w not in speech]
        elif key == "speech_not_contains":
            failures += [f"expected speech not to contain {w!r}; {said}" for w in _as_list(wanted) if w in speech]
        elif key == "speech_matches" and not re.search(wanted, speech):
            failures.append(f"expected speech to match /{wanted}/; it was {speech!r}")
        elif key == "reprompt_contains":
            failures += [f"expected reprompt to contain {w!r}; it was {reprompt!r}"
                         for w in _as_list(wanted) if w not in reprompt]
        elif key == "reprompt_matches" and not re.search(wanted, reprompt):
            failures.append(f"expected reprompt to match /{wanted}/; it was {reprompt!r}")
        elif key == "card_title" and card.get("title") != wanted:
            failures.append(f"expected card title {wanted!r}; it was {card.get('title')!r}")
        elif key == "card_contains":
            failures += [f"expected card to contain {w!r}" for w in _as_list(wanted) if w not in card_text]
        elif key == "session_ended" and ended != bool(wanted):
            failures.append(f"expected the session {'to end' if wanted else 'to stay open'}; "
                            f"shouldEndSession was {body.get('shouldEndSession')}")
        elif key == "disposition" and disposition != wanted:
            failures.append(f"expected disposition {wanted}; it was {disposition}")
    return failures


# ----- running ------------------------------------------------------------------------------------------------------

def as_new_user(invoke: Invoker) -> Invoker:
    """Sends every request of one conversation as the same new user, so no conversation sees another's memory."""
    user_id = f"amzn1.ask.account.REPLAY{uuid.uuid4().hex.upper()}"

    def invoke_as_user(event: dict) -> dict:
        session, system = event.get("session") or {}, (event.get("context") or {}).get("System") or {}
        for user in (session.get("user"), system.get("user")):
            if isinstance(user, dict):
                user["userId"] = user_id
        return invoke(event)

    return invoke_as_user


def run_script(script: Script, invoke: Invoker) -> Outcome:
    """Plays one conversation through a chat against ``invoke``; stops at the first error from the target."""
    out = StringIO()
    outcome = Outcome(script)
    chat = Chat(locale=script.locale, invoke=as_new_user(invoke), out=out, skill_id=script.skill_id)
    resolver = Resolver.for_locale(script.locale)
    started = time.perf_counter()
    for number, step in enumerate(script.steps, 1):
        print(f"You: {step.label()}", file=out)
        try:
            heard = None
            if step.action == "say":
                heard = resolver.resolve(step.value).name
                response = chat.say(step.value)
            elif step.action == "intent":
                heard = step.value
                if chat.session is None or chat.session.ended:
                    chat.session = _new_session(chat)
                response = chat.send(chat.session.intent(step.value))
            else:
                if chat.session is None:
                    raise ScriptError("session_end before any session was opened")
                response = chat.send(chat.session.session_ended(step.value))
        except (TargetError, ScriptError) as exc:
            outcome.error = f"turn {number} ({step.label()}): {exc}"
            print(f"  ERROR {exc}", file=out)
            break
        for failure in check(step.expect, response or {}, heard):
            outcome.failures.append(f"turn {number} ({step.label()}): {failure}")
            print(f"  FAILED {failure}", file=out)
    outcome.seconds = time.perf_counter() - started
    outcome.transcript = out.getvalue()
    return outcome


def _new_session(chat: Chat) -> Session:
    return Session(skill_id=chat.skill_id, locale=chat.locale)


def write_junit(outcomes: list[Outcome], path: Path, load_errors: Sequence[str] = ()) -> None:
    """JUnit XML: one testsuite per file, one testcase per conversation."""
    root = ET.Element("testsuites", name="replay")
    by_file: dict[Path, list[Outcome]] = {}
    for outcome in outcomes:
        by_file.setdefault(outcome.script.source, []).append(outcome)
    for source, group in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=str(source), tests=str(len(group)),
                              failures=str(sum(1 for o in group if o.failures and not o.error)),
                              errors=str(sum(1 for o in group if o.error)),
                              time=f"{sum(o.seconds for o in group):.3f}")
        for outcome in group:
            case = ET.SubElement(suite, "testcase", classname=f"replay.{source.stem}",
                                 name=outcome.script.name, time=f"{outcome.seconds:.3f}")
            if outcome.error:
                ET.SubElement(case, "error", message=outcome.error).text = outcome.transcript
            elif outcome.failures:
                ET.SubElement(case, "failure", message=outcome.failures[0]).text = (
                    "\n".join(outcome.failures) + "\n\n" + outcome.transcript)
            ET.SubElement(case, "system-out").text = outcome.transcript
    for message in load_errors:
        suite = ET.SubElement(root, "testsuite", name="unreadable dialog files", tests="1", failures="0", errors="1")
        case = ET.SubElement(suite, "testcase", classname="replay.load", name=message.split(":")[0])
        ET.SubElement(case, "error", message=message)
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def replay(paths: list[Path], invoke: Invoker, out: TextIO = sys.stdout, junit: Path | None = None) -> int:
    outcomes, load_errors = [], []
    for path in paths:
        try:
            scripts = load_scripts(path)
        except ScriptError as exc:
            load_errors.append(str(exc))
            print(f"ERROR {exc}", file=out)
            continue
        for script in scripts:
            print(f"== {path}: {script.name}", file=out)
            outcome = run_script(script, invoke)
            outcomes.append(outcome)
            out.write(outcome.transcript)
            print(f"-- {'PASS' if outcome.passed else 'FAIL'} {script.name}\n", file=out)
    passed = sum(o.passed for o in outcomes)
    failed = len(outcomes) - passed + len(load_errors)
    print(f"replay: {passed} passed, {failed} failed", file=out)
    if junit is not None:
        write_junit(outcomes, junit, load_errors)
    out.flush()
    return 0 if failed == 0 and outcomes else 1


def main(files: list[str], target: str = "local", junit: str | None = None) -> int:
    try:
        invoke = make_invoker(target)
    except ValueError as exc:
        print(f"replay: {exc}", file=sys.stderr)
        return 2
    return replay([Path(f) for f in files], invoke, junit=Path(junit) if junit else None)
