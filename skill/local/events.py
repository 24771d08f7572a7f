"""``events/``: sample Alexa request envelopes, one file per kind of request the skill answers.

For ``sam local invoke -e events/launch.json`` (Docker users) and
``python -m skill invoke events/launch.json [--target ...]``. They are built
with ``envelopes.Session`` from a short real conversation with the handler, so
mid-session events carry the session attributes the skill really sends back,
sealed for their session with the development key (``skill/alexa/seal.py``): a
deployment with its own salt refuses them and starts again, as it should.
Ids and timestamps are fixed so regenerating gives the same files:
``python -m skill.local.events`` rewrites the folder.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from skill.local.envelopes import DEFAULT_SKILL_ID, Session

EVENTS_DIR = Path(__file__).resolve().parents[2] / "events"
TIMESTAMP = "2026-01-01T12:00:00Z"

# name: (what to send, how many "no" answers to give first, what it shows)
EVENTS = {
    "launch": ("launch", 0, "'Alexa, open back pain check': welcome and the first (emergency) question"),
    "yes": ("AMAZON.YesIntent", 0, "'yes' to the first emergency sign: the emergency instruction"),
    "no": ("AMAZON.NoIntent", 0, "'no' to the first question: the next question"),
    "not_sure": ("UnsureIntent", 0, "'I'm not sure' to an emergency sign: treated as yes"),
    "help": ("AMAZON.HelpIntent", 1, "'what does that mean' mid-way: the question explained, then asked again"),
    "stop": ("AMAZON.StopIntent", 2, "'stop' mid-way: goodbye with the emergency safety net"),
    "emergency_interrupt": ("EmergencyIntent", 3, "'I have chest pain' in the middle: the emergency instruction"),
    "session_end": ("session_ended", 2, "Alexa ends the session (the person walked away): no speech"),
}


def _session_id(name: str) -> str:
    return f"amzn1.echo-api.session.{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _fixed(event: dict, name: str, turn: int) -> dict:
    """Deterministic ids and timestamp, so regenerated files only change when the shape does (the session id
    is fixed from the start: the attributes are sealed for it, with the development key, see seal.py)."""
    event["session"]["sessionId"] = _session_id(name)
    event["request"]["requestId"] = f"amzn1.echo-api.request.{uuid.uuid5(uuid.NAMESPACE_URL, f'{name}/{turn}')}"
    event["request"]["timestamp"] = TIMESTAMP
    return event


def build_event(name: str, skill_id: str = DEFAULT_SKILL_ID, locale: str = "en-US") -> dict:
    from skill.alexa.app import handle_event

    what, answers_first, _ = EVENTS[name]
    session = Session(skill_id=skill_id, locale=locale)
    session.session_id = _session_id(name)
    if what == "launch":
        return _fixed(session.launch(), name, 0)
    session.absorb(handle_event(session.launch(), skill_id=skill_id))
    for _ in range(answers_first):
        session.absorb(handle_event(session.intent("AMAZON.NoIntent"), skill_id=skill_id))
    event = session.session_ended("USER_INITIATED") if what == "session_ended" else session.intent(what)
    return _fixed(event, name, answers_first + 1)


def write_events(folder: Path = EVENTS_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in EVENTS:
        path = folder / f"{name}.json"
        path.write_text(json.dumps(build_event(name), indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_events():
        print(f"wrote {path}")
