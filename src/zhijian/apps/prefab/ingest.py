"""Reading lifecycle events as devices send them: JSON arrays, JSON lines, one event per object.

Each event is checked on its own and refused with a stable reason code and a message in
Chinese and English; a bad line never spoils the others. What a well-formed event looks
like (the API's documentation repeats it)::

    {"idempotency_key": "scanner-7/000123",        # the device's own key; a retry repeats it
     "code": "100023-01-F05-DHB-000042-93",          # or the compact form, or the QR's URL
     "type": "finish_production",                     # lifecycle.EventType
     "event_time": "2025-03-01T08:00:00+08:00",      # the device's clock, with a time zone
     "organization": "…uuid…",                        # optional: which of your organisations
     "operator": "QC-0117",                           # optional: the person at the device
     "location": {"place": "望城基地 2 号线", "latitude": 28.34, "longitude": 112.82},
     "measurements": [{"item_code": "LEN", "value": 3.0, "unit": "mm"}],
     "photos": ["photos/2025/03/01/abc.jpg"], "note": ""}

Only checks that need no database are here; the service does the rest (component, role,
time, idempotency, the lifecycle decision).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

from zhijian.apps.common.ids import as_uuid
from zhijian.domain.errors import InputError
from zhijian.domain.prefab.coding import (
    CheckDigitsError,
    ComponentCodeError,
    UnknownComponentTypeError,
    compact_code,
)
from zhijian.domain.prefab.labels import code_from_payload
from zhijian.domain.prefab.lifecycle import EventType, Measurement

MAX_EVENTS = 10_000
MAX_KEY = 100
MAX_TEXT = 2_000
MAX_SHORT = 200
MAX_MEASUREMENTS = 100
MAX_PHOTOS = 20

FIELDS = frozenset({
    "idempotency_key", "code", "type", "event_time", "organization", "operator", "location", "measurements",
    "photos", "note",
})
MEASUREMENT_FIELDS = frozenset({"item_code", "value", "unit", "qualifier", "n_points", "instrument_id"})
LOCATION_FIELDS = frozenset({"place", "latitude", "longitude"})
_EVENT_TYPES = {e.value: e for e in EventType}


class EventRefusal(Exception):
    """Why one event is refused: a stable code and a one-line reason in Chinese and English."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en


class EventDraft(NamedTuple):
    """A well-formed event as sent, before the service knows its component and role.

    Immutable as a named tuple: made 10,000 times an upload, where a frozen dataclass's
    ``__init__`` (``object.__setattr__`` per field) costs four times as much.
    """

    key: str
    code: str  # compact
    event_type: EventType
    event_time: datetime
    organization: UUID | None
    operator: str
    place: str
    latitude: float | None
    longitude: float | None
    measurements: tuple[Measurement, ...]
    photos: tuple[str, ...]
    note: str


def invalid(detail_en: str, detail_zh: str | None = None) -> EventRefusal:
    return EventRefusal("invalid", f"事件格式不正确：{detail_zh or detail_en}", f"the event is not valid: {detail_en}")


# -- bodies ------------------------------------------------------------------------------------
def split_body(body: bytes, content_type: str) -> list[Any]:
    """The events of a request body: a JSON array, ``{"events": [...]}``, one JSON object, or
    JSON lines (``application/x-ndjson``, ``application/jsonl``; a blank line is skipped).

    A JSON line that cannot be read becomes an :class:`EventRefusal` in its place; a body
    that is not JSON at all raises :class:`InputError`.
    """
    kind = content_type.split(";", 1)[0].strip().lower()
    text = _decode(body)
    if kind in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/json-lines"):
        return _json_lines(text)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"the body is not JSON ({err.msg} at line {err.lineno} column {err.colno}); "
                         "send a JSON array of events or JSON lines (application/x-ndjson)") from None
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and set(document) == {"events"} and isinstance(document["events"], list):
        return document["events"]
    if isinstance(document, dict):
        return [document]
    raise InputError("the body must be an event, a JSON array of events or {\"events\": [...]}")


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"the body is not UTF-8 (byte {err.start})") from None


_SCAN = json.JSONDecoder().scan_once  # the C scanner json.loads runs, without its per-call set-up
_JSON_SPACE = " \t\n\r"


def _json_lines(text: str) -> list[Any]:
    """One item per non-blank line, each read exactly as ``json.loads(line)`` reads it.

    The decoder's scanner is called on each line directly — half the time of ``json.loads``
    per line for a scanner's 10,000 short lines (``json.loads`` of the lines joined into one
    array is barely faster, and would let a value span lines). A line it cannot read goes through
    ``json.loads`` for the message.
    """
    items: list[Any] = []
    scan = _SCAN
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        value = line.strip(_JSON_SPACE)
        try:
            item, end = scan(value, 0)
            if end == len(value):
                items.append(item)
                continue
        except (StopIteration, json.JSONDecodeError):
            pass
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as err:
            items.append(EventRefusal(
                "malformed_json",
                f"第 {number} 行不是 JSON：{err.msg}（第 {err.colno} 列）",
                f"line {number} is not JSON: {err.msg} (column {err.colno})",
            ))
    return items


# -- one event ----------------------------------------------------------------------------------
def parse_event(raw: Any, code_cache: dict[str, str | EventRefusal] | None = None) -> EventDraft:
    """An :class:`EventDraft` from one decoded JSON object, or :class:`EventRefusal`.

    Written for speed (it runs 10,000 times per batch): the four required fields are read
    inline, the optional ones only when the event has more than four fields.
    """
    if type(raw) is not dict:
        if isinstance(raw, EventRefusal):
            raise raw
        if not isinstance(raw, Mapping):
            raise invalid(f"an event is a JSON object, got {type(raw).__name__}",
                          f"事件应为 JSON 对象，收到 {type(raw).__name__}")
    if not FIELDS.issuperset(raw):
        names = ", ".join(sorted(str(k) for k in raw if k not in FIELDS))
        raise invalid(f"unknown field(s) {names}; known: {', '.join(sorted(FIELDS))}", f"未知字段 {names}")
    key = raw.get("idempotency_key")
    if type(key) is not str or not 0 < len(key) <= MAX_KEY or key != key.strip() or not key.isprintable():
        key = _required_text(raw, "idempotency_key", MAX_KEY)
        if not key.isprintable():
            raise invalid("idempotency_key must be printable text", "idempotency_key 不能含控制字符")
    code_text = raw.get("code")
    code = code_cache.get(code_text) if code_cache is not None and type(code_text) is str else None
    if code is None:
        code = _code(_required_text(raw, "code", MAX_SHORT), code_cache)
        if code_cache is not None and type(code_text) is str:
            code_cache[code_text] = code
    elif type(code) is not str:
        raise code
    type_text = raw.get("type")
    event_type = _EVENT_TYPES.get(type_text) if type(type_text) is str else None
    if event_type is None:
        known = ", ".join(_EVENT_TYPES)
        raise EventRefusal("unknown_event_type", f"未知的事件类型 {type_text!r}；可用：{known}",
                           f"unknown event type {type_text!r}; known: {known}")
    event_time = _time(raw.get("event_time"))
    if len(raw) == 4:
        return EventDraft(key, code, event_type, event_time, None, "", "", None, None, (), (), "")
    place, latitude, longitude = _location(raw.get("location"))
    return EventDraft(
        key=key,
        code=code,
        event_type=event_type,
        event_time=event_time,
        organization=_uuid(raw.get("organization")),
        operator=_optional_text(raw, "operator", 100),
        place=place,
        latitude=latitude,
        longitude=longitude,
        measurements=_measurements(raw.get("measurements")),
        photos=_photos(raw.get("photos")),
        note=_optional_text(raw, "note", MAX_TEXT),
    )


def _required_text(raw: Mapping[str, Any], name: str, limit: int) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        raise invalid(f"{name} is required (text)", f"缺少 {name}（文本）")
    value = value.strip()
    if len(value) > limit:
        raise invalid(f"{name} has more than {limit} characters", f"{name} 超过 {limit} 个字符")
    return value


def _optional_text(raw: Mapping[str, Any], name: str, limit: int) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise invalid(f"{name} must be text", f"{name} 应为文本")
    value = value.strip()
    if len(value) > limit:
        raise invalid(f"{name} has more than {limit} characters", f"{name} 超过 {limit} 个字符")
    return value


def _code(text: str, cache: dict[str, str | EventRefusal] | None) -> str:
    found = cache.get(text) if cache is not None else None
    if found is None:
        found = _parse_code(text)
        if cache is not None:
            cache[text] = found
    if isinstance(found, EventRefusal):
        raise found
    return found


@functools.lru_cache(maxsize=65_536)
def _parse_code(text: str) -> str | EventRefusal:
    try:
        return compact_code(text)
    except ComponentCodeError as err:
        first = err
    if "/" in text:  # a scanned QR label carries the component page's URL
        parsed = code_from_payload(text)
        if parsed is not None:
            return parsed.compact
    if isinstance(first, CheckDigitsError):
        return EventRefusal(
            "wrong_check_digits",
            f"构件编码 {text} 的校验位不符（应为 {first.expected}）：有字符录错或颠倒",
            f"the check digits of {text} do not match (expected {first.expected}): a character is mistyped or swapped",
        )
    if isinstance(first, UnknownComponentTypeError):
        return EventRefusal("unknown_component_type", f"构件编码 {text} 中的构件类型未知", str(first))
    return EventRefusal("malformed_code", f"构件编码格式不正确：{first}", f"malformed component code: {first}")


def _time(value: Any) -> datetime:
    if type(value) is str:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if moment.tzinfo is not None:
                return moment
    if not isinstance(value, str):
        raise invalid("event_time is required (ISO 8601 text with a time zone)", "缺少 event_time（带时区的 ISO 8601 时间）")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise invalid(f"event_time {value!r} is not an ISO 8601 time", f"event_time {value!r} 不是 ISO 8601 时间") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise EventRefusal("no_time_zone", f"事件时间 {value} 没有时区，请带上偏移（如 +08:00）",
                           f"event_time {value} has no time zone; send an offset (e.g. +08:00)")
    return moment


def _uuid(value: Any) -> UUID | None:
    if value is None:
        return None
    found = as_uuid(value)
    if found is None:
        raise invalid(f"organization {value!r} is not an id", f"organization {value!r} 不是有效的编号")
    return found


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise invalid(f"{name} must be a finite number", f"{name} 应为有限数值")
    return float(value)


def _location(value: Any) -> tuple[str, float | None, float | None]:
    if value is None:
        return "", None, None
    if not isinstance(value, Mapping) or value.keys() - LOCATION_FIELDS:
        raise invalid("location is {place, latitude, longitude}", "location 应为 {place, latitude, longitude}")
    place = _optional_text(value, "place", MAX_SHORT)
    lat, lon = value.get("latitude"), value.get("longitude")
    if (lat is None) != (lon is None):
        raise invalid("a location needs both latitude and longitude, or neither", "位置需要同时给出经度和纬度")
    if lat is None:
        return place, None, None
    lat, lon = _number(lat, "latitude"), _number(lon, "longitude")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise invalid("latitude must be −90…90 and longitude −180…180", "纬度应在 −90…90，经度应在 −180…180")
    return place, lat, lon


def _measurements(value: Any) -> tuple[Measurement, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_MEASUREMENTS:
        raise invalid(f"measurements is a list of at most {MAX_MEASUREMENTS}", f"measurements 应为列表，最多 {MAX_MEASUREMENTS} 项")
    items = []
    for item in value:
        if not isinstance(item, Mapping) or item.keys() - MEASUREMENT_FIELDS:
            raise invalid(f"a measurement is {{{', '.join(sorted(MEASUREMENT_FIELDS))}}}", "测量项字段不正确")
        code = item.get("item_code")
        if not isinstance(code, str) or not code.strip() or len(code) > 32:
            raise invalid("a measurement needs an item_code (text, at most 32 characters)", "测量项缺少 item_code")
        n_points = item.get("n_points", 1)
        if isinstance(n_points, bool) or not isinstance(n_points, int):
            raise invalid("n_points must be a whole number", "n_points 应为整数")
        texts = {}
        for name in ("unit", "qualifier", "instrument_id"):
            text = item.get(name)
            if text is not None and (not isinstance(text, str) or len(text) > 64):
                raise invalid(f"measurement {name} must be text", f"测量项 {name} 应为文本")
            texts[name] = text
        try:
            items.append(Measurement(
                item_code=code.strip(), value=_number(item.get("value"), "measurement value"),
                unit=texts["unit"] or "mm", qualifier=texts["qualifier"], n_points=n_points,
                instrument_id=texts["instrument_id"],
            ))
        except InputError as err:
            raise invalid(str(err)) from None
    return tuple(items)


def _photos(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_PHOTOS:
        raise invalid(f"photos is a list of at most {MAX_PHOTOS} storage keys", f"photos 应为列表，最多 {MAX_PHOTOS} 项")
    if not all(isinstance(p, str) and 0 < len(p) <= 500 for p in value):
        raise invalid("each photo is a storage key (text)", "每张照片应为存储路径（文本）")
    return tuple(value)


def measurement_dict(m: Measurement) -> dict[str, Any]:
    """A measurement as stored (JSON), without defaults that say nothing."""
    out: dict[str, Any] = {"item_code": m.item_code, "value": m.value, "unit": m.unit}
    if m.qualifier is not None:
        out["qualifier"] = m.qualifier
    if m.n_points != 1:
        out["n_points"] = m.n_points
    if m.instrument_id is not None:
        out["instrument_id"] = m.instrument_id
    return out


def measurement_from_dict(data: Mapping[str, Any]) -> Measurement:
    return Measurement(
        item_code=data["item_code"], value=data["value"], unit=data.get("unit", "mm"),
        qualifier=data.get("qualifier"), n_points=data.get("n_points", 1), instrument_id=data.get("instrument_id"),
    )
