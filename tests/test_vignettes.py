"""Patient stories driven through the real Lambda handler in spoken words: zero under-triage.

Each vignette in tests/vignettes.yaml is one person. The skill asks its questions; the person answers
each as they truthfully would (`says`, in words resolved to intents as the terminal chat does; any
question not listed gets "no"), or says something else instead the first time a question comes up
(`interrupt`, usually an emergency in their own words). `minimum` is the least serious disposition a
careful clinician would accept for the story, set from the guideline in `fact`, not from the protocol.

- Under-triage (an outcome below `minimum`, or no outcome) fails. A vignette the team already knows
  the skill under-triages carries `known_gap: "<why>"`: it still fails, with KNOWN GAP and the reason,
  so the gap stays visible until the protocol or the language model is fixed (and a known gap that is
  no longer under-triaged fails too, asking for the mark to go).
- Over-triage (an outcome above `minimum`) is allowed, counted and listed.
- A reply the resolver does not understand as the person means it today (an `interrupt` that is not
  an emergency, a `says` reply that is not an answer) must be marked `nlu_gap: "<why>"`; it is listed
  after the run for the language-model work.
- `statement` (optional) is a sentence the person might say instead of answering: a second run says it
  right after the launch and answers the rest as `says` does; it must never lead lower than `minimum`.

The table of results (count per disposition, under- and over-triage, each case by id, the NLU gaps)
is printed at the end of the pytest run by tests/conftest.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
import yaml
from conftest import ROOT, VIGNETTE_RESULTS, Conversation

from skill.local.nlu import LAUNCH, Resolver

VIGNETTES = yaml.safe_load((ROOT / "tests" / "vignettes.yaml").read_text(encoding="utf-8"))
# Written blind (issue 21): people written from the sources only by someone who never saw the protocol, answered
# question by question by someone who never saw the expected outcome; run once untouched, then kept as they are.
BLIND = yaml.safe_load((ROOT / "tests" / "vignettes_blind.yaml").read_text(encoding="utf-8"))
SETS = {"authored": VIGNETTES, "blind": BLIND}
BY_ID = {v["id"]: v for v in VIGNETTES + BLIND}
OVER_TRIAGE_MAX = 0.10  # false alarms teach people to ignore the skill
RESOLVER = Resolver.for_locale("en-US")
MAX_TURNS = 40
FIELDS = {"id", "age", "sex", "history", "story", "says", "interrupt", "minimum", "fact", "statement", "known_gap",
          "nlu_gap", "note"}
ANSWERS = {"AMAZON.YesIntent": "yes", "UnsureIntent": "unsure", "AMAZON.NoIntent": "no"}
# What a reply in `says` may be: an answer, or asking what the question means / to hear it again.
REPLY_INTENTS = set(ANSWERS) | {"AMAZON.HelpIntent", "AMAZON.RepeatIntent"}
EMERGENCY_INTENT = "EmergencyIntent"
STATEMENTS = {"SignIntent", "NoSignIntent"}  # a sign said, there or not: an answer too, in its own words
NO_OUTCOME = "none"  # the conversation ended without a disposition (stop, repeated misunderstanding)


def replies(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


class Run:
    """One vignette through the Lambda handler: the outcome, and what was said to which question.

    ``locale`` and ``translate`` (the story's English words -> the words said in that locale) let the same
    person speak another language."""

    def __init__(self, vignette: dict, locale: str = "en-US", translate: Callable[[str], str] | None = None):
        self.vignette = vignette
        self.conversation = Conversation(locale=locale)
        self.resolver = Resolver.for_locale(locale)
        self.translate = translate or (lambda words: words)
        self.said: list[tuple[str | None, str, str]] = []  # (question id, words, intent)
        self.interrupted: set[str] = set()

    def say(self, question: str | None, text: str) -> None:
        text = self.translate(text)
        heard = self.resolver.resolve(text)
        assert heard.name != LAUNCH, f"{self.vignette['id']}: {text!r} would relaunch the skill"
        self.said.append((question, text, heard.name))
        self.conversation.intent(heard.name, {n: (s.value, s.id, s.type) for n, s in heard.slots.items()})

    def go(self, opening: str | None = None) -> Run:
        self.conversation.launch()
        if opening is not None:
            self.say(self.conversation.question, opening)
        says = self.vignette.get("says") or {}
        interrupt = self.vignette.get("interrupt") or {}
        for _ in range(MAX_TURNS):
            if self.conversation.ended:
                return self
            question = self.conversation.question
            if question in interrupt and question not in self.interrupted:
                self.interrupted.add(question)  # said once, the first time the question comes up
                for text in replies(interrupt[question]):
                    self.say(question, text)
                continue
            for text in replies(says.get(question, "no")):
                if self.conversation.ended:
                    break  # an earlier reply already ended it
                self.say(question, text)
        raise AssertionError(f"{self.vignette['id']}: no outcome after {MAX_TURNS} turns: {self.said}")

    @property
    def outcome(self) -> str:
        return self.conversation.disposition or NO_OUTCOME

    def answered(self) -> dict[str, set[str]]:
        """Question id -> the answers (yes, unsure, no) the person gave it."""
        given: dict[str, set[str]] = {}
        for question, _, intent in self.said:
            if question is not None and intent in ANSWERS:
                given.setdefault(question, set()).add(ANSWERS[intent])
        return given


def rank(protocol, disposition: str) -> int:
    return -1 if disposition == NO_OUTCOME else protocol.rank(disposition)


def test_there_are_at_least_seventy_vignettes_and_forty_blind_ones_covering_every_disposition(protocol):
    assert len(VIGNETTES) >= 70 and len(BLIND) >= 40
    assert len(BY_ID) == len(VIGNETTES) + len(BLIND), "vignette ids must be unique"
    assert {v["minimum"] for v in VIGNETTES} == set(protocol.ranks) == {v["minimum"] for v in BLIND}
    for vignette in VIGNETTES + BLIND:
        assert set(vignette) <= FIELDS, f"{vignette['id']}: unknown fields {set(vignette) - FIELDS}"
        assert vignette["fact"] and vignette["story"] and "age" in vignette and "history" in vignette
        assert vignette["minimum"] in protocol.ranks, vignette["id"]
        for field in ("says", "interrupt"):
            for question in vignette.get(field) or {}:
                assert protocol.has_question(question), f"{vignette['id']}: {field} names no question {question!r}"


def misheard(vignette: dict) -> list[tuple[str, str, str]]:
    """(question, words, intent) for each reply the resolver does not take as the person means it: a reply
    in `says` that is not an answer or a request for help, an interrupt that is not an emergency."""
    wrong = []
    for field in ("says", "interrupt"):
        for question, value in (vignette.get(field) or {}).items():
            for text in replies(value):
                heard = RESOLVER.resolve(text)
                understood = heard.name in REPLY_INTENTS | STATEMENTS if field == "says" else _emergency(heard)
                if not understood:
                    wrong.append((question, text, heard.name))
    return wrong


def _emergency(heard) -> bool:
    """Heard as an emergency at any moment: a generic one, or a sign that is an emergency said alone."""
    if heard.name == EMERGENCY_INTENT:
        return True
    if heard.name != "SignIntent":
        return False
    from skill.triage import default_protocol

    protocol = default_protocol()
    return any(protocol.has_question(s.id) and (
        (protocol.question(s.id).yes == protocol.top and not protocol.question(s.id).gates)
        or protocol.question(s.id).alone == protocol.top) for s in heard.slots.values())


@pytest.mark.parametrize("vignette", VIGNETTES + BLIND, ids=[v["id"] for v in VIGNETTES + BLIND])
def test_replies_resolve_as_the_person_means(vignette):
    """Every reply in `says` is understood as an answer (or a request for help); every interrupt is
    understood as an emergency, unless the vignette names it as a gap for the language-model work."""
    wrong = misheard(vignette)
    if vignette.get("nlu_gap"):
        assert wrong, f"{vignette['id']}: every phrasing is now understood as meant: remove nlu_gap"
    else:
        assert not wrong, f"{vignette['id']}: {wrong}: rephrase, or mark the vignette nlu_gap and report it"


@pytest.mark.parametrize("vignette", VIGNETTES + BLIND, ids=[v["id"] for v in VIGNETTES + BLIND])
def test_vignette_is_never_under_triaged(vignette, protocol):
    run = Run(vignette).go()
    outcome, minimum = run.outcome, vignette["minimum"]
    VIGNETTE_RESULTS.setdefault(set_of(vignette), {})[vignette["id"]] = (minimum, outcome)
    unused = set(vignette.get("interrupt") or {}) - run.interrupted
    assert not unused, f"{vignette['id']}: the interrupt at {sorted(unused)} was never said: never asked"
    under = rank(protocol, outcome) < rank(protocol, minimum)
    if vignette.get("known_gap"):
        assert not under, f"KNOWN GAP {vignette['id']}: gave {outcome}, needs {minimum}: {vignette['known_gap']}"
        pytest.fail(f"{vignette['id']} is marked known_gap but gave {outcome} (needs {minimum}): remove the mark")
    assert not under, (f"UNDER-TRIAGE {vignette['id']}: {vignette['story']} -> {outcome}, "
                       f"needs at least {minimum} ({vignette['fact']})")
    if outcome == "emergency":
        # "Call 911 now." or, where to go, "Call 911 now, or have someone take you to the emergency room..."
        assert run.conversation.speech.startswith("Call 911 now"), run.conversation.speech


@pytest.mark.parametrize("vignette", [v for v in VIGNETTES if v.get("statement")],
                         ids=[v["id"] for v in VIGNETTES if v.get("statement")])
def test_a_statement_instead_of_an_answer_is_never_under_triaged(vignette, protocol):
    """The same person, opening with their own words (``statement``) instead of waiting to be asked."""
    run = Run(vignette).go(opening=vignette["statement"])
    assert rank(protocol, run.outcome) >= rank(protocol, vignette["minimum"]), (
        f"UNDER-TRIAGE {vignette['id']} said as {vignette['statement']!r}: {run.outcome}, needs {vignette['minimum']}")


def set_of(vignette: dict) -> str:
    return "blind" if vignette["id"] in {v["id"] for v in BLIND} else "authored"


@pytest.mark.parametrize("name", SETS)
def test_false_alarms_are_at_most_ten_percent(name, protocol):
    """Over-triage (an outcome above what the guidelines give the story) on each set, every case listed."""
    over = []
    for vignette in SETS[name]:
        run = Run(vignette).go()
        if rank(protocol, run.outcome) > rank(protocol, vignette["minimum"]):
            over.append(f"{vignette['id']}: {run.outcome} for {vignette['minimum']}")
    share = len(over) / len(SETS[name])
    assert share <= OVER_TRIAGE_MAX, f"{name}: over-triage {len(over)}/{len(SETS[name])} ({share:.0%}): {over}"


def test_every_question_is_answered_yes_or_not_sure_by_some_vignette(protocol):
    """One vignette per red flag: each question, follow-ups included, is actually asked and answered yes
    (or not sure) in at least one story."""
    positive: set[str] = set()
    for vignette in VIGNETTES:
        for question, answers in Run(vignette).go().answered().items():
            if answers & {"yes", "unsure"}:
                positive.add(question)
    missing = [q.id for q in protocol.questions if q.id not in positive]
    assert not missing, f"no vignette says yes or not sure to {missing}"


def summarise(results: dict, ranks: dict, name: str = "authored") -> list[str]:
    """The vignette table: per expected disposition, how many got which outcome; then every under- and
    over-triaged vignette by id, and the interrupt phrasings the resolver does not yet understand."""
    ranks = {**ranks, NO_OUTCOME: -1}
    lines = [f"vignettes ({name}): expected minimum -> outcome (count)"]
    pairs = Counter(results.values())
    for (expected, got), count in sorted(pairs.items(), key=lambda p: (-ranks[p[0][0]], -ranks[p[0][1]])):
        lines.append(f"  {expected:>10} -> {got:<10} {count}")
    under = sorted(i for i, (e, g) in results.items() if ranks[g] < ranks[e])
    over = sorted(i for i, (e, g) in results.items() if ranks[g] > ranks[e])
    known = [i for i in under if BY_ID.get(i, {}).get("known_gap")]
    share = f"{100 * len(over) / len(results):.1f}%" if results else "-"
    lines.append(f"  total {len(results)}, under-triage {len(under)} ({len(known)} known gaps), "
                 f"over-triage {len(over)} ({share})")
    for i in under:
        reason = BY_ID.get(i, {}).get("known_gap") or "NOT A KNOWN GAP"
        lines.append(f"  UNDER {i}: {results[i][1]}, needs {results[i][0]}: {reason}")
    for i in over:
        lines.append(f"  over  {i}: {results[i][1]}, minimum {results[i][0]}")
    for i, vignette in BY_ID.items():
        if vignette.get("nlu_gap") and i in results:
            heard = ", ".join(dict.fromkeys(f"{text!r} at {q} -> {intent}" for q, text, intent in misheard(vignette)))
            lines.append(f"  NLU gap {i}: {heard}")
    return lines
