"""Tampering fuzz: random multi-turn sessions, and at each turn tampered variants of the next request.

Random sessions (random locale, random intents, answers, signs, touches, Alexa's permission answers) run
through the real Lambda handler with an in-process store. At random turns, instead of the genuine next
request, a tampered variant is sent: another session's state, another user's, an edited field, a forged
offer, state in a new session, a forged Connections.Response with the reminder's token (edits go into the
sealed token, the one attribute the skill reads back). The figures:

- sessions, requests, tampered variants sent and refused (the reply starts again at the first emergency
  question with the locale's "let's start again", or, for a forged permission answer, does not act on it);
- safety-net coverage by request type x moment: every ended reply says when to call the emergency number
  (or is the closing of an outcome's offer, whose outcome said it in the same session); any exception counts.

    .venv/bin/python benchmarks/fuzz_tampering.py --sessions 2000 --seed 1

Not part of ``make test`` (tests/test_sealed_state.py and tests/test_every_path.py are); a bounded run
is checked by tests/test_benchmarks.py.
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import logging
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "lambda")]

from lambda_function import handler  # noqa: E402

from skill.local.envelopes import Session  # noqa: E402
from skill.store import MemoryStore, use_store  # noqa: E402
from skill.triage import default_locales, default_protocol  # noqa: E402

LOCALES = sorted(default_locales())
FIRST = default_protocol().questions[0].id
OUTCOME_OFFERS = {"remember", "reminder", "appointment_reminder"}
TOKEN = "back-pain-check:reminder"  # nosec B105 (the directive's token, not a secret)
SAYS = ["AMAZON.YesIntent"] + ["AMAZON.NoIntent"] * 6 + ["UnsureIntent", "AMAZON.HelpIntent", "AMAZON.RepeatIntent",
        "AMAZON.PreviousIntent", "AMAZON.StartOverIntent", "AMAZON.FallbackIntent", "AMAZON.StopIntent",
        "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent", "EmergencyIntent", "DeleteDataIntent", "SignIntent",
        "NoSignIntent", "touch", "permission", "session_end"]
TAMPERINGS = ["other_session", "other_user", "edited_question", "edited_answers", "edited_floor", "forged_offer",
              "seal_removed", "seal_from_other_state", "new_session", "forged_permission_answer"]


def speech(response: dict) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", (response["response"].get("outputSpeech") or {}).get("ssml", "")).split())


def moment_of(attributes: dict) -> str:
    offer = (attributes.get("offer") or {}).get("kind")
    if offer:
        return offer
    triage = attributes.get("triage")
    if not triage:
        return "idle"
    return "asking:emergency" if triage["q"] in EMERGENCY else "asking:later"


def request_for(session: Session, say: str, rng: random.Random) -> tuple[str, dict]:
    if say == "touch":
        return "APL.UserEvent", session.user_event(["answer", rng.choice(["yes", "no", "unsure"])])
    if say == "permission":
        return "Connections.Response", session.permission_answer(rng.choice(["ACCEPTED", "DENIED", "NOT_ANSWERED"]),
                                                                 token=TOKEN)
    if say == "session_end":
        return "SessionEndedRequest", session.session_ended("EXCEEDED_MAX_REPROMPTS")
    if say in ("SignIntent", "NoSignIntent"):
        concept = rng.choice(QUESTIONS)
        return say, session.intent(say, {"sign": ("words", concept, "SIGN_NAME")})
    return say, session.intent(say)


def safe_ending(response: dict, locale: str, net_said: bool, moment: str) -> bool:
    """An ended reply says when to call (the number), or closes an outcome's offer whose outcome said it."""
    number = default_locales()[locale].emergency_number or ""
    said = speech(response)
    if number and number in said:
        return True
    return moment in OUTCOME_OFFERS | {"idle"} and net_said


SEALED = "sealed"  # the token: the only attribute the skill reads back (skill/alexa/seal.py)


def token_state(attributes: dict) -> dict:
    """The state a token carries, read without checking its seal."""
    return json.loads(base64.urlsafe_b64decode(attributes[SEALED].partition(".")[0]))


def with_token_state(attributes: dict, state: dict) -> dict:
    """``attributes`` whose token carries ``state`` under the seal it had: an edit of the token."""
    body = base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode("ascii")).decode("ascii")
    return {**attributes, SEALED: f"{body}.{attributes[SEALED].partition('.')[2]}"}


def tampered(kind: str, genuine: Session, donor: Session, rng: random.Random) -> tuple[str, dict] | None:
    """The tampered variant of the next request, or None where this tampering does not apply. Edits go into
    the sealed token, the one attribute the skill reads; the readable copy beside it is never read."""
    session = copy.deepcopy(genuine)
    attributes = session.attributes
    if kind == "forged_permission_answer":
        if attributes.get("triage") is None:
            return None
        return "Connections.Response", session.permission_answer("ACCEPTED", token=TOKEN)
    if kind in ("other_session", "other_user"):
        if not donor.attributes or donor.attributes == attributes:
            return None
        session.attributes = copy.deepcopy(donor.attributes)
        if kind == "other_user":
            session.session_id = donor.session_id
            session.user_id = "amzn1.ask.account.SOMEONEELSE"
    elif kind == "new_session":
        if not attributes:
            return None
        session.new = True
    elif kind == "seal_removed":
        if SEALED not in attributes:
            return None
        attributes.pop(SEALED)
    elif kind == "seal_from_other_state":
        if SEALED not in attributes or SEALED not in donor.attributes:
            return None
        seal = donor.attributes[SEALED].partition(".")[2]
        attributes[SEALED] = f"{attributes[SEALED].partition('.')[0]}.{seal}"
    elif kind == "forged_offer":
        if SEALED not in attributes:
            return None
        state = token_state(attributes)
        state["offer"] = rng.choice([{"kind": "remember", "outcome": "self_care"}, {"kind": "resume",
                                     "question": rng.choice(QUESTIONS)}, {"kind": "reminder", "outcome": "self_care"}])
        session.attributes = with_token_state(attributes, state)
    else:
        if SEALED not in attributes or not token_state(attributes).get("triage"):
            return None
        state = token_state(attributes)
        triage = state["triage"]
        if kind == "edited_question":
            triage["q"] = rng.choice([q for q in QUESTIONS if q != triage["q"]])
        elif kind == "edited_answers":
            triage["a"] = [[q, 0, 1] for q in EMERGENCY_ORDER]
        else:
            triage["f"] = "routine"
        session.attributes = with_token_state(attributes, state)
    if session.attributes == genuine.attributes and session.new == genuine.new:
        return None  # the edit changed nothing: not a tampering
    return "IntentRequest", session.intent("AMAZON.YesIntent")


def refused(kind: str, response: dict, locale: str) -> bool:
    text = default_locales()[locale]
    said = speech(response)
    if kind == "forged_permission_answer":  # the triage kept where it was, nothing set
        return response["response"].get("shouldEndSession") is False and "reminder" not in said.lower()
    return (said.startswith(text.phrases["start_again"])
            and (response.get("sessionAttributes") or {}).get("triage", {}).get("q") == FIRST
            and not (response.get("sessionAttributes") or {}).get("triage", {}).get("a"))


def run(sessions: int, seed: int, max_turns: int = 25) -> dict:
    rng = random.Random(seed)
    logging.disable(logging.WARNING)
    coverage: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # (type, moment) -> [sent, safe]
    tamper_sent: Counter[str] = Counter()
    tamper_refused: Counter[str] = Counter()
    requests = exceptions = 0
    donor = Session()
    use_store(MemoryStore())  # one store: people come back (resume, follow-up, forget)
    for number in range(sessions):
        locale = rng.choice(LOCALES)
        # no Reminders API: a reminder yes hands over without calling out; the remember offer otherwise
        session = Session(locale=locale, user_id=f"amzn1.ask.account.FUZZ{number % 7}",
                          api_endpoint=rng.choice(["none", "https://127.0.0.1:9"]))
        net_said = False
        response = handler(session.launch(), None)
        session.absorb(response)
        requests += 1
        noes = rng.randint(0, len(QUESTIONS))  # a run of "no" first, so sessions reach later questions and offers
        for turn in range(noes + rng.randint(1, max_turns)):
            if session.ended:
                break
            moment = moment_of(session.attributes)
            if rng.random() < 0.3:
                kind = rng.choice(TAMPERINGS)
                variant = tampered(kind, session, donor, rng)
                if variant is not None:
                    request_type, event = variant
                    try:
                        answer = handler(event, None)
                    except Exception:  # noqa: BLE001 (counted, the figure says how many)
                        exceptions += 1
                        continue
                    requests += 1
                    tamper_sent[kind] += 1
                    tamper_refused[kind] += refused(kind, answer, locale)
                    cell = coverage[(f"{request_type} (tampered)", moment)]
                    cell[0] += 1
                    cell[1] += (not answer["response"].get("shouldEndSession")) or safe_ending(
                        answer, locale, net_said, moment)
            if moment in OUTCOME_OFFERS | {"resume", "follow_up"}:  # take offers up often: memory comes into play
                say = rng.choice(["AMAZON.YesIntent", "AMAZON.YesIntent", "AMAZON.NoIntent", rng.choice(SAYS)])
            else:
                say = "AMAZON.NoIntent" if turn < noes else rng.choice(SAYS)
            request_type, event = request_for(session, say, rng)
            try:
                response = handler(event, None)
            except Exception:  # noqa: BLE001
                exceptions += 1
                break
            requests += 1
            cell = coverage[(request_type, moment)]
            cell[0] += 1
            ended = response["response"].get("shouldEndSession") is not False
            if request_type == "SessionEndedRequest":
                cell[1] += "outputSpeech" not in response["response"]
                break
            cell[1] += (not ended) or "directives" in response["response"] and "outputSpeech" not in response[
                "response"] or safe_ending(response, locale, net_said, moment)
            net_said = net_said or safety_net_said(response, locale)
            session.absorb(response)
        donor = copy.deepcopy(session)
    return {"sessions": sessions, "requests": requests, "exceptions": exceptions, "tamper_sent": tamper_sent,
            "tamper_refused": tamper_refused, "coverage": dict(coverage)}


def safety_net_said(response: dict, locale: str) -> bool:
    text = default_locales()[locale]
    number = text.emergency_number or ""
    return bool(number) and number in speech(response)


def report(figures: dict) -> str:
    lines = [f"sessions: {figures['sessions']}, requests: {figures['requests']}, "
             f"exceptions: {figures['exceptions']}",
             f"tampered variants: {sum(figures['tamper_sent'].values())} sent, "
             f"{sum(figures['tamper_refused'].values())} refused"]
    for kind in TAMPERINGS:
        lines.append(f"  {kind}: {figures['tamper_refused'][kind]}/{figures['tamper_sent'][kind]}")
    moments = sorted({m for _, m in figures["coverage"]})
    types = sorted({t for t, _ in figures["coverage"]})
    lines.append("safety net (safe/sent) by request type x moment:")
    lines.append("| request type | " + " | ".join(moments) + " |")
    lines.append("|---" * (len(moments) + 1) + "|")
    for request_type in types:
        cells = []
        for moment in moments:
            sent, safe = figures["coverage"].get((request_type, moment), [0, 0])
            cells.append(f"{safe}/{sent}" if sent else "-")
        lines.append(f"| {request_type} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


QUESTIONS = [q.id for q in default_protocol().questions]
EMERGENCY: set[str] = set()
EMERGENCY_ORDER: list[str] = []


def _emergency_questions() -> None:
    from skill.triage import TriageMachine

    machine = TriageMachine(default_protocol())
    EMERGENCY.update(machine.emergency_questions)
    EMERGENCY_ORDER.extend(machine.emergency_questions)


_emergency_questions()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    figures = run(args.sessions, args.seed)
    print(report(figures))
    unsafe = sum(sent - safe for sent, safe in figures["coverage"].values())
    missed = sum(figures["tamper_sent"].values()) - sum(figures["tamper_refused"].values())
    return 1 if figures["exceptions"] or unsafe or missed else 0


if __name__ == "__main__":
    sys.exit(main())
