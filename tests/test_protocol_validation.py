"""The loader refuses protocols and translations a clinician would not sign off, naming the item."""

from __future__ import annotations

import copy
import json

import pytest

from skill.triage.protocol import (
    DATA_DIR,
    MAX_QUESTION_WORDS,
    ProtocolError,
    parse_locale,
    parse_protocol,
    word_count,
)

RAW = json.loads((DATA_DIR / "protocol.json").read_text())
RAW_EN = json.loads((DATA_DIR / "locales" / "en-US.json").read_text())


def changed(mutate, raw=RAW):
    data = copy.deepcopy(raw)
    mutate(data)
    return data


def test_the_shipped_protocol_and_locale_load(protocol, en_us):
    assert protocol.questions[0].group == "emergency"
    assert set(en_us.questions) >= {q.id for q in protocol.questions}


def test_every_question_has_a_source_with_a_title(protocol):
    for question in protocol.questions:
        assert question.sources
        for sid in question.sources:
            assert protocol.sources[sid].title and protocol.sources[sid].says


@pytest.mark.parametrize("mutate, names", [
    (lambda d: d["questions"][0]["answers"].update(yes="critical"), "heart_attack"),
    (lambda d: d["questions"][3]["answers"].update(unsure="next"), "injury"),
    (lambda d: d["questions"][1].update(sources=[]), "vessel_or_lung"),
    (lambda d: d["questions"][2].update(sources=["nowhere"]), "nowhere"),
    (lambda d: d["questions"][3]["answers"].update(no="urgent"), "fever_weight_loss"),
    (lambda d: d["questions"].insert(0, d["questions"].pop(3)), "heart_attack"),
    (lambda d: d["questions"].append(copy.deepcopy(d["questions"][0])), "heart_attack"),
    (lambda d: d.update(no_red_flags="fine"), "fine"),
    (lambda d: d.update(emergency_interrupt="urgent"), "emergency"),
    (lambda d: d["questions"][5].update(group="emergency"), "cancer_history"),
    (lambda d: d["questions"][0].pop("answers"), "answers"),
])
def test_unsafe_protocols_are_refused_with_the_item_named(mutate, names):
    with pytest.raises(ProtocolError, match=names):
        parse_protocol(changed(mutate))


def test_a_more_serious_question_after_a_less_serious_one_is_refused():
    def swap(d):
        d["questions"][2], d["questions"][3] = d["questions"][3], d["questions"][2]

    with pytest.raises(ProtocolError, match="spinal_cord.*more serious question must come first"):
        parse_protocol(changed(swap))


@pytest.mark.parametrize("mutate, names", [
    (lambda d: d["questions"].pop("spinal_cord"), "spinal_cord"),
    (lambda d: d["questions"]["injury"].pop("help"), "injury"),
    (lambda d: d["questions"]["injury"].update(ask="Did the pain start after a fall."), "injury"),
    (lambda d: d["questions"]["injury"].update(ask="Did " + "the pain start " * 10 + "?"), "words"),
    (lambda d: d["dispositions"].pop("routine"), "routine"),
    (lambda d: d["dispositions"]["emergency"].update(speech="Please get help."), "emergency number"),
    (lambda d: d["phrases"].pop("safety_net"), "safety_net"),
    (lambda d: d["phrases"].update(safety_net="Take care."), "safety net"),
])
def test_incomplete_locale_text_is_refused_with_the_item_named(protocol, mutate, names):
    with pytest.raises(ProtocolError, match=names):
        parse_locale(changed(mutate, RAW_EN), protocol)


def test_every_question_is_one_breath_and_ends_with_a_question_mark(protocol, en_us):
    for question in protocol.questions:
        ask = en_us.questions[question.id]["ask"]
        assert ask.endswith("?")
        assert word_count(ask) <= MAX_QUESTION_WORDS
        assert "%" not in ask


def test_no_spoken_text_gives_a_percentage(en_us):
    texts = [t for q in en_us.questions.values() for t in q.values()]
    texts += [t for d in en_us.dispositions.values() for t in d.values()]
    texts += list(en_us.phrases.values())
    assert not [t for t in texts if "%" in t or "percent" in t.lower()]


JARGON = ("aortic", "dissection", "embolism", "compression", "metasta", "thoracic", "cauda equina",
          "urinat", "incontinen", "myocardial", "radicul", "stenosis", "paraesthesia", "saddle")


def test_questions_use_no_medical_jargon_and_help_explains_the_terms_it_names(protocol, en_us):
    for question in protocol.questions:
        texts = en_us.questions[question.id]
        assert not [term for term in JARGON if term in texts["ask"].lower()], question.id
        for term in JARGON:
            if term in texts["help"].lower():
                # a medical name only comes after the plain words for it: "..., called a pulmonary embolism"
                assert "called" in texts["help"] or "means" in texts["help"], (question.id, term)
