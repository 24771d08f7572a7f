"""The learned half of the emergency spotter: a small linear classifier, read by pure Python.

The word groups of ``own_words`` catch the phrasings they were written from. To reach others ("my dad's
hacking up blood", "her lips have gone a funny colour"), a linear classifier is trained at build time
(``python -m skill spotter-build``, scikit-learn, a dev dependency) on the interaction model the skill
generates: every statement and name of every sign, labelled with its question id when the sign is an
emergency whenever it is said, "other" otherwise, plus the emergency intent's samples and the denials.
Its weights are committed as a compact table (``data/own_words_<language>.json``); here they are read
and applied with no scikit-learn or numpy, loaded the first time unmatched words arrive (never at import).

The features are computed the same way at build and at run time (``features``): the words, pairs of
words and character 3-5-grams of each word (with its edges), marked when they follow a negation, each
worth ``1 / sqrt(number of features)``, so weights the table leaves out simply count zero.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
OTHER = "other"  # not an emergency sign (or nothing at all)
GENERAL = "emergency"  # an emergency the protocol has no question for: the emergency intent's samples
CHAR_GRAMS = (3, 5)
NEGATED_SCOPE = 3  # words after a negation that are marked as negated
MIN_WORDS = 3  # fewer words are a name ("help", "chest pain"): the word groups' and the model's values' business


def table_path(language: str, folder: Path = DATA_DIR, name: str = "own_words") -> Path:
    """``own_words_<language>.json`` (this spotter), or another table read the same way (``which_sign``)."""
    return folder / f"{name}_{language}.json"


def features(text: str, negation: re.Pattern[str] | None = None) -> list[str]:
    """Distinct features of words already normalised (``own_words.words_for_spotting``), in a stable order.

    The ``NEGATED_SCOPE`` words after a word that ``negation`` matches (the locale's ``own_words.negated``: "can't",
    "no") are marked, so that "no puedo mover las piernas" and "puedo mover las piernas" do not look alike."""
    words = text.split()
    marked = [False] * len(words)
    if negation is not None:
        for index, word in enumerate(words):
            if negation.fullmatch(word):
                for after in range(index + 1, min(index + 1 + NEGATED_SCOPE, len(words))):
                    marked[after] = True
    found: dict[str, None] = {}
    for word, negated in zip(words, marked, strict=True):
        found[f"w{'!' if negated else ''} {word}"] = None
    for (first, second), negated in zip(zip(words, words[1:], strict=False), marked[1:], strict=False):
        found[f"b{'!' if negated else ''} {first} {second}"] = None
    low, high = CHAR_GRAMS
    for word, negated in zip(words, marked, strict=True):
        edged, mark = f" {word} ", "!" if negated else ""
        for size in range(low, high + 1):
            for start in range(len(edged) - size + 1):
                found[f"c{mark} {edged[start:start + size]}"] = None
    return list(found)


@dataclass(frozen=True)
class Guess:
    label: str  # a question id, GENERAL, or OTHER
    probability: float


class LinearSpotter:
    """Softmax over ``classes`` of ``bias + sum(weight * 1/sqrt(n))`` for the text's features."""

    def __init__(self, table: dict):
        self.classes: list[str] = list(table["classes"])
        self.bias: list[float] = [float(b) for b in table["bias"]]
        self.minimum: float = float(table["minimum"])
        # feature -> [[class index, weight], ...]
        self.weights: dict[str, list[list[float]]] = table["weights"]
        self.negation = re.compile(table["negation"]) if table.get("negation") else None

    def probabilities(self, text: str) -> dict[str, float]:
        """Each class's probability for these words (all of it on OTHER when they have no feature)."""
        found = features(text, self.negation)
        if not found:
            return {label: float(label == OTHER) for label in self.classes}
        scale = 1 / math.sqrt(len(found))
        scores = list(self.bias)
        for feature in found:
            for index, weight in self.weights.get(feature, ()):
                scores[int(index)] += weight * scale
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.classes, exps, strict=True)}

    def guess(self, text: str) -> Guess:
        probabilities = self.probabilities(text)
        best = max(self.classes, key=probabilities.__getitem__)  # the first of equals, as before
        return Guess(best, probabilities[best])

    def emergency(self, text: str) -> str | None:
        """The label of an emergency these words name, confidently enough; None otherwise."""
        if len(text.split()) < MIN_WORDS:
            return None
        guess = self.guess(text)
        return guess.label if guess.label != OTHER and guess.probability >= self.minimum else None


def committed_table(language: str, name: str = "own_words") -> dict | None:
    """A table as committed under ``data/`` (``table_path``), or None when the language has none."""
    path = table_path(language, name=name)
    if not path.is_file():
        return None
    loaded: dict = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@lru_cache(maxsize=4)
def linear_spotter(language: str) -> LinearSpotter | None:
    """The committed table for a language, or None when there is none (the word groups alone then)."""
    table = committed_table(language)
    return None if table is None else LinearSpotter(table)


@dataclass(frozen=True)
class Settled:
    """The "here now?" table and, per spotted sign (a question id, or GENERAL), the probability of "absent" that
    doubts it (``settled_build``)."""

    table: LinearSpotter
    thresholds: dict[str, float]

    def absent(self, text: str) -> float:
        return self.table.probabilities(text).get("absent", 0.0)


@lru_cache(maxsize=4)
def settled_reader(language: str) -> Settled | None:
    """The language's "here now?" table (``settled_<language>.json``), or None when there is none."""
    table = committed_table(language, name="settled")
    if table is None:
        return None
    return Settled(LinearSpotter(table), {str(k): float(v) for k, v in table["thresholds"].items()})
