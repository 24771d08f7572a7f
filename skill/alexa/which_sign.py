"""Words Alexa could not match, with no emergency in them: which sign they speak of, and whether it is there.

A generalising NLU passes a person's own words when they match none of the skill's values
(``ER_SUCCESS_NO_MATCH``): "i had a baby a month ago", "my breathing's fine". After the spotter
(``own_words``) found no emergency in them, two small linear tables trained on the skill's own
model (``which_sign_<language>.json``, built by ``python -m skill spotter-build``) read them:
``concepts`` says which sign they speak of, ``polarity`` whether they say it is there.

What may come of it, and why it is safe:

- **A lost ability** ("no feeling in my arms") is a statement, in the sign's plain word (``Spotter.plain``).
- **A denial** (a word that denies, the polarity table sure of it, or an "all is well" or a time long
  past unless the table is sure the sign is there: "i had breast cancer years ago" is a statement; words that
  deny as part of a sign, "lost weight without trying", "nothing helps", are not one: ``not_denials``; all is
  well said in other words, "my bones are strong", "it eases with a tablet": ``reassurance``) is handed to
  the triage as that sign's denial, which answers only the question being asked, and only one about a
  single sign (``TriageMachine.tell``): "my hands aren't numb" never answers "arms or legs?". A denial
  whose sign is unclear is a ``Reading`` without a concept: the question is asked again as a whole,
  yes or no (``speech.check``). A denial is never an emergency, and never a yes.
- **A statement** counts as that sign said, but never as an emergency sign: those are only ever the
  spotter's (its word groups, which say which words name the sign). The question being asked is the
  likeliest subject of what is said, and its follow-ups after it (``ASKED_WEIGHT``). Below ``MINIMUM``
  nothing is guessed: the question is asked again, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from skill.triage import default_protocol, known_locale

from .own_words import Spotter, emergency_when_said, spotter_for
from .own_words_model import OTHER, LinearSpotter, committed_table

MINIMUM = 0.4  # the probability a sign needs (after ``ASKED_WEIGHT``); chosen on the development sets
ASKED_WEIGHT = 3.0  # a statement is this much likelier to be about the question being asked
SURELY_DENIED = 0.6  # the polarity table's probability of a denial that makes it one, whatever the words
SURELY_THERE = 0.05  # at most this probability of a denial: a statement, even with "years ago" in it
THERE_AT_MOST = 0.4  # above this probability of a denial, and not a denial by the rules: nothing is guessed
THERE, DENIED = "yes", "no"


@dataclass(frozen=True)
class Reading:
    """``concept``: a question id, an offer's statement id, or None for a denial of a sign not made out."""

    concept: str | None
    present: bool


class SignReader:
    """The language's two tables and the locale's denial rules (the spotter's)."""

    def __init__(self, concepts: LinearSpotter, polarity: LinearSpotter, spotter: Spotter,
                 emergencies: frozenset[str], follow_ups: Mapping[str, frozenset[str]] | None = None):
        self.concepts = concepts
        self.polarity = polarity
        self.spotter = spotter
        self.emergencies = emergencies
        self.follow_ups = follow_ups or {}  # a question's follow-ups: what its answer may go on to say

    def read(self, words: str, after_denial: bool = False, asking: str | None = None) -> Reading | None:
        """What these words say, or None when nothing can be made of them. ``after_denial``: they came in a
        denial's carrier ("I don't have {sign}"). ``asking``: the question being asked, if any."""
        spotter = self.spotter
        text, lost = spotter.plain(spotter.words(words), after_denial)  # "no feeling in my arms": a sign
        text = spotter.without_answer(text)
        text = spotter.without_discourse(text)  # "to be honest": about the telling, not the sign
        if not text:
            return None
        denied = self.polarity.probabilities(text).get(DENIED, 0.0)
        if (after_denial and not lost) or self._denies(text, denied):
            return Reading(self._concept(text, asking=None), present=False)
        if denied > THERE_AT_MOST:
            return None  # neither a denial nor surely a statement: asked again
        concept = self._concept(text, asking)
        if concept is None or concept in self.emergencies:
            return None  # an emergency sign is the spotter's to hear, never guessed here
        return Reading(concept, present=True)

    def _denies(self, text: str, denied: float) -> bool:
        """The polarity table sure of a denial; a word that denies, or all is well in other words, outside words
        that deny as part of a sign ("lost weight without trying"); or an "all is well" or a time long past,
        unless the table is sure the sign is there."""
        spotter = self.spotter
        rest = spotter.not_denials.sub(" ", text) if spotter.not_denials is not None else text
        if denied >= SURELY_DENIED or any(pattern is not None and pattern.search(rest)
                                          for pattern in (spotter.denial, spotter.reassurance)):
            return True
        # all is well, long past, or an everyday cause; not a past of weeks (``recent_past``): recent for a risk
        anywhere = spotter.denial_anywhere
        return denied > SURELY_THERE and (bool(anywhere and anywhere.search(rest)) or spotter.any_cause(rest))

    def _concept(self, text: str, asking: str | None) -> str | None:
        chances = self.concepts.probabilities(text)
        if asking is not None:
            for likely in (asking, *self.follow_ups.get(asking, ())):
                if likely in chances:
                    chances[likely] *= ASKED_WEIGHT
        total = sum(chances.values())
        best = max(chances, key=lambda label: chances[label])
        if best == OTHER or chances[best] / total < MINIMUM:
            return None
        return best


@lru_cache(maxsize=4)
def _tables(language: str) -> tuple[LinearSpotter, LinearSpotter] | None:
    tables = committed_table(language, name="which_sign")
    if tables is None:
        return None
    return LinearSpotter({**tables["concepts"], "minimum": 0}), LinearSpotter({**tables["polarity"], "minimum": 0})


@lru_cache(maxsize=16)
def reader_for(locale: str) -> SignReader | None:
    """The locale's reader, or None for a language without tables (its unmatched words are then not understood)."""
    if known_locale(locale) is None:
        raise KeyError(locale)
    tables = _tables(locale.split("-")[0])
    if tables is None:
        return None
    protocol = default_protocol()
    emergencies = frozenset(q.id for q in protocol.questions if emergency_when_said(protocol, q))
    follow_ups = {q.id: frozenset(f.id for f in protocol.questions if q.id in f.gates) for q in protocol.questions}
    return SignReader(*tables, spotter=spotter_for(locale), emergencies=emergencies, follow_ups=follow_ups)
