"""``python -m skill model``: each locale's interaction model, generated from the protocol's phrasings.

One source: each question's ``names`` (noun phrases: "chest pain") and ``says``
(statements: "my chest is killing me") and the locale's ``understanding``
(answers, hedges, navigation, carriers, negation rules) in
``skill/triage/data/understanding/`` (the spoken text is apart, in ``data/locales/``). From them:

- slot type ``SIGN_NAME``: every sign's noun phrases, its entity-resolution id the
  question's id, so that "no {sign}" or "I don't have {sign}" can never wrap a
  statement ("no, I can't breathe" is not a denial);
- ``SIGN_SAID``: every sign's statements (and the statements that answer a memory
  offer, e.g. "it's a bit better" for "is that pain still there?"); after a "no",
  a statement still says the sign is there ("no {said}");
- ``SIGN_DENIED``: every statement said the other way round by the locale's
  negation rules ("my legs are numb" -> "my legs aren't numb");
- emphasis: each statement also as people stress it, by the locale's emphasis
  rules ("my chest is tight" -> "my chest is really tight");
- ``SignIntent`` and ``NoSignIntent`` samples: the carriers around those slots
  (listed, and ``*_patterns`` expanded); the other intents' samples straight
  from the data.

Patterns keep the data small and general: a question's ``patterns`` expand
templates with word lists ("my {heart} {is} {racing}"), as names, statements
(``say``) or denials (``deny``); ``understanding.fills`` are word lists every
template can use; ``denial_variants`` add what a denial also says ("I haven't
lost any weight"); ``participles`` serve "I haven't fallen". The generator
refuses a phrase that means two signs, a sign that is also a denial, a sample
of two intents, and more slot values than Alexa takes.

``interaction_models/<locale>.json`` is written from this; a test fails when a
committed model is stale, and ``skill-package/`` copies the models.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skill.alexa import intents
from skill.model.built_in import BUILT_IN_PHRASES_BY_LANGUAGE
from skill.triage import Protocol, default_locales, default_protocol
from skill.triage.protocol import LocaleText, Question

ROOT = Path(__file__).resolve().parents[2]
MODELS_DIR = ROOT / "interaction_models"
INVOCATION = "back pain check"  # a locale's publishing.invocation says it in its own language
# Alexa takes letters (any script), spaces, apostrophes and periods in samples and slot values.
SPEAKABLE = re.compile(r"^[^\W\d_]+(?:[ '.-]+[^\W\d_]+)*\.?$|^\{\w+\}$")

# Built-in intents, with the data key holding their extra samples (None: Alexa's own only). Alexa's built-ins fire
# only on an exact sample, so a sample that is one of Alexa's own phrases (skill.local.nlu lists a conservative
# subset) is left out: only what they do not cover ("I do", "I haven't") is worth sending.
BUILT_IN = {
    intents.YES: "yes", intents.NO: "no", intents.HELP: "help", intents.REPEAT: "repeat",
    intents.START_OVER: "start_over", intents.PREVIOUS: "previous", intents.STOP: "stop", intents.CANCEL: "cancel",
    intents.NAVIGATE_HOME: None, intents.FALLBACK: None,
}


class ModelError(ValueError):
    """The phrasings would make a model Alexa refuses, or one that could hear a no as a yes."""


@dataclass(frozen=True)
class Limit:
    """One of Alexa's limits on an interaction model, and the figure this project holds itself to (with margin).
    ``docs/alexa-limits.md`` gives each one's source."""

    figure: str  # the key in ``figures()``
    what: str
    alexa: int  # Alexa's (or, where Alexa publishes none, Amazon Lex's) limit
    target: int  # what the generator refuses beyond


LIMITS = (
    Limit("model_characters", "characters in the model as sent (minified JSON)", 1_000_000, 1_000_000),
    Limit("slot_values", "custom slot values and synonyms, all types together", 50_000, 20_000),
    Limit("values_per_type", "values and synonyms in one custom slot type", 10_000, 10_000),
    Limit("value_characters", "characters in one slot value or synonym", 140, 140),
    Limit("samples_per_intent", "sample utterances in one intent", 1_500, 1_500),
    Limit("sample_characters", "characters in one sample utterance", 500, 200),
)
MAX_SLOT_VALUES = next(limit.target for limit in LIMITS if limit.figure == "slot_values")
CLITIC = re.compile(r" '(?=\w)")
FORM = re.compile(r"\{(form|participle):(\d)\}")


def negations(statement: str, rules: Iterable[tuple[str, list[str]]], forms: Mapping[str, str],
              participles: Mapping[str, str] | None = None) -> list[str]:
    """``statement`` said the other way round by the first rule whose pattern matches it ([] when none does).

    A template's ``{form:N}`` is group N in the form the locale's ``forms`` table gives it ("hurts" -> "hurt",
    "fell" -> "fall"), and ``{participle:N}`` in its ``participles`` form ("fell" -> "fallen", for "I haven't
    fallen"; a verb not in the table is its own participle), so the rules stay data and a language brings its
    own grammar.
    """
    tables = {"form": forms, "participle": participles or {}}
    for pattern, templates in rules:
        match = re.match(pattern, statement, re.IGNORECASE)
        if match:
            return [_expanded(match, template, tables) for template in templates]
    return []


def _expanded(match: re.Match[str], template: str, tables: Mapping[str, Mapping[str, str]]) -> str:
    """``template`` filled from ``match``: ``{form:N}`` is group N as its table gives it, then ``\\N`` as re does."""
    def form(m: re.Match[str]) -> str:
        group = match.group(int(m.group(2)))
        return tables[m.group(1)].get(group, group)

    return match.expand(FORM.sub(form, template))


def variants(denials: Iterable[str], rules: Iterable[tuple[str, str]]) -> list[str]:
    """Each denial, and each as the locale's ``denial_variants`` also say it ("I haven't lost weight" -> "I haven't
    lost any weight"): a rule's pattern replaced once, where it matches."""
    found = []
    for denial in denials:
        found.append(denial)
        for pattern, replacement in rules:
            varied = re.sub(pattern, replacement, denial, count=1, flags=re.IGNORECASE)
            if varied != denial:
                found.append(varied)
    return _unique(found)


def _filled(template: str, fills: Mapping[str, Iterable[str]],
            combine: Callable[[list[str], str, list[str]], list[str]]) -> list[str]:
    """``template`` with each fill it names put in by ``combine(phrases, name, words)``; a fill may hold other fills'
    names ("since {day}"), and a name with no fill stays as it is (a slot: ``{sign}``)."""
    phrases, done = [template], set()
    while True:
        names = [n for n in dict.fromkeys(re.findall(r"\{(\w+)\}", " ".join(phrases))) if n in fills and n not in done]
        if not names:
            break
        for name in names:
            phrases = combine(phrases, "{" + name + "}", list(fills[name]))
            done.add(name)
    # an empty fill ("") leaves no double or trailing space; a fill that starts with an apostrophe ("'s gone")
    # joins the word before it ("my bottom's gone")
    return [CLITIC.sub("'", " ".join(p.split())) for p in phrases]


def expand(template: str, fills: Mapping[str, Iterable[str]]) -> list[str]:
    """Every phrase a template makes with the fills (``"my {place} hurts"`` with places chest, jaw...)."""
    return _filled(template, fills, lambda phrases, slot, words: [p.replace(slot, w) for p in phrases for w in words])


def cover(template: str, fills: Mapping[str, Iterable[str]]) -> list[str]:
    """A varied subset of what ``expand`` makes: every word of every fill the template uses, at least once, in as
    few phrases as that takes (the longest fill's length), not every combination. Amazon's samples and slot
    values teach a model; the product of three word lists is mostly near-duplicates."""
    def spread(phrases: list[str], slot: str, words: list[str]) -> list[str]:
        count = max(len(phrases), len(words)) if words else 0
        return [phrases[k % len(phrases)].replace(slot, words[k % len(words)]) for k in range(count)]

    return _unique(_filled(template, fills, spread))


def place_phrases(places: Iterable[str], templates: Iterable[str],
                  fills: Mapping[str, Iterable[str]] | None = None) -> list[str]:
    """A sign's places (chest, arm, jaw) in the locale's ways of saying a place hurts, or is fine; a template
    may also use the locale's shared ``fills`` ("the pain {spreads} {into} my {place}")."""
    every = {**(fills or {}), "place": list(places)}
    return _unique(p for t in templates for p in expand(t, every))


def phrasings(texts: Mapping[str, Any], understanding: Mapping[str, Any], kind: str, full: bool = True) -> list[str]:
    """A sign's ``kind`` of phrasing, "says" (statements: "my chest hurts") or "names" (noun phrases: "chest
    pain"): the listed ones, its places in the locale's templates of that kind, and its own patterns' ones
    (every combination when ``full``, else a covering subset: see ``cover``)."""
    templates = understanding.get("place_sign" if kind == "says" else "place_names", [])
    fills = understanding.get("fills", {})
    found = [*texts.get(kind, []), *place_phrases(texts.get("places", []), templates, fills)]
    key = "say" if kind == "says" else "name"
    for pattern in texts.get("patterns", []):  # "except": phrases a pattern makes that belong to another sign
        grow = expand if full else cover
        found += [p for template in pattern.get(key, []) for p in grow(template, {**fills, **pattern})
                  if p not in pattern.get("except", ())]
    return _unique(found)


def denied_by_patterns(texts: Mapping[str, Any], understanding: Mapping[str, Any]) -> list[str]:
    """A sign's patterns' ``deny`` templates: denials said in their own words ("my speech is {fine}"), a covering
    subset of their combinations (a denial is never an emergency: no need for every one)."""
    fills = understanding.get("fills", {})
    return _unique(p for pattern in texts.get("patterns", []) for template in pattern.get("deny", [])
                   for p in cover(template, {**fills, **pattern}) if p not in pattern.get("except", ()))


def stressed(said: Iterable[str], understanding: Mapping[str, Any]) -> list[str]:
    """The statements as people stress them ("my chest is really tight"), by the locale's emphasis rules."""
    rules = [(p, list(t)) for p, t in understanding.get("emphasis", [])]
    return _unique(e for s in said for e in negations(s, rules, understanding.get("forms", {})))


def _value(concept: str, phrasings: list[str]) -> dict[str, Any]:
    return {"id": concept, "name": {"value": phrasings[0], "synonyms": phrasings[1:]}}


def emergency_when_said(protocol: Protocol, question: Question) -> bool:
    """The protocol calls for help whenever this sign is said, asked or not: its phrasings are kept whole."""
    said = question.alone if question.when else question.yes
    return said == protocol.top


def slot_types(protocol: Protocol, text: LocaleText) -> list[dict[str, Any]]:
    """The three slot types. Every combination of a pattern only for a sign that is an emergency whenever it is
    said (the word-for-word matchers must not miss those); a covering subset for the others. Emphasis
    ("I just fell") only on the listed statements; a generated statement said the other way round by each
    rule's first template, a listed one by all of them."""
    understanding = text.understanding
    rules = [(pattern, list(templates)) for pattern, templates in understanding["negations"]]
    first_only = [(pattern, templates[:1]) for pattern, templates in rules]
    forms = understanding.get("forms", {})
    participles = understanding.get("participles", {})
    names: list[dict[str, Any]] = []
    statements: list[dict[str, Any]] = []
    denied: list[dict[str, Any]] = []
    opener = re.compile(understanding["statement_openers"], re.IGNORECASE)
    for question in protocol.questions:
        texts = text.questions[question.id]
        full = emergency_when_said(protocol, question)
        said, named = phrasings(texts, understanding, "says", full), phrasings(texts, understanding, "names", full)
        for statement in said:
            if not opener.match(statement):  # "no {said}" must never wrap a noun phrase: "no pain in my chest"
                raise ModelError(f"{question.id}: {statement!r} is filed as a statement but does not open like one")
        listed = _unique(texts.get("says", []))
        heard = _unique([*said, *stressed(said if full else listed, understanding)])
        if named:  # a sign with no noun phrase (an age, say) has no SIGN_NAME value
            names.append(_value(question.id, named))
        if heard:
            statements.append(_value(question.id, heard))
        negated = variants([*(n for s in listed for n in negations(s, rules, forms, participles)),
                            *(n for s in said if s not in listed
                              for n in negations(s, first_only, forms, participles)),
                            *place_phrases(texts.get("places", []), understanding.get("place_denial", []),
                                           understanding.get("fills", {})),
                            *texts.get("denials", []), *denied_by_patterns(texts, understanding)],
                           [(pattern, replacement) for pattern, replacement in
                            understanding.get("denial_variants", [])])
        if negated:
            denied.append(_value(question.id, negated))
    for (kind, answer), concept in intents.OFFER_CONCEPTS.items():
        statements.append(_value(concept, _unique(understanding["offers"][kind][answer])))
    return [{"name": intents.SIGN_NAME_TYPE, "values": names}, {"name": intents.SIGN_SAID_TYPE, "values": statements},
            {"name": intents.SIGN_DENIED_TYPE, "values": denied}]


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _intent(name: str, samples: Iterable[str], slots: Mapping[str, str] | None = None) -> dict[str, Any]:
    intent: dict[str, Any] = {"name": name, "samples": _unique(samples)}
    if slots:
        intent["slots"] = [{"name": slot, "type": kind} for slot, kind in slots.items()]
    return intent


def language_model(protocol: Protocol, text: LocaleText) -> dict[str, Any]:
    understanding = text.understanding
    sign = "{" + intents.SIGN_SLOT + "}"
    denied = "{" + intents.DENIED_SLOT + "}"
    said = "{" + intents.SAID_SLOT + "}"
    own = BUILT_IN_PHRASES_BY_LANGUAGE.get(text.locale.split("-")[0], {})
    built_in = [_intent(name, [s for s in (answers(understanding, key) if key else [])
                               if s.lower() not in own.get(name, [])]) for name, key in BUILT_IN.items()]
    custom = [
        _intent(intents.UNSURE, answers(understanding, "unsure")),
        _intent(intents.SIGN, [c.replace("{sign}", sign) for c in answers(understanding, "sign_carriers")]
                + [c.replace("{said}", said) for c in answers(understanding, "said_carriers")],
                {intents.SIGN_SLOT: intents.SIGN_NAME_TYPE, intents.SAID_SLOT: intents.SIGN_SAID_TYPE}),
        _intent(intents.NO_SIGN, [c.replace("{sign}", sign) for c in answers(understanding, "denial_carriers")]
                + [c.replace("{denied}", denied) for c in answers(understanding, "denied_carriers")],
                {intents.SIGN_SLOT: intents.SIGN_NAME_TYPE, intents.DENIED_SLOT: intents.SIGN_DENIED_TYPE}),
        _intent(intents.EMERGENCY, [*understanding["emergency"], *understanding.get("emergency_local", []),
                                    *_requests(understanding)]),
        *(_intent(name, answers(understanding, key)) for name, key in intents.PLAIN_INTENTS.items()),
    ]
    return {"invocationName": text.publishing.get("invocation", INVOCATION),
            "intents": built_in[:2] + custom + built_in[2:], "types": slot_types(protocol, text)}


# Answers to the question asked: a yes missed at an emergency question is a missed emergency, so their patterns
# ("yeah" + "it did") keep every combination; the other intents' patterns keep a covering subset.
ANSWER_KEYS = ("yes", "no", "unsure")


def answers(understanding: Mapping[str, Any], key: str) -> list[str]:
    """An intent's samples: the listed ones, and its ``<key>_patterns`` expanded: every combination for an answer
    (``ANSWER_KEYS``), else a covering subset (each word of each list at least once: see ``cover``)."""
    samples = list(understanding.get(key, []))
    grow = expand if key in ANSWER_KEYS else cover
    for pattern in understanding.get(f"{key}_patterns", []):
        samples += [p for template in pattern["say"]
                    for p in grow(template, {**understanding.get("fills", {}), **pattern})]
    return _unique(samples)


def _requests(understanding: Mapping[str, Any]) -> list[str]:
    """Asking for emergency help, every way the locale frames it: "please call an ambulance", "send help now".
    Every combination: a request for help must never depend on a matcher generalising."""
    actions = [*understanding.get("emergency_actions", []), *understanding.get("emergency_local_actions", [])]
    return _unique(p for frame in understanding.get("emergency_frames", []) for p in expand(frame, {"action": actions}))


def model(locale: str, protocol: Protocol | None = None) -> dict[str, Any]:
    protocol = protocol or default_protocol()
    text = default_locales()[locale]
    generated = {"interactionModel": {"languageModel": language_model(protocol, text)}, "version": "1"}
    check(generated)
    return generated


def check(generated: Mapping[str, Any]) -> None:
    """Refuse what Alexa would refuse, and any phrasing that is both a yes and a no."""
    language = generated["interactionModel"]["languageModel"]
    seen: dict[str, str] = {}
    for intent in language["intents"]:
        for sample in intent["samples"]:
            for word in sample.split():
                if not SPEAKABLE.match(word) and not re.fullmatch(r"\{\w+\}", word):
                    raise ModelError(f"{intent['name']}: sample {sample!r} has {word!r}, which Alexa refuses")
            key = sample.lower()
            if key in seen:
                raise ModelError(f"sample {sample!r} is in both {seen[key]} and {intent['name']}")
            seen[key] = intent["name"]
    types = {t["name"]: t for t in language["types"]}
    check_limits(generated)
    phrases_of: dict[str, set[str]] = {}  # slot type -> its values and synonyms, lower case
    for slot_type in types.values():
        owner: dict[str, str] = {}
        for value in slot_type["values"]:
            for phrase in [value["name"]["value"], *value["name"]["synonyms"]]:
                if not SPEAKABLE.match(phrase):
                    raise ModelError(f"{slot_type['name']}: {phrase!r} is not speakable")
                if owner.setdefault(phrase.lower(), value["id"]) != value["id"]:
                    raise ModelError(f"{slot_type['name']}: {phrase!r} means both {owner[phrase.lower()]} "
                                     f"and {value['id']}")
        phrases_of[slot_type["name"]] = set(owner)
    said = phrases_of[intents.SIGN_NAME_TYPE] | phrases_of[intents.SIGN_SAID_TYPE]
    for sample, intent in seen.items():  # a sample word for word is also a sign: Alexa could hear either
        if sample in said and intent != intents.SIGN:
            raise ModelError(f"{sample!r} is a sample of {intent} and a phrasing of a sign")
    for value in types[intents.SIGN_DENIED_TYPE]["values"]:
        for phrase in [value["name"]["value"], *value["name"]["synonyms"]]:
            if phrase.lower() in said:
                raise ModelError(f"{phrase!r} is both a sign and its denial")
    _check_no_denial_says_a_sign(language, phrases_of, said)


def minified(generated: Mapping[str, Any]) -> str:
    """The model as it is sent to Alexa (SMAPI's update-model call, the ASK CLI's deploy): compact JSON."""
    return json.dumps(generated, ensure_ascii=False, separators=(",", ":"))


def figures(generated: Mapping[str, Any]) -> dict[str, int]:
    """What ``LIMITS`` measures, for one model (the largest where a limit is per item), and a few counts more."""
    language = generated["interactionModel"]["languageModel"]
    phrases = {t["name"]: [p for v in t["values"] for p in [v["name"]["value"], *v["name"].get("synonyms", [])]]
               for t in language.get("types", [])}
    samples = [s for i in language["intents"] for s in i.get("samples", [])]
    return {
        "model_characters": len(minified(generated)),
        "slot_values": sum(len(p) for p in phrases.values()),
        "values_per_type": max((len(p) for p in phrases.values()), default=0),
        "value_characters": max((len(p) for ps in phrases.values() for p in ps), default=0),
        "samples_per_intent": max((len(i.get("samples", [])) for i in language["intents"]), default=0),
        "sample_characters": max((len(s) for s in samples), default=0),
        "samples": len(samples),
        "intents": len(language["intents"]),
        "slot_types": len(phrases),
    }


def check_limits(generated: Mapping[str, Any]) -> None:
    """Refuse a model beyond any of ``LIMITS``' targets, naming each figure that is over."""
    found = figures(generated)
    over = [f"{limit.what}: {found[limit.figure]:,} (at most {limit.target:,}; Alexa's limit {limit.alexa:,})"
            for limit in LIMITS if found[limit.figure] > limit.target]
    if over:
        raise ModelError("beyond Alexa's limits (docs/alexa-limits.md): " + "; ".join(over))


def _check_no_denial_says_a_sign(language: Mapping[str, Any], phrases_of: Mapping[str, set[str]],
                                 said: set[str]) -> None:
    """A denial sample, its slot filled, must never be word for word a sign: in Spanish "no" + "sé dónde estoy"
    (a denial) is "no sé dónde estoy" (confusion), so a carrier "no {denied}" would hear an emergency as a no."""
    by_first: dict[str, list[str]] = {}
    by_last: dict[str, list[str]] = {}
    for phrase in said:
        words = phrase.split()
        by_first.setdefault(words[0], []).append(phrase)
        by_last.setdefault(words[-1], []).append(phrase)
    no_sign = next(i for i in language["intents"] if i["name"] == intents.NO_SIGN)
    slot_types = {slot["name"]: slot["type"] for slot in no_sign.get("slots", [])}
    values = {name: phrases_of[kind] for name, kind in slot_types.items()}
    for sample in no_sign["samples"]:
        match = re.fullmatch(r"(.*?)\{(\w+)\}(.*)", sample.lower())
        if match is None:
            continue
        prefix, slot, suffix = match.group(1).strip(), match.group(2), match.group(3).strip()
        if not prefix and not suffix:
            continue  # the slot alone: a denial equal to a sign is refused above
        candidates = by_first.get(prefix.split()[0], []) if prefix else by_last.get(suffix.split()[-1], [])
        for phrase in candidates:
            head = f"{prefix} " if prefix else ""
            tail = f" {suffix}" if suffix else ""
            if phrase.startswith(head) and phrase.endswith(tail) and len(phrase) > len(head) + len(tail):
                middle = phrase[len(head):len(phrase) - len(tail)]
                if middle in values[slot]:
                    raise ModelError(f"{sample!r} with {middle!r} is {phrase!r}, a sign: a denial would hide it")


def render(locale: str) -> str:
    return json.dumps(model(locale), indent=2, ensure_ascii=False) + "\n"


def report(locale: str, generated: Mapping[str, Any]) -> str:
    """One locale's figures, each beside its target: what the generator prints when it writes."""
    found = figures(generated)
    parts = [f"{limit.figure} {found[limit.figure]:,}/{limit.target:,}" for limit in LIMITS]
    return f"{locale}: " + ", ".join(parts) + f"; {found['samples']:,} samples, {found['intents']} intents"


def main(out: str | None = None) -> int:
    folder = Path(out) if out else MODELS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for locale in sorted(default_locales()):
        generated = model(locale)
        (folder / f"{locale}.json").write_text(json.dumps(generated, indent=2, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
        print(f"wrote {folder / f'{locale}.json'}")
        print(f"  {report(locale, generated)}")
    return 0
