"""The NLU evaluation: the set is what Amazon takes, the scoring counts what matters, both resolvers run it.

The tables (accuracy by category, the safety numbers) print at the end of the pytest run (tests/conftest.py).
The thresholds are asserted on the first set (``skill.local.nlu_eval.ENFORCE``; NLU_EVAL_ENFORCE=0 only reports);
the later blind sets are held to the safety numbers through the chat, where unmatched words reach the skill.
"""

from __future__ import annotations

import copy
import json

import pytest
from conftest import KNOWN_ALARMS, ROOT, record_nlu_eval

from skill.__main__ import main as skill_main
from skill.local import nlu_eval, nlu_eval_set, nlu_eval_virtual_alexa
from skill.local.nlu_effect import Effect, effect_of
from skill.local.nlu_eval import Heard, Summary, score
from skill.local.nlu_eval_set import EMERGENCY, NOT_EMERGENCY, EvalItem, EvalSetError
from skill.triage import default_protocol

SET = nlu_eval_set.annotation_path("en-US")
QUESTIONS = tuple(q.id for q in default_protocol().questions)
MODEL = json.loads((ROOT / "interaction_models" / "en-US.json").read_text(encoding="utf-8"))
CALL = "<speak>Call <say-as interpret-as=\"digits\">911</say-as> now. This could be a medical emergency.</speak>"
NEXT = "<speak>Did the pain start suddenly?</speak>"


def amazon(*annotations: tuple[str, str]) -> dict:
    return {"data": [{"inputs": {"utterance": u}, "expected": [{"intent": {"name": i}}]} for u, i in annotations]}


# ---- the set ---------------------------------------------------------------------------------------

def test_the_set_is_an_amazon_annotation_set_with_a_sidecar_entry_for_every_utterance():
    locale, items = nlu_eval_set.load(SET, QUESTIONS)
    nlu_eval_set.check_against_model(items, MODEL)
    assert locale == "en-US"
    assert len(items) >= 320
    assert {item.category for item in items} == set(nlu_eval_set.CATEGORIES)
    raw = json.loads(SET.read_text(encoding="utf-8"))  # nothing but Amazon's fields, so it uploads as is
    assert set(raw) == {"data"}
    for entry in raw["data"]:
        assert set(entry) == {"inputs", "expected"} and set(entry["inputs"]) == {"utterance"}
        assert [set(e) for e in entry["expected"]] == [{"intent"}]


@pytest.mark.parametrize("change, complaint", [
    (lambda a, m: a.update(extra=1), "nothing else"),
    (lambda a, m: a["data"].append(copy.deepcopy(a["data"][0])), "appears twice"),
    (lambda a, m: a["data"][0]["inputs"].update(context="heart_attack"), "at most a referenceTimestamp"),
    (lambda a, m: a["data"][0]["expected"].append({"intent": {"name": "UnsureIntent"}}), "expected must be one"),
    (lambda a, m: a["data"][0]["expected"][0]["intent"].update(slots={"sign": "chest pain"}), "slots must be"),
    (lambda a, m: m["items"].pop("nope"), "no sidecar entry for ['nope']"),
    (lambda a, m: m["items"].update({"not in the set": {"category": "answers"}}), "not in the annotation set"),
    (lambda a, m: m["items"]["nope"].update(category="answer"), "category must be one of"),
    (lambda a, m: m["items"]["nope"].update(context="chest_pain"), "context must be a protocol question id"),
    (lambda a, m: m["items"]["nope"].update(outcome="urgent"), "outcome must be in"),
    (lambda a, m: m["items"]["nope"].update(slot_ids={"sign": "chest_pain"}), "slot_ids may only name"),
])
def test_a_set_that_breaks_the_format_is_refused_naming_what(tmp_path, change, complaint):
    annotations = amazon(("yeah", "AMAZON.YesIntent"), ("nope", "AMAZON.NoIntent"))
    meta = {"locale": "en-US", "items": {"yeah": {"category": "answers"}, "nope": {"category": "answers"}}}
    change(annotations, meta)
    (tmp_path / "x.annotations.json").write_text(json.dumps(annotations))
    (tmp_path / "x.meta.json").write_text(json.dumps(meta))
    with pytest.raises(EvalSetError) as refused:
        nlu_eval_set.load(tmp_path / "x.annotations.json", QUESTIONS)
    assert complaint in str(refused.value)


def test_an_expected_intent_or_slot_the_model_lacks_is_refused():
    with pytest.raises(EvalSetError, match="NegationIntent is not an intent"):
        nlu_eval_set.check_against_model([EvalItem("no chest pain", "NegationIntent", "negations")], MODEL)
    with pytest.raises(EvalSetError, match="has no slot"):
        nlu_eval_set.check_against_model(
            [EvalItem("I have chest pain", "EmergencyIntent", "emergency_statements", slots={"sign": "chest pain"})],
            MODEL)


# ---- scoring ---------------------------------------------------------------------------------------

def test_the_reply_decides_the_outcome_and_virtual_alexas_unmatched_counts_as_the_fallback_intent():
    negation = EvalItem("I don't have chest pain", "AMAZON.FallbackIntent", "negations", outcome=NOT_EMERGENCY)
    unmatched = score(negation, Heard(None, {}, NEXT, sent_intent="AMAZON.FallbackIntent"), "Call 911 now")
    assert unmatched.intent_ok and unmatched.outcome == NOT_EMERGENCY and unmatched.ok
    misheard = score(negation, Heard("EmergencyIntent", {}, CALL), "Call 911 now")
    assert not misheard.intent_ok and misheard.outcome == EMERGENCY and not misheard.outcome_ok and not misheard.ok


def test_a_slot_is_right_by_its_resolution_id_when_the_set_names_one_else_by_its_words():
    item = EvalItem("I've got a tight chest", "StatementIntent", "emergency_statements",
                    slots={"sign": "a tight chest"}, slot_ids={"sign": "chest_pain"})
    right_id = Heard("StatementIntent", {"sign": {"value": "A Tight  Chest", "ids": ["chest_pain"]}}, CALL)
    wrong_id = Heard("StatementIntent", {"sign": {"value": "a tight chest", "ids": ["back_pain"]}}, CALL)
    assert score(item, right_id, "Call 911 now").slots_ok is True
    assert score(item, wrong_id, "Call 911 now").slots_ok is False
    words_only = EvalItem("I have a tight chest", "StatementIntent", "emergency_statements",
                          slots={"sign": "a tight chest"})
    assert score(words_only, right_id, "Call 911 now").slots_ok is True
    assert score(words_only, Heard("StatementIntent", {}, CALL), "Call 911 now").slots_ok is False
    assert score(EvalItem("yes", "AMAZON.YesIntent", "answers"), right_id, "Call 911 now").slots_ok is None


def test_an_item_that_could_not_be_said_in_its_context_is_wrong_on_every_count():
    item = EvalItem("yeah", "AMAZON.YesIntent", "answers", outcome=EMERGENCY)
    result = score(item, Heard(None, {}, None, error="context injury not reached"), "Call 911 now")
    assert not result.intent_ok and result.outcome is None and result.outcome_ok is False and not result.ok


def test_the_safety_numbers_count_emergency_statements_and_negations_and_name_each_threshold_missed():
    def result(category, intent, speech, outcome):
        return score(EvalItem(f"{category} {intent} {outcome}", intent, category, outcome=outcome),
                     Heard(intent, {}, speech), "Call 911 now")

    results = tuple([result("emergency_statements", "EmergencyIntent", CALL, EMERGENCY)] * 18
                    + [result("emergency_statements", "AMAZON.FallbackIntent", NEXT, EMERGENCY)] * 2
                    + [result("negations", "EmergencyIntent", CALL, NOT_EMERGENCY)]
                    + [result("negations", "AMAZON.NoIntent", NEXT, NOT_EMERGENCY)] * 4)
    summary = Summary("chat", "chat", "en-US", results, "Call 911 now")
    assert summary.emergency_statements == (18, 20)
    assert summary.negations_to_emergency == 1
    assert summary.overall == (22, 25)
    assert [line.split(":")[1].strip() for line in summary.below_thresholds()] == [
        "emergency statements -> emergency 18/20, needs >= 95%", "1 negations -> emergency, allowed 0",
        "overall 22/25, needs >= 90%"]
    lines = nlu_eval.report_lines(summary)
    assert "  emergency_statements     20   20/20 100%    -             18/20  90%    18/20  90%    18/20  90%" in lines
    assert '  negations -> "Call 911 now": 1 (threshold <= 0)' in lines
    assert sum(line.startswith("  miss [") for line in lines) == 3


def one_set(tmp_path, items: dict[str, tuple[str, dict, dict]]):
    """A set of (expected intent, slot words, sidecar entry) per utterance, written as the loader reads it."""
    data = [{"inputs": {"utterance": u}, "expected": [{"intent": {"name": intent, **(
        {"slots": {name: {"value": words} for name, words in slots.items()}} if slots else {})}}]}
        for u, (intent, slots, _) in items.items()]
    (tmp_path / "x.annotations.json").write_text(json.dumps({"data": data}))
    (tmp_path / "x.meta.json").write_text(json.dumps({"locale": "en-US", "items": {
        u: meta for u, (_, _, meta) in items.items()}}))
    return tmp_path / "x.annotations.json"


def test_overall_counts_what_the_skill_did_not_which_intent_carried_it(tmp_path):
    """An emergency heard as EmergencyIntent rather than the sign, or Stop for Cancel (the same reply), is right
    by its effect; a yes for a no, or a plain no where the set expects the sign denied (the skill records a no
    to the whole question then, where the sign denied alone is confirmed first), is not."""
    annotations = one_set(tmp_path, {
        "call an ambulance": ("SignIntent", {"sign": "chest pain"}, {
            "category": "emergency_statements", "outcome": EMERGENCY, "slot_ids": {"sign": "heart_pain"}}),
        "stop": ("AMAZON.CancelIntent", {}, {"category": "navigation"}),
        "yes": ("AMAZON.NoIntent", {}, {"category": "answers"}),
        "no": ("NoSignIntent", {"sign": "chest pain"}, {
            "category": "negations", "outcome": NOT_EMERGENCY, "slot_ids": {"sign": "heart_pain"}})})
    [summary] = nlu_eval.evaluate(annotations, ("chat",))
    by_utterance = {r.item.utterance: r for r in summary.results}
    assert [(u, r.heard.intent, r.exact, r.ok) for u, r in by_utterance.items()] == [
        ("call an ambulance", "EmergencyIntent", False, True), ("stop", "AMAZON.StopIntent", False, True),
        ("yes", "AMAZON.YesIntent", False, False), ("no", "AMAZON.NoIntent", False, False)]
    assert summary.overall == (2, 4) and summary.overall_exact == (0, 4)


def test_an_effect_is_the_emergency_alone_or_what_the_triage_recorded_or_else_the_reply():
    asking = {"triage": {"v": 2, "q": "breathing", "m": 0, "a": [["heart_pain", 0, 1]]}}
    assert effect_of(asking, {}, CALL, "Call 911 now") == Effect(emergency=True)
    answered = effect_of(asking, {"triage": {"v": 2, "q": "faint", "m": 0, "a": [["heart_pain", 0, 1],
                                                                                 ["breathing", 0, 1]]}},
                         NEXT, "Call 911 now")
    assert answered.added == {("breathing", 0, 1)} and answered.question == "faint" and answered.reply is None
    helped = effect_of(asking, asking, "<speak>Say yes or no.</speak>", "Call 911 now")
    assert helped == Effect(False, question="breathing", reply="say yes or no.")


# ---- the runs --------------------------------------------------------------------------------------

def record(summary: Summary, misses: bool = True, annotations=SET) -> None:
    record_nlu_eval(annotations, summary, misses)


def check_run(summary: Summary) -> None:
    _, items = nlu_eval_set.load(SET, QUESTIONS)
    assert [r.item for r in summary.results] == items  # every item evaluated, in order
    assert [(r.item.utterance, r.heard.error) for r in summary.results if r.heard.error] == []
    assert all(r.heard.speech for r in summary.results)  # the skill answered every one
    if nlu_eval.ENFORCE:
        assert summary.below_thresholds() == []


def test_the_chat_resolver_and_the_lambda_handler_evaluate_every_item():
    [summary] = nlu_eval.evaluate(SET, ("chat",))
    record(summary)
    check_run(summary)


def test_virtual_alexa_and_the_served_skill_evaluate_every_item():
    skipped = []
    summaries = nlu_eval.evaluate(SET, ("virtual-alexa",), notes=skipped.append)
    if skipped:
        pytest.skip(skipped[0])
    [summary] = summaries
    record(summary)
    check_run(summary)


LATER_SETS = [SET.with_name(f"en-US.{name}.annotations.json") for name in ("fresh", "third")]


@pytest.mark.parametrize("later", LATER_SETS, ids=lambda path: path.name.split(".")[1])
def test_on_the_later_blind_sets_emergencies_in_own_words_still_lead_to_the_instruction_and_no_denial_does(later):
    """Written by people who never saw the model: overall accuracy there is reported, not held (exact samples
    cannot list every way of saying a thing); the two safety numbers are held."""
    [summary] = nlu_eval.evaluate(later, ("chat",))
    record(summary, annotations=later)
    right, total = summary.emergency_statements
    assert right / total >= nlu_eval.EMERGENCY_MIN, summary.below_thresholds()
    assert summary.negations_to_emergency == 0


EVERY_SET = sorted(nlu_eval_set.SET_DIR.glob("*.annotations.json"))


def set_id(path) -> str:
    return nlu_eval.set_name(path)


# Through the stand-in, the sets where the emergency bar (EMERGENCY_MIN) is not reached yet: the emergency statements
# that reached the instruction, held so that they cannot fall (issue 20). None now: Spanish blind3, the last, reached
# it. First untouched runs of every set are in nlu_eval/first_runs/ and nlu_eval/README.md.
STANDIN_EMERGENCY_FLOOR: dict[str, int] = {}
# Overall accuracy by the turn's effect (``Summary.overall``), through the stand-in: held at what was measured.
# es-US.blind19 was 199: Spanish SignIntent's "no no {said}" went (it passed "no, no me duele el pecho" on without
# its denial), and the stand-in, retrained on that model, now sends "explícame por favor" to EmergencyIntent.
# en-US.blind15 was 291 and es-US 264: EmergencyIntent gained the wish to die ("I don't want to be alive anymore",
# which the stand-in sent to AMAZON.StopIntent), and the sign reader, retrained on that model, no longer reads
# "i'm type two diabetic" or "me salió herpes en la espalda" (not emergencies, each now asked again).
# es-US.blind27 was 217: "mi marido no ha hecho pis en todo el día" (labelled an emergency by its writer) is not
# spotted, as an earlier study decided for "no he hecho pipí desde ayer": no urge said, no failed try.
# After blind30 and blind31's study, 13 floors went down by 1 or 2 (en-US.blind10, 14, 23, 29; es-US.blind6, 8, 11,
# 12, 16, 23, 25, 27, 29), no safety figure: "vomité sangre" left the unwell statements (vomiting blood is the
# general emergency, now an EmergencyIntent sample, with a stroke's one-sided numbness in both languages), and the
# stand-in, the learned half and the sign reader, retrained on that model, route a few non-emergency items
# differently ("i had spinal surgery in march", "vomité dos veces" are asked again; es-US.blind27's "ayuda" no
# longer reaches the instruction). Sixteen others went up by 1 to 3.
STANDIN_OVERALL_FLOOR = {"en-US": 376, "en-US.fresh": 260, "en-US.third": 259, "en-US.blind": 320, "es-US": 264,
                         "es-US.second": 237, "es-US.blind": 228, "en-US.blind2": 285, "es-US.blind2": 212,
                         "en-US.blind3": 293, "es-US.blind3": 202, "en-US.blind4": 287, "es-US.blind4": 211,
                         "en-US.blind5": 297, "es-US.blind5": 224, "en-US.blind6": 284, "es-US.blind6": 207,
                         "en-US.blind7": 278, "es-US.blind7": 200, "en-US.blind8": 291, "es-US.blind8": 202,
                         "en-US.blind9": 299, "es-US.blind9": 217, "en-US.blind10": 316, "es-US.blind10": 219,
                         "en-US.blind11": 283, "es-US.blind11": 212, "en-US.blind12": 274, "es-US.blind12": 209,
                         "en-US.blind13": 302, "es-US.blind13": 223, "en-US.blind14": 295, "es-US.blind14": 220,
                         "en-US.blind15": 291, "es-US.blind15": 205, "en-US.blind16": 299, "es-US.blind16": 221,
                         "en-US.blind17": 286, "es-US.blind17": 212, "en-US.blind18": 292, "es-US.blind18": 201,
                         "en-US.blind19": 287, "es-US.blind19": 200, "en-US.blind20": 307, "es-US.blind20": 224,
                         "en-US.blind21": 302, "es-US.blind21": 229, "en-US.blind22": 300, "es-US.blind22": 217,
                         "en-US.blind23": 292, "es-US.blind23": 215, "en-US.blind24": 292, "es-US.blind24": 210,
                         "en-US.blind25": 289, "es-US.blind25": 216, "en-US.blind26": 280, "es-US.blind26": 197,
                         "en-US.blind27": 299, "es-US.blind27": 216, "en-US.blind28": 291, "es-US.blind28": 222,
                         "en-US.blind29": 298, "es-US.blind29": 206,
                         "en-US.blind30": 283, "es-US.blind30": 217, "en-US.blind31": 305, "es-US.blind31": 211,
                         "en-US.blind32": 300, "es-US.blind32": 216, "en-US.blind33": 284, "es-US.blind33": 209,
                         "en-US.blind34": 287, "es-US.blind34": 199, "en-US.blind35": 297, "es-US.blind35": 211,
                         "en-US.blind36": 295, "es-US.blind36": 213, "en-US.blind37": 299, "es-US.blind37": 217,
                         "en-US.blind38": 285, "es-US.blind38": 216, "en-US.blind39": 297, "es-US.blind39": 232,
                         "en-US.blind40": 307, "es-US.blind40": 222, "en-US.blind41": 320, "es-US.blind41": 227,
                         "en-US.blind42": 296, "es-US.blind42": 227, "en-US.blind43": 296, "es-US.blind43": 219,
                         "en-US.blind44": 299, "es-US.blind44": 227, "en-US.blind45": 298, "es-US.blind45": 220,
                         "en-US.blind46": 298, "es-US.blind46": 218, "en-US.blind47": 284, "es-US.blind47": 213,
                         "en-US.blind48": 286, "es-US.blind48": 214, "en-US.blind49": 298, "es-US.blind49": 217,
                         "en-US.blind50": 284, "es-US.blind50": 214, "en-US.blind51": 284, "es-US.blind51": 211,
                         "en-US.blind52": 297, "es-US.blind52": 214, "en-US.blind53": 293, "es-US.blind53": 213,
                         "en-US.blind54": 304, "es-US.blind54": 217, "en-US.blind55": 285, "es-US.blind55": 209,
                         "en-US.blind56": 291, "es-US.blind56": 225, "en-US.blind57": 301, "es-US.blind57": 230,
                         "en-US.blind58": 304, "es-US.blind58": 224, "en-US.blind59": 298, "es-US.blind59": 225,
                         "en-US.blind60": 302, "es-US.blind60": 226, "en-US.blind61": 286, "es-US.blind61": 213,
                         "en-US.blind62": 298, "es-US.blind62": 218, "en-US.blind63": 293, "es-US.blind63": 212,
                         "en-US.blind64": 295, "es-US.blind64": 209, "en-US.blind65": 290, "es-US.blind65": 228,
                         "en-US.blind66": 303, "es-US.blind66": 225, "en-US.blind67": 302, "es-US.blind67": 219,
                         "en-US.blind68": 299, "es-US.blind68": 213, "en-US.blind69": 302, "es-US.blind69": 218,
                         "en-US.blind70": 294, "es-US.blind70": 216, "en-US.blind71": 297, "es-US.blind71": 216,
                         "en-US.blind72": 309, "es-US.blind72": 219, "en-US.blind73": 300, "es-US.blind73": 219,
                         "en-US.blind74": 292, "es-US.blind74": 212, "en-US.blind75": 297, "es-US.blind75": 217,
                         "en-US.blind76": 302, "es-US.blind76": 218, "en-US.blind77": 295, "es-US.blind77": 219,
                         "en-US.blind78": 296, "es-US.blind78": 218, "en-US.blind79": 288, "es-US.blind79": 212,
                         "en-US.blind80": 306, "es-US.blind80": 218, "en-US.blind81": 298, "es-US.blind81": 221,
                         "en-US.blind82": 301, "es-US.blind82": 219, "en-US.blind83": 295, "es-US.blind83": 228,
                         "en-US.blind84": 299, "es-US.blind84": 217, "en-US.blind85": 290, "es-US.blind85": 206,
                         "en-US.blind86": 294, "es-US.blind86": 207, "en-US.blind87": 295, "es-US.blind87": 213,
                         "en-US.blind88": 298, "es-US.blind88": 213, "en-US.blind89": 295, "es-US.blind89": 224,
                         "en-US.blind90": 300, "es-US.blind90": 219, "en-US.blind91": 287, "es-US.blind91": 214,
                         "en-US.blind92": 285, "es-US.blind92": 213, "en-US.blind93": 296, "es-US.blind93": 215}



@pytest.mark.parametrize("annotations", EVERY_SET, ids=set_id)
def test_through_the_standin_for_a_generalising_nlu_emergencies_lead_to_the_instruction_and_no_denial_does(
        annotations):
    """A classifier trained only on the generated model (skill/local/standin_nlu.py): phrasings it has not seen
    reach the skill as Alexa may send them (another intent, unmatched words, or the fallback). No denial whose
    words reach the skill is ever an emergency; emergency statements are held at the bar, or where it is not
    reached yet, at what was measured (STANDIN_EMERGENCY_FLOOR); overall accuracy, by what the skill did, at what
    was measured (STANDIN_OVERALL_FLOOR)."""
    notes: list[str] = []
    summaries = nlu_eval.evaluate(annotations, ("standin",), notes=notes.append)
    if notes:
        pytest.skip(notes[0])
    [summary] = summaries
    name = nlu_eval.set_name(annotations)
    record(summary, annotations=annotations)
    assert [(r.item.utterance, r.heard.error) for r in summary.results if r.heard.error] == []
    alarmed = [r for r in summary.results if r.item.category == "negations" and r.outcome == EMERGENCY
               and r.item.utterance not in KNOWN_ALARMS.get(name, set())]
    # none, whether its words reached the skill or the stand-in itself chose a wordless intent (EmergencyIntent)
    assert [(r.item.utterance, r.heard.intent) for r in alarmed] == []
    right, total = summary.emergency_statements
    if name in STANDIN_EMERGENCY_FLOOR:
        assert right >= STANDIN_EMERGENCY_FLOOR[name], summary.below_thresholds()
    else:
        assert right / total >= nlu_eval.EMERGENCY_MIN, summary.below_thresholds()
    assert summary.overall[0] >= STANDIN_OVERALL_FLOOR.get(name, 0), summary.overall


def newest_blind_pair() -> set[str]:
    """The highest-numbered blind set of each language ("en-US.blind17", "es-US.blind17")."""
    numbered = [(int(name.rsplit("blind", 1)[1]), name) for name in map(set_id, EVERY_SET)
                if name.rsplit("blind", 1)[-1].isdigit()]
    newest = max(number for number, _ in numbered)
    return {name for number, name in numbered if number == newest}


# virtual-alexa says each item through the served skill (about 10 s a set). `make test` runs the floor on the first
# blind pair and the newest; `make floor` on the others. Each set's floor at its first run is in nlu_eval/first_runs/.
FLOOR_IN_MAKE_TEST = {"en-US.blind", "es-US.blind", "es-US"} | newest_blind_pair()
FLOOR_SETS = [path if set_id(path) in FLOOR_IN_MAKE_TEST else pytest.param(path, marks=pytest.mark.every_floor)
              for path in EVERY_SET if path != SET]


@pytest.mark.parametrize("annotations", FLOOR_SETS, ids=set_id)
def test_virtual_alexa_on_every_later_set_is_reported_as_the_floor(annotations):
    """Exact sample matching cannot carry new words: reported, not held (the floor, not a target)."""
    notes: list[str] = []
    summaries = nlu_eval.evaluate(annotations, ("virtual-alexa",), notes=notes.append)
    if notes:
        pytest.skip(notes[0])
    [summary] = summaries
    record(summary, annotations=annotations)
    assert [(r.item.utterance, r.heard.error) for r in summary.results if r.heard.error] == []


def virtual_alexa_or_skip() -> None:
    try:
        nlu_eval_virtual_alexa.ensure_installed()
    except nlu_eval_virtual_alexa.Unavailable as why:
        pytest.skip(f"virtual-alexa skipped: {why}")


def test_the_runner_reports_intent_slots_resolution_ids_unmatched_and_where_the_conversation_was(tmp_path):
    virtual_alexa_or_skip()
    model = copy.deepcopy(MODEL)
    language = model["interactionModel"]["languageModel"]
    language["types"] = [{"name": "TEST_SIGN", "values": [
        {"id": "chest_pain", "name": {"value": "chest pain", "synonyms": ["a tight chest"]}}]}]
    language["intents"] = [i for i in language["intents"] if "slots" not in i]  # only this test's slot intent
    language["intents"].append({"name": "StatementIntent", "slots": [{"name": "sign", "type": "TEST_SIGN"}],
                                "samples": ["I've got {sign}", "tell me about {sign}"]})
    (tmp_path / "model.json").write_text(json.dumps(model))
    items = [{"utterance": "I've got a tight chest", "context_answers": ["no"]},
             {"utterance": "I've got a sore knee", "context_answers": []},
             {"utterance": "tell me about chest pain", "context_answers": [{"intent": "AMAZON.NoIntent"}]},
             {"utterance": "yeah", "context_answers": ["purple monkey"]}]
    got, unlisted, quirk, broken = nlu_eval_virtual_alexa.run(items, tmp_path / "model.json", "en-US")

    assert (got["status"], got["intent"], got["sent_intent"]) == ("matched", "StatementIntent", "StatementIntent")
    assert got["slots"] == {"sign": {"value": "a tight chest", "resolutions": [
        {"status": "ER_SUCCESS_MATCH", "id": "chest_pain", "name": "chest pain"}]}}
    assert nlu_eval.question_of(got["session_attributes"]) == QUESTIONS[1]  # after one "no"
    assert got["speech"].startswith("<speak>")
    # a custom slot takes only listed values: Alexa would pass "a sore knee" on, virtual-alexa matches nothing
    assert (unlisted["status"], unlisted["intent"], unlisted["sent_intent"]) == (
        "unmatched", None, "AMAZON.FallbackIntent")
    assert nlu_eval.question_of(unlisted["session_attributes"]) == QUESTIONS[0] and unlisted["speech"]
    # virtual-alexa's own utter() would have opened the skill again on "tell ..."; the runner does not
    assert quirk["launch_quirk"] and (quirk["status"], quirk["intent"]) == ("matched", "StatementIntent")
    assert (broken["status"], broken["message"]) == ("error", 'context answer not matched: "purple monkey"')


# ---- the command -----------------------------------------------------------------------------------

def test_the_command_prints_the_table_and_fails_below_the_thresholds_only_when_enforced(tmp_path, capsys,
                                                                                        monkeypatch):
    monkeypatch.setattr(nlu_eval, "ENFORCE", False)
    # an emergency statement nobody understands: the reply is not the emergency instruction
    (tmp_path / "x.annotations.json").write_text(json.dumps(amazon(("purple monkey dishwasher", "AMAZON.StopIntent"))))
    (tmp_path / "x.meta.json").write_text(json.dumps({"locale": "en-US", "items": {
        "purple monkey dishwasher": {"category": "emergency_statements", "outcome": "emergency"}}}))
    command = ["nlu-eval", str(tmp_path / "x.annotations.json"), "--resolver", "chat"]

    assert skill_main([*command, "--no-misses"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("NLU evaluation: chat resolver (skill/local/nlu.py) + Lambda handler, en-US, 1 ")
    assert '  emergency statements -> "Call 911 now": 0/1   0% (threshold >= 95%)' in captured.out
    assert "miss [" not in captured.out
    assert "not yet enforced: chat: emergency statements -> emergency 0/1, needs >= 95%" in captured.err

    assert skill_main([*command, "--enforce"]) == 1
    captured = capsys.readouterr()
    assert "  miss [emergency_statements] 'purple monkey dishwasher': expected AMAZON.StopIntent / emergency; heard " \
           "SignIntent {said='purple monkey dishwasher'} / not_emergency" in captured.out
    assert "FAIL: chat: emergency statements -> emergency 0/1, needs >= 95%" in captured.err


def test_the_command_refuses_an_invalid_set(tmp_path, capsys):
    (tmp_path / "x.annotations.json").write_text(json.dumps(amazon(("yeah", "AMAZON.YesIntent"))))
    (tmp_path / "x.meta.json").write_text(json.dumps({"locale": "en-US", "items": {}}))
    assert skill_main(["nlu-eval", str(tmp_path / "x.annotations.json"), "--resolver", "chat"]) == 2
    assert "invalid evaluation set: no sidecar entry for ['yeah']" in capsys.readouterr().err


def test_a_context_that_no_answers_never_reach_is_refused(tmp_path, monkeypatch):
    (tmp_path / "x.annotations.json").write_text(json.dumps(amazon(("yeah", "AMAZON.YesIntent"))))
    (tmp_path / "x.meta.json").write_text(json.dumps({"locale": "en-US", "items": {
        "yeah": {"category": "answers", "context": QUESTIONS[-1]}}}))
    plan = nlu_eval.context_plan  # as if a yes-only branch held the last question
    monkeypatch.setattr(nlu_eval, "context_plan", lambda *a: {q: n for q, n in plan(*a).items() if q != QUESTIONS[-1]})
    with pytest.raises(EvalSetError, match=r"contexts that answering no from the launch never reaches: \['yeah'\]"):
        nlu_eval.evaluate(tmp_path / "x.annotations.json", ("chat",))


def test_with_a_report_file_the_command_writes_the_tables_there_and_prints_one_line_per_resolver(tmp_path, capsys,
                                                                                                   monkeypatch):
    monkeypatch.setattr(nlu_eval, "ENFORCE", False)
    (tmp_path / "x.annotations.json").write_text(json.dumps(amazon(("purple monkey dishwasher", "AMAZON.StopIntent"))))
    (tmp_path / "x.meta.json").write_text(json.dumps({"locale": "en-US", "items": {
        "purple monkey dishwasher": {"category": "emergency_statements", "outcome": "emergency"}}}))
    report = tmp_path / "reports" / "nlu-eval.txt"
    assert skill_main(["nlu-eval", str(tmp_path / "x.annotations.json"), "--resolver", "chat",
                       "--report", str(report)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("nlu-eval x              chat          emergency statements -> emergency 0/1   0%")
    assert out[1] == f"tables: {report}"
    assert report.read_text().startswith("NLU evaluation: chat resolver (skill/local/nlu.py) + Lambda handler")
    assert "  miss [emergency_statements] 'purple monkey dishwasher'" in report.read_text()
