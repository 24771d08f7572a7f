"""Load and validate the triage protocol and its locale texts.

The protocol (questions, their order, what yes / no / not sure lead to, and
the source behind each) and every word the skill says live in JSON under
``data/``. This module turns them into immutable objects and refuses, with a
message naming the item, anything a clinician would not sign off: an unknown
disposition, a question nobody can reach, a missing source or translation, a
question that is too long to say in one breath, or an order in which a less
serious question could hide a more serious one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_LOCALE = "en-US"
ANSWERS = ("yes", "unsure", "no")
NEXT = "next"
MAX_QUESTION_WORDS = 30
PHRASES_REQUIRED = (
    "launch", "first_question", "answer_prompt", "fallback", "help_general",
    "previous_at_first", "previous", "start_over", "safety_net", "goodbye",
    "misunderstood_end", "error", "no_red_flags_reason", "interrupt_reason",
    "disclaimer", "why_label", "safety_net_label", "sources_label",
    "unsupported_number",
    # memory: resume, follow-up, remember, forget
    "offer_prompt", "resume_intro", "resume_question", "resume_help",
    "resume_continue", "resume_declined",
    "follow_up_intro", "when_today", "when_yesterday", "when_days", "when_weeks",
    "follow_up_question", "follow_up_help", "follow_up_persistent", "follow_up_recent",
    "follow_up_gone", "follow_up_reason", "forget_question", "forget_help", "forget_done",
    "forget_failed", "forget_kept", "carry_on_or_stop", "remember_question", "remember_help", "remember_done",
    "remember_failed", "remember_declined",
    # reminders (issue 15): the one offer after routine or self-care advice, and what came of it
    "reminder_question", "reminder_help", "appointment_reminder_question", "appointment_reminder_help",
    "reminder_set", "appointment_reminder_set", "reminder_check_in", "reminder_declined",
    "reminder_permission_denied", "reminder_permission_unanswered", "reminder_no_voice_permission",
    "reminder_not_allowed", "reminder_failed", "reminder_text",
    # screens (Echo Show and other APL devices)
    "screen_yes", "screen_no", "screen_unsure", "screen_footer",
)
QUESTION_TEXTS = ("ask", "help", "reason")
PUBLISHING_REQUIRED = ("summary", "description", "keywords", "example_phrases", "testing_instructions")
DISPOSITION_TEXTS = ("title", "speech", "card")


class ProtocolError(ValueError):
    """The protocol or a locale file is not safe to run; the message names the item."""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    says: str
    url: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    group: str
    answers: Mapping[str, str]  # answer -> disposition code or NEXT
    sources: tuple[str, ...]

    def outcome_for(self, answer: str) -> str:
        return self.answers[answer]


@dataclass(frozen=True)
class Protocol:
    name: str
    version: str
    ranks: Mapping[str, int]  # disposition code -> rank, higher is more serious
    no_red_flags: str
    emergency_interrupt: str
    questions: tuple[Question, ...]
    sources: Mapping[str, Source]
    interrupt_sources: tuple[str, ...]
    no_red_flags_sources: tuple[str, ...]
    clinical_notes: tuple[str, ...] = ()  # choices a reviewing clinician should see, in docs/protocol.md

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def index_of(self, question_id: str) -> int:
        return [q.id for q in self.questions].index(question_id)

    def rank(self, disposition: str) -> int:
        return self.ranks[disposition]

    @property
    def dispositions(self) -> tuple[str, ...]:
        """Codes from most to least serious."""
        return tuple(sorted(self.ranks, key=self.ranks.__getitem__, reverse=True))


@dataclass(frozen=True)
class LocaleText:
    """Everything the skill says in one locale; ``{number}`` marks the emergency number."""

    locale: str
    skill_name: str
    emergency_number: str | None  # None: unsupported locale, say "your local emergency number"
    questions: Mapping[str, Mapping[str, str]]
    dispositions: Mapping[str, Mapping[str, str]]
    phrases: Mapping[str, str]
    urgent_number: str | None = None  # a non-emergency advice line, e.g. NHS 111: ``{urgent_number}``
    publishing: Mapping[str, object] = field(default_factory=dict)  # the skill store listing (skill-package/)


def _frozen(mapping: dict) -> Mapping:
    return MappingProxyType({k: MappingProxyType(v) if isinstance(v, dict) else v for k, v in mapping.items()})


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ProtocolError(message)


def parse_protocol(raw: dict) -> Protocol:
    """Build a Protocol from its JSON form, refusing anything unsafe."""
    try:
        ranks = {d["code"]: int(d["rank"]) for d in raw["dispositions"]}
        sources = {
            sid: Source(id=sid, title=s["title"], says=s["says"], url=s.get("url"))
            for sid, s in raw["sources"].items()
        }
        questions = tuple(
            Question(
                id=q["id"], group=q["group"],
                answers=MappingProxyType(dict(q["answers"])), sources=tuple(q["sources"]),
            )
            for q in raw["questions"]
        )
        protocol = Protocol(
            name=raw["name"], version=raw["version"], ranks=MappingProxyType(ranks),
            no_red_flags=raw["no_red_flags"], emergency_interrupt=raw["emergency_interrupt"],
            questions=questions, sources=MappingProxyType(sources),
            interrupt_sources=tuple(raw["interrupt_sources"]),
            no_red_flags_sources=tuple(raw["no_red_flags_sources"]),
            clinical_notes=tuple(raw.get("clinical_notes", ())),
        )
    except (KeyError, TypeError) as exc:
        raise ProtocolError(f"protocol is missing a field: {exc}") from exc
    validate_protocol(protocol)
    return protocol


def validate_protocol(p: Protocol) -> None:
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
    seen: set[str] = set()
    for position, q in enumerate(p.questions):
        _require(q.id not in seen, f"question {q.id!r} appears twice")
        seen.add(q.id)
        _require(set(q.answers) == set(ANSWERS),
                 f"question {q.id!r} must say what yes, unsure and no lead to")
        for answer, target in q.answers.items():
            _require(target == NEXT or target in p.ranks,
                     f"question {q.id!r}: {answer} leads to unknown disposition {target!r}")
        _require(q.group in p.ranks, f"question {q.id!r}: unknown group {q.group!r}")
        _require(q.answers["yes"] == q.group,
                 f"question {q.id!r}: yes must lead to its group {q.group!r}")
        _require(q.answers["unsure"] == q.answers["yes"],
                 f"question {q.id!r}: not sure must count as yes")
        if position + 1 < len(p.questions):
            _require(q.answers["no"] == NEXT,
                     f"question {p.questions[position + 1].id!r} cannot be reached: "
                     f"no to {q.id!r} must lead to the next question")
        else:
            _require(q.answers["no"] == NEXT, f"question {q.id!r}: no must lead past the last question")
        _require(bool(q.sources), f"question {q.id!r} has no source")
        for sid in q.sources:
            _require(sid in p.sources, f"question {q.id!r}: unknown source {sid!r}")
        if position:
            before = p.questions[position - 1]
            _require(p.rank(before.group) >= p.rank(q.group),
                     f"question {q.id!r} (yes: {q.group}) comes after {before.id!r} "
                     f"(yes: {before.group}): a more serious question must come first")
    _require(p.questions[0].group == top, "the first question must be an emergency question")
    _require(p.rank(p.no_red_flags) < min(p.rank(q.group) for q in p.questions),
             "no red flags must lead lower than any positive answer")


def parse_locale(raw: dict, protocol: Protocol) -> LocaleText:
    """Build a LocaleText and check it says everything the protocol needs."""
    name = raw.get("locale", "?")
    for key in ("locale", "skill_name", "questions", "dispositions", "phrases", "publishing"):
        _require(key in raw, f"locale {name}: missing {key!r}")
    for q in protocol.questions:
        texts = raw["questions"].get(q.id)
        _require(texts is not None, f"locale {name}: no text for question {q.id!r}")
        for key in QUESTION_TEXTS:
            _require(bool(texts.get(key)), f"locale {name}: question {q.id!r} has no {key!r} text")
        ask = texts["ask"]
        _require(ask.rstrip().endswith("?"), f"locale {name}: question {q.id!r} must end with '?'")
        _require(word_count(ask) <= MAX_QUESTION_WORDS,
                 f"locale {name}: question {q.id!r} has {word_count(ask)} words, "
                 f"more than {MAX_QUESTION_WORDS}")
    for code in protocol.ranks:
        texts = raw["dispositions"].get(code)
        _require(texts is not None, f"locale {name}: no text for disposition {code!r}")
        for key in DISPOSITION_TEXTS:
            _require(bool(texts.get(key)), f"locale {name}: disposition {code!r} has no {key!r} text")
    for key in PHRASES_REQUIRED:
        _require(bool(raw["phrases"].get(key)), f"locale {name}: missing phrase {key!r}")
    _require("{number}" in raw["dispositions"][protocol.emergency_interrupt]["speech"],
             f"locale {name}: the emergency speech must name the emergency number")
    _require("{number}" in raw["phrases"]["safety_net"],
             f"locale {name}: the safety net must name the emergency number")
    for key in PUBLISHING_REQUIRED:
        _require(bool(raw["publishing"].get(key)), f"locale {name}: publishing has no {key!r}")
    if "{urgent_number}" in json.dumps(raw):
        _require(bool(raw.get("urgent_number")), f"locale {name}: text uses {{urgent_number}} but none is set")
    return LocaleText(
        locale=raw["locale"], skill_name=raw["skill_name"],
        emergency_number=raw.get("emergency_number"),
        questions=_frozen(raw["questions"]), dispositions=_frozen(raw["dispositions"]),
        phrases=MappingProxyType(dict(raw["phrases"])),
        urgent_number=raw.get("urgent_number"),
        publishing=MappingProxyType(dict(raw["publishing"])),
    )


def word_count(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9'’-]+", text))


def load_protocol(path: Path = DATA_DIR / "protocol.json") -> Protocol:
    return parse_protocol(json.loads(path.read_text(encoding="utf-8")))


def merged(base: dict, override: dict) -> dict:
    """``override`` laid over ``base``, key by key at every depth."""
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def resolve_extends(name: str, raws: dict[str, dict], seen: tuple[str, ...] = ()) -> dict:
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


def load_locales(protocol: Protocol, folder: Path = DATA_DIR / "locales") -> dict[str, LocaleText]:
    raws = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))}
    locales = {}
    for name in raws:
        _require(raws[name].get("locale") == name, f"{name}.json declares locale {raws[name].get('locale')!r}")
        locales[name] = parse_locale(resolve_extends(name, raws), protocol)
    _require(DEFAULT_LOCALE in locales, f"the default locale {DEFAULT_LOCALE} is missing")
    return locales
