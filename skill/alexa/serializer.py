"""The ASK SDK's serializer with two shortcuts for reading Alexa requests, which is most of a warm request.

1. Alexa's timestamps are ISO 8601 ("2026-11-24T16:39:00Z"); the SDK hands every
   one to dateutil's general parser, about a third of deserialisation.
   ``datetime.fromisoformat`` reads them directly; anything it cannot read still
   goes to the SDK's own parser, so behaviour (and its errors) stay the SDK's.
2. Lambda gives the handler the event already parsed; the SDK's ``deserialize``
   wants a JSON string, so ``SkillBuilder.lambda_handler`` dumps the dict only to
   load it again. ``deserialize_event`` takes the dict as it is.
3. The SDK resolves a model class from its dotted name with ``__import__`` for
   every object of every request; the answer never changes, so it is kept.

Both hook into the SDK's private methods, pinned by ask-sdk-core==1.19.0 in
lambda/requirements.txt; tests/test_serializer.py checks the result is the SDK's
own, field for field, for every committed event and for fuzzed ones.
"""

from __future__ import annotations

from datetime import datetime

from ask_sdk_core.serialize import DefaultSerializer


class FastRequestSerializer(DefaultSerializer):
    _classes: dict[str, object] = {}  # dotted class name -> the class, as the SDK resolves it (shared: immutable)

    def _DefaultSerializer__load_class_from_name(self, class_name):  # the SDK's private hook
        resolved = self._classes.get(class_name)
        if resolved is None:
            resolved = self._classes[class_name] = super()._DefaultSerializer__load_class_from_name(class_name)
        return resolved

    def _DefaultSerializer__deserialize_datetime(self, payload, obj_type):  # the SDK's private hook
        if obj_type is datetime and isinstance(payload, str):
            try:
                return datetime.fromisoformat(payload[:-1] + "+00:00" if payload.endswith("Z") else payload)
            except ValueError:
                pass
        return super()._DefaultSerializer__deserialize_datetime(payload, obj_type)

    def deserialize_event(self, event: object, obj_type):
        """``deserialize`` for an already-parsed JSON value (what Lambda passes the handler)."""
        # the SDK's private (name-mangled) method, which its typing does not declare
        return self._DefaultSerializer__deserialize(event, obj_type)  # type: ignore[attr-defined]

