"""The fast serializer reads every envelope, and writes every response, exactly as the ASK SDK's own does."""

from __future__ import annotations

import copy
import json
from datetime import datetime

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope, ResponseEnvelope
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.alexa.app import build_skill
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


def read(serializer, event: dict):
    """What a reader makes of an event: the object, or the kind and message of its refusal."""
    try:
        if serializer is SDK:
            return SDK.deserialize(json.dumps(event), RequestEnvelope)
        return serializer.deserialize_event(copy.deepcopy(event), RequestEnvelope)
    except Exception as exc:
        return (type(exc).__name__, str(exc))


def every_path(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from every_path(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from every_path(inner, (*path, index))


EVENTS = [json.loads(path.read_text()) for path in sorted((ROOT / "events").glob("*.json"))]
json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12),
              st.sampled_from(["IntentRequest", "LaunchRequest", "2026-11-24T16:39:00Z", "en-US", "NONE"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), value=json_value, key=st.sampled_from(["type", "name", "value", "extra", "object_type"]))
def test_an_altered_event_reads_the_same_or_is_refused_the_same(data, value, key):
    """A field of another type, a key no model declares, a discriminator the SDK does not know: the same."""
    event = copy.deepcopy(data.draw(st.sampled_from(EVENTS)))
    path = data.draw(st.sampled_from(list(every_path(event))))
    if not path:
        return
    *parent_path, last = path
    parent = event
    for step in parent_path:
        parent = parent[step]
    if data.draw(st.booleans()):
        parent[last] = value
    elif isinstance(parent, dict):
        parent[key] = value
    sdk, fast = read(SDK, event), read(FAST, event)
    assert sdk == fast
    if not isinstance(sdk, tuple):
        assert SDK.serialize(sdk) == FAST.serialize(fast)


def test_every_response_is_written_as_the_sdk_writes_it():
    skill = build_skill(None)
    for event in EVENTS:
        response = skill.invoke(request_envelope=FAST.deserialize_event(event, RequestEnvelope), context=None)
        assert isinstance(response, ResponseEnvelope)
        written = FAST.serialize(response)
        assert written == SDK.serialize(response)
        assert list(written["response"]) == list(SDK.serialize(response)["response"])  # in the same order
