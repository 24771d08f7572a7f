"""A stand-in for a generalising NLU, beside the two word-for-word matchers (the chat's and virtual-alexa).

Alexa's NLU is not a lookup of samples: it generalises from them, and it sends ``AMAZON.FallbackIntent``
(no words) when it is not sure. This stand-in does the same, so that the evaluation measures what happens
to phrasings the model was not written from. It is a dev/evaluation tool: scikit-learn is in
requirements-dev.txt only, never in the Lambda.

- **Trained only on the generated interaction model of the locale** (``interaction_models/<locale>.json``):
  each intent's samples; a sample with a slot is filled from that slot type's values and synonyms, a bounded,
  deterministic sample of fills (``FILLS_PER_INTENT``, half of them for the slots that are a sample alone, the
  statements, half for the carriers); Alexa's built-in intents also get the built-in phrases
  the chat resolver lists. Nothing from the evaluation sets.
- **The classifier**: TF-IDF word (1-2) and character (``char_wb`` 2-5) n-grams, logistic regression.
  Below ``THRESHOLD`` (the top class's probability) it answers ``AMAZON.FallbackIntent``.
- **Slots**: from the chosen intent's carrier that matches the utterance (its words before and after the
  slot), a carrier whose words resolve first, then the most literal words; else the whole utterance in the
  intent's statement slot (the slot that is a sample on its own, ``{said}``, ``{denied}``). A slot's words
  resolve to an entity id by exact (normalised) match on its type's values and synonyms, else no id: Alexa's
  ``ER_SUCCESS_NO_MATCH`` with the words.

Deterministic (fixed seed, sorted inputs); trained once per locale per process.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from skill.local.nlu import FALLBACK, LAUNCH, Resolution, Resolver, Slot, normalise

SEED = 20
FILLS_PER_INTENT = 4000  # at most this many filled samples per intent with slots
THRESHOLD = 0.30  # below this probability for the top intent: AMAZON.FallbackIntent
C = 10.0  # logistic regression's inverse regularisation


@dataclass(frozen=True)
class TrainingSet:
    texts: tuple[str, ...]
    labels: tuple[str, ...]


def training_set(resolver: Resolver, fills_per_intent: int = FILLS_PER_INTENT, seed: int = SEED) -> TrainingSet:
    """Every plain sample (built-in phrases included) and, per intent, up to ``fills_per_intent`` slot samples
    filled from their slot type's phrases, chosen by a seeded generator."""
    rng = random.Random(seed)  # nosec B311: a reproducible sample of training phrases, nothing secret
    pairs: dict[tuple[str, str], None] = {}
    for phrase, intent in sorted(resolver.exact.items()):
        pairs[(phrase, intent)] = None
    phrases = {slot_type: sorted(values) for slot_type, values in resolver.values.items()}
    by_intent: dict[str, list[Any]] = {}
    for sample in resolver.samples:
        by_intent.setdefault(sample.intent, []).append(sample)
    for intent in sorted(by_intent):
        # half the intent's fills for its slots alone ("{said}": the statements themselves, where most words
        # are), half for its carriers ("I have {sign}")
        alone = [s for s in by_intent[intent] if not s.prefix and not s.suffix]
        carriers = [s for s in by_intent[intent] if s.prefix or s.suffix]
        for group, budget in ((alone, fills_per_intent // 2), (carriers, fills_per_intent - fills_per_intent // 2)):
            per_sample = max(1, -(-budget // len(group))) if group else 0
            filled: list[str] = []
            for sample in group:
                choices = phrases.get(resolver.slot_types[(intent, sample.slot)], [])
                for words in rng.sample(choices, min(per_sample, len(choices))):
                    filled.append(" ".join(part for part in (sample.prefix, words, sample.suffix) if part))
            rng.shuffle(filled)
            for text in filled[:budget]:
                pairs[(text, intent)] = None
    texts, labels = zip(*pairs, strict=True) if pairs else ((), ())
    return TrainingSet(tuple(texts), tuple(labels))


class StandIn:
    """The locale's stand-in NLU: ``resolve(text)`` as Alexa would send it, a ``Resolution`` like the chat's."""

    def __init__(self, resolver: Resolver, threshold: float = THRESHOLD, seed: int = SEED,
                 fills_per_intent: int = FILLS_PER_INTENT):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        self.resolver, self.threshold = resolver, threshold
        data = training_set(resolver, fills_per_intent, seed)
        words = r"[\w']+"  # a word, apostrophes kept ("can't")
        features = make_union(
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=words),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2))
        self.pipeline = make_pipeline(features, LogisticRegression(C=C, max_iter=2000, random_state=seed))
        self.pipeline.fit(list(data.texts), list(data.labels))
        self.classes: list[str] = [str(c) for c in self.pipeline.classes_]
        # the slot that is a sample on its own: where a generalising NLU puts a statement it cannot split
        self.statement_slot: dict[str, str] = {}
        for sample in resolver.samples:
            if not sample.prefix and not sample.suffix:
                # a slot alone: prefer the statement slot (a type of whole statements) over a name slot
                current = self.statement_slot.get(sample.intent)
                if current is None or _statement_like(resolver, sample.intent, sample.slot) > _statement_like(
                        resolver, sample.intent, current):
                    self.statement_slot[sample.intent] = sample.slot

    def classify(self, said: str) -> tuple[str, float]:
        """(intent, probability) for normalised words."""
        probabilities = self.pipeline.predict_proba([said])[0]
        best = max(range(len(probabilities)), key=lambda i: (probabilities[i], -i))
        return self.classes[best], float(probabilities[best])

    def resolve(self, text: str) -> Resolution:
        said = normalise(text, self.resolver.digits)
        if not said:
            return Resolution(FALLBACK)
        intent, probability = self.classify(said)
        if probability < self.threshold:
            return Resolution(FALLBACK)
        if intent == LAUNCH:
            return Resolution(LAUNCH)
        return Resolution(intent, self.slots(intent, said))

    def slots(self, intent: str, said: str) -> dict[str, Slot]:
        """The intent's carrier that matches (resolving words first, then the most literal), else the whole
        utterance in its statement slot; an intent without slots has none."""
        best: tuple[tuple[bool, int, bool], Slot, str] | None = None
        for sample in self.resolver.samples:
            if sample.intent != intent:
                continue
            head = f"{sample.prefix} " if sample.prefix else ""
            tail = f" {sample.suffix}" if sample.suffix else ""
            if not (said.startswith(head) and said.endswith(tail)) or len(said) <= len(head) + len(tail):
                continue
            words = said[len(head):len(said) - len(tail)]
            slot_type = self.resolver.slot_types[(intent, sample.slot)]
            value_id = self.resolver.values.get(slot_type, {}).get(words)
            rank = (value_id is not None, sample.literal, sample.slot == self.statement_slot.get(intent))
            if best is None or rank > best[0]:
                best = (rank, Slot(words, value_id, slot_type), sample.slot)
        if best is not None:
            return {best[2]: best[1]}
        slot = self.statement_slot.get(intent)
        if slot is None:
            return {}
        slot_type = self.resolver.slot_types[(intent, slot)]
        return {slot: Slot(said, self.resolver.values.get(slot_type, {}).get(said), slot_type)}


def _statement_like(resolver: Resolver, intent: str, slot: str) -> float:
    """How much a slot type's phrases are statements rather than names: their mean number of words."""
    phrases = resolver.values.get(resolver.slot_types[(intent, slot)], {})
    return sum(len(p.split()) for p in phrases) / len(phrases) if phrases else 0.0


@lru_cache(maxsize=16)
def standin_for(locale: str) -> StandIn:
    """Trained once per locale per process."""
    return StandIn(Resolver.for_locale(locale))
