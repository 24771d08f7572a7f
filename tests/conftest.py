"""Shared test helpers: drive the real Lambda handler with real Alexa envelopes."""

from __future__ import annotations

import base64
import importlib.util
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skill.alexa import intents  # noqa: E402
from skill.local.envelopes import DEFAULT_SKILL_ID, Session  # noqa: E402
from skill.triage import default_locales, default_protocol  # noqa: E402

SSML_TAGS = {"speak", "say-as", "break", "p", "s", "emphasis", "prosody", "audio", "lang", "phoneme", "sub",
             "amazon:effect"}


def load_lambda_handler():
    """``handler`` from lambda/lambda_function.py, loaded from the file as Lambda does."""
    spec = importlib.util.spec_from_file_location("lambda_function", ROOT / "lambda" / "lambda_function.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.handler


HANDLER = load_lambda_handler()

# The protocol's shape, for tests that walk it: never a hard-coded count or question id list.
UNIVERSAL = [q.id for q in default_protocol().universal]  # asked of everyone who answers no throughout
NO_RED_FLAGS = len(UNIVERSAL)  # "no" this many times: self-care
EMERGENCY_QUESTIONS = [q for q in UNIVERSAL if default_protocol().reach(q) == default_protocol().rank("emergency")]
FIRST_AFTER_EMERGENCY = UNIVERSAL[len(EMERGENCY_QUESTIONS)]  # where memory is read
AFTER_MID = UNIVERSAL[len(EMERGENCY_QUESTIONS) + 1]  # the question a no there leads to
SAFETY_NET_US = default_locales()["en-US"].phrases["safety_net"].replace("{number}", "911")


def safety_net(locale: str) -> str:
    """The safety net as a person hears it in ``locale`` ("If you get chest pain, ... call 911 right away.")."""
    text = default_locales()[locale]
    return text.phrases["safety_net"].replace("{number}", text.emergency_number or "")


def mid_triage(session: Session | None = None) -> dict:
    """The session attributes of a triage past the emergency questions (every answer no), as the skill writes them:
    sealed for ``session`` as the skill seals them (skill/alexa/seal.py), or without a seal when none is given."""
    from skill.alexa.seal import sealed
    from skill.triage import Answer, TriageMachine

    machine = TriageMachine(default_protocol())
    state = machine.start()
    while state.question != FIRST_AFTER_EMERGENCY:
        state = machine.answer(state, Answer.NO)
    attributes = {"triage": machine.to_dict(state)}
    return attributes if session is None else sealed(attributes, session.session_id, session.user_id)


SEALED = "sealed"


def sealed_state(attributes: dict) -> dict:
    """The state the token carries, read as anyone can read it (without checking its seal)."""
    body = attributes[SEALED].partition(".")[0]
    return json.loads(base64.urlsafe_b64decode(body))


def with_token_state(attributes: dict, state: dict) -> dict:
    """``attributes`` whose token carries ``state`` under the seal it had (what an editor of the token sends)."""
    body = base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode("ascii")).decode("ascii")
    return {**attributes, SEALED: f"{body}.{attributes[SEALED].partition('.')[2]}"}


# Negations of the evaluation sets that reach the emergency instruction and are left, each with why: any other fails
# (tests/test_nlu_eval.py through the stand-in, tests/test_own_words.py through the spotter). A past exertion said
# before a denial of the same sign now: a rule that lets a later clause's denial cancel an earlier clause's sign would
# also cancel "i fainted this morning but i'm not dizzy now" (a faint today: under-triage), and telling "at my
# wedding" from "this morning" needs a sense of time the word groups do not have, so they wait.
KNOWN_ALARMS = {"en-US.blind5": {"i got out of breath on the stairs this morning but i'm not short of breath now "
                                 "sitting here"},
                "en-US.blind9": {"my mum fainted at my wedding but she hasn't fainted today"},
                # not the spotter's: the stand-in sends it to UnsureIntent, which carries no words, and "not sure" at
                # the chest pain question is the emergency. A carrier "I wouldn't say {sign}" pulled it to
                # NoSignIntent but holds a clause ("i wouldn't say i'm short of breath"), which the spotter reads as
                # said after a carrier; it raised two alarms on older sets for this one, so it was not kept.
                "en-US.blind17": {"um no i wouldn't say my chest hurts"},
                # not the spotter's either: the stand-in's classifier sends it to EmergencyIntent (probability 0.46,
                # "woozy" is a word the model does not have), which carries no words; "he's not dizzy" alone goes to
                # NoSignIntent (0.80). Left for the real service's NLU, which the stand-in only imitates.
                "en-US.blind18": {"he's not woozy he's just grumpy"},
                # the stand-in again, at the chest pain question: "no se" (typed without the accent of "no sé", I
                # don't know) sends it to UnsureIntent, wordless, and "not sure" there is the emergency
                "es-US.blind23": {"no se siente como que se rasga"},
                # kept on purpose: chest tightness said as here now is the instruction whatever cause the person
                # gives it (the AHA's warning that a heart attack is often taken for a strained muscle); only a
                # denial's carrier ("I don't have {sign}") lets an innocent cause take it away
                "en-US.blind59": {"the tightness in my chest is only from bench pressing yesterday it's not heart "
                                  "stuff"},
                # kept on purpose, and only after a denial's carrier: "no {sign}" + "es como un desgarro ..." is read
                # as the answer's "no" and then the sign ("no, es como si me desgarraran por dentro"), as spoken
                # Spanish without a comma allows; reading it as "not like a tear" lost 56 emergency statements of
                # earlier sets. Whole, and through the stand-in, it is no alarm.
                "es-US.blind75": {"no es como un desgarro es un dolor sordo"},
                # kept on purpose: someone else's emergency sign said as here now ("my daughter's got the non fading
                # spots", present, nothing past) is the instruction, "not me" or not: the one beside them must call
                "en-US.blind77": {"my daughter's got the non fading spots not me"},
                # the same, as studies since blind32 hold ("la falta de aire es de mi esposo no mía" is the emergency)
                "en-US.blind83": {"the breathlessness is my husband's not mine"},
                "es-US.blind83": {"la falta de aire es de mi hermana no mía"},
                # someone else's sign told in a past tense and disowned ("my nephew had a rash that didn't fade but
                # he's not the one asking"): the word groups have no sense of tense ("had" is also "i've just had"),
                # and a rule that a relative's sign plus "not me" is no emergency would also drop "it's my husband
                # who can't breathe, not me" (above); kept as the instruction
                "en-US.blind85": {"my nephew had a rash that didn't fade but he's not the one asking",
                                  # the carrier "{said} years ago" takes the time away (docs/nlu.md, "carriers that
                                  # hold a time"); whole, through the chat, it is no alarm
                                  "the numbness down below was from the epidural when i gave birth years ago"},
                "es-US.blind85": {"a mi sobrino le salió un salpullido que no se quitaba pero no soy yo",
                                  # the carrier "{said} hace años" takes the time away before the skill hears it
                                  # (docs/nlu.md, "carriers that hold a time"); whole, it is no alarm
                                  "el adormecimiento ahí abajo fue por la epidural del parto hace años"},
                # someone else's sign in a past event, then the person's own denial of it: as en85's nephew, the word
                # groups have no sense of time ("at the concert" from "just now"), and a rule that a later "i've never
                # {sign}" cancels another person's would read "my husband collapsed but i've never fainted" as no
                # emergency; kept as the instruction
                "en-US.blind90": {"my friend fainted at the concert but i've never fainted"}}

class Conversation:
    """A person talking to the skill through the Lambda handler, one Alexa session."""

    def __init__(self, locale: str = "en-US", skill_id: str = DEFAULT_SKILL_ID):
        self.session = Session(skill_id=skill_id, locale=locale)
        self.last: dict | None = None
        self.responses: list[dict] = []  # every reply in this conversation, oldest first

    def send(self, event: dict) -> dict:
        response = HANDLER(event, None)
        check_response_shape(response)
        self.session.absorb(response)
        self.last = response
        self.responses.append(response)
        return response

    def launch(self) -> dict:
        return self.send(self.session.launch())

    def intent(self, name: str, slots: dict | None = None) -> dict:
        return self.send(self.session.intent(name, slots))

    def finish(self, answer: str = "no") -> dict | None:
        """Answer every question still asked (follow-ups included) until an outcome or an offer."""
        while not self.ended and "offer" not in (self.last.get("sessionAttributes") or {}):
            self.answer(answer)
        return self.last

    def say(self, text: str) -> dict:
        """What the person types, resolved as the chat resolves it (the locale's model), slots included."""
        from skill.local.nlu import LAUNCH, Resolver

        heard = Resolver.for_locale(self.session.locale).resolve(text)
        if heard.name == LAUNCH:
            return self.launch()
        return self.intent(heard.name, {n: (s.value, s.id, s.type) for n, s in heard.slots.items()})

    def answer(self, answer: str) -> dict:
        return self.intent({"yes": "AMAZON.YesIntent", "no": "AMAZON.NoIntent", "unsure": "UnsureIntent"}[answer])

    @property
    def speech(self) -> str:
        return speech_text(self.last)

    @property
    def ended(self) -> bool:
        return self.session.ended

    @property
    def disposition(self) -> str | None:
        return (self.last.get("sessionAttributes") or {}).get("disposition")

    @property
    def question(self) -> str | None:
        return ((self.last.get("sessionAttributes") or {}).get("triage") or {}).get("q")

    @property
    def reprompt(self) -> str | None:
        """What Alexa says if the person says nothing (tags removed); None when the session ends."""
        ssml = ((self.last["response"].get("reprompt") or {}).get("outputSpeech") or {}).get("ssml")
        return None if ssml is None else " ".join(re.sub(r"<[^>]+>", "", ssml).split())

    @property
    def safety_net(self) -> str:
        return safety_net(self.session.locale)

    def ending(self) -> list[str]:
        """What was said from the last outcome (the reply with the outcome's card) to the last reply, one string a
        turn ("" for a hand-over to Alexa); just the last reply when no outcome was given."""
        outcomes = [i for i, r in enumerate(self.responses)
                    if (r["response"].get("card") or {}).get("type") == "Simple"]
        return [speech_text(r) for r in self.responses[outcomes[-1] if outcomes else -1:]]

    def assert_safety_net_said_once_in_the_ending(self) -> None:
        """The session has ended, and across the ending's turns (see ``ending``) the safety net was said once."""
        assert self.ended
        said = self.ending()
        assert sum(turn.count(self.safety_net) for turn in said) == 1, said

    def assert_closing_after_the_offer(self) -> None:
        """The ending of an outcome whose offer (remember, reminder) was answered: the outcome turn said the
        safety net exactly once and then asked the offer, its last words; the closing (the last reply, which
        ends the session) and any turn between (help, a misunderstanding, a hand-over to Alexa) do not say it
        again, nor the emergency number at all."""
        said = self.ending()
        assert len(said) >= 2, f"no outcome before the closing: {said}"
        outcome, *between, closing = said
        first = self.responses[-1 - len(between) - 1]
        assert first["response"]["shouldEndSession"] is False and "offer" in first["sessionAttributes"], outcome
        assert outcome.count(self.safety_net) == 1 and outcome.count("?") == 1, outcome
        offer = outcome.split(self.safety_net)[1].strip()  # the offer: one question, after the safety net, last
        assert offer.endswith("?") and ". " not in offer, outcome
        assert self.ended and closing, closing
        number = default_locales()[self.session.locale].emergency_number
        for turn in (*between, closing):
            assert self.safety_net not in turn and f"call {number}" not in turn, turn
        self.assert_safety_net_said_once_in_the_ending()


def speech_text(response: dict) -> str:
    ssml = response["response"].get("outputSpeech", {}).get("ssml", "")
    return " ".join(re.sub(r"<[^>]+>", "", ssml).split())


def check_response_shape(response: dict) -> None:
    """Rules every response obeys: valid SSML under 8000 characters; open sessions ask, closed ones don't."""
    body = response["response"]
    speech = body.get("outputSpeech")
    if speech is None:  # only SessionEndedRequest gets no speech
        assert body.get("reprompt") is None
        return
    ssml = speech["ssml"]
    assert len(ssml) < 8000
    card = body.get("card")
    if card is not None and card["type"] == "AskForPermissionsConsent":  # the app's "allow" button: scopes only
        assert card["permissions"] and set(card) == {"type", "permissions"}
    elif card is not None:  # Alexa's limit: 8000 characters for a card's title and content together
        assert card["title"] and len(card["title"]) + len(card.get("content", "")) <= 8000
    root = ET.fromstring(ssml)
    assert root.tag == "speak"
    assert {el.tag for el in root.iter()} <= SSML_TAGS
    text = " ".join(re.sub(r"<[^>]+>", "", ssml).split())
    if body.get("shouldEndSession") is False:
        assert text.endswith("?"), text
        assert body["reprompt"]["outputSpeech"]["ssml"]
        ET.fromstring(body["reprompt"]["outputSpeech"]["ssml"])
    else:
        assert body.get("shouldEndSession") is True
        assert body.get("reprompt") is None
        assert not text.endswith("?"), text


@pytest.fixture
def conversation():
    return Conversation()


@pytest.fixture(scope="session")
def protocol():
    return default_protocol()


@pytest.fixture(scope="session")
def en_us():
    return default_locales()["en-US"]


@pytest.fixture(autouse=True)
def no_memory_leaks_between_tests(tmp_path_factory, monkeypatch):
    """Memory (skill/store) never outlives a test: chats write a throwaway SQLite file, not the
    user's, and no store chosen by one test is seen by the next."""
    import skill.store

    monkeypatch.setenv("BACK_PAIN_CHECK_DB", str(tmp_path_factory.mktemp("memory") / "memory.sqlite3"))
    monkeypatch.delenv("TABLE_NAME", raising=False)
    monkeypatch.delenv("USER_KEY_SALT_SECRET", raising=False)
    monkeypatch.delenv("USER_KEY_SALT", raising=False)
    yield
    skill.store.reset()


VIGNETTE_RESULTS: dict[str, dict[str, tuple[str, str]]] = {}  # set -> vignette id -> (minimum safe, outcome)
NLU_EVAL_LINES: list[str] = []  # the NLU evaluation's tables (tests/test_nlu_eval.py), written to the report
NLU_EVAL_SUMMARY: list[str] = []  # one line per set and resolver, at the top of the report's NLU part
EVALUATION_REPORT = ROOT / ".reports" / "evaluation.txt"  # git ignores .reports/


def record_nlu_eval(annotations: Path, summary, misses: bool = True) -> None:
    """A run of ``skill.local.nlu_eval``: its table (and misses) and its one-line summary, for the report file."""
    from skill.local import nlu_eval

    NLU_EVAL_LINES.extend(nlu_eval.report_lines(summary, misses=misses))
    if not nlu_eval.ENFORCE:
        NLU_EVAL_LINES.extend(f"  not yet enforced: {line}" for line in summary.below_thresholds())
    NLU_EVAL_SUMMARY.append(nlu_eval.summary_line(nlu_eval.set_name(annotations), summary))


def pytest_terminal_summary(terminalreporter):
    """Write the vignette table (count per disposition, over-triage, every under- and over-triaged story) and the
    NLU evaluation's tables to .reports/evaluation.txt, and print one line about them: the run ends with pytest's
    own summary, which says whether anything failed (the thresholds are tests)."""
    if not VIGNETTE_RESULTS and not NLU_EVAL_LINES:
        return
    lines: list[str] = []
    said = []
    if VIGNETTE_RESULTS:
        from test_vignettes import summarise

        for name, results in VIGNETTE_RESULTS.items():
            table = summarise(results, dict(default_protocol().ranks), name)
            lines.extend(table)
            said.append(f"{name} vignettes " + next(line.strip() for line in table
                                                    if line.strip().startswith("total ")))
    if NLU_EVAL_LINES:
        lines.extend([""] * bool(lines) + sorted(NLU_EVAL_SUMMARY) + [""] + NLU_EVAL_LINES)
        said.append(f"NLU evaluation, {len(NLU_EVAL_SUMMARY)} runs")
    EVALUATION_REPORT.parent.mkdir(exist_ok=True)
    EVALUATION_REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    terminalreporter.write_line(f"evaluation: {'; '.join(said)}: see {EVALUATION_REPORT.relative_to(ROOT)}")


def unmatched(conversation: Conversation, words: str) -> dict:
    """SignIntent with its statement slot holding words Alexa could not match, as Alexa sends them."""
    return conversation.intent(intents.SIGN, {intents.SAID_SLOT: (words, None, intents.SIGN_SAID_TYPE)})
