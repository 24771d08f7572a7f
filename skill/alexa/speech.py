"""Every reply the skill gives, built in one place from the locale's text.

A ``Reply`` is what Alexa should say (SSML without the ``<speak>`` wrapper),
the reprompt when the session stays open, the card for the Alexa app, and
whether the session ends. Handlers choose which reply; only this module knows
the words. Rules kept here: a reply that keeps the session open ends with a
question and has a reprompt; every reply that ends the session early says when
to call the emergency number.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from skill.triage import INTERRUPT, LocaleText, Outcome, Protocol, TriageState


@dataclass(frozen=True)
class Card:
    title: str
    text: str


@dataclass(frozen=True)
class Reply:
    speech: str
    reprompt: str | None = None
    card: Card | None = None
    end_session: bool = False
    outcome: Outcome | None = None


class SpeechBuilder:
    """Turns triage states and outcomes into replies for one locale."""

    def __init__(self, protocol: Protocol, text: LocaleText):
        self.protocol = protocol
        self.text = text

    # ---- filling in text -------------------------------------------------
    def number_ssml(self) -> str:
        if self.text.emergency_number is None:
            return escape(self.text.phrases["unsupported_number"])
        return f'<say-as interpret-as="digits">{escape(self.text.emergency_number)}</say-as>'

    def number_plain(self) -> str:
        return self.text.emergency_number or self.text.phrases["unsupported_number"]

    def say(self, template: str) -> str:
        """Locale text as SSML: escaped, with phone numbers spoken digit by digit."""
        ssml = escape(template).replace("{number}", self.number_ssml())
        if self.text.urgent_number:
            digits = f'<say-as interpret-as="digits">{escape(self.text.urgent_number)}</say-as>'
            ssml = ssml.replace("{urgent_number}", digits)
        return ssml

    def write(self, template: str) -> str:
        """Locale text for a card or a screen."""
        return template.replace("{number}", self.number_plain()).replace(
            "{urgent_number}", self.text.urgent_number or "")

    def phrase(self, key: str) -> str:
        return self.say(self.text.phrases[key])

    def question_text(self, question_id: str) -> str:
        return self.text.questions[question_id]["ask"]

    # ---- replies that keep the session open -------------------------------
    def ask(self, state: TriageState, *lead: str) -> Reply:
        question = self.say(self.question_text(state.question))
        reprompt = f"{self.phrase('answer_prompt')} {question}"
        return Reply(speech=" ".join([*lead, question]), reprompt=reprompt)

    def launch(self, state: TriageState) -> Reply:
        return self.ask(state, self.phrase("launch"), self.phrase("first_question"))

    def next_question(self, state: TriageState) -> Reply:
        return self.ask(state)

    def help(self, state: TriageState) -> Reply:
        explained = self.say(self.text.questions[state.question]["help"])
        return self.ask(state, explained, self.phrase("help_general"))

    def fallback(self, state: TriageState) -> Reply:
        return self.ask(state, self.phrase("fallback"), self.phrase("answer_prompt"))

    def start_over(self, state: TriageState) -> Reply:
        return self.ask(state, self.phrase("start_over"), self.phrase("first_question"))

    def went_back(self, state: TriageState, moved: bool) -> Reply:
        return self.ask(state, self.phrase("previous" if moved else "previous_at_first"))

    # ---- replies that end the session ------------------------------------
    def _early_end(self, key: str) -> Reply:
        speech = f"{self.phrase(key)} {self.phrase('safety_net')}"
        return Reply(speech=speech, end_session=True)

    def goodbye(self) -> Reply:
        return self._early_end("goodbye")

    def gave_up(self) -> Reply:
        return self._early_end("misunderstood_end")

    def error(self) -> Reply:
        return self._early_end("error")

    def outcome(self, outcome: Outcome) -> Reply:
        texts = self.text.dispositions[outcome.disposition]
        speech = self.say(texts["speech"])
        if outcome.disposition != self.protocol.emergency_interrupt:
            speech = f"{speech} {self.phrase('safety_net')}"
        return Reply(speech=speech, card=self.outcome_card(outcome), end_session=True, outcome=outcome)

    def outcome_card(self, outcome: Outcome) -> Card:
        texts = self.text.dispositions[outcome.disposition]
        phrases = self.text.phrases
        sections = [self.write(texts["card"]), f"{phrases['why_label']}: {self.reason(outcome)}"]
        if outcome.disposition != self.protocol.emergency_interrupt:
            sections.append(f"{phrases['safety_net_label']}: {self.write(phrases['safety_net'])}")
        sections.append(self.write(phrases["disclaimer"]))
        titles = "; ".join(self.protocol.sources[sid].title for sid in self.sources(outcome))
        sections.append(f"{phrases['sources_label']}: {titles}.")
        return Card(title=f"{self.text.skill_name}: {self.write(texts['title'])}", text="\n\n".join(sections))

    def reason(self, outcome: Outcome) -> str:
        if outcome.trigger == INTERRUPT:
            return self.text.phrases["interrupt_reason"]
        if outcome.trigger is None:
            return self.text.phrases["no_red_flags_reason"]
        return self.text.questions[outcome.trigger]["reason"]

    def sources(self, outcome: Outcome) -> tuple[str, ...]:
        if outcome.trigger == INTERRUPT:
            return self.protocol.interrupt_sources
        if outcome.trigger is None:
            return self.protocol.no_red_flags_sources
        return self.protocol.question(outcome.trigger).sources
