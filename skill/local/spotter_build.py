"""``python -m skill spotter-build``: train the learned half of the emergency spotter and write its weight table
(and ``which_sign``'s tables, ``which_sign_build``).

Trained, per language, only on the interaction model the skill generates for the language's first locale
(``LANGUAGES``), never on an evaluation set:

- every statement and name of every sign (the ``SIGN_SAID`` and ``SIGN_NAME`` values and synonyms): labelled
  with the sign's question id when the protocol makes that sign an emergency whenever it is said, "other"
  otherwise (an offer's statements included);
- the emergency intent's samples: the general emergency (no question of its own);
- denials (``SIGN_DENIED``), every other intent's samples and the built-in intents' phrases the chat
  resolver lists: "other".

Words that the locale's denial patterns match are left out: the spotter never asks the learned half about
them (a denial is never an emergency), so it learns from what it will be asked. The features are
``own_words_model.features``; logistic regression (scikit-learn, a dev dependency) learns the
weights, and only those worth keeping (``KEEP``) are written, rounded, to ``skill/alexa/data/own_words_<lang>.json``
with the hash of what it was trained from (``inputs_hash``): a test fails when the model or the protocol changed
since the table was built.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from skill.alexa import intents
from skill.alexa.own_words import emergency_when_said, words_for_spotting
from skill.alexa.own_words_model import GENERAL, OTHER, features, table_path
from skill.local.nlu import BUILT_IN_PHRASES_BY_LANGUAGE, MODELS_DIR, normalise

# Each language's table is trained on this locale's model. Spanish emergencies are often said as a negation the
# denial rules let through ("no siento las piernas"): the features mark the words after a negation, so the model's
# own reassurances ("siento las piernas", "puedo mover las piernas", labelled "other") do not look like them.
LANGUAGES = {"en": "en-US", "es": "es-US"}
SEED = 20
C = 16.0  # weak regularisation: chosen on the development sets (more emergencies reached, no false alarm at MINIMUM)
KEEP = 0.35  # weights smaller than this (in absolute value) are left out of the table
ROUND = 3
MINIMUM = 0.6  # the probability an emergency label needs at run time (chosen on the development sets: 0 false alarms)
DENIAL_WEIGHT = 5.0  # how much a denial counts in training, against one statement
VERSION = 4  # of the features and the training recipe: bump it when either changes


def emergency_concepts() -> list[str]:
    from skill.triage import default_protocol

    protocol = default_protocol()
    return [q.id for q in protocol.questions if emergency_when_said(protocol, q)]


def training_examples(model: dict[str, Any], concepts: list[str], language_code: str) -> list[tuple[str, str]]:
    """(words as the spotter sees them, label), de-duplicated, in a fixed order."""
    language = model["interactionModel"]["languageModel"]
    built_in = BUILT_IN_PHRASES_BY_LANGUAGE.get(language_code, {})  # "help", "stop": never an emergency
    wanted = set(concepts)
    examples: dict[str, str] = {}
    denies = denial_patterns(LANGUAGES[language_code])

    def add(phrase: str, label: str) -> None:
        text = words_for_spotting(normalise(phrase))
        # the learned half never sees words that deny (the spotter does not ask it then): nor does its training
        if text and "{" not in phrase and not any(pattern.search(text) for pattern in denies):
            examples.setdefault(text, label)

    types = {t["name"]: t["values"] for t in language.get("types", [])}
    for type_name in (intents.SIGN_SAID_TYPE, intents.SIGN_NAME_TYPE):
        for value in types.get(type_name, []):
            label = value.get("id") if value.get("id") in wanted else OTHER
            for phrase in [value["name"]["value"], *value["name"].get("synonyms", [])]:
                add(phrase, label)
    for intent in language["intents"]:
        if intent["name"] == intents.EMERGENCY:
            for sample in intent.get("samples", []):
                add(sample, GENERAL)
    for intent in language["intents"]:
        if intent["name"] not in (intents.EMERGENCY, intents.SIGN, intents.NO_SIGN):
            for sample in [*intent.get("samples", []), *built_in.get(intent["name"], [])]:
                add(sample, OTHER)
    for value in types.get(intents.SIGN_DENIED_TYPE, []):
        for phrase in [value["name"]["value"], *value["name"].get("synonyms", [])]:
            add(phrase, OTHER)
    return sorted(examples.items())


def denial_texts(model: dict[str, Any]) -> set[str]:
    """The model's denials (``SIGN_DENIED``) as the spotter sees words: weighted up in training, so that a
    reassurance that shares most words with an emergency ("siento las piernas", "siento las piernas dormidas")
    is learned as what it is."""
    types = {t["name"]: t["values"] for t in model["interactionModel"]["languageModel"].get("types", [])}
    return {words_for_spotting(normalise(phrase)) for value in types.get(intents.SIGN_DENIED_TYPE, [])
            for phrase in [value["name"]["value"], *value["name"].get("synonyms", [])]}


def denial_patterns(locale: str) -> list[re.Pattern[str]]:
    """The locale's ``own_words.denial`` and ``denial_anywhere``, as the spotter compiles them."""
    from skill.triage import default_locales

    own = default_locales()[locale].understanding.get("own_words", {})
    return [re.compile(own[key]) for key in ("denial", "denial_anywhere") if own.get(key)]


def negated_pattern(locale: str) -> str | None:
    """The locale's ``own_words.negated``: the words after it are marked in the features."""
    from skill.triage import default_locales

    pattern = default_locales()[locale].understanding.get("own_words", {}).get("negated")
    return pattern if isinstance(pattern, str) else None


def inputs_hash(model: dict[str, Any], concepts: list[str], language_code: str) -> str:
    """What the table is trained from: the examples and the recipe's settings."""
    recipe = {"version": VERSION, "c": C, "keep": KEEP, "denial_weight": DENIAL_WEIGHT, "round": ROUND,
              "minimum": MINIMUM, "negation": negated_pattern(LANGUAGES[language_code]),
              "examples": training_examples(model, concepts, language_code)}
    return hashlib.sha256(json.dumps(recipe, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def model_of(locale: str, models_dir: Path = MODELS_DIR) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((models_dir / f"{locale}.json").read_text(encoding="utf-8"))
    return loaded


def fit(examples: list[tuple[str, str]], negation: str | None, weights: list[float] | None = None,
        c: float = C, keep: float = KEEP, digits: int = ROUND) -> dict[str, Any]:
    """A linear table (``own_words_model.LinearSpotter``'s shape) learned from (words, label) examples."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    marked = re.compile(negation) if negation else None
    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for row, (text, _) in enumerate(examples):
        found = features(text, marked)
        for feature in found:
            rows.append(row)
            cols.append(vocabulary.setdefault(feature, len(vocabulary)))
            values.append(1 / len(found) ** 0.5)
    matrix = csr_matrix((values, (rows, cols)), shape=(len(examples), len(vocabulary)))
    classifier = LogisticRegression(C=c, max_iter=3000, random_state=SEED)
    classifier.fit(matrix, [label for _, label in examples], sample_weight=weights)
    classes = [str(label) for label in classifier.classes_]
    # two classes: scikit-learn keeps one row, for the second class; a softmax over (0, that row) is its sigmoid
    coefficients = classifier.coef_ if len(classes) > 2 else [0 * classifier.coef_[0], classifier.coef_[0]]
    biases = classifier.intercept_ if len(classes) > 2 else [0.0, classifier.intercept_[0]]
    table: dict[str, list[list[float]]] = {}
    for feature, column in sorted(vocabulary.items()):
        kept = [[index, round(float(row[column]), digits)] for index, row in enumerate(coefficients)
                if abs(row[column]) >= keep]
        if kept:
            table[feature] = kept
    return {"examples": len(examples), "negation": negation, "classes": classes,
            "bias": [round(float(b), digits) for b in biases], "weights": table}


def build_table(model: dict[str, Any], concepts: list[str], language_code: str) -> dict[str, Any]:
    examples = training_examples(model, concepts, language_code)
    denied = denial_texts(model)
    table = fit(examples, negated_pattern(LANGUAGES[language_code]),
                [DENIAL_WEIGHT if text in denied else 1.0 for text, _ in examples])
    return {"about": "the learned half of the emergency spotter (skill/alexa/own_words_model.py), built by "
                     "python -m skill spotter-build (skill/local/spotter_build.py): do not edit",
            "inputs_hash": inputs_hash(model, concepts, language_code), "minimum": MINIMUM, **table}


def write(language: str, folder: Path | None = None) -> list[Path]:
    """The language's tables: the spotter's learned half, then its "here now?" table (``settled_build``, whose
    thresholds are read with the learned half just written) and ``which_sign``'s two."""
    from skill.alexa.own_words import spotter_for
    from skill.alexa.own_words_model import linear_spotter
    from skill.local import settled_build, which_sign_build

    model = model_of(LANGUAGES[language])
    builds = {"own_words": lambda: build_table(model, emergency_concepts(), language),
              "settled": lambda: settled_build.build_table(language),
              "which_sign": lambda: which_sign_build.build_tables(model, language)}
    paths = []
    for name, build in builds.items():
        path = table_path(language, name=name) if folder is None else table_path(language, folder, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(build(), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        paths.append(path)
        linear_spotter.cache_clear()  # what is built next reads the tables as written
        spotter_for.cache_clear()
    return paths


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--language", choices=sorted(LANGUAGES), action="append",
                        help="only this language (repeatable; default: all)")


def main(args: argparse.Namespace) -> int:
    for language in args.language or sorted(LANGUAGES):
        for path in write(language):
            print(f"{path}: {path.stat().st_size:,} bytes")
    return 0
