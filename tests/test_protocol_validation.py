"""The loader refuses protocols and translations a clinician would not sign off, naming the item."""

from __future__ import annotations

import copy
import json
import shutil

import pytest

from skill.triage.protocol import ProtocolError, data_dir, parse_locale, parse_protocol, read_raw_locales
from skill.triage.safety import prove_safe

RAW = json.loads((data_dir() / "protocol.json").read_text())
RAW_EN = read_raw_locales()["en-US"]  # what en-US says and how it understands, as the loader merges them


def changed(mutate, raw=RAW):
    data = copy.deepcopy(raw)
    mutate(data)
    return data


def question(data, question_id):
    return next(q for q in data["questions"] if q["id"] == question_id)


def move(data, question_id, before_id):
    moved = question(data, question_id)
    data["questions"].remove(moved)
    data["questions"].insert(data["questions"].index(question(data, before_id)), moved)


def test_every_red_flag_is_asked_of_everyone_who_has_it_or_behind_a_gate_that_covers_it(protocol):
    """Protocol 3: for each red flag, what a person with only that flag says yes to before it is asked."""
    from skill.triage.protocol import reached_after

    before = {(f.text, f.question): reached_after(protocol, f) for s in protocol.sources.values() for f in s.flags
              if f.question}
    assert before[("blood in urine", "kidney")] == ("toilet",)  # not behind severe or lasting pain any more
    assert before[("difficulty walking, unsteadiness", "unsteady")] == ("cancer_risk", "cancer")
    assert before[("shortness of breath", "short_of_breath")] == ("breathing",)
    assert before[("chest discomfort", "heart_pain")] == ()


def test_the_shipped_protocol_and_locale_load(protocol, en_us):
    assert protocol.questions[0].yes == "emergency" and not protocol.questions[0].when
    assert set(en_us.questions) >= {q.id for q in protocol.questions}


def test_every_question_has_a_source_with_a_title(protocol):
    for q in protocol.questions:
        assert q.sources
        for sid in q.sources:
            assert protocol.sources[sid].title and protocol.sources[sid].says


@pytest.mark.parametrize("mutate, names", [
    (lambda d: question(d, "heart_pain").update(yes="critical"), "heart_pain"),
    (lambda d: question(d, "tearing").update(sources=[]), "tearing"),
    (lambda d: question(d, "tearing").update(sources=["nowhere"]), "nowhere"),
    (lambda d: d["questions"].append(copy.deepcopy(d["questions"][0])), "heart_pain"),
    (lambda d: d.update(no_red_flags="fine"), "fine"),
    (lambda d: d.update(emergency_interrupt="urgent"), "emergency"),
    (lambda d: d["questions"][0].pop("yes"), "yes"),
    # a question placed before a more serious one
    (lambda d: move(d, "few_weeks", "heart_pain"), "few_weeks"),
    (lambda d: move(d, "risk_factors", "tearing"), "tearing.*a more serious question must come first"),
    # a follow-up less serious than its gate, or behind a gate that already ends in an emergency
    (lambda d: question(d, "both_legs").update(yes="routine"), "both_legs.*less serious than its gate"),
    (lambda d: question(d, "cold_sweat").update(when=["heart_pain"]), "cold_sweat cannot be reached|cold_sweat"),
    # a follow-up whose gate is asked after it
    (lambda d: question(d, "both_legs").update(when=["fever"], inside=[]), "both_legs.*not asked before it"),
    # said alone more serious than when asked, or alone on a question with no gate
    (lambda d: question(d, "leg_swelling").update(alone="emergency", yes="urgent"), "leg_swelling"),
    (lambda d: question(d, "heart_pain").update(alone="urgent"), "heart_pain.*only for follow-ups"),
    # advice for a disposition the question does not lead to, or resting on a source it does not cite
    (lambda d: question(d, "rash").update(advice="cancer_team"), "rash.*cancer_team"),
    (lambda d: question(d, "kidney").update(sources=["seed_organs"]), "kidney"),
    # a red flag neither asked nor explained, or asked by a question that does not cite the source
    (lambda d: d["sources"]["nhs_sepsis"]["flags"].append({"flag": "mottled knees"}), "mottled knees"),
    (lambda d: d["sources"]["nhs_sepsis"]["flags"].append({"flag": "x", "asked_by": "injury"}), "does not cite"),
    (lambda d: d["sources"]["nhs_sepsis"]["flags"].append({"flag": "y", "left_out": " "}), "reason is empty"),
    # protocol 3: a red flag asked only behind a gate a person with only that flag may answer no (blood in the
    # pee behind severe pain, as in protocol 2), unless the gate's wording covers it or the source names both
    (lambda d: question(d, "kidney").update(when=["injury"], inside=[]), "kidney stones.*only after injury"),
    (lambda d: question(d, "both_legs").update(inside=[]), "both_legs.*only after limbs"),
    (lambda d: d["sources"]["nhs_sepsis"]["flags"].append({"flag": "z", "asked_by": "confused"}), "'z'.*fever"),
    # "not sure" to an emergency sign counts as yes at once: no clarification there
    (lambda d: question(d, "heart_pain").update(clarify=True), "heart_pain.*no clarify"),
    (lambda d: question(d, "cold_sweat").update(when=["unwell"]), "cold_sweat.*'when'.*'when_any'"),
    (lambda d: question(d, "faint").update(inside=["fever"]), "faint.*'inside' names 'fever'"),
    # a pure gate (its yes leads nowhere by itself) must open follow-ups
    (lambda d: question(d, "out_of_blue").update(yes="self_care"), "out_of_blue.*pure gate"),
])
def test_unsafe_protocols_are_refused_with_the_item_named(mutate, names):
    with pytest.raises(ProtocolError, match=names):
        prove_safe(parse_protocol(changed(mutate)))


def test_a_follow_up_that_no_walk_can_reach_is_refused_by_the_proof():
    """Urgent under an urgent gate, with no advice to give: it can never change the outcome."""
    def pointless(d):
        question(d, "kidney").pop("advice")
        question(d, "kidney").update(when=["unwell"], inside=["unwell"])

    with pytest.raises(ProtocolError, match="'kidney' cannot be reached"):
        prove_safe(parse_protocol(changed(pointless)))


def test_the_proof_refuses_a_walk_that_ends_below_what_a_yes_requires(monkeypatch):
    """Break the machine (a yes to chest pain no longer counts) and the loader must notice."""
    from skill.triage import machine as machine_module

    protocol = parse_protocol(copy.deepcopy(RAW))
    original = machine_module.TriageMachine._counted

    def forgetful(self, answers):
        counted, opened = original(self, answers)
        counted.pop("heart_pain", None)
        return counted, opened

    monkeypatch.setattr(machine_module.TriageMachine, "_counted", forgetful)
    with pytest.raises(ProtocolError, match="heart_pain.*ends below emergency"):
        prove_safe(protocol)


@pytest.mark.parametrize("mutate, names", [
    (lambda d: d["questions"].pop("both_legs"), "both_legs"),
    (lambda d: d["questions"]["injury"].pop("help"), "injury"),
    (lambda d: d["questions"]["injury"].pop("simple"), "injury"),
    (lambda d: d["questions"]["injury"].update(ask="Did the pain start after a fall."), "injury"),
    (lambda d: d["questions"]["injury"].update(ask="Did " + "the pain start " * 5 + "?"), "words"),
    (lambda d: d["questions"]["injury"].update(ask="A fall, a crash, a blow, or a kick?"), "items"),
    (lambda d: d["questions"]["fever"].update(simple="Fever, sweats, weight, chills, or rigors?"), "fever.*simple"),
    (lambda d: d["dispositions"].pop("routine"), "routine"),
    (lambda d: d["advice"].pop("shingles"), "shingles"),
    (lambda d: d["dispositions"]["emergency"].update(speech="Please get help. Call {number} now."), "emergency"),
    (lambda d: d["advice"]["emergency_department"].update(speech="Go to the hospital."), "emergency_department"),
    (lambda d: d["phrases"].pop("safety_net"), "safety_net"),
    (lambda d: d["phrases"].update(safety_net="Take care."), "safety net"),
])
def test_incomplete_or_long_locale_text_is_refused_with_the_item_named(protocol, mutate, names):
    with pytest.raises(ProtocolError, match=names):
        parse_locale(changed(mutate, RAW_EN), protocol)


def test_no_spoken_text_gives_a_percentage(en_us):
    texts = [t for q in en_us.questions.values() for t in q.values() if isinstance(t, str)]
    texts += [t for d in [*en_us.dispositions.values(), *en_us.advice.values()] for t in d.values()]
    texts += list(en_us.phrases.values())
    assert not [t for t in texts if "%" in t or "percent" in t.lower()]


JARGON = ("aortic", "dissection", "embolism", "compression", "metasta", "thoracic", "cauda equina",
          "urinat", "incontinen", "myocardial", "radicul", "stenosis", "paraesthesia", "saddle", "sepsis",
          "thrombosis", "pancrea", "haemoptysis", "hemoptysis", "immunosuppress")


def test_questions_use_no_medical_jargon(protocol, en_us):
    for q in protocol.questions:
        for wording in ("ask", "simple", "help"):
            text = en_us.questions[q.id][wording].lower()
            assert not [term for term in JARGON if term in text], (q.id, wording)


@pytest.mark.parametrize("where, key", [("locales", "names"), ("understanding", "ask")])
def test_spoken_text_and_understanding_stay_in_their_own_files(tmp_path, where, key):
    """A writer of what the skill says never scrolls past training data, and the generator's phrasings
    never hide among the spoken text: a key in the wrong file refuses to load, naming it."""
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    path = data / where / "en-US.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["questions"]["heart_pain"][key] = ["chest pain"] if key == "names" else "Chest pain?"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ProtocolError, match=key):
        read_raw_locales(data)
