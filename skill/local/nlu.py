"""A small stand-in for Alexa's language understanding, for the terminal chat.

It resolves typed text to an intent using the locale's interaction model (its
sample utterances) plus the common phrasings Alexa's built-in intents accept,
so a newcomer can type "yeah", "nope" or "say that again" as they would speak.
Exact matches win; otherwise the closest sample above a similarity threshold;
otherwise ``AMAZON.FallbackIntent``, as Alexa does.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parents[2] / "interaction_models"
LAUNCH = "LaunchRequest"
FALLBACK = "AMAZON.FallbackIntent"
SIMILARITY = 0.8

BUILT_IN_PHRASES = {
    "AMAZON.YesIntent": ["yes", "yeah", "yep", "yup", "sure", "correct", "right", "ok yes", "affirmative",
                         "yes please"],
    "AMAZON.NoIntent": ["no", "nope", "nah", "no thanks", "negative", "not at all", "no way"],
    "AMAZON.HelpIntent": ["help", "help me", "what can i say", "i need help"],
    "AMAZON.RepeatIntent": ["repeat", "repeat that", "say that again", "again", "pardon", "what"],
    "AMAZON.StartOverIntent": ["start over", "restart", "start again", "begin again"],
    "AMAZON.PreviousIntent": ["previous", "go back", "back", "previous question"],
    "AMAZON.StopIntent": ["stop", "shut up", "enough", "be quiet", "off"],
    "AMAZON.CancelIntent": ["cancel", "never mind", "forget it"],
    "AMAZON.NavigateHomeIntent": ["go home", "home", "exit skill"],
}
NUMBER_WORDS = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five",
                "6": "six", "7": "seven", "8": "eight", "9": "nine"}


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"\d", lambda m: f" {NUMBER_WORDS[m.group()]} ", text)
    text = re.sub(r"[^a-z' ]+", " ", text)
    text = re.sub(r"^(alexa|hey alexa)\b", " ", text.strip())
    return " ".join(text.split())


@dataclass(frozen=True)
class Resolution:
    name: str  # an intent name, or LaunchRequest
    score: float


class Resolver:
    def __init__(self, model: dict):
        language_model = model["interactionModel"]["languageModel"]
        self.invocation = normalise(language_model["invocationName"])
        self.samples: dict[str, str] = {}
        for intent in language_model["intents"]:
            for phrase in BUILT_IN_PHRASES.get(intent["name"], []) + intent.get("samples", []):
                self.samples.setdefault(normalise(phrase), intent["name"])
        for verb in ("open", "launch", "start", "ask", "talk to", "begin"):
            self.samples[f"{verb} {self.invocation}"] = LAUNCH
        self.samples[self.invocation] = LAUNCH

    @classmethod
    def for_locale(cls, locale: str, models_dir: Path = MODELS_DIR) -> "Resolver":
        return cls(json.loads((models_dir / f"{locale}.json").read_text(encoding="utf-8")))

    def resolve(self, text: str) -> Resolution:
        said = normalise(text)
        said = re.sub(rf"^(ask|tell) {re.escape(self.invocation)} (to |that |about )?", "", said)
        if said in self.samples:
            return Resolution(self.samples[said], 1.0)
        best, score = FALLBACK, 0.0
        for sample, name in self.samples.items():
            ratio = SequenceMatcher(None, said, sample).ratio()
            if ratio > score:
                best, score = name, ratio
        return Resolution(best, score) if score >= SIMILARITY else Resolution(FALLBACK, score)
