"""The NLU evaluation set: Amazon's annotation-set file, plus a sidecar with what Amazon's format has no room for.

Two files per locale in ``nlu_eval/``:

- ``<locale>.annotations.json``: an ASK NLU Evaluation annotation set, exactly the JSON that Amazon's
  ``update-annotations-for-nlu-annotation-sets`` call (and the developer console's upload) takes, so it
  is uploaded as is::

      {"data": [{"inputs": {"utterance": "I don't have chest pain"},
                 "expected": [{"intent": {"name": "NegationIntent", "slots": {"sign": {"value": "chest pain"}}}}]}]}

  ``slots`` is optional; a slot's ``value`` is the words said, as Amazon compares them.
- ``<locale>.meta.json``: per utterance (the key is the utterance, exactly as in the annotation set), what
  only this project checks::

      {"locale": "en-US", "items": {"I don't have chest pain": {"category": "negations",
          "context": "heart_attack", "outcome": "not_emergency", "slot_ids": {"sign": "chest_pain"}}}}

  ``category`` is one of ``CATEGORIES``; ``context`` (optional) is the protocol question the skill is on
  when the person says it (default: the first question after launch); ``outcome`` (optional) is
  ``emergency`` (the reply must start with the emergency instruction) or ``not_emergency`` (it must not);
  ``slot_ids`` (optional) are the entity-resolution ids a slot's value must resolve to.

An utterance appears once: Amazon's NLU does not see the conversation, so one utterance has one expected
intent. ``load`` refuses a set that breaks any of this, naming the item.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SET_DIR = ROOT / "nlu_eval"
CATEGORIES = ("answers", "hedges", "negations", "emergency_statements", "answering_statements", "navigation")
EMERGENCY, NOT_EMERGENCY = "emergency", "not_emergency"
OUTCOMES = (EMERGENCY, NOT_EMERGENCY)
META_KEYS = {"category", "context", "outcome", "slot_ids"}


class EvalSetError(ValueError):
    """The evaluation set is not valid; the message names the item."""


@dataclass(frozen=True)
class EvalItem:
    utterance: str
    intent: str
    category: str
    slots: dict[str, str] = field(default_factory=dict)  # slot name -> expected value (the words said)
    slot_ids: dict[str, str] = field(default_factory=dict)  # slot name -> expected entity-resolution id
    context: str | None = None  # protocol question id; None: the first question after launch
    outcome: str | None = None  # EMERGENCY, NOT_EMERGENCY or None (not checked)


def annotation_path(locale: str, folder: Path = SET_DIR) -> Path:
    return folder / f"{locale}.annotations.json"


def meta_path_for(annotations: Path) -> Path:
    return annotations.with_name(annotations.name.replace(".annotations.json", ".meta.json"))


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise EvalSetError(message)


def parse_annotations(raw: object) -> list[tuple[str, str, dict[str, str]]]:
    """Amazon's annotation set -> [(utterance, intent, {slot: value})]; anything Amazon would not take is refused."""
    if not (isinstance(raw, dict) and set(raw) == {"data"} and isinstance(raw["data"], list)):
        raise EvalSetError('the annotation set must be {"data": [...]} and nothing else')
    parsed, seen = [], set()
    for number, entry in enumerate(raw["data"], start=1):
        where = f"annotation {number}"
        _check(isinstance(entry, dict) and set(entry) == {"inputs", "expected"}, f"{where}: needs inputs and expected")
        inputs = entry["inputs"]
        _check(isinstance(inputs, dict) and set(inputs) <= {"utterance", "referenceTimestamp"}
               and isinstance(inputs.get("utterance"), str) and inputs["utterance"].strip(),
               f"{where}: inputs needs a non-empty utterance (and at most a referenceTimestamp)")
        utterance = inputs["utterance"]
        where = f"annotation {number} ({utterance!r})"
        _check(utterance.lower() not in seen, f"{where}: the utterance appears twice")
        seen.add(utterance.lower())
        expected = entry["expected"]
        _check(isinstance(expected, list) and len(expected) == 1 and isinstance(expected[0], dict)
               and set(expected[0]) == {"intent"}, f"{where}: expected must be one {{\"intent\": ...}}")
        intent = expected[0]["intent"]
        _check(isinstance(intent, dict) and set(intent) <= {"name", "slots"} and isinstance(intent.get("name"), str),
               f"{where}: the expected intent needs a name (and optional slots)")
        slots = intent.get("slots", {})
        _check(isinstance(slots, dict) and all(isinstance(v, dict) and set(v) == {"value"}
                                               and isinstance(v["value"], str) for v in slots.values()),
               f'{where}: slots must be {{"<name>": {{"value": "<words>"}}}}')
        parsed.append((utterance, intent["name"], {name: v["value"] for name, v in slots.items()}))
    _check(bool(parsed), "the annotation set is empty")
    return parsed


def merge(annotations: list[tuple[str, str, dict[str, str]]], meta: dict, questions: tuple[str, ...]) -> list[EvalItem]:
    """Join each annotation with its sidecar entry; both files must name the same utterances."""
    _check(isinstance(meta, dict) and isinstance(meta.get("items"), dict), 'the sidecar must be {"items": {...}}')
    entries = meta["items"]
    missing = [u for u, _, _ in annotations if u not in entries]
    _check(not missing, f"no sidecar entry for {missing}")
    extra = sorted(set(entries) - {u for u, _, _ in annotations})
    _check(not extra, f"sidecar entries for utterances not in the annotation set: {extra}")
    items = []
    for utterance, intent, slots in annotations:
        entry, where = entries[utterance], f"sidecar {utterance!r}"
        _check(isinstance(entry, dict) and set(entry) <= META_KEYS, f"{where}: only {sorted(META_KEYS)} are allowed")
        _check(entry.get("category") in CATEGORIES, f"{where}: category must be one of {CATEGORIES}")
        _check(entry.get("context") is None or entry["context"] in questions,
               f"{where}: context must be a protocol question id, one of {questions}")
        _check(entry.get("outcome") is None or entry["outcome"] in OUTCOMES, f"{where}: outcome must be in {OUTCOMES}")
        slot_ids = entry.get("slot_ids", {})
        _check(isinstance(slot_ids, dict) and set(slot_ids) <= set(slots),
               f"{where}: slot_ids may only name slots the annotation expects")
        items.append(EvalItem(utterance=utterance, intent=intent, category=entry["category"], slots=slots,
                              slot_ids=dict(slot_ids), context=entry.get("context"), outcome=entry.get("outcome")))
    return items


def check_against_model(items: list[EvalItem], model: dict) -> None:
    """Every expected intent and slot exists in the interaction model (Amazon refuses the set otherwise)."""
    intents = {i["name"]: {s["name"] for s in i.get("slots", [])}
               for i in model["interactionModel"]["languageModel"]["intents"]}
    for item in items:
        _check(item.intent in intents, f"{item.utterance!r}: {item.intent} is not an intent of the model")
        unknown = set(item.slots) - intents[item.intent]
        _check(not unknown, f"{item.utterance!r}: {item.intent} has no slot {sorted(unknown)}")


def load(annotations: Path, questions: tuple[str, ...], meta: Path | None = None) -> tuple[str, list[EvalItem]]:
    """(locale, items) from an annotation set and its sidecar (default: the ``.meta.json`` beside it)."""
    meta = meta or meta_path_for(annotations)
    raw_meta = json.loads(meta.read_text(encoding="utf-8"))
    parsed = parse_annotations(json.loads(annotations.read_text(encoding="utf-8")))
    locale = raw_meta.get("locale") if isinstance(raw_meta, dict) else None
    if not isinstance(locale, str):
        raise EvalSetError(f"{meta.name}: needs the locale")
    return locale, merge(parsed, raw_meta, questions)
