"""Load and validate the triage protocol (a small decision graph) and its locale texts.

The protocol lives in ``data/protocol.json``: dispositions ranked by
seriousness; questions in the order they are asked, each with the disposition
a yes (or "not sure") leads to at least, the gate questions it follows up
(asked only when every gate was answered yes), what it means when a person
says it unprompted, where to go (advice) and the sources behind it; and for
every source the red flags it names, each either asked by a question or left
out with a reason. Every word the skill says lives in ``data/locales/``; how each locale understands
people (the phrasings the model generator and the words spotter read) in ``data/understanding/``.

This module turns them into immutable objects and refuses, naming the item,
anything a clinician would not sign off: an unknown disposition or source, a
question no path can reach, a follow-up less serious than its gate, an order in
which a question could be asked before a more serious one, a red flag neither
asked nor explained, a missing translation, or a question too long for one
breath. ``skill.triage.safety`` then walks the graph with the real machine to
prove the rules that need the machine (see ``loader.load_protocol``).
"""

# No ``from __future__ import annotations`` here: the records' field types are then read as objects when the
# module loads, not compiled from strings by typing.NamedTuple (about 0.05 ms a field, on every cold start).
import json
import re
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping, NamedTuple

if TYPE_CHECKING:
    from pathlib import Path

UNDERSTANDING = "understanding"  # data/understanding/<locale>.json: how each locale is understood
# a question's phrasings, kept in data/understanding/ (what the question says is in data/locales/)
PHRASINGS = frozenset({"names", "says", "places", "patterns", "denials", "spot", "spot_unless"})
DEFAULT_LOCALE = "en-US"
CALL_NOW = "Call {number} now"  # an emergency reply's first words; a locale says them in its own phrase call_now
MAX_QUESTION_WORDS = 15
MAX_QUESTION_ITEMS = 3
MAX_CLARIFY_WORDS = 25  # the example said before a question asked again after "not sure"
PHRASES_REQUIRED = (
    "launch", "emergency_reminder", "answer_prompt", "fallback", "fallback_emergency",
    "help_general", "overview",
    "previous_at_first", "previous", "start_over", "start_again", "safety_net", "goodbye",
    "misunderstood_end", "misunderstood_so_far", "error", "no_red_flags_reason", "interrupt_reason", "unsure_emergency",
    "noted", "disclaimer", "why_label", "safety_net_label", "sources_label", "unsupported_number",
    # memory: resume, follow-up, remember, forget
    "offer_prompt", "resume_intro", "resume_question", "resume_help",
    "resume_continue", "resume_declined",
    "follow_up_intro", "when_today", "when_yesterday", "when_days", "when_weeks",
    "follow_up_question", "follow_up_help", "follow_up_persistent", "follow_up_recent",
    "follow_up_gone", "follow_up_reason", "forget_question", "forget_help", "forget_done",
    "forget_failed", "forget_kept", "gone_goodbye", "remember_question", "remember_help", "remember_done",
    "remember_failed", "remember_declined",
    # reminders (issue 15): the one offer after routine or self-care advice, and what came of it
    "reminder_question", "reminder_help", "appointment_reminder_question", "appointment_reminder_help",
    "reminder_set", "appointment_reminder_set", "reminder_check_in", "reminder_declined",
    "reminder_permission_denied", "reminder_permission_unanswered", "reminder_no_voice_permission",
    "reminder_not_allowed", "reminder_failed", "reminder_text",
    # screens (Echo Show and other APL devices)
    "screen_yes", "screen_no", "screen_unsure", "screen_footer",
)
QUESTION_TEXTS = ("ask", "simple", "help", "reason")  # simple: said again after a misunderstanding
PUBLISHING_REQUIRED = ("summary", "description", "keywords", "example_phrases", "testing_instructions")
DISPOSITION_TEXTS = ("title", "speech", "card")


class ProtocolError(ValueError):
    """The protocol or a locale file is not safe to run; the message names the item."""


class Flag(NamedTuple):
    """A red flag a source names: asked by ``question``, or left out for the reason ``left_out``."""

    text: str
    question: str | None = None
    left_out: str | None = None
    # Gates the source names together with this sign (the red flag is the combination, e.g. pain on breathing in
    # with a swollen leg): a person with only this flag need not say yes to them for it to count.
    with_: tuple[str, ...] = ()


class Source(NamedTuple):
    id: str
    title: str
    says: str
    url: str | None = None
    flags: tuple[Flag, ...] = ()


class Advice(NamedTuple):
    """Where to go, refining a disposition (the cancer team's line, a pharmacist for shingles...)."""

    id: str
    disposition: str
    sources: tuple[str, ...]


class Question(NamedTuple):
    id: str
    yes: str  # the disposition a yes or "not sure" leads to, at least
    sources: tuple[str, ...]
    when: tuple[str, ...] = ()  # asked only once every one of these gates was answered yes
    when_any: tuple[str, ...] = ()  # or: asked once any one of these gates was answered yes
    alone: str | None = None  # said unprompted before its gates are yes: at least this (None: waits for them)
    advice: str | None = None  # an Advice id for a yes here
    # The question asks about one sign, so "I don't have it" answers no. A question about several signs
    # ("chest pain, or pain in your arm or jaw?") is not answered by denying one of them.
    one_sign: bool = False
    # The gates whose wording already covers this sign: a person with it says yes to them (the reachability proof).
    inside: tuple[str, ...] = ()
    # "Not sure" here first hears a worded example (the locale's ``clarify``) and the question again; only a second
    # "not sure" counts as yes. Never on an emergency sign (the loader refuses it); on a gate whose wording covers
    # one (``inside``), only where the example names it too (a clinician's check: see the clinical notes).
    clarify: bool = False

    @property
    def gates(self) -> tuple[str, ...]:
        """Every gate this follow-up names, whether all or any of them must be yes."""
        return self.when + self.when_any

    @property
    def gate_options(self) -> tuple[tuple[str, ...], ...]:
        """The ways to open it: each a set of gates that must all be yes ((): asked of everyone)."""
        if self.when:
            return (self.when,)
        return tuple((gate,) for gate in self.when_any)


class Protocol(NamedTuple):
    """The protocol's data, with its lookups worked out once: build it with ``Protocol.of``."""

    name: str
    version: str
    ranks: Mapping[str, int]  # disposition code -> rank, higher is more serious
    no_red_flags: str
    emergency_interrupt: str
    questions: tuple[Question, ...]
    sources: Mapping[str, Source]
    advice: Mapping[str, Advice]
    interrupt_sources: tuple[str, ...]
    no_red_flags_sources: tuple[str, ...]
    clinical_notes: tuple[str, ...]  # choices a reviewing clinician should see, in docs/protocol.md
    by_id: Mapping[str, Question]  # question id -> question
    reaches: Mapping[str, int]  # question id -> the most serious rank a yes there can lead to (``reach``)

    @classmethod
    def of(cls, *, questions: tuple[Question, ...], ranks: Mapping[str, int], clinical_notes: tuple[str, ...] = (),
           **data: Any) -> "Protocol":
        """The protocol with these fields, and its lookups: by question id, and each question's reach."""
        reach: dict[str, int] = {}
        for q in reversed(questions):  # follow-ups come after their gates
            followers = [reach[f.id] for f in questions if q.id in f.gates and f.id in reach]
            reach[q.id] = max([ranks.get(q.yes, -1), *followers])
        return cls(questions=questions, ranks=ranks, clinical_notes=clinical_notes,
                   by_id=MappingProxyType({q.id: q for q in questions}), reaches=MappingProxyType(reach), **data)

    def question(self, question_id: str) -> Question:
        return self.by_id[question_id]

    def has_question(self, question_id: object) -> bool:
        return isinstance(question_id, str) and question_id in self.by_id

    def index_of(self, question_id: str) -> int:
        return self.questions.index(self.by_id[question_id])

    def rank(self, disposition: str) -> int:
        return self.ranks[disposition]

    def reach(self, question_id: str) -> int:
        """The most serious rank a yes here can lead to: its own, or through the follow-ups it opens."""
        return self.reaches[question_id]

    def follow_ups(self, question_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if question_id in q.gates)

    @property
    def top(self) -> str:
        return self.emergency_interrupt

    @property
    def dispositions(self) -> tuple[str, ...]:
        """Codes from most to least serious."""
        return tuple(sorted(self.ranks, key=self.ranks.__getitem__, reverse=True))

    @property
    def universal(self) -> tuple[Question, ...]:
        """The questions everyone may be asked: those that follow up no gate."""
        return tuple(q for q in self.questions if not q.gates)

    def is_pure_gate(self, question: Question) -> bool:
        """A yes here leads nowhere by itself: it only opens its follow-ups ("did severe pain start suddenly?")."""
        return question.yes == self.no_red_flags


class LocaleText(NamedTuple):
    """Everything the skill says in one locale; ``{number}`` marks the emergency number."""

    locale: str
    skill_name: str
    emergency_number: str | None  # None: unsupported locale, say "your local emergency number"
    questions: Mapping[str, Mapping[str, Any]]
    dispositions: Mapping[str, Mapping[str, str]]
    advice: Mapping[str, Mapping[str, str]]
    phrases: Mapping[str, str]
    urgent_number: str | None = None  # a non-emergency advice line, e.g. NHS 111: ``{urgent_number}``
    publishing: Mapping[str, Any] = MappingProxyType({})  # the skill store listing (skill-package/)
    understanding: Mapping[str, Any] = MappingProxyType({})  # phrasings for the interaction model
    source_titles: Mapping[str, str] = MappingProxyType({})  # a source's title in this locale's language

    def call_now(self) -> str:
        """An emergency reply's first words, as the locale says them: "Call 911 now", "Llame al 112 ahora"."""
        number = self.emergency_number or self.phrases.get("unsupported_number", "")
        return self.phrases.get("call_now", CALL_NOW).replace("{number}", number)

    def source_title(self, source: Source) -> str:
        return self.source_titles.get(source.id, source.title)


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType({k: MappingProxyType(v) if isinstance(v, dict) else v for k, v in mapping.items()})


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ProtocolError(message)


def _strings(value: object, where: str) -> tuple[str, ...]:
    _require(isinstance(value, list) and all(isinstance(v, str) for v in value), f"{where} must be a list of ids")
    return tuple(value)  # type: ignore[arg-type]


def parse_protocol(raw: dict[str, Any], validate: bool = True) -> Protocol:
    """Build a Protocol from its JSON form, refusing anything unsafe (see ``validate_protocol``); ``validate``
    False only for data these checks already passed, unaltered since (a sealed compiled artifact)."""
    try:
        ranks = {d["code"]: int(d["rank"]) for d in raw["dispositions"]}
        sources = {
            sid: Source(id=sid, title=s["title"], says=s["says"], url=s.get("url"),
                        flags=tuple(Flag(text=f["flag"], question=f.get("asked_by"), left_out=f.get("left_out"),
                                         with_=_strings(f.get("with", []), f"source {sid} flag with"))
                                    for f in s.get("flags", ())))
            for sid, s in raw["sources"].items()
        }
        advice = {aid: Advice(id=aid, disposition=a["disposition"], sources=_strings(a["sources"], f"advice {aid}"))
                  for aid, a in raw.get("advice", {}).items()}
        questions = tuple(
            Question(id=q["id"], yes=q["yes"], sources=_strings(q["sources"], f"question {q['id']} sources"),
                     when=_strings(q.get("when", []), f"question {q['id']} when"),
                     when_any=_strings(q.get("when_any", []), f"question {q['id']} when_any"), alone=q.get("alone"),
                     advice=q.get("advice"), one_sign=q.get("one_sign", False) is True,
                     inside=_strings(q.get("inside", []), f"question {q['id']} inside"),
                     clarify=q.get("clarify", False) is True)
            for q in raw["questions"]
        )
        protocol = Protocol.of(
            name=raw["name"], version=raw["version"], ranks=MappingProxyType(ranks),
            no_red_flags=raw["no_red_flags"], emergency_interrupt=raw["emergency_interrupt"],
            questions=questions, sources=MappingProxyType(sources), advice=MappingProxyType(advice),
            interrupt_sources=tuple(raw["interrupt_sources"]),
            no_red_flags_sources=tuple(raw["no_red_flags_sources"]),
            clinical_notes=tuple(raw.get("clinical_notes", ())),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ProtocolError):
            raise
        raise ProtocolError(f"protocol is missing a field or has a wrong one: {exc}") from exc
    if validate:
        validate_protocol(protocol)
    return protocol


def validate_protocol(p: Protocol) -> None:
    """The checks that need only the data; ``skill.triage.safety`` adds those that need the machine."""
    _require(len(set(p.ranks.values())) == len(p.ranks), "two dispositions share a rank")
    _require(p.no_red_flags in p.ranks, f"no_red_flags: unknown disposition {p.no_red_flags!r}")
    top = max(p.ranks, key=p.ranks.__getitem__)
    _require(p.emergency_interrupt == top,
             f"emergency_interrupt must be the most serious disposition {top!r}")
    _require(bool(p.questions), "the protocol has no questions")
    for label, ids in (("interrupt_sources", p.interrupt_sources),
                       ("no_red_flags_sources", p.no_red_flags_sources)):
        _require(bool(ids), f"{label} is empty")
        for sid in ids:
            _require(sid in p.sources, f"{label}: unknown source {sid!r}")
    _validate_advice(p)
    seen: list[str] = []
    for q in p.questions:
        _require(q.id not in seen, f"question {q.id!r} appears twice")
        _validate_question(p, q, seen)
        seen.append(q.id)
    _validate_order(p)
    _require(p.questions[0].yes == top and not p.questions[0].gates,
             "the first question must be an emergency question everyone is asked")
    for q in p.questions:
        _require(p.rank(p.no_red_flags) < p.rank(q.yes) or bool(p.follow_ups(q.id)),
                 f"question {q.id!r}: a yes must lead higher than no red flags, or open follow-ups (a pure gate)")
    _validate_coverage(p)
    for source in p.sources.values():
        for flag in source.flags:
            if flag.question is not None:
                reached_after(p, flag)  # refuses a red flag asked only behind a gate its owner may not pass


def _validate_advice(p: Protocol) -> None:
    for advice in p.advice.values():
        _require(advice.disposition in p.ranks, f"advice {advice.id!r}: unknown disposition {advice.disposition!r}")
        _require(bool(advice.sources), f"advice {advice.id!r} has no source")
        for sid in advice.sources:
            _require(sid in p.sources, f"advice {advice.id!r}: unknown source {sid!r}")


def _validate_question(p: Protocol, q: Question, earlier: list[str]) -> None:
    top = p.top
    _require(q.yes in p.ranks, f"question {q.id!r}: yes leads to unknown disposition {q.yes!r}")
    _require(bool(q.sources), f"question {q.id!r} has no source")
    for sid in q.sources:
        _require(sid in p.sources, f"question {q.id!r}: unknown source {sid!r}")
    _require(not (q.when and q.when_any), f"question {q.id!r}: give its gates as 'when' (all) or 'when_any', not both")
    for gate in q.inside:
        _require(gate in q.gates, f"question {q.id!r}: 'inside' names {gate!r}, which is not one of its gates")
    if q.clarify:
        _require(p.rank(q.yes) < p.rank(top),
                 f"question {q.id!r}: 'not sure' to an emergency sign counts as yes at once; no clarify here")
    for gate in q.gates:
        _require(gate in earlier, f"question {q.id!r} follows up {gate!r}, which is not asked before it")
        gate_q = p.question(gate)
        _require(gate_q.yes != top,
                 f"question {q.id!r} cannot be reached: a yes to its gate {gate!r} already ends in {top}")
        _require(p.rank(q.yes) >= p.rank(gate_q.yes),
                 f"question {q.id!r} (yes: {q.yes}) is less serious than its gate {gate!r} (yes: {gate_q.yes})")
    if q.alone is not None:
        _require(bool(q.gates), f"question {q.id!r}: 'alone' is only for follow-ups (it has no gate)")
        _require(q.alone in p.ranks, f"question {q.id!r}: alone leads to unknown disposition {q.alone!r}")
        _require(p.rank(q.alone) <= p.rank(q.yes),
                 f"question {q.id!r}: said alone it cannot be more serious than when asked")
    if q.advice is not None:
        _require(q.advice in p.advice, f"question {q.id!r}: unknown advice {q.advice!r}")
        advised = p.advice[q.advice].disposition
        _require(advised in {q.yes, q.alone},
                 f"question {q.id!r}: advice {q.advice!r} is for {advised}, not what a yes here leads to")
        for sid in p.advice[q.advice].sources:
            _require(sid in q.sources, f"question {q.id!r}: advice {q.advice!r} rests on {sid!r}, not cited here")


def _validate_order(p: Protocol) -> None:
    """No question may come before a more serious one: each earlier question reaches at least as high."""
    for later_index, later in enumerate(p.questions):
        for earlier in p.questions[:later_index]:
            _require(p.reach(earlier.id) >= p.rank(later.yes),
                     f"question {later.id!r} (yes: {later.yes}) comes after {earlier.id!r}, which can only lead "
                     f"to {p.dispositions[len(p.ranks) - 1 - p.reach(earlier.id)]}: "
                     "a more serious question must come first")


def _validate_coverage(p: Protocol) -> None:
    """Every red flag a source names is asked by a question citing that source, or left out with a reason."""
    for source in p.sources.values():
        for flag in source.flags:
            where = f"source {source.id!r}, red flag {flag.text!r}"
            _require((flag.question is None) != (flag.left_out is None),
                     f"{where}: say which question asks it, or why it is left out (one, not both)")
            for gate in flag.with_:
                _require(p.has_question(gate), f"{where}: 'with' names unknown question {gate!r}")
            if flag.question is not None:
                _require(p.has_question(flag.question), f"{where}: unknown question {flag.question!r}")
                _require(source.id in p.question(flag.question).sources,
                         f"{where}: question {flag.question!r} does not cite {source.id!r}")
            else:
                _require(bool(flag.left_out and flag.left_out.strip()), f"{where}: the reason is empty")


def reached_after(p: Protocol, flag: Flag) -> tuple[str, ...]:
    """The questions a person with only this red flag must say yes to before it is asked, in the order asked.

    Each must be a gate whose wording covers the flag's sign (its question is ``inside`` it, through gates of
    gates), or one the source names with the sign (``flag.with_``: the red flag is the combination). A flag
    behind any other gate is refused: a person who has it could say no there and never be asked.
    """
    question = p.question(flag.question or "")
    # what a person with only this flag has: its sign, the signs the source names with it, and every gate whose
    # wording covers one of those (through gates of gates)
    covered = {question.id, *flag.with_}
    pending = [p.question(qid) for qid in covered]
    while pending:
        current = pending.pop()
        for gate in current.inside:
            if gate not in covered:
                covered.add(gate)
                pending.append(p.question(gate))

    def opened(q: Question, seen: tuple[str, ...]) -> tuple[str, ...] | None:
        for option in q.gate_options or ((),):
            needed: list[str] = []
            for gate in option:
                if gate not in covered or gate in seen:
                    break
                deeper = opened(p.question(gate), seen + (gate,))
                if deeper is None:
                    break
                needed += [*deeper, gate]
            else:
                return tuple(dict.fromkeys(needed))
        return None

    needed = opened(question, ())
    _require(needed is not None,
             f"red flag {flag.text!r} is asked by {question.id!r} only after "
             f"{' or '.join(' and '.join(o) for o in question.gate_options)}, which a person with only this sign "
             "may answer no: ungate it, word the gate to cover it ('inside'), or name the combination ('with')")
    return needed or ()


def parse_locale(raw: dict[str, Any], protocol: Protocol, validate: bool = True) -> LocaleText:
    """Build a LocaleText and check it says everything the protocol needs, each question in one breath;
    ``validate`` False only for a locale these checks already passed, unaltered since (a sealed compiled one)."""
    if validate:
        check_locale(raw, protocol)
    return LocaleText(
        locale=raw["locale"], skill_name=raw["skill_name"],
        emergency_number=raw.get("emergency_number"),
        questions=_frozen(raw["questions"]), dispositions=_frozen(raw["dispositions"]),
        advice=_frozen(raw["advice"]), phrases=MappingProxyType(dict(raw["phrases"])),
        urgent_number=raw.get("urgent_number"),
        publishing=MappingProxyType(dict(raw["publishing"])),
        understanding=MappingProxyType(dict(raw.get("understanding", {}))),
        source_titles=MappingProxyType(dict(raw.get("source_titles", {}))),
    )


def check_locale(raw: dict[str, Any], protocol: Protocol) -> None:
    """Refuse, naming the item, a locale that does not say everything the protocol needs."""
    name = raw.get("locale", "?")
    for key in ("locale", "skill_name", "questions", "dispositions", "advice", "phrases", "publishing"):
        _require(key in raw, f"locale {name}: missing {key!r}")
    for q in protocol.questions:
        texts = raw["questions"].get(q.id)
        _require(texts is not None, f"locale {name}: no text for question {q.id!r}")
        for key in QUESTION_TEXTS:
            _require(bool(texts.get(key)), f"locale {name}: question {q.id!r} has no {key!r} text")
        _require(bool(texts.get("clarify")) == q.clarify,
                 f"locale {name}: question {q.id!r} " + ("needs a 'clarify' text" if q.clarify else
                                                          "has a 'clarify' text but the protocol does not clarify it"))
        _require(bool(texts.get("names") or texts.get("says")),
                 f"locale {name}: question {q.id!r} has no phrasing (names or says) for the interaction model")
        for key in ("ask", "simple"):
            ask = texts[key]
            where = f"locale {name}: question {q.id!r}" + (" (simple)" if key == "simple" else "")
            _require(ask.rstrip().endswith("?"), f"{where} must end with '?'")
            _require(word_count(ask) <= MAX_QUESTION_WORDS,
                     f"{where} has {word_count(ask)} words, more than {MAX_QUESTION_WORDS}")
            _require(item_count(ask) <= MAX_QUESTION_ITEMS,
                     f"{where} lists {item_count(ask)} items, more than {MAX_QUESTION_ITEMS}")
        if q.clarify:
            _require(word_count(texts["clarify"]) <= MAX_CLARIFY_WORDS,
                     f"locale {name}: question {q.id!r}: the clarify text has more than {MAX_CLARIFY_WORDS} words")
    for kind, group, ids in (("disposition", "dispositions", protocol.ranks), ("advice", "advice", protocol.advice)):
        for item in ids:
            texts = raw[group].get(item)
            _require(texts is not None, f"locale {name}: no text for {kind} {item!r}")
            for key in DISPOSITION_TEXTS:
                _require(bool(texts.get(key)), f"locale {name}: {kind} {item!r} has no {key!r} text")
    for key in PHRASES_REQUIRED:
        _require(bool(raw["phrases"].get(key)), f"locale {name}: missing phrase {key!r}")
    top = protocol.top
    call_now = raw["phrases"].get("call_now", CALL_NOW)
    _require("{number}" in call_now, f"locale {name}: the phrase call_now must name the number")
    for label, texts in [(f"disposition {top!r}", raw["dispositions"][top])] + [
            (f"advice {a.id!r}", raw["advice"][a.id]) for a in protocol.advice.values() if a.disposition == top]:
        _require(texts["speech"].startswith(call_now),
                 f"locale {name}: {label}: the emergency speech must start by telling them to call the number "
                 f"({call_now!r}, the phrase call_now)")
    _require("{number}" in raw["phrases"]["safety_net"],
             f"locale {name}: the safety net must name the emergency number")
    for key in PUBLISHING_REQUIRED:
        _require(bool(raw["publishing"].get(key)), f"locale {name}: publishing has no {key!r}")
    for sid in raw.get("source_titles", {}):
        _require(sid in protocol.sources, f"locale {name}: source_titles names unknown source {sid!r}")
    for where, texts in [*(("question " + k, v) for k, v in raw["questions"].items()),
                         *(("disposition " + k, v) for k, v in raw["dispositions"].items()),
                         *(("advice " + k, v) for k, v in raw["advice"].items())]:
        for sid in texts.get("wording_sources", ()):
            _require(sid in protocol.sources, f"locale {name}: {where} cites unknown wording source {sid!r}")
    spoken = [[q.get(key) for key in QUESTION_TEXTS] for q in raw["questions"].values()]
    if "{urgent_number}" in json.dumps([spoken, raw["dispositions"], raw["advice"], raw["phrases"]]):
        _require(bool(raw.get("urgent_number")), f"locale {name}: text uses {{urgent_number}} but none is set")


# Patterns, not compiled ones: re compiles and caches each on first use, so the checks that use them (at build,
# in a checkout, in the tools) pay for it and a Lambda's cold start does not (about 1 ms)
WORD = r"[^\W_]+(?:['’-][^\W_]+)*"


def word_count(text: str) -> int:
    """Words as a listener hears them (letters and digits of any script; "don't" is one word)."""
    return len(re.findall(WORD, text))


CONJUNCTION = r"(?i)^\s*(?:or|and|o|u|y|e)\b\s*"
TRAILING_OR = r"(?i)\s(?:or|o|u)\s"


def item_count(text: str) -> int:
    """How many things a question lists, as a listener counts them: "A, B or C" is three, "A, or B" two.

    The pieces between commas (a leading "or"/"and" belongs to the list, not to an item), plus one
    when the last piece still holds an "or" ("arm or jaw"); the largest count of any sentence.
    """
    counts = []
    for sentence in re.split(r"[?;]", text):
        pieces = [re.sub(CONJUNCTION, "", piece) for piece in sentence.split(",")]
        pieces = [piece for piece in pieces if piece.strip()]
        if pieces:
            counts.append(len(pieces) + (1 if re.search(TRAILING_OR, f" {pieces[-1]} ") else 0))
    return max(counts, default=0)


def merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` laid over ``base``, key by key at every depth."""
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def resolve_extends(name: str, raws: dict[str, dict[str, Any]], seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """A locale file may say ``"extends": "en-US"`` and hold only what differs from it."""
    _require(name in raws, f"locale {seen[-1] if seen else name} extends unknown locale {name!r}")
    _require(name not in seen, f"locales extend each other in a loop: {' -> '.join(seen + (name,))}")
    raw = raws[name]
    parent = raw.get("extends")
    if parent is None:
        return raw
    resolved = merged(resolve_extends(parent, raws, seen + (name,)), raw)
    resolved.pop("extends", None)
    return resolved


def data_dir() -> "Path":
    """The protocol's sources; pathlib is imported here, as only a build, a checkout and the tools read them (a
    Lambda reads the compiled protocol: ``compiled``)."""
    from pathlib import Path

    return Path(__file__).parent / "data"


def read_raw_locales(data: "Path | None" = None) -> dict[str, dict[str, Any]]:
    """Each locale as one raw text: what it says (``data/locales/``) with how it understands people
    (``data/understanding/``: the phrasings the model generator and the words spotter read) laid over it.

    They are kept in two files so that a writer of the spoken text never scrolls past training data."""
    data = data if data is not None else data_dir()
    raws = {path.stem: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((data / "locales").glob("*.json"))}
    for name, raw in raws.items():
        misplaced = sorted({*(key for texts in raw.get("questions", {}).values() for key in texts
                              if key in PHRASINGS), *({UNDERSTANDING} & set(raw))})
        _require(not misplaced, f"locales/{name}.json holds {', '.join(misplaced)}: they belong in {UNDERSTANDING}/")
    for path in sorted((data / UNDERSTANDING).glob("*.json")):
        _require(path.stem in raws, f"{UNDERSTANDING}/{path.name} has no locale file {path.name} beside it")
        heard = json.loads(path.read_text(encoding="utf-8"))
        _require(heard.pop("locale", None) == path.stem, f"{UNDERSTANDING}/{path.name} declares another locale")
        spoken = sorted({*(set(heard) - {"questions", UNDERSTANDING}),
                         *(key for texts in heard.get("questions", {}).values() for key in texts
                           if key not in PHRASINGS)})
        _require(not spoken, f"{UNDERSTANDING}/{path.name} holds {', '.join(spoken)}: spoken text belongs in locales/")
        raws[path.stem] = merged(raws[path.stem], heard)
    return raws


def load_locales(protocol: Protocol, data: "Path | None" = None) -> dict[str, LocaleText]:
    raws = read_raw_locales(data)
    locales = {}
    for name in raws:
        _require(raws[name].get("locale") == name, f"{name}.json declares locale {raws[name].get('locale')!r}")
        locales[name] = parse_locale(resolve_extends(name, raws), protocol)
    _require(DEFAULT_LOCALE in locales, f"the default locale {DEFAULT_LOCALE} is missing")
    return locales
