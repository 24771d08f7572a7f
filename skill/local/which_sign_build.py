"""``which_sign``'s two tables, trained by ``python -m skill spotter-build`` beside the spotter's learned half.

Trained, per language, only on the interaction model the skill generates (``spotter_build.LANGUAGES``), never on
an evaluation set:

- ``concepts``: which sign the words speak of. Every statement, name and denial of every sign (``SIGN_SAID``,
  ``SIGN_NAME``, ``SIGN_DENIED``), labelled with its id (a question, or an offer's statement); every other
  intent's samples and the built-in phrases the chat resolver lists, "other".
- ``polarity``: whether they say it is there. Statements (``SIGN_SAID``) "yes", denials (``SIGN_DENIED``) "no";
  the features mark the words after a negation, so "my legs are numb" and "my legs aren't numb" differ.

The weights are written to ``skill/alexa/data/which_sign_<language>.json`` with the hash of what they were
trained from (a test fails when the model changed since).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from skill.alexa import intents
from skill.alexa.own_words import words_for_spotting
from skill.alexa.own_words_model import OTHER
from skill.local.nlu import BUILT_IN_PHRASES_BY_LANGUAGE, normalise

from .spotter_build import LANGUAGES, fit, negated_pattern

VERSION = 1  # of the examples and the recipe: bump it when either changes
C = 16.0  # as the spotter's learned half (``spotter_build.C``)
KEEP = 0.6  # smaller weights are left out: the zip stays small, and the larger tables read no better
DIGITS = 1
THERE, DENIED = "yes", "no"


def _phrases(value: dict[str, Any]) -> list[str]:
    return [value["name"]["value"], *value["name"].get("synonyms", [])]


def examples(model: dict[str, Any], language_code: str) -> dict[str, list[tuple[str, str]]]:
    """(words as the spotter sees them, label) for each table, de-duplicated, in a fixed order."""
    language = model["interactionModel"]["languageModel"]
    types = {t["name"]: t["values"] for t in language.get("types", [])}
    concepts: dict[str, str] = {}
    polarity: dict[str, str] = {}
    for type_name, said in ((intents.SIGN_SAID_TYPE, THERE), (intents.SIGN_NAME_TYPE, None),
                            (intents.SIGN_DENIED_TYPE, DENIED)):
        for value in types.get(type_name, []):
            for phrase in _phrases(value):
                text = words_for_spotting(normalise(phrase))
                if text and "{" not in phrase and value.get("id"):
                    concepts.setdefault(text, value["id"])
                    if said is not None:
                        polarity.setdefault(text, said)
    built_in = BUILT_IN_PHRASES_BY_LANGUAGE.get(language_code, {})
    for intent in language["intents"]:
        if intent["name"] in (intents.SIGN, intents.NO_SIGN):
            continue
        for sample in [*intent.get("samples", []), *built_in.get(intent["name"], [])]:
            text = words_for_spotting(normalise(sample))
            if text and "{" not in sample:
                concepts.setdefault(text, OTHER)
    return {"concepts": sorted(concepts.items()), "polarity": sorted(polarity.items())}


def inputs_hash(model: dict[str, Any], language_code: str) -> str:
    recipe = {"version": VERSION, "c": C, "keep": KEEP, "digits": DIGITS,
              "negation": negated_pattern(LANGUAGES[language_code]), "examples": examples(model, language_code)}
    return hashlib.sha256(json.dumps(recipe, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def build_tables(model: dict[str, Any], language_code: str) -> dict[str, Any]:
    negation = negated_pattern(LANGUAGES[language_code])
    learned = examples(model, language_code)
    return {"about": "which sign unmatched words speak of, and whether they say it is there "
                     "(skill/alexa/which_sign.py), built by python -m skill spotter-build "
                     "(skill/local/which_sign_build.py): do not edit",
            "inputs_hash": inputs_hash(model, language_code),
            "concepts": fit(learned["concepts"], negation, c=C, keep=KEEP, digits=DIGITS),
            "polarity": fit(learned["polarity"], negation, c=C, keep=KEEP, digits=DIGITS)}
