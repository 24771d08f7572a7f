"""Every reply the skill gives, built in one place from the locale's text.

A ``Reply`` is what Alexa should say (SSML without the ``<speak>`` wrapper),
the reprompt when the session stays open, the card for the Alexa app, and
whether the session ends. Handlers choose which reply; only this module knows
the words. Rules kept here: a reply that keeps the session open ends with a
question and has a reprompt; every reply that ends the session early says when
to call the emergency number.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from html import escape as _html_escape

from skill.triage import INTERRUPT, LocaleText, Outcome, Protocol, TriageState
from skill.triage.machine import FOLLOW_UP


def escape(text: str) -> str:
    """Text safe inside SSML: &, < and > escaped (html's escape, which imports far less than xml.sax's)."""
    return _html_escape(text, quote=False)


FORTNIGHT = 14  # from here on, say "about N weeks ago" rather than "N days ago"


@dataclass(frozen=True)
class Card:
    title: str
    text: str


@dataclass(frozen=True)
class Screen:
    """What an Echo Show displays: which APL document (skill/alexa/apl/<document>.json) and its data."""

    document: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    speech: str
    reprompt: str | None = None
    card: Card | None = None
    end_session: bool = False
    outcome: Outcome | None = None
    screen: Screen | None = None


# How each outcome looks on a screen: the emergency number large on red.
OUTCOME_LOOK = {
    "emergency": {"background": "#B71C1C", "headlineSize": "72dp"},
    "urgent": {"background": "#BF360C", "headlineSize": "48dp"},
    "routine": {"background": "#0D47A1", "headlineSize": "48dp"},
    "self_care": {"background": "#1B5E20", "headlineSize": "48dp"},
}


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
        screen = self.question_screen(self.write(self.question_text(state.question)))
        return Reply(speech=" ".join([*lead, question]), reprompt=reprompt, screen=screen)

    def question_screen(self, question: str) -> Screen:
        """The question on screen with large Yes, No and Not sure buttons (touch sends the same answers)."""
        phrases = self.text.phrases
        return Screen("question", {
            "title": self.text.skill_name, "question": question, "yes": phrases["screen_yes"],
            "no": phrases["screen_no"], "unsure": phrases["screen_unsure"],
            "footer": self.write(phrases["screen_footer"]),
        })

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

    # ---- memory: resume, follow-up, remember, forget ----------------------
    def offer(self, kind: str, *lead: str) -> Reply:
        """A yes/no question about memory (``kind`` names its ``<kind>_question`` phrase)."""
        question = self.phrase(f"{kind}_question")
        screen = self.question_screen(self.write(self.text.phrases[f"{kind}_question"]))
        return Reply(speech=" ".join([*lead, question]), reprompt=f"{self.phrase('offer_prompt')} {question}",
                     screen=screen)

    def resume_offer(self) -> Reply:
        return self.offer("resume", self.phrase("resume_intro"))

    def follow_up_offer(self, days: int) -> Reply:
        intro = self.text.phrases["follow_up_intro"].replace("{when}", self.when(days))
        return self.offer("follow_up", self.say(intro))

    def when(self, days: int) -> str:
        """How long ago, in words: earlier today, yesterday, 5 days ago, about 4 weeks ago."""
        phrases = self.text.phrases
        if days <= 0:
            return phrases["when_today"]
        if days == 1:
            return phrases["when_yesterday"]
        if days < FORTNIGHT:
            return phrases["when_days"].replace("{count}", str(days))
        return phrases["when_weeks"].replace("{count}", str(days // 7))

    def offer_help(self, kind: str) -> Reply:
        return self.offer(kind, self.phrase(f"{kind}_help"))

    def offer_again(self, kind: str) -> Reply:
        return self.offer(kind)

    def offer_fallback(self, kind: str) -> Reply:
        return self.offer(kind, self.phrase("fallback"), self.phrase("offer_prompt"))

    def picked_up(self, state: TriageState) -> Reply:
        """The emergency questions were asked again; now on from where the last triage stopped."""
        return self.ask(state, self.phrase("resume_continue"))

    def carry_on(self, state: TriageState) -> Reply:
        """Not picking up: on with the next question."""
        return self.ask(state, self.phrase("resume_declined"))

    def still_there(self, state: TriageState) -> Reply:
        """The pain is still there: on with the red-flag questions, saying why when the outcome has a floor."""
        return self.ask(state, self.phrase("follow_up_persistent" if state.floor else "follow_up_recent"))

    def pain_gone(self) -> Reply:
        return self.offer("forget", self.phrase("follow_up_gone"))

    def remembered(self, saved: bool) -> Reply:
        return self._early_end("remember_done" if saved else "remember_failed")

    def not_remembered(self) -> Reply:
        return self._early_end("remember_declined")

    def forgotten(self, deleted: bool) -> Reply:
        return self._early_end("forget_done" if deleted else "forget_failed")

    def kept(self) -> Reply:
        return self._early_end("forget_kept")

    def forgotten_then_ask(self, state: TriageState, deleted: bool) -> Reply:
        """Deleted (or not) in the middle of a triage: say so, then the current question again."""
        return self.ask(state, self.phrase("forget_done" if deleted else "forget_failed"))

    def old_pain_settled_then_ask(self, state: TriageState, deleted: bool | None) -> Reply:
        """The old pain has gone and its record is deleted (True), could not be (False) or kept (None):
        say so, then on with the questions only if there is pain now."""
        said = "forget_kept" if deleted is None else "forget_done" if deleted else "forget_failed"
        return self.ask(state, self.phrase(said), self.phrase("carry_on_or_stop"))

    # ---- replies that end the session ------------------------------------
    def _early_end(self, key: str) -> Reply:
        speech = f"{self.phrase(key)} {self.phrase('safety_net')}"
        return Reply(speech=speech, end_session=True)

    def reminder_end(self, *keys: str) -> Reply:
        """What came of the reminder offer (each key a phrase), then the safety net."""
        return Reply(speech=" ".join([*(self.phrase(key) for key in keys), self.phrase("safety_net")]),
                     end_session=True)

    def reminder_text(self) -> str:
        """The reminder's only words (plain text: the household hears and sees it)."""
        return self.text.phrases["reminder_text"]

    def goodbye(self) -> Reply:
        return self._early_end("goodbye")

    def gave_up(self) -> Reply:
        return self._early_end("misunderstood_end")

    def error(self) -> Reply:
        return self._early_end("error")

    def outcome(self, outcome: Outcome, ask_to_remember: bool = False, offer_kind: str = "remember") -> Reply:
        """The disposition, its card, and (when memory is on) the one offer: a reminder, or to check in next time."""
        texts = self.text.dispositions[outcome.disposition]
        speech = self.say(texts["speech"])
        if outcome.disposition != self.protocol.emergency_interrupt:
            speech = f"{speech} {self.phrase('safety_net')}"
        card = self.outcome_card(outcome)
        screen = self.outcome_screen(outcome)
        if ask_to_remember:
            question = self.offer(offer_kind, speech)
            return replace(question, card=card, outcome=outcome, screen=screen)
        return Reply(speech=speech, card=card, end_session=True, outcome=outcome, screen=screen)

    def outcome_screen(self, outcome: Outcome) -> Screen:
        """The outcome on screen: what to do as the headline (the emergency number, large), why, the disclaimer."""
        texts, phrases = self.text.dispositions[outcome.disposition], self.text.phrases
        safety_net = "" if outcome.disposition == self.protocol.emergency_interrupt else self.write(
            f"{phrases['safety_net_label']}: {phrases['safety_net']}")
        return Screen("outcome", {
            "headline": self.write(texts["title"]), "action": self.write(texts["card"]),
            "why": f"{phrases['why_label']}: {self.reason(outcome)}", "safetyNet": safety_net,
            "disclaimer": self.write(phrases["disclaimer"]), **OUTCOME_LOOK[outcome.disposition],
        })

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
        if outcome.trigger == FOLLOW_UP:
            return self.text.phrases["follow_up_reason"]
        return self.text.questions[outcome.trigger]["reason"]

    def sources(self, outcome: Outcome) -> tuple[str, ...]:
        if outcome.trigger == INTERRUPT:
            return self.protocol.interrupt_sources
        if outcome.trigger is None:
            return self.protocol.no_red_flags_sources
        if outcome.trigger == FOLLOW_UP:  # the sources of the questions that lead to this disposition
            grouped = (q.sources for q in self.protocol.questions if q.group == outcome.disposition)
            return tuple(dict.fromkeys(sid for sources in grouped for sid in sources))
        return self.protocol.question(outcome.trigger).sources
