"""Every reply the skill gives, built in one place from the locale's text.

A ``Reply`` is what Alexa should say (SSML without the ``<speak>`` wrapper),
the reprompt when the session stays open, the card for the Alexa app, and
whether the session ends. Handlers choose which reply; only this module knows
the words. Rules kept here: a reply that keeps the session open ends with a
question and has a reprompt; every reply that ends the session early says when
to call the emergency number.
"""

# No ``from __future__ import annotations`` here: the records' field types are then read as objects when the
# module loads, not compiled from strings by typing.NamedTuple (about 0.05 ms a field, on every cold start).
from typing import Mapping, NamedTuple

from skill.triage import INTERRUPT, Asking, LocaleText, Outcome, Protocol
from skill.triage.machine import FOLLOW_UP


def escape(text: str) -> str:
    """Text safe inside SSML: &, < and > escaped, exactly as ``html.escape(text, quote=False)`` does (importing
    html would add its 2,000 named entities to every cold start, for these three replacements)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


FORTNIGHT = 14  # from here on, say "about N weeks ago" rather than "N days ago"


class Card(NamedTuple):
    title: str
    text: str


class Screen(NamedTuple):
    """What an Echo Show displays: which APL document (skill/alexa/apl/<document>.json) and its data."""

    document: str
    data: dict


class Reply(NamedTuple):
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
    def ask(self, state: Asking, *lead: str, wording: str = "ask") -> Reply:
        """The question being asked, after ``lead``; ``wording`` "simple" says it in fewer words."""
        text = self.text.questions[state.question][wording]
        question = self.say(text)
        reprompt = f"{self.phrase('answer_prompt')} {question}"
        screen = self.question_screen(self.write(text))
        return Reply(speech=" ".join([*lead, question]), reprompt=reprompt, screen=screen)

    def question_screen(self, question: str, unsure: bool = True) -> Screen:
        """The question on screen with large Yes and No buttons, and Not sure for a triage question (touch
        sends the same answers as speech)."""
        phrases = self.text.phrases
        return Screen("question", {
            "title": self.text.skill_name, "question": question, "yes": phrases["screen_yes"],
            "no": phrases["screen_no"], "unsure": phrases["screen_unsure"] if unsure else "",
            "footer": self.write(phrases["screen_footer"]),
        })

    def launch(self, state: Asking, noted: bool = False, again: bool = False) -> Reply:
        """The disclaimer, briefly, and the first emergency question; the reprompt names the emergency number.

        ``noted``: the person opened with a sign ("tell back pain check I fell"), recorded before the first
        question. ``again``: the session's state was refused (``skill/alexa/seal.py``), so a short "let's
        start again" comes first instead of the disclaimer.
        """
        opening = self.phrase("start_again" if again else "launch")
        lead = [opening, self.phrase("noted")] if noted else [opening]
        reply = self.ask(state, *lead)
        return reply._replace(reprompt=f"{self.phrase('emergency_reminder')} {reply.reprompt}")

    def overview(self, state: Asking) -> Reply:
        """'What can you do?' before a triage has started: what the skill does, then the first question."""
        return self.ask(state, self.phrase("overview"))

    def next_question(self, state: Asking) -> Reply:
        return self.ask(state)

    def noted_then_ask(self, state: Asking) -> Reply:
        """A sign said unprompted was recorded; the question being asked still needs its answer."""
        return self.ask(state, self.phrase("noted"))

    def check(self, state: Asking) -> Reply:
        """A denial that did not answer the question (it named one of several signs, or one not made out): the
        whole question again, in its simpler words, asking for a yes or no."""
        return self.ask(state, self.phrase("check"), wording="simple")

    def clarify(self, state: Asking) -> Reply:
        """A first "not sure" to a question without an emergency sign: a worded example, then the question again
        (a second "not sure" counts as yes)."""
        return self.ask(state, self.say(self.text.questions[state.question]["clarify"]))

    def help(self, state: Asking) -> Reply:
        """What the question means, then the question in its simpler words (40 words at most together); what
        can be said, and the question in full, are in the reprompt."""
        reply = self.ask(state, self.say(self.text.questions[state.question]["help"]), wording="simple")
        return reply._replace(reprompt=f"{self.phrase('help_general')} {self.say(self.question_text(state.question))}")

    def fallback(self, state: Asking, emergency: bool = False) -> Reply:
        """Not understood: an emergency question is said again in simpler words, with what to do if yes."""
        if emergency:
            return self.ask(state, self.phrase("fallback"), self.phrase("fallback_emergency"), wording="simple")
        return self.ask(state, self.phrase("fallback"), self.phrase("answer_prompt"))

    def start_over(self, state: Asking) -> Reply:
        return self.ask(state, self.phrase("start_over"), self.phrase("launch"))

    def went_back(self, state: Asking, moved: bool) -> Reply:
        return self.ask(state, self.phrase("previous" if moved else "previous_at_first"))

    # ---- memory: resume, follow-up, remember, forget ----------------------
    def offer(self, kind: str, *lead: str) -> Reply:
        """A yes/no question about memory (``kind`` names its ``<kind>_question`` phrase), Yes and No on screen."""
        question = self.phrase(f"{kind}_question")
        screen = self.question_screen(self.write(self.text.phrases[f"{kind}_question"]), unsure=False)
        return Reply(speech=" ".join([*lead, question]), reprompt=f"{self.phrase('offer_prompt')} {question}",
                     screen=screen)

    def noted_then_offer(self, kind: str) -> Reply:
        """A sign said while an offer waits was recorded; the offer still needs its yes or no."""
        return self.offer(kind, self.phrase("noted"))

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

    def picked_up(self, state: Asking) -> Reply:
        """The emergency questions were asked again; now on from where the last triage stopped."""
        return self.ask(state, self.phrase("resume_continue"))

    def carry_on(self, state: Asking) -> Reply:
        """Not picking up: on with the next question."""
        return self.ask(state, self.phrase("resume_declined"))

    def still_there(self, state: Asking) -> Reply:
        """The pain is still there: on with the red-flag questions, saying why when the outcome has a floor."""
        return self.ask(state, self.phrase("follow_up_persistent" if state.floor else "follow_up_recent"))

    def pain_gone(self) -> Reply:
        return self.offer("forget", self.phrase("follow_up_gone"))

    def remembered(self, saved: bool) -> Reply:
        return self._closing("remember_done" if saved else "remember_failed")

    def not_remembered(self) -> Reply:
        return self._closing("remember_declined")

    def forgotten(self, deleted: bool) -> Reply:
        return self._early_end("forget_done" if deleted else "forget_failed")

    def kept(self) -> Reply:
        return self._early_end("forget_kept")

    def forgotten_then_ask(self, state: Asking, deleted: bool) -> Reply:
        """Deleted (or not) in the middle of a triage: say so, then the current question again."""
        return self.ask(state, self.phrase("forget_done" if deleted else "forget_failed"))

    def old_pain_settled(self, deleted: bool | None) -> Reply:
        """The old pain has gone and its record is deleted (True), could not be (False) or kept (None):
        say so and end kindly, with the safety net."""
        said = "forget_kept" if deleted is None else "forget_done" if deleted else "forget_failed"
        return self._early_end(said, "gone_goodbye")

    # ---- replies that end the session ------------------------------------
    def _early_end(self, *keys: str) -> Reply:
        speech = " ".join([*(self.phrase(key) for key in keys), self.phrase("safety_net")])
        return Reply(speech=speech, end_session=True)

    def _closing(self, *keys: str) -> Reply:
        """The last words after an outcome's offer was answered. The outcome, one turn before, said the safety
        net; it is said once per ending, so not again here."""
        return Reply(speech=" ".join(self.phrase(key) for key in keys), end_session=True)

    def reminder_end(self, *keys: str) -> Reply:
        """What came of the reminder offer (each key a phrase)."""
        return self._closing(*keys)

    def reminder_text(self) -> str:
        """The reminder's only words (plain text: the household hears and sees it)."""
        return self.text.phrases["reminder_text"]

    def goodbye(self, after_advice: bool = False) -> Reply:
        """Stop: with the safety net, unless the advice just before said it (once per ending)."""
        return self._closing("goodbye") if after_advice else self._early_end("goodbye")

    def gave_up(self, after_advice: bool = False) -> Reply:
        return self._closing("misunderstood_end") if after_advice else self._early_end("misunderstood_end")

    def error(self) -> Reply:
        return self._early_end("error")

    def texts_for(self, outcome: Outcome) -> Mapping[str, str]:
        """What to say and show for ``outcome``: where to go when its deciding answer says, else the disposition's."""
        if outcome.advice is not None:
            return self.text.advice[outcome.advice]
        return self.text.dispositions[outcome.disposition]

    def outcome(self, outcome: Outcome, ask_to_remember: bool = False, unsure: bool = False,
                offer_kind: str = "remember", lead: str | None = None) -> Reply:
        """The disposition, its card, and (when memory is on) the one offer: a reminder, or to check in next time.

        An emergency starts with the instruction to call; when it was decided by a "not sure", one short
        sentence after it says why that counts.
        """
        speech = self.say(self.texts_for(outcome)["speech"])
        if outcome.disposition != self.protocol.emergency_interrupt:
            speech = f"{speech} {self.phrase('safety_net')}"
        elif unsure:
            first, _, rest = speech.partition(". ")
            speech = f"{first}. {self.phrase('unsure_emergency')} {rest}".rstrip()
        if lead is not None and outcome.disposition != self.protocol.emergency_interrupt:
            speech = f"{self.phrase(lead)} {speech}"  # an emergency's first words stay the instruction
        card = self.outcome_card(outcome)
        if ask_to_remember:
            question = self.offer(offer_kind, speech)
            screen = self.outcome_screen(outcome, offer=self.write(self.text.phrases[f"{offer_kind}_question"]))
            return question._replace(card=card, outcome=outcome, screen=screen)
        return Reply(speech=speech, card=card, end_session=True, outcome=outcome, screen=self.outcome_screen(outcome))

    def outcome_screen(self, outcome: Outcome, offer: str = "") -> Screen:
        """The outcome on screen: what to do as the headline (the emergency number, large), why, the disclaimer;
        and the offer that follows, if any, with Yes and No buttons."""
        texts, phrases = self.texts_for(outcome), self.text.phrases
        safety_net = "" if outcome.disposition == self.protocol.emergency_interrupt else self.write(
            f"{phrases['safety_net_label']}: {phrases['safety_net']}")
        return Screen("outcome", {
            "headline": self.write(texts["title"]), "action": self.write(texts["card"]),
            "why": f"{phrases['why_label']}: {self.reason(outcome)}", "safetyNet": safety_net,
            "disclaimer": self.write(phrases["disclaimer"]), "offer": offer, "yes": phrases["screen_yes"],
            "no": phrases["screen_no"], **OUTCOME_LOOK[outcome.disposition],
        })

    def outcome_card(self, outcome: Outcome) -> Card:
        texts = self.texts_for(outcome)
        phrases = self.text.phrases
        sections = [self.write(texts["card"]), f"{phrases['why_label']}: {self.reason(outcome)}"]
        if outcome.disposition != self.protocol.emergency_interrupt:
            sections.append(f"{phrases['safety_net_label']}: {self.write(phrases['safety_net'])}")
        sections.append(self.write(phrases["disclaimer"]))
        titles = "; ".join(self.text.source_title(self.protocol.sources[sid]) for sid in self.sources(outcome))
        sections.append(f"{phrases['sources_label']}: {titles}.")
        return Card(title=f"{self.text.skill_name}: {self.write(texts['title'])}", text="\n\n".join(sections))

    def reason(self, outcome: Outcome) -> str:
        """Why, for the card and screen: every answer that counted, the deciding one first."""
        phrases = self.text.phrases
        if outcome.trigger == INTERRUPT:
            return phrases["interrupt_reason"]
        reasons = [phrases["follow_up_reason"]] if outcome.trigger == FOLLOW_UP else []
        deciding = [outcome.trigger] if outcome.trigger in outcome.triggers else []
        for question_id in deciding + [t for t in outcome.triggers if t not in deciding]:
            reasons.append(self.text.questions[question_id]["reason"])
        return " ".join(reasons) or phrases["no_red_flags_reason"]

    def sources(self, outcome: Outcome) -> tuple[str, ...]:
        if outcome.trigger == INTERRUPT:
            return self.protocol.interrupt_sources
        if outcome.trigger is None:
            return self.protocol.no_red_flags_sources
        cited: list[str] = []
        if outcome.trigger == FOLLOW_UP:  # the sources of the questions that lead to this disposition
            for question in self.protocol.questions:
                if question.yes == outcome.disposition:
                    cited += question.sources
        for question_id in outcome.triggers:
            cited += self.protocol.question(question_id).sources
        if outcome.advice is not None:
            cited += self.protocol.advice[outcome.advice].sources
        # where a public source in the locale's language says the same, it is cited for the wording
        for question_id in outcome.triggers:
            cited += self.text.questions[question_id].get("wording_sources", ())
        cited += self.texts_for(outcome).get("wording_sources", ())
        return tuple(dict.fromkeys(cited))
