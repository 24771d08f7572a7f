"""Patient stories driven through the real Lambda handler in spoken words: zero under-triage.

The table of results (count per disposition, over-triage) is printed at the end
of the pytest run by tests/conftest.py.
"""

from __future__ import annotations

from collections import Counter

import pytest
import yaml
from conftest import ROOT, VIGNETTE_RESULTS, Conversation

from skill.local.nlu import LAUNCH, Resolver

VIGNETTES = yaml.safe_load((ROOT / "tests" / "vignettes.yaml").read_text(encoding="utf-8"))
RESOLVER = Resolver.for_locale("en-US")
MAX_TURNS = 30


def say(conversation: Conversation, text: str) -> None:
    intent = RESOLVER.resolve(text).name
    assert intent != LAUNCH
    conversation.intent(intent)


def run_vignette(vignette: dict) -> Conversation:
    conversation = Conversation()
    conversation.launch()
    says = vignette.get("says") or {}
    interrupt = vignette.get("interrupt") or {}
    for _ in range(MAX_TURNS):
        if conversation.ended:
            return conversation
        question = conversation.question
        if question in interrupt:
            say(conversation, interrupt[question])
            continue
        replies = says.get(question, "no")
        for reply in replies if isinstance(replies, list) else [replies]:
            say(conversation, reply)
    raise AssertionError(f"{vignette['id']}: no outcome after {MAX_TURNS} turns")


def test_there_are_at_least_thirty_vignettes_covering_every_disposition(protocol):
    assert len(VIGNETTES) >= 30
    assert len({v["id"] for v in VIGNETTES}) == len(VIGNETTES)
    assert {v["minimum"] for v in VIGNETTES} == set(protocol.ranks)
    for vignette in VIGNETTES:
        assert vignette["fact"] and vignette["story"] and "age" in vignette


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_vignette_is_never_under_triaged(vignette, protocol):
    conversation = run_vignette(vignette)
    outcome = conversation.disposition
    assert outcome is not None, f"ended without a disposition: {conversation.speech}"
    VIGNETTE_RESULTS[vignette["id"]] = (vignette["minimum"], outcome)
    assert protocol.rank(outcome) >= protocol.rank(vignette["minimum"]), (
        f"UNDER-TRIAGE: {vignette['story']} -> {outcome}, needs at least {vignette['minimum']} ({vignette['fact']})")
    if outcome == "emergency":
        assert conversation.speech.startswith("Call 911 now.")


def summarise(results: dict, ranks: dict) -> list[str]:
    """The vignette table: per expected disposition, how many got which outcome."""
    lines = ["vignettes: expected minimum -> outcome (count)"]
    pairs = Counter(results.values())
    for (expected, got), count in sorted(pairs.items(), key=lambda p: (-ranks[p[0][0]], -ranks[p[0][1]])):
        lines.append(f"  {expected:>10} -> {got:<10} {count}")
    over = sum(c for (e, g), c in pairs.items() if ranks[g] > ranks[e])
    under = sum(c for (e, g), c in pairs.items() if ranks[g] < ranks[e])
    lines.append(f"  total {len(results)}, under-triage {under}, over-triage {over}")
    return lines
