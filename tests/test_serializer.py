"""The fast request serializer reads every envelope exactly as the ASK SDK's own does."""

from __future__ import annotations

import json
from datetime import datetime

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.alexa.serializer import FastRequestSerializer
from skill.local.envelopes import Session

SDK, FAST = DefaultSerializer(), FastRequestSerializer()


def both(event: dict):
    return SDK.deserialize(json.dumps(event), RequestEnvelope), FAST.deserialize_event(event, RequestEnvelope)


def test_every_committed_event_reads_the_same():
    events = sorted((ROOT / "events").glob("*.json"))
    assert len(events) >= 8
    for path in events:
        sdk, fast = both(json.loads(path.read_text()))
        assert sdk == fast, path.name
        assert SDK.serialize(sdk) == SDK.serialize(fast)


@settings(max_examples=200, deadline=None)
@given(moment=st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1)),
       form=st.sampled_from(["Z", "+00:00", ".123Z", ""]))
def test_timestamps_in_any_iso_form_read_to_the_same_instant(moment, form):
    event = Session().launch()
    event["request"]["timestamp"] = moment.strftime("%Y-%m-%dT%H:%M:%S") + form
    sdk, fast = both(event)
    assert sdk.request.timestamp == fast.request.timestamp
    assert sdk.request.timestamp.utcoffset() == fast.request.timestamp.utcoffset()


def test_what_fromisoformat_cannot_read_goes_to_the_sdks_parser_and_its_errors():
    event = Session().launch()
    event["request"]["timestamp"] = "Nov 24 2026 4:39pm"
    sdk, fast = both(event)
    assert sdk.request.timestamp == fast.request.timestamp
    event["request"]["timestamp"] = "yesterday"
    for read in (lambda: SDK.deserialize(json.dumps(event), RequestEnvelope),
                 lambda: FAST.deserialize_event(event, RequestEnvelope)):
        try:
            read()
        except Exception as exc:  # the same kind of refusal
            assert type(exc).__name__ == "SerializationException"
        else:
            raise AssertionError("an unreadable timestamp was accepted")
