"""The conversation's one table (issue 22, item 1): every (moment, heard) resolves, and the SDK asks few handlers."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import HANDLER, Conversation

from skill.alexa import intents
from skill.alexa.conversation import REQUEST_HANDLERS, table
from skill.alexa.heard import HEARD_KINDS, STATEMENTS
from skill.alexa.table import ANY
from skill.alexa.turn import MOMENTS
from skill.local.dispatch_count import can_handle_calls
from skill.triage import default_protocol

ROOT = Path(__file__).resolve().parents[1]
TABLE = table()
INTENT_NAMES = sorted(value for name, value in vars(intents).items()
                      if name.isupper() and isinstance(value, str) and value.endswith("Intent"))
HEARD = (*HEARD_KINDS, *INTENT_NAMES, "SomeIntentThisSkillDoesNotKnow")


def test_every_moment_and_everything_heard_resolves_to_a_move():
    for moment in MOMENTS:
        for heard in HEARD:
            move = TABLE.resolve(moment, heard)
            assert callable(move), (moment, heard)
    assert (ANY, ANY) in TABLE.rows, "the table has a fallback row"


def test_every_row_names_a_known_moment_and_something_that_can_be_heard():
    for moment, heard in TABLE.rows:
        assert moment in (ANY, *MOMENTS), moment
        assert heard in (ANY, *HEARD_KINDS, *INTENT_NAMES), heard


def test_offer_statements_are_not_protocol_questions():
    """A sign is a protocol question or an offer's statement, never both (``hear`` reads the first)."""
    assert not any(default_protocol().has_question(statement) for statement in STATEMENTS)


def test_an_offer_answered_has_its_own_row_at_every_offer_moment():
    from skill.alexa.heard import ANSWER
    from skill.alexa.turn import OFFER_KINDS

    for kind in OFFER_KINDS:
        assert (kind, ANSWER) in TABLE.rows, kind
        assert (kind, intents.HELP) in TABLE.rows and (kind, intents.REPEAT) in TABLE.rows, kind


def test_few_sdk_handlers():
    count = sum(len(re.findall(r"def can_handle", path.read_text(encoding="utf-8")))
                for path in (ROOT / "skill" / "alexa").glob("*.py"))
    assert count <= 6
    assert len(REQUEST_HANDLERS) <= 5


def test_a_plain_no_asks_can_handle_at_most_four_times():
    conversation = Conversation()
    conversation.launch()
    before = conversation.question
    calls = can_handle_calls(lambda: conversation.answer("no"))
    assert conversation.question != before  # the "no" was answered
    assert calls <= 4, calls


def test_a_launch_and_an_ending_ask_few_handlers_too():
    conversation = Conversation()
    assert can_handle_calls(conversation.launch) <= 4
    event = conversation.session.intent("AMAZON.NoIntent")
    ended = dict(event, request={**event["request"], "type": "SessionEndedRequest", "reason": "USER_INITIATED"})
    ended["request"].pop("intent", None)
    assert can_handle_calls(lambda: HANDLER(ended, None)) <= 4
