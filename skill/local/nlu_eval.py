"""``python -m skill nlu-eval``: how well the skill understands people, measured on the evaluation set.

Each item of ``nlu_eval/<locale>.annotations.json`` (see ``skill.local.nlu_eval_set``) is said in a
fresh session, at its context question, by each resolver:

- ``chat``: the chat's text-to-intent resolver (``resolve_with_chat``, the one place that calls it),
  then the real Lambda handler in this process for the reply;
- ``virtual-alexa``: virtual-alexa's sample matching against the interaction model, driving
  ``python -m skill serve`` over HTTP (``skill.local.nlu_eval_virtual_alexa``); skipped, with the
  reason, when Node or its packages are missing. Exact matching: the floor, not a target;
- ``standin``: a text classifier trained only on the generated model, a stand-in for a generalising NLU
  (``skill.local.standin_nlu``, scikit-learn, a dev dependency), then the real Lambda handler in this
  process, as for the chat; skipped, with the reason, when scikit-learn is not installed.

For each resolver it prints accuracy by category (intent right; slots right where the item expects
slots; the reply starting with the emergency instruction, or not, where the item expects an outcome;
the turn's effect the same as when the skill hears exactly what the item expects, ``skill.local.nlu_effect``)
and the safety numbers, against ``EMERGENCY_MIN``, ``NEGATION_EMERGENCY_MAX`` and ``OVERALL_MIN``. Overall
accuracy counts an item right by its effect (and its outcome); the old rule (exact intent, slot words
verbatim) is printed beside it as "exact".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from skill.local import nlu_eval_set
from skill.local.chat import ssml_to_text
from skill.local.envelopes import DEFAULT_SKILL_ID, Session
from skill.local.nlu import FALLBACK, LAUNCH, MODELS_DIR, Resolution, Resolver
from skill.local.nlu_effect import Effect, effect_of
from skill.local.nlu_eval_set import CATEGORIES, EMERGENCY, NOT_EMERGENCY, EvalItem

# The bar, enforced: the test and ``--enforce`` fail below it on the first set (NLU_EVAL_ENFORCE=0 reports only).
# The later blind sets (en-US.fresh, en-US.third) are held to the safety numbers through the chat (tests).
ENFORCE = os.environ.get("NLU_EVAL_ENFORCE", "1") == "1"
EMERGENCY_MIN = 0.95  # share of emergency statements whose reply starts with the emergency instruction
NEGATION_EMERGENCY_MAX = 0  # negations ("I don't have chest pain") answered with the emergency instruction
OVERALL_MIN = 0.90  # share of items whose turn did what the expected intent does (and with the expected outcome)
NO = "AMAZON.NoIntent"
MAX_CONTEXT_TURNS = 50
Invoke = Callable[[dict], dict]


# ---- the chat resolver: the one call the lead swaps when the resolver changes ----------------------

@lru_cache(maxsize=8)
def _chat_resolver(locale: str) -> Resolver:
    return Resolver.for_locale(locale)


def resolve_with_chat(text: str, locale: str) -> tuple[str, dict[str, dict]]:
    """(intent name or LaunchRequest, {slot: {"value": words, "id": entity id or None}}) for typed text."""
    return _as_heard(_chat_resolver(locale).resolve(text))


def resolve_with_standin(text: str, locale: str) -> tuple[str, dict[str, dict]]:
    """As ``resolve_with_chat``, through the stand-in for a generalising NLU (trained once per locale)."""
    from skill.local.standin_nlu import standin_for

    return _as_heard(standin_for(locale).resolve(text))


def _as_heard(resolution: Resolution) -> tuple[str, dict[str, dict]]:
    return resolution.name, {name: {"value": slot.value, "id": slot.id, "type": slot.type}
                             for name, slot in resolution.slots.items()}


Resolve = Callable[[str, str], tuple[str, dict[str, dict]]]
TEXT_RESOLVERS: dict[str, Resolve] = {"chat": resolve_with_chat, "standin": resolve_with_standin}


# ---- what a resolver heard, and how it scores ------------------------------------------------------

@dataclass(frozen=True)
class Heard:
    """What one resolver made of one item, and what the skill replied."""

    intent: str | None  # None: nothing matched (virtual-alexa's "Unable to match utterance")
    slots: dict[str, dict]  # slot -> {"value": words, "ids": [entity-resolution ids matched]}
    speech: str | None  # the reply's SSML
    sent_intent: str | None = None  # virtual-alexa: the intent the skill received (the fallback when unmatched)
    error: str | None = None  # the item could not be evaluated (context not reached, endpoint error)
    before: dict | None = None  # the session attributes the turn started with
    after: dict | None = None  # the session attributes the reply carried


@dataclass(frozen=True)
class Result:
    item: EvalItem
    heard: Heard
    intent_ok: bool
    slots_ok: bool | None  # None: the item expects no slots
    outcome: str | None  # EMERGENCY / NOT_EMERGENCY from the reply; None without a reply
    outcome_ok: bool | None  # None: the item expects no outcome
    effect_ok: bool | None = None  # None: the expected effect is not known (then ``ok`` is ``exact``)

    @property
    def exact(self) -> bool:
        """The old rule: the expected intent exactly, slot words verbatim (or ids), and the outcome."""
        return self.heard.error is None and self.intent_ok and self.slots_ok is not False \
            and self.outcome_ok is not False

    @property
    def ok(self) -> bool:
        """Right by what the skill did: the turn's effect is the expected intent's, and the outcome is right."""
        if self.effect_ok is None:
            return self.exact
        return self.heard.error is None and self.effect_ok and self.outcome_ok is not False


def emergency_instruction(locale: str) -> str:
    """What an emergency reply starts with in this locale, e.g. "Call 911 now"."""
    from skill.triage import locale_text

    return locale_text(locale).call_now()


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


# Protocol 3 split a sign the sets were written for: "severe, or worse at night" (pain_pattern) is now severe_pain
# and pain_pattern. An item written for the old sign is right when the skill hears either (nlu_eval/README.md).
SPLIT_IDS = {"pain_pattern": {"pain_pattern", "severe_pain"}}


def effect_of_heard(heard: Heard, instruction: str) -> Effect | None:
    if heard.error is not None or heard.speech is None:
        return None
    return effect_of(heard.before, heard.after, heard.speech, instruction)


def score(item: EvalItem, heard: Heard, instruction: str, expected: tuple[Effect, ...] | None = None) -> Result:
    """``expected``: the effects of the turn when the skill hears exactly what the item expects (any of them)."""
    # Alexa sends AMAZON.FallbackIntent where virtual-alexa matches nothing
    intent_ok = heard.error is None and (heard.intent or FALLBACK) == item.intent
    slots_ok = None
    if item.slots:
        # A sign's id counts in whichever of the intent's slots carries it: SignIntent has "sign" and "said"
        # ("no, I can't breathe"), NoSignIntent "sign" and "denied" ("my legs aren't numb").
        heard_ids = {value_id for slot in heard.slots.values() for value_id in slot["ids"]}
        slots_ok = heard.error is None and all(
            bool(SPLIT_IDS.get(item.slot_ids[name], {item.slot_ids[name]}) & heard_ids) if name in item.slot_ids
            else name in heard.slots and _same_words(heard.slots[name]["value"], value)
            for name, value in item.slots.items())
    outcome = None
    if heard.error is None and heard.speech is not None:
        outcome = EMERGENCY if ssml_to_text(heard.speech).startswith(instruction) else NOT_EMERGENCY
    outcome_ok = None if item.outcome is None else outcome == item.outcome
    effect_ok = None if expected is None else effect_of_heard(heard, instruction) in expected
    return Result(item, heard, intent_ok, slots_ok, outcome, outcome_ok, effect_ok)


# ---- the conversation up to an item's context ------------------------------------------------------

def skill_id_to_use() -> str:
    """The skill id requests carry: SKILL_ID's, as the served skill and the handler check it, else the local one."""
    return os.environ.get("SKILL_ID") or DEFAULT_SKILL_ID


def question_of(session_attributes: dict | None) -> str | None:
    """The protocol question the skill is on, from its session attributes."""
    return ((session_attributes or {}).get("triage") or {}).get("q")


def context_plan(invoke: Invoke, locale: str, skill_id: str) -> dict[str, int]:
    """Question id -> how many "no" answers after launch reach it (the first key: the launch's question)."""
    session = Session(skill_id=skill_id, locale=locale)
    response = invoke(session.launch())
    plan: dict[str, int] = {}
    for count in range(MAX_CONTEXT_TURNS):
        session.absorb(response)
        question = question_of(response.get("sessionAttributes"))
        if session.ended or question is None:
            break
        plan.setdefault(question, count)
        response = invoke(session.intent(NO))
    if not plan:
        raise RuntimeError("the launch asked no question: no context can be reached")
    return plan


def context_of(item: EvalItem, plan: dict[str, int]) -> str:
    return item.context or next(iter(plan))


# ---- running the resolvers -------------------------------------------------------------------------

def slot_types(model: dict) -> dict[tuple[str, str], str]:
    return {(intent["name"], slot["name"]): slot["type"]
            for intent in model["interactionModel"]["languageModel"]["intents"] for slot in intent.get("slots", [])}


def intent_event(session: Session, intent: str, slots: dict[str, dict], types: dict) -> dict:
    """An IntentRequest with the slots' values, and entity resolution where the resolver gave an id."""
    return session.intent(intent, {
        name: (slot["value"], slot["id"], slot.get("type") or types.get((intent, name), name)) if slot.get("id")
        else slot["value"] for name, slot in slots.items()})


def heard_by_text(item: EvalItem, invoke: Invoke, locale: str, skill_id: str, plan: dict[str, int],
                  types: dict, resolve: Resolve = resolve_with_chat) -> Heard:
    """The item through a text-to-intent resolver (the chat's or the stand-in), then the skill in this process."""
    context = context_of(item, plan)
    session = Session(skill_id=skill_id, locale=locale)
    response = invoke(session.launch())
    for _ in range(plan[context]):
        session.absorb(response)
        response = invoke(session.intent(NO))
    session.absorb(response)
    before = response.get("sessionAttributes")
    if question_of(before) != context:
        return Heard(None, {}, None, error=f"context {context} not reached")
    intent, slots = resolve(item.utterance, locale)
    event = session.launch() if intent == LAUNCH else intent_event(session, intent, slots, types)
    reply = invoke(event)
    speech = (reply.get("response", {}).get("outputSpeech") or {}).get("ssml")
    return Heard(intent, {name: {"value": s["value"], "ids": [s["id"]] if s.get("id") else []}
                          for name, s in slots.items()}, speech, before=before, after=reply.get("sessionAttributes"))


def expected_resolutions(item: EvalItem) -> list[Resolve]:
    """What the item expects, as resolvers that hear exactly it: one per id a split sign may be heard as."""
    choices: list[dict[str, dict]] = [{}]
    for name, value in item.slots.items():
        ids = sorted(SPLIT_IDS.get(item.slot_ids[name], {item.slot_ids[name]})) if name in item.slot_ids else [None]
        choices = [{**chosen, name: {"value": value, "id": value_id}} for chosen in choices for value_id in ids]

    def hears(slots: dict[str, dict]) -> Resolve:
        return lambda text, locale: (item.intent, slots)

    return [hears(chosen) for chosen in choices]


def expected_effects(items: list[EvalItem], locale: str, model: dict, plan: dict[str, int],
                     instruction: str) -> list[tuple[Effect, ...] | None]:
    """Per item, the effects of its turn when the skill hears exactly what it expects (None: could not be said)."""
    from skill.local.targets import local_invoker

    invoke, skill_id, types, effects = local_invoker(), skill_id_to_use(), slot_types(model), []
    for item in items:
        heard = [heard_by_text(item, invoke, locale, skill_id, plan, types, resolve)
                 for resolve in expected_resolutions(item)]
        found = tuple(effect for effect in (effect_of_heard(h, instruction) for h in heard) if effect is not None)
        effects.append(found or None)
    return effects


def run_text(items: list[EvalItem], locale: str, model: dict, plan: dict[str, int],
             resolve: Resolve = resolve_with_chat) -> list[Heard]:
    from skill.local.targets import TargetError, local_invoker

    invoke, skill_id, types, heard = local_invoker(), skill_id_to_use(), slot_types(model), []
    for item in items:
        try:
            heard.append(heard_by_text(item, invoke, locale, skill_id, plan, types, resolve))
        except TargetError as error:
            heard.append(Heard(None, {}, None, error=str(error)))
    return heard


def heard_from_runner(record: dict, context: str) -> Heard:
    """One line of tools/virtual-alexa/run.js as Heard; an item said at another question is an error."""
    if record["status"] == "error":
        return Heard(None, {}, None, error=record["message"])
    attributes = record["session_attributes"]  # None: unmatched, and the model has no fallback intent to send
    if attributes is not None and question_of(attributes) != context:
        return Heard(None, {}, None, error=f"context {context} not reached")
    slots = {name: {"value": slot["value"], "ids": [r["id"] for r in slot["resolutions"]
                                                    if r["status"] == "ER_SUCCESS_MATCH" and r["id"]]}
             for name, slot in record["slots"].items()}
    return Heard(record["intent"], slots, record["speech"], sent_intent=record["sent_intent"], before=attributes,
                 after=record.get("reply_attributes"))


def run_virtual_alexa(items: list[EvalItem], locale: str, model_file: Path, plan: dict[str, int]) -> list[Heard]:
    from skill.local import nlu_eval_virtual_alexa

    contexts = [context_of(item, plan) for item in items]
    records = nlu_eval_virtual_alexa.run(
        [{"utterance": item.utterance, "context_answers": ["no"] * plan[context]}
         for item, context in zip(items, contexts, strict=True)], model_file, locale, skill_id_to_use())
    return [heard_from_runner(record, context) for record, context in zip(records, contexts, strict=True)]


# ---- the report ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Summary:
    resolver: str  # one of RESOLVERS
    label: str  # what was run, for the table's title
    locale: str
    results: tuple[Result, ...]
    instruction: str

    def _in(self, category: str) -> list[Result]:
        return [r for r in self.results if r.item.category == category]

    @property
    def emergency_statements(self) -> tuple[int, int]:
        """(replied with the emergency instruction, emergency statements)."""
        said = self._in("emergency_statements")
        return sum(r.outcome == EMERGENCY for r in said), len(said)

    @property
    def negations_to_emergency(self) -> int:
        return sum(r.outcome == EMERGENCY for r in self._in("negations"))

    @property
    def overall(self) -> tuple[int, int]:
        """(items right by the turn's effect and outcome, items)."""
        return sum(r.ok for r in self.results), len(self.results)

    @property
    def overall_exact(self) -> tuple[int, int]:
        """(items right by the old rule: exact intent, slot words verbatim, outcome; items)."""
        return sum(r.exact for r in self.results), len(self.results)

    def below_thresholds(self) -> list[str]:
        """Each safety threshold this run misses, as a sentence; empty when it meets them all."""
        misses = []
        hit, total = self.emergency_statements
        if total and hit / total < EMERGENCY_MIN:
            misses.append(f"{self.resolver}: emergency statements -> emergency {hit}/{total}, "
                          f"needs >= {EMERGENCY_MIN:.0%}")
        if self.negations_to_emergency > NEGATION_EMERGENCY_MAX:
            misses.append(f"{self.resolver}: {self.negations_to_emergency} negations -> emergency, "
                          f"allowed {NEGATION_EMERGENCY_MAX}")
        right, total = self.overall
        if right / total < OVERALL_MIN:
            misses.append(f"{self.resolver}: overall {right}/{total}, needs >= {OVERALL_MIN:.0%}")
        return misses


def _ratio(right: int, total: int) -> str:
    return f"{right}/{total} {right / total:4.0%}" if total else "-"


def _row(name: str, results: list[Result]) -> str:
    with_slots = [r for r in results if r.slots_ok is not None]
    with_outcome = [r for r in results if r.outcome_ok is not None]
    cells = [_ratio(sum(r.intent_ok for r in results), len(results)),
             _ratio(sum(bool(r.slots_ok) for r in with_slots), len(with_slots)),
             _ratio(sum(bool(r.outcome_ok) for r in with_outcome), len(with_outcome)),
             _ratio(sum(r.exact for r in results), len(results)),
             _ratio(sum(r.ok for r in results), len(results))]
    return (f"  {name:<22}{len(results):>5}   " + "".join(f"{cell:<14}" for cell in cells)).rstrip()


def _heard_as(result: Result) -> str:
    heard = result.heard
    if heard.error:
        return f"error: {heard.error}"
    said = heard.intent or (f"unmatched (sent {heard.sent_intent})" if heard.sent_intent else "unmatched")
    slots = ", ".join(f"{n}={s['value']!r}" + (f" [{','.join(s['ids'])}]" if s["ids"] else "")
                      for n, s in heard.slots.items())
    return said + (f" {{{slots}}}" if slots else "") + (f" / {result.outcome}" if result.outcome else "")


def report_lines(summary: Summary, misses: bool = True) -> list[str]:
    """The table by category, the safety numbers against their thresholds and, optionally, every miss."""
    results = list(summary.results)
    lines = [f"NLU evaluation: {summary.label}, {summary.locale}, {len(results)} items",
             f"  {'category':<22}{'items':>5}   {'intent':<14}{'slots':<14}{'outcome':<14}{'exact':<14}effect"]
    lines += [_row(category, [r for r in results if r.item.category == category])
              for category in CATEGORIES if any(r.item.category == category for r in results)]
    lines.append(_row("all", results))
    hit, total = summary.emergency_statements
    right, count = summary.overall
    exact, _ = summary.overall_exact
    lines += [f"  emergency statements -> \"{summary.instruction}\": {_ratio(hit, total)} (threshold "
              f">= {EMERGENCY_MIN:.0%})",
              f"  negations -> \"{summary.instruction}\": {summary.negations_to_emergency} (threshold "
              f"<= {NEGATION_EMERGENCY_MAX})",
              f"  overall accuracy, by the turn's effect: {_ratio(right, count)} (threshold >= {OVERALL_MIN:.0%}); "
              f"exact intent and slot words: {_ratio(exact, count)}"]
    if misses:
        for result in (r for r in results if not r.ok):
            item = result.item
            wanted = item.intent + (f" {item.slots}" if item.slots else "") + (f" / {item.outcome}"
                                                                              if item.outcome else "")
            lines.append(f"  miss [{item.category}] {item.utterance!r}: expected {wanted}; heard {_heard_as(result)}")
    return lines


# ---- the command -----------------------------------------------------------------------------------

RESOLVERS = ("chat", "virtual-alexa", "standin")
LABELS = {"chat": "chat resolver (skill/local/nlu.py) + Lambda handler",
          "standin": "stand-in NLU (skill/local/standin_nlu.py) + Lambda handler"}


HALVES = ("all", "dev", "held-out")


def half_of(utterance: str) -> str:
    """Which half of a set an item falls in, fixed by its words: "dev" items may be studied to improve the
    model; "held-out" items are not looked at, so their score stays a measure of phrasings never tuned for."""
    return "dev" if hashlib.sha256(utterance.encode("utf-8")).digest()[0] % 2 == 0 else "held-out"


def evaluate(annotations: Path, resolvers: Iterable[str] = RESOLVERS, model_file: Path | None = None,
             meta: Path | None = None, notes: Callable[[str], None] = print, half: str = "all") -> list[Summary]:
    """Load and check the set, run it through each resolver; a resolver that cannot run here is noted and skipped."""
    from skill.local.nlu_eval_virtual_alexa import Unavailable
    from skill.local.targets import local_invoker
    from skill.triage import default_protocol

    questions = tuple(q.id for q in default_protocol().questions)
    locale, items = nlu_eval_set.load(annotations, questions, meta)
    if half != "all":
        items = [item for item in items if half_of(item.utterance) == half]
    model_file = model_file or MODELS_DIR / f"{locale}.json"
    model = json.loads(model_file.read_text(encoding="utf-8"))
    nlu_eval_set.check_against_model(items, model)
    instruction = emergency_instruction(locale)
    plan = context_plan(local_invoker(), locale, skill_id_to_use())
    unreachable = [item.utterance for item in items if context_of(item, plan) not in plan]
    if unreachable:
        raise nlu_eval_set.EvalSetError(f"contexts that answering no from the launch never reaches: {unreachable}")
    summaries, expected = [], None
    for resolver in resolvers:
        if resolver == "standin" and not standin_available():
            notes("NLU evaluation: standin skipped: scikit-learn is not installed (requirements-dev.txt)")
            continue
        if resolver in TEXT_RESOLVERS:
            label, heard = LABELS[resolver], run_text(items, locale, model, plan, TEXT_RESOLVERS[resolver])
        else:
            try:
                heard = run_virtual_alexa(items, locale, model_file, plan)
            except Unavailable as why:
                notes(f"NLU evaluation: virtual-alexa skipped: {why}")
                continue
            label = f"virtual-alexa ({model_file.name}) + python -m skill serve"
        if expected is None:
            expected = expected_effects(items, locale, model, plan, instruction)
        results = tuple(score(item, h, instruction, wanted) for item, h, wanted in zip(items, heard, expected,
                                                                                       strict=True))
        summaries.append(Summary(resolver, label, locale, results, instruction))
    return summaries


def standin_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("sklearn") is not None


def set_name(annotations: Path) -> str:
    """"en-US", "en-US.fresh": the set's file name without ``.annotations.json``."""
    return annotations.name.removesuffix(".annotations.json")


def summary_line(name: str, summary: Summary) -> str:
    """One line per set and resolver: the two safety numbers and overall accuracy, and what misses a threshold."""
    hit, total = summary.emergency_statements
    right, count = summary.overall
    exact, _ = summary.overall_exact
    below = summary.below_thresholds()
    return (f"nlu-eval {name:<14} {summary.resolver:<13} emergency statements -> emergency {_ratio(hit, total):<11} "
            f"negations -> emergency {summary.negations_to_emergency}   overall {_ratio(right, count):<11} "
            f"(exact {_ratio(exact, count)})"
            + (f"   (below: {'; '.join(line.split(': ', 1)[1] for line in below)})" if below else ""))


def write_report(path: Path, lines: Iterable[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("annotations", nargs="?", default=str(nlu_eval_set.annotation_path("en-US")),
                        help="an annotation set (default: nlu_eval/en-US.annotations.json)")
    parser.add_argument("--meta", help="its sidecar (default: the .meta.json beside it)")
    parser.add_argument("--resolver", choices=("all", *RESOLVERS), default="all", help="default: all")
    parser.add_argument("--model", help="the model virtual-alexa matches against and the set is checked against "
                        "(default: interaction_models/<the set's locale>.json, which the chat resolver reads)")
    parser.add_argument("--enforce", action="store_true", help="exit 1 when a threshold is not met")
    parser.add_argument("--no-misses", action="store_true", help="print the tables only, not each miss")
    parser.add_argument("--report", metavar="FILE", help="write the tables to FILE (e.g. .reports/nlu-eval.txt) and "
                        "print one summary line per resolver instead")
    parser.add_argument("--half", choices=HALVES, default="all",
                        help="dev: the half whose misses may guide the model; held-out: the half never studied")


def main(args: argparse.Namespace) -> int:
    resolvers = RESOLVERS if args.resolver == "all" else (args.resolver,)
    try:
        summaries = evaluate(Path(args.annotations), resolvers, Path(args.model) if args.model else None,
                             Path(args.meta) if args.meta else None, half=args.half)
    except nlu_eval_set.EvalSetError as error:
        print(f"invalid evaluation set: {error}", file=sys.stderr)
        return 2
    below, tables = [], []
    for summary in summaries:
        tables += report_lines(summary, misses=not args.no_misses)
        below += summary.below_thresholds()
    if args.report:
        write_report(Path(args.report), tables)
        print("\n".join(summary_line(set_name(Path(args.annotations)), summary) for summary in summaries))
        print(f"tables: {args.report}")
    else:
        print("\n".join(tables))
    enforced = args.enforce or ENFORCE
    for line in below:
        print(f"{'FAIL' if enforced else 'not yet enforced'}: {line}", file=sys.stderr)
    return 1 if below and enforced else 0
