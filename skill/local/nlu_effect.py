"""What one turn did, read from the skill's own reply: the NLU evaluation's "overall" compares effects, not words.

An evaluation item is right overall when the skill did what it does when it hears exactly what the set
expects: the same emergency instruction or none, the same answers recorded (to which question, yes or no,
asked or volunteered), the same "not sure" held for an example, the same question next, the same offer
and outcome. Hearing EmergencyIntent for "my chest is crushing" (the set expects SignIntent) or "no" for
"I don't have chest pain" at the chest pain question (the set expects NoSignIntent) is then right, as it
is for the person; a sign said inside other words is right when the skill understood that sign. Where the
triage did not move (help, repeat, stop, a delete request), the reply's words are the effect, so Stop and
Cancel, which this skill answers alike, count as the same. The emergency instruction alone is the effect
of an emergency: what led to it does not change what the person is told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TRIAGE, OFFER, DISPOSITION = "triage", "offer", "disposition"


@dataclass(frozen=True)
class Effect:
    emergency: bool
    added: frozenset[tuple] = frozenset()  # answers recorded this turn: (question, yes, asked)
    removed: frozenset[tuple] = frozenset()  # answers taken back ("go back", "start over")
    question: str | None = None  # the question the skill is on after the turn
    clarifying: bool = False  # "not sure" once: the question asked again with an example
    misses: int = 0  # not understood in a row
    offer: str | None = None  # the kind of yes/no offer waiting (delete, remember, ...)
    disposition: str | None = None  # the outcome given, when the triage finished without an emergency
    reply: str | None = None  # the reply's words, only when nothing above moved


def _answers(attributes: dict | None) -> set[tuple]:
    triage = (attributes or {}).get(TRIAGE) or {}
    return {tuple(answer) for answer in triage.get("a", []) if isinstance(answer, list)}


def _words(speech: str | None) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", speech or "").split()).lower()


def effect_of(before: dict | None, after: dict | None, speech: str | None, instruction: str) -> Effect:
    """The effect of a turn from the session attributes it started with and those (and the speech) it ended with."""
    if _words(speech).startswith(_words(instruction)):
        return Effect(emergency=True)
    was, now = _answers(before), _answers(after)
    triage = (after or {}).get(TRIAGE) or {}
    offer = (after or {}).get(OFFER)
    moved = Effect(False, frozenset(now - was), frozenset(was - now), triage.get("q"), bool(triage.get("c")),
                   triage.get("m", 0), offer.get("kind") if isinstance(offer, dict) else None,
                   (after or {}).get(DISPOSITION))
    still = Effect(False, question=((before or {}).get(TRIAGE) or {}).get("q"))
    return moved if moved != still else Effect(False, question=moved.question, reply=_words(speech))
