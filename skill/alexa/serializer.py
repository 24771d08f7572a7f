"""The ASK SDK's serializer, with requests read and responses written by plans made once per model class.

Reading a request and writing the response are most of a warm request, and the SDK redoes, for every
object of every request, work whose answer never changes: it resolves each model class from its dotted
name with ``__import__``, rebuilds the class's attribute map, and walks every field the class declares
(most absent from a request), checking each type string again. Here that work is done once per class
(``_Reader``, ``_writer_fields``), and a request or response still becomes exactly what the SDK makes of it:

1. The same objects: each model class is created with no arguments and its fields are set from the
   payload, declared fields first and then any extra key as it is, as the SDK does; so handlers see the
   real ask_sdk_model classes.
2. Alexa's timestamps are ISO 8601 ("2026-11-24T16:39:00Z"); the SDK hands every one to dateutil's
   general parser. ``datetime.fromisoformat`` reads them directly.
3. Lambda gives the handler the event already parsed; the SDK's ``deserialize`` wants a JSON string
   (``SkillBuilder.lambda_handler`` dumps the dict only to load it again); ``deserialize_event`` takes the dict.
4. Anything a plan does not expect (a value of another JSON type than its field declares, a timestamp
   ``fromisoformat`` cannot read, a discriminator the SDK does not know) makes the whole request go through
   the SDK's own reader instead, so its behaviour and its errors stay the SDK's.

It hooks into the SDK's private methods, pinned by ask-sdk-core==1.19.0 in lambda/requirements.txt;
tests/test_serializer.py checks that requests and responses come out the SDK's own, field for field, for
every committed event and for fuzzed ones.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer

Decode = Callable[[Any], Any]
_EXACT = {"str": str, "int": int, "bool": bool, "object": object}


class _Unusual(Exception):
    """A payload a plan does not expect: the SDK's own reader takes the whole request."""


def _iso_datetime(payload: Any) -> datetime:
    if type(payload) is not str:
        raise _Unusual
    try:
        return datetime.fromisoformat(payload[:-1] + "+00:00" if payload.endswith("Z") else payload)
    except ValueError:
        raise _Unusual from None


def _exact(kind: type) -> Decode:
    def decode(payload: Any) -> Any:
        if type(payload) is not kind:  # the SDK would convert it (``str(5)``): its reader decides
            raise _Unusual
        return payload
    return decode


def _float(payload: Any) -> float:
    if type(payload) is not float and type(payload) is not int:
        raise _Unusual
    return float(payload)


def _as_is(payload: Any) -> Any:
    return payload


class _Reader:
    """One plan per declared type string and per model class, made on first use and kept (the model classes
    never change); a plan is made only for what a request holds, so a first request imports no more of
    ask_sdk_model than the SDK's reader does."""

    def __init__(self, load_class: Callable[[str], Any]):
        self._load_class = load_class
        self._decoders: dict[str, Decode] = {}
        self._models: dict[type, Decode] = {}

    def decoder(self, type_name: str) -> Decode:
        decode = self._decoders.get(type_name)
        if decode is None:
            decode = self._decoders[type_name] = self._plan(type_name)
        return decode

    def _plan(self, type_name: str) -> Decode:
        if type_name.startswith("list["):
            if "," in type_name:  # a list of mixed types, which no Alexa request has
                return _unusual
            item = self._lazy(type_name[5:-1].strip())
            return lambda payload: [None if v is None else item(v) for v in _checked(payload, list)]
        if type_name.startswith("dict("):
            value = self._lazy(type_name[5:-1].split(",", 1)[1].strip())
            return lambda payload: {k: None if v is None else value(v) for k, v in _checked(payload, dict).items()}
        if type_name in _EXACT:
            return _as_is if type_name == "object" else _exact(_EXACT[type_name])
        if type_name == "float":
            return _float
        if type_name == "datetime":
            return _iso_datetime
        if type_name == "date":
            return _unusual  # no Alexa request field is a date
        return self._model(self._load_class(type_name))

    def _lazy(self, type_name: str) -> Decode:
        """A decoder planned when first called: model classes refer to each other, and to themselves."""
        found: list[Decode] = []

        def decode(payload: Any) -> Any:
            if not found:
                found.append(self.decoder(type_name))
            return found[0](payload)
        return decode

    def _model(self, cls: Any) -> Decode:
        if isinstance(cls, type) and issubclass(cls, Enum):
            def enum(payload: Any) -> Any:
                try:
                    return cls(payload)
                except ValueError:
                    raise _Unusual from None
            return enum
        if not hasattr(cls, "deserialized_types"):
            return _as_is
        if hasattr(cls, "get_real_child_model"):  # the payload names its subclass ("type": "IntentRequest")
            def child(payload: Any) -> Any:
                try:
                    name = cls.get_real_child_model(_checked(payload, dict))
                except KeyError:
                    raise _Unusual from None
                if not name:
                    raise _Unusual
                return self._fields(self._load_class(name))(payload)
            return child
        return self._fields(cls)

    def _fields(self, cls: type) -> Decode:
        """Decodes a payload into ``cls``: declared fields from their keys, then extra keys as they are."""
        fields = self._models.get(cls)
        if fields is None:
            fields = self._models[cls] = self._plan_fields(cls)
        return fields

    def _plan_fields(self, cls: Any) -> Decode:
        types = cls.deserialized_types
        names = {attr: getattr(cls, "attribute_map", {}).get(attr, attr) for attr in types}
        if len(set(names.values())) != len(names):  # two fields read one key: the SDK's order would decide
            return _unusual
        # JSON key -> [attribute, the type's name until a payload first holds the key, then its decoder]
        by_key: dict[str, list[Any]] = {key: [attr, types[attr]] for attr, key in names.items()}

        def fields(payload: Any) -> Any:
            obj = cls()
            extra = None
            for key, value in _checked(payload, dict).items():
                field = by_key.get(key)
                if field is None:
                    extra = [*(extra or ()), key]
                elif value is None:
                    setattr(obj, field[0], None)
                else:
                    decode = field[1]
                    if type(decode) is str:
                        decode = field[1] = self.decoder(decode)
                    setattr(obj, field[0], decode(value))
            for key in extra or ():
                setattr(obj, key, payload[key])
            return obj
        return fields


def _checked(payload: Any, kind: type) -> Any:
    if type(payload) is not kind:
        raise _Unusual
    return payload


def _unusual(payload: Any) -> Any:
    raise _Unusual


def _writer_fields(cls: type) -> tuple[tuple[str, str], ...]:
    """(attribute, JSON key) of a model class, in the order the SDK writes them."""
    names = getattr(cls, "attribute_map", {})
    return tuple((attr, names.get(attr, attr)) for attr in cls.deserialized_types)  # type: ignore[attr-defined]


_PLAIN = frozenset({str, int, float, bool, type(None)})


class FastRequestSerializer(DefaultSerializer):
    _classes: dict[str, object] = {}  # dotted class name -> the class, as the SDK resolves it (shared: immutable)
    _writers: dict[type, tuple[tuple[str, str], ...]] = {}  # model class -> its fields (shared: immutable)

    def __init__(self) -> None:
        self._reader = _Reader(self._DefaultSerializer__load_class_from_name)

    def _DefaultSerializer__load_class_from_name(self, class_name):  # the SDK's private hook
        resolved = self._classes.get(class_name)
        if resolved is None:
            resolved = self._classes[class_name] = super()._DefaultSerializer__load_class_from_name(class_name)
        return resolved

    def _DefaultSerializer__deserialize_datetime(self, payload, obj_type):  # the SDK's private hook
        if obj_type is datetime and isinstance(payload, str):
            try:
                return _iso_datetime(payload)
            except _Unusual:
                pass
        return super()._DefaultSerializer__deserialize_datetime(payload, obj_type)

    def deserialize_event(self, event: object, obj_type):
        """``deserialize`` for an already-parsed JSON value (what Lambda passes the handler)."""
        if event is None or not isinstance(obj_type, type):
            return self._sdk_read(event, obj_type)
        try:
            return self._reader.decoder(f"{obj_type.__module__}.{obj_type.__name__}")(event)
        except Exception:  # _Unusual, or anything else: the SDK reads it and raises its own errors
            return self._sdk_read(event, obj_type)

    def _sdk_read(self, event: object, obj_type):
        # the SDK's private (name-mangled) method, which its typing does not declare
        return self._DefaultSerializer__deserialize(event, obj_type)  # type: ignore[attr-defined]

    def serialize(self, obj):
        """The SDK's ``serialize``, with each model class's fields listed once rather than on every object."""
        kind = type(obj)
        if kind in _PLAIN:
            return obj
        # plain values inline, without a call each: the session attributes are JSON, mostly short lists of them
        if kind is dict:
            return {key: value if type(value) in _PLAIN else self.serialize(value) for key, value in obj.items()}
        if kind is list:
            return [item if type(item) in _PLAIN else self.serialize(item) for item in obj]
        fields = self._writers.get(kind)
        if fields is None:
            if isinstance(obj, (Enum, date)) or not hasattr(kind, "deserialized_types"):
                return super().serialize(obj)
            fields = self._writers[kind] = _writer_fields(kind)
        state = obj.__dict__
        if "attribute_map" in state or "deserialized_types" in state:  # an object that renamed its own fields
            return super().serialize(obj)
        return {key: self.serialize(value) for attr, key in fields if (value := getattr(obj, attr)) is not None}
