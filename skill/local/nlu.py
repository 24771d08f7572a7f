"""The terminal chat's stand-in for Alexa's language understanding: the interaction model, matched as Alexa
matches samples.

Typed text resolves to an intent only through the locale's interaction model: a
sample word for word, or a sample whose slot is filled by one of the slot type's
values or synonyms (with the value's entity-resolution id, as Alexa sends it),
plus the phrases Alexa's built-in intents accept. No similarity guesses. Where
several samples match, the one with the most literal words wins (as virtual-alexa,
a third-party emulator, decides), then the first in the model.

What no sample matches goes where Alexa can send it: Alexa passes a custom slot's
words even when they match none of its values (``ER_SUCCESS_NO_MATCH``), and the
model's SignIntent has a sample that is its statement slot alone, so the words
arrive there, unmatched (the skill looks in them for an emergency only, see
``skill.alexa.own_words``). A model without such a sample gets
``AMAZON.FallbackIntent``. virtual-alexa never passes unmatched words, so its
numbers in ``nlu-eval`` are the floor.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from skill.alexa import intents
from skill.model.built_in import BUILT_IN_PHRASES_BY_LANGUAGE

# interaction_models/ (skill/local/interaction_models links to it, so an installed package carries the same files)
MODELS_DIR = Path(__file__).resolve().parent / "interaction_models"
LAUNCH = "LaunchRequest"
FALLBACK = "AMAZON.FallbackIntent"
SLOT = re.compile(r"\{(\w+)\}")

BUILT_IN_PHRASES = BUILT_IN_PHRASES_BY_LANGUAGE["en"]
NUMBER_WORDS = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five",
                "6": "six", "7": "seven", "8": "eight", "9": "nine"}
OPENERS = ("open", "launch", "start", "begin", "talk to")
ONE_SHOT = ("ask", "tell")


def normalise(text: str, digits: Mapping[str, str] = NUMBER_WORDS) -> str:
    """Lower case, one kind of apostrophe, digits as the locale's words ("911": "nine one one", "nueve uno
    uno"), no punctuation; letters of any script kept, accents and ñ included."""
    text = unicodedata.normalize("NFC", text).lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"\d", lambda m: f" {digits.get(m.group(), m.group())} ", text)
    text = re.sub(r"[^\w']+|_", " ", text)
    text = re.sub(r"(?<!\w)'|'(?!\w)", " ", text)
    text = re.sub(r"^\s*(hey\s+)?alexa\b", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Slot:
    value: str  # the words as said
    id: str | None  # the entity-resolution id (the protocol's question id for a sign), None for no match
    type: str


@dataclass(frozen=True)
class Resolution:
    name: str  # an intent name, or LaunchRequest
    slots: dict[str, Slot] = field(default_factory=dict)


@dataclass(frozen=True)
class _Sample:
    intent: str
    prefix: str
    suffix: str
    slot: str  # the sample's one slot (plain phrases are matched exactly, in ``exact``)
    literal: int  # literal characters: more of them makes a match more specific


class Resolver:
    def __init__(self, model: dict[str, Any], digits: Mapping[str, str] = NUMBER_WORDS,
                 openers: tuple[str, ...] = OPENERS, one_shot: tuple[str, ...] = ONE_SHOT,
                 built_in: Mapping[str, list[str]] = BUILT_IN_PHRASES):
        """``digits``, ``openers`` ("open", "abre") and ``one_shot`` ("ask", "pide a") as the locale says them."""
        self.digits, self.one_shot, self.openers = digits, one_shot, openers
        language = model["interactionModel"]["languageModel"]
        self.invocation = normalise(language["invocationName"], self.digits)
        self.values: dict[str, dict[str, str]] = {}  # slot type -> normalised phrase -> value id
        for slot_type in language.get("types", []):
            phrases: dict[str, str] = {}
            for value in slot_type["values"]:
                for phrase in [value["name"]["value"], *value["name"].get("synonyms", [])]:
                    phrases.setdefault(normalise(phrase, self.digits), value.get("id") or value["name"]["value"])
            self.values[slot_type["name"]] = phrases
        self.slot_types: dict[tuple[str, str], str] = {}
        self.exact: dict[str, str] = {}
        self.samples: list[_Sample] = []
        for intent in language["intents"]:
            name = intent["name"]
            for slot in intent.get("slots", []):
                self.slot_types[(name, slot["name"])] = slot["type"]
            for phrase in list(built_in.get(name, [])) + intent.get("samples", []):
                self._add(name, phrase)
        # the sample that is a statement slot alone: where Alexa passes words it cannot match
        self.catch_all = next(((s.intent, s.slot) for s in self.samples if s.intent == intents.SIGN
                               and s.slot == intents.SAID_SLOT and not s.prefix and not s.suffix), None)
        for verb in openers:
            self.exact.setdefault(f"{verb} {self.invocation}", LAUNCH)
        self.exact.setdefault(self.invocation, LAUNCH)

    def _add(self, intent: str, phrase: str) -> None:
        slots = SLOT.findall(phrase)
        if not slots:
            self.exact.setdefault(normalise(phrase, self.digits), intent)
            return
        if len(slots) > 1:
            raise ValueError(f"{intent}: samples with more than one slot are not supported: {phrase!r}")
        before, after = SLOT.split(phrase, maxsplit=1)[0], SLOT.split(phrase, maxsplit=1)[2]
        prefix, suffix = normalise(before, self.digits), normalise(after, self.digits)
        self.samples.append(_Sample(intent, prefix, suffix, slots[0], len(prefix) + len(suffix)))

    @classmethod
    def for_locale(cls, locale: str, models_dir: Path = MODELS_DIR) -> "Resolver":
        return _resolver(locale, models_dir)

    def resolve(self, text: str) -> Resolution:
        said = normalise(text, self.digits)
        for verb in self.one_shot:  # "ask back pain check to ...", "tell back pain check I fell"
            said = re.sub(rf"^{verb} {re.escape(self.invocation)}( to| that| about| que| a)? ?", "", said)
        if said in self.exact:
            return Resolution(self.exact[said])
        best: tuple[int, Resolution] | None = None
        for sample in self.samples:
            resolution = self._match(sample, said)
            if resolution is not None and (best is None or sample.literal > best[0]):
                best = (sample.literal, resolution)
        if best is not None:
            return best[1]
        if self.catch_all is not None and said:
            intent, slot = self.catch_all
            return Resolution(intent, {slot: Slot(said, None, self.slot_types[(intent, slot)])})
        return Resolution(FALLBACK)

    def _match(self, sample: _Sample, said: str) -> Resolution | None:
        head = f"{sample.prefix} " if sample.prefix else ""
        tail = f" {sample.suffix}" if sample.suffix else ""
        if not (said.startswith(head) and said.endswith(tail)) or len(said) <= len(head) + len(tail):
            return None
        words = said[len(head):len(said) - len(tail)]
        slot_type = self.slot_types[(sample.intent, sample.slot)]
        value_id = self.values.get(slot_type, {}).get(words)
        if value_id is None:
            return None  # a custom slot matches only its values and synonyms, as virtual-alexa does
        return Resolution(sample.intent, {sample.slot: Slot(words, value_id, slot_type)})


@lru_cache(maxsize=16)
def _resolver(locale: str, models_dir: Path) -> Resolver:
    from skill.triage import default_locales

    understanding = default_locales()[locale].understanding if locale in default_locales() else {}
    return Resolver(json.loads((models_dir / f"{locale}.json").read_text(encoding="utf-8")),
                    understanding.get("digits", NUMBER_WORDS), tuple(understanding.get("openers", OPENERS)),
                    tuple(understanding.get("one_shot", ONE_SHOT)),
                    BUILT_IN_PHRASES_BY_LANGUAGE.get(locale.split("-")[0], BUILT_IN_PHRASES))
