"""The spotter's "here now?" table, trained by ``python -m skill spotter-build`` beside its learned half.

A sign's words can be there while the sign is not: "the chest pains i had at christmas are long gone", "the
car crash was on the telly not me", "he gets muddled when he's tired but he's sharp as anything tonight".
The word groups that spot an emergency know only the ways of saying all is well they were written with, and
each blind set brought new ones. This table learns the idea from phrasings written for it
(``skill/local/training/settled_<language>.jsonl``: words with a sign that is here now, "present", or not,
"absent", for every sign that is an emergency whenever it is said and for the general emergency; written from
the protocol's concepts only, by writers who had not seen an evaluation set), never from an evaluation set.
It reads the words around the sign (``Spotter.around_sign``: the words that name it are left out), so it
learns how a sign is said to be gone, not which sign it is.

At run time (``Spotter.doubts``) it is asked only about words the spotter found an emergency in. Each sign's
threshold (``thresholds``) is the highest probability of "absent" of any emergency statement of any
development set with that sign, plus ``MARGIN`` (never below ``FLOOR``): no emergency statement there is
doubted. A doubted sign is asked again, yes or no (``heard``): a doubt never records a denial.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from skill.alexa.own_words import Spotter, spotter_for
from skill.alexa.own_words_model import GENERAL, LinearSpotter

from .spotter_build import LANGUAGES, fit, negated_pattern

TRAINING_DIR = Path(__file__).resolve().parent / "training"
EVAL_DIR = Path(__file__).resolve().parents[2] / "nlu_eval"
VERSION = 1  # of the examples and the recipe: bump it when either changes
C = 1.0  # chosen on the development sets: the most past alarms doubted with no emergency statement doubted
KEEP = 0.1  # smaller weights are left out of the table
DIGITS = 2
MARGIN = 0.02  # above the surest "absent" among a sign's development emergency statements
FLOOR = 0.9  # no sign is doubted below this (lower, the Spanish table doubted "se me pasó al pecho el dolor")
UNSEEN = 0.99  # a sign no development emergency statement has
ABSENT, PRESENT = "absent", "present"


def training_path(language: str) -> Path:
    return TRAINING_DIR / f"settled_{language}.jsonl"


def _spotter(language: str) -> Spotter:
    return spotter_for(LANGUAGES[language])


def examples(language: str) -> list[tuple[str, str]]:
    """(the words around the sign, "absent" or "present"), de-duplicated (the first label kept), sorted; words
    that are the sign alone are left out (they are never doubted)."""
    spotter = _spotter(language)
    found: dict[str, str] = {}
    for line in training_path(language).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row["label"] not in (ABSENT, PRESENT):
                raise ValueError(f"{training_path(language)}: label {row['label']!r}")
            around = spotter.around_sign(row["text"])
            if around:
                found.setdefault(around, row["label"])
    return sorted(found.items())


def inputs_hash(language: str) -> str:
    recipe = {"version": VERSION, "c": C, "keep": KEEP, "digits": DIGITS, "margin": MARGIN, "floor": FLOOR,
              "unseen": UNSEEN, "negation": negated_pattern(LANGUAGES[language]), "examples": examples(language)}
    return hashlib.sha256(json.dumps(recipe, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def emergency_statements(language: str, folder: Path = EVAL_DIR) -> list[str]:
    """Every development set's emergency statements in this language (their meta sidecars say which)."""
    said = []
    for meta in sorted(folder.glob(f"{language}-*.meta.json")):
        for utterance, item in json.loads(meta.read_text(encoding="utf-8"))["items"].items():
            if item.get("category") == "emergency_statements" and item.get("outcome") == "emergency":
                said.append(utterance)
    return said


def thresholds(language: str, table: LinearSpotter) -> dict[str, float]:
    """Per sign the spotter names (a question id, or GENERAL), the probability of "absent" that doubts it: above
    every development emergency statement's."""
    spotter = _spotter(language)
    surest: dict[str, float] = {}
    for utterance in emergency_statements(language):
        spotted = spotter.emergency(utterance)
        if spotted is not None:
            sign = spotted.concept or GENERAL
            absent = table.probabilities(spotter.around_sign(utterance)).get(ABSENT, 0.0)
            surest[sign] = max(surest.get(sign, 0.0), absent)
    signs = sorted({*spotter.spottable, GENERAL})
    return {sign: round(min(UNSEEN, max(FLOOR, surest[sign] + MARGIN)) if sign in surest else UNSEEN, 2)
            for sign in signs}


def build_table(language: str) -> dict[str, Any]:
    table = fit(examples(language), negated_pattern(LANGUAGES[language]), c=C, keep=KEEP, digits=DIGITS)
    reader = LinearSpotter({**table, "minimum": 1.0})
    return {"about": "whether a spotted sign is here now (skill/alexa/own_words.py, Spotter.doubts), built by "
                     "python -m skill spotter-build (skill/local/settled_build.py): do not edit",
            "inputs_hash": inputs_hash(language), "minimum": 1.0, "thresholds": thresholds(language, reader),
            **table}
