"""The records a kiosk sends the city, declared once: each kind's fields, their types and bounds, and the
version of the declaration.

The kiosk checks a payload before it writes it to its outbox (`content.outbox.Outbox.add`), and the city
checks every uploaded body against the same declaration (`parse_record`, used by city/server.py), so a
record either fits its kind or is refused with a reason: never stored with a NaN, a 2**70 where a count
goes, a NUL, a lone surrogate, an unknown field or kind, a duplicated key or a time that is not one.

An upload body is `{"kind", "created_at", "payload", "schema"}`; `schema` is the version of the kind's
declaration the kiosk wrote it with (absent means 1, what kiosks sent before it was declared).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from content.channel import canonical_json
from content.errors import ContentError
from translatable import Message

MAX_DEPTH = 3  # containers in the deepest declared record: envelope → payload → faults or staff_lockouts


class RecordInvalid(ContentError):
    """A record that does not fit its kind's declared schema (English reason; `.zh` for staff)."""


def _refuse(where: str, en: str, zh: str) -> RecordInvalid:
    return RecordInvalid(f"{where}: {en}", Message("记录字段“{where}”{zh}", where=where, zh=zh))


def _shown(value: Any) -> str:
    """A refused value as a reason names it: its type, and text only when it is short and holds no digit
    nor anything but Latin letters and punctuation (reasons are logged: never an ID number or a name)."""
    if not isinstance(value, str):
        return type(value).__name__
    return ascii(value) if _SHOWABLE.fullmatch(value) else f"text of {len(value)} characters"


_SHOWABLE = re.compile(r"[A-Za-z _<>/.:-]{1,40}")


def _field_name(name: str) -> str:
    return name if _SHOWABLE.fullmatch(name) else f"({_shown(name)})"


def _check_text_chars(value: str, where: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _refuse(
            where, "holds a lone surrogate (not UTF-8)", Message("含有无效的 Unicode 字符")
        ) from None
    if _CONTROL.search(value):
        raise _refuse(where, "holds a control character (NUL, …)", Message("含有控制字符"))


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Text:
    max_chars: int
    pattern: str | None = None  # a regular expression the whole value must match

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, str):
            raise _refuse(where, f"must be text, not {_shown(value)}", Message("应为文字"))
        _check_text_chars(value, where)
        if len(value) > self.max_chars:
            raise _refuse(
                where,
                f"is longer than {self.max_chars} characters",
                Message("超过 {max_chars} 个字符", max_chars=self.max_chars),
            )
        if self.pattern and not re.fullmatch(self.pattern, value):
            raise _refuse(where, f"{_shown(value)} is not of the declared form", Message("格式不对"))


@dataclass(frozen=True)
class Int:
    low: int
    high: int

    def check(self, value: Any, where: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _refuse(where, f"must be a whole number, not {_shown(value)}", Message("应为整数"))
        if not self.low <= value <= self.high:
            raise _refuse(
                where,
                f"must be between {self.low} and {self.high}",
                Message("应在 {low} 到 {high} 之间", low=self.low, high=self.high),
            )


@dataclass(frozen=True)
class Flag:
    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, bool):
            raise _refuse(where, f"must be true or false, not {_shown(value)}", Message("应为 true 或 false"))


_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})"
)


@dataclass(frozen=True)
class Time:
    """An ISO 8601 time with its zone, as `content.channel.format_time` writes it. Not bounded by date: a
    kiosk whose clock battery died writes 1970, and its records must still arrive."""

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, str) or not _TIME.fullmatch(value):
            raise _refuse(
                where, f"{_shown(value)} is not an ISO time with a zone", Message("不是带时区的 ISO 时间")
            )
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise _refuse(where, f"{_shown(value)} is not a real time", Message("不是有效的时间")) from None


@dataclass(frozen=True)
class Day:
    """A calendar date, `YYYY-MM-DD`."""

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, str) or not _DAY.fullmatch(value):
            raise _refuse(
                where, f"{_shown(value)} is not a date YYYY-MM-DD", Message("不是 YYYY-MM-DD 格式的日期")
            )
        try:
            date.fromisoformat(value)
        except ValueError:
            raise _refuse(where, f"{_shown(value)} is not a real date", Message("不是有效的日期")) from None


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Jpeg:
    """A whole JPEG image (SOI … EOI) of at most `max_bytes`, in base64. The length is checked before
    anything is decoded."""

    max_bytes: int

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, str):
            raise _refuse(where, f"must be base64 text, not {_shown(value)}", Message("应为 base64 文字"))
        if len(value) > 4 * -(-self.max_bytes // 3):
            raise _refuse(where, f"is an image larger than {self.max_bytes} bytes", Message("图片过大"))
        try:
            data = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise _refuse(where, "is not base64", Message("不是 base64 编码")) from None
        if not data.startswith(b"\xff\xd8\xff") or not data.rstrip(b"\0").endswith(b"\xff\xd9"):
            raise _refuse(where, "is not a whole JPEG image", Message("不是完整的 JPEG 图片"))


@dataclass(frozen=True)
class Choice:
    values: tuple[str, ...]

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, str) or value not in self.values:
            raise _refuse(
                where,
                f"{_shown(value)} is not one of {', '.join(self.values)}",
                Message("取值不在允许范围内"),
            )


@dataclass(frozen=True)
class Nullable:
    inner: Any

    def check(self, value: Any, where: str) -> None:
        if value is not None:
            self.inner.check(value, where)


@dataclass(frozen=True)
class ListOf:
    item: Any
    max_items: int

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, list):
            raise _refuse(where, f"must be a list, not {_shown(value)}", Message("应为列表"))
        if len(value) > self.max_items:
            raise _refuse(
                where,
                f"has more than {self.max_items} items",
                Message("超过 {max_items} 项", max_items=self.max_items),
            )
        for n, item in enumerate(value):
            self.item.check(item, f"{where}[{n}]")


@dataclass(frozen=True)
class Fields:
    """An object with declared fields only; `required` must be present, the others may be left out."""

    fields: Mapping[str, Any]
    required: frozenset[str] = field(default_factory=frozenset)

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise _refuse(where, f"must be an object, not {_shown(value)}", Message("应为对象"))
        for name in value:
            if name not in self.fields:
                raise _refuse(
                    f"{where}.{_field_name(name)}", "is not a declared field", Message("不是已声明的字段")
                )
        for name in sorted(self.required - value.keys()):
            raise _refuse(f"{where}.{name}", "is missing", Message("缺失"))
        for name, value_of in value.items():
            self.fields[name].check(value_of, f"{where}.{name}")


@dataclass(frozen=True)
class RecordSchema:
    kind: str
    version: int
    payload: Fields


COUNT = Int(0, 2**31 - 1)
USAGE_EVENTS = ("view", "search", "print", "browse")
ITEM_ID = Text(200)  # a library item's id (a channel entry id: any text without control characters)
KEY = Text(40, r"[a-z][a-z0-9_]*")  # a function's or screen's key: "library", "queue", "reader"
SECONDS_A_DAY = Int(0, 86_400)
# How a search was typed, never what (kiosk/statistics/query_class.py decides): a 文号, a question, pinyin
# or initials, Chinese words, anything else.
QUERY_CLASSES = ("doc_number", "question", "letters", "words", "other")
QUEUE_EVENTS = ("issued", "called", "started", "finished", "no_show", "cancelled", "transferred")
SERVICE = Text(2, r"[A-Z]{1,2}")  # a queue service's ticket prefix: "A", "B", "GJ"
DISPLAY_SCREENSHOT_BYTES = 200 * 1024  # a display's screenshot sent to the city, after downscaling


def _kind(kind: str, fields: Mapping[str, Any], required: set[str], version: int = 1) -> RecordSchema:
    return RecordSchema(kind, version, Fields(fields, frozenset(required)))


# One anonymous record per thing a resident did (kiosk/usage.py: `UsageRecords.event(kind, **fields)`).
# Never a query's text, a name, an ID number, a phone or an address: ids of library items, keys,
# choices, counts and seconds only.
RESIDENT_ACTIONS: dict[str, RecordSchema] = {
    # One typing episode (kiosk/browse.py): its class, its result count, whether a result was opened.
    "search": _kind(
        "search",
        {"query_class": Choice(QUERY_CLASSES), "results": COUNT, "opened": Flag()},
        {"query_class", "results", "opened"},
    ),
    # A function's list opened (kiosk/browse.py): which list, by the kind it lists (a feature's `stat`,
    # "gazette" for an issue's 目录, "all" for every kind).
    "list_opened": _kind("list_opened", {"list": Text(32, r"[a-z][a-z0-9_]*")}, {"list"}),
    # A document or 解读 read, recorded when the resident leaves it: how long it was on screen.
    "read": _kind(
        "read",
        {"item_kind": Choice(("document", "interpretation")), "item_id": ITEM_ID, "seconds": SECONDS_A_DAY},
        {"item_kind", "item_id", "seconds"},
    ),
    "notice_viewed": _kind("notice_viewed", {"item_id": ITEM_ID, "seconds": SECONDS_A_DAY}, {"item_id"}),
    "guide_viewed": _kind("guide_viewed", {"item_id": ITEM_ID, "seconds": SECONDS_A_DAY}, {"item_id"}),
    # A guide's 申请材料 checklist printed on the receipt printer.
    "checklist_printed": _kind("checklist_printed", {"item_id": ITEM_ID}, {"item_id"}),
    # A queue ticket's life (kiosk/queue/): issued, called (wait_seconds since issued), started,
    # finished (service_seconds since started), no_show, cancelled, transferred (to_service).
    "queue_ticket": _kind(
        "queue_ticket",
        {
            "event": Choice(QUEUE_EVENTS),
            "service": SERVICE,
            "to_service": SERVICE,
            "window": Text(32),
            "wait_seconds": Int(0, 7 * 86_400),
            "service_seconds": SECONDS_A_DAY,
            "priority": Flag(),
        },
        {"event", "service"},
    ),
    # A resident's rating of the service at a window (评价器 or the screen after a ticket).
    "queue_rating": _kind(
        "queue_rating", {"level": Int(1, 5), "service": SERVICE, "window": Text(32)}, {"level"}
    ),
    # A disclosure application submitted (the sealed form itself is the `application` record): who kind of
    # applicant, the medium and the route asked for, and whether staff filled it in (代为填写).
    "application_submitted": _kind(
        "application_submitted",
        {
            "applicant": Choice(("公民", "法人或其他组织")),
            "medium": Choice(("纸质", "电子数据")),
            "route": Choice(("自行领取", "邮寄", "电子邮件")),
            "filled_by_staff": Flag(),
        },
        {"applicant", "medium", "route"},
    ),
    # A resident's rating of a function (1 very poor … 5 very good).
    "rating": _kind("rating", {"function": KEY, "level": Int(1, 5)}, {"function", "level"}),
    # The idle reset forgot a resident: on which screen (ui's screen names: "reader", "guideList").
    "idle_reset": _kind("idle_reset", {"screen": Text(40, r"[a-z][A-Za-z0-9_]*")}, {"screen"}),
}

SCHEMAS: dict[str, RecordSchema] = {
    **RESIDENT_ACTIONS,
    # What kiosks before the per-action kinds sent (content.records.record_usage); still taken from an
    # older kiosk's outbox. Counts and an item's kind and id, never query text.
    "usage": RecordSchema(
        "usage",
        1,
        Fields(
            {
                "event": Choice(USAGE_EVENTS),
                "kind": Text(32, r"[a-z][a-z0-9_-]*"),
                "item_id": Text(200),
                "results": COUNT,
                "query_chars": Int(0, 100_000),
            },
            required=frozenset({"event"}),
        ),
    ),
    # A device-health snapshot (content.records.heartbeat_payload) for the city's fleet view.
    "heartbeat": RecordSchema(
        "heartbeat",
        1,
        Fields(
            {
                "software_version": Text(64),
                "channel": Nullable(Text(128)),
                "channel_version": Nullable(Int(0, 2**53)),
                "content_stale_since": Nullable(Time()),
                "last_sync": Nullable(Time()),
                "faults": ListOf(Text(200), 64),
                "outbox_pending": Nullable(COUNT),
                # kiosk.staff.StaffAuth.lockouts(): a kiosk whose staff PIN is being guessed
                "staff_lockouts": Fields(
                    {
                        "total": Int(0, 2**62),
                        "last_at": Nullable(Time()),
                        "locked": Flag(),
                        "needs_recovery": Flag(),
                    },
                    required=frozenset({"total", "locked"}),
                ),
            },
            required=frozenset({"software_version"}),
        ),
    ),
    # A disclosure application (kiosk/applications/submit.py): what the receipt says in the clear, the
    # form itself only sealed to the city's X25519 key (content/sealed.py, base64), so that the outbox
    # and the channel to the city hold no name, ID number, phone or address.
    "application": RecordSchema(
        "application",
        1,
        Fields(
            {
                "number": Text(18, r"[0-9A-HJ-NP-RTUWXY]{6}-[0-9]{6}-[0-9]{3}[0-9A-HJ-NP-RTUWXY]"),
                "received_on": Day(),
                "deadline": Day(),
                "deadline_estimated": Flag(),
                "agency": Text(100),
                "key_id": Text(16, r"[0-9a-f]{16}"),
                "sealed": Text(65536, r"[A-Za-z0-9+/]+={0,2}"),
            },
            required=frozenset(
                {"number", "received_on", "deadline", "deadline_estimated", "agency", "key_id", "sealed"}
            ),
        ),
    ),
    # A hall display's screenshot (kiosk/signage/city_screenshots.py), sent when the city asked for one
    # (`request`, the id of its request) or staff sent one: the display's id, when it was taken, the JPEG.
    "display_screenshot": RecordSchema(
        "display_screenshot",
        1,
        Fields(
            {
                "display": Text(64, r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"),
                "taken_at": Time(),
                "request": Text(36, r"[0-9a-f-]{0,36}"),
                "jpeg": Jpeg(DISPLAY_SCREENSHOT_BYTES),
            },
            required=frozenset({"display", "taken_at", "jpeg"}),
        ),
    ),
}

_ENVELOPE = frozenset({"kind", "created_at", "payload", "schema"})


def schema_of(kind: Any) -> RecordSchema:
    if not isinstance(kind, str):
        raise _refuse("kind", f"must be text, not {_shown(kind)}", Message("应为文字"))
    schema = SCHEMAS.get(kind)
    if schema is None:
        raise _refuse("kind", f"{_shown(kind)} is not a known record kind", Message("不是已知的记录类型"))
    return schema


def check_payload(kind: str, payload: Any) -> RecordSchema:
    """Raise `RecordInvalid` unless `payload` fits the current declaration of `kind`."""
    schema = schema_of(kind)
    schema.payload.check(payload, "payload")
    return schema


def record_body(kind: str, created_at: str, payload: dict[str, Any]) -> bytes:
    """The upload body of one record: what the kiosk signs and sends and the city parses."""
    return canonical_json(
        {"kind": kind, "created_at": created_at, "payload": payload, "schema": schema_of(kind).version}
    )


@dataclass(frozen=True)
class Record:
    kind: str
    created_at: str
    payload: dict[str, Any]
    schema: int


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise RecordInvalid(
                f"duplicate key {_shown(key)}", Message("记录中有重复的字段 {shown}", shown=_shown(key))
            )
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise RecordInvalid(
        f"{name} is not a number JSON allows", Message("记录中含有非法数值 {name}", name=name)
    )


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise RecordInvalid("a number is out of range (1e400, …)", Message("记录中的数值超出范围"))
    return value


def _depth(value: Any, limit: int) -> bool:
    """True if `value` nests no deeper than `limit` containers."""
    if isinstance(value, dict):
        return limit > 0 and all(_depth(v, limit - 1) for v in value.values())
    if isinstance(value, list):
        return limit > 0 and all(_depth(v, limit - 1) for v in value)
    return True


def parse_record(body: bytes) -> Record:
    """The city's check of one upload body; raises `RecordInvalid` with the reason."""
    try:
        value = json.loads(body, object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_finite)
    except RecordInvalid:
        raise
    except RecursionError:
        raise RecordInvalid("the body nests too deeply", Message("记录嵌套层数过多")) from None
    except ValueError as exc:  # also UnicodeDecodeError and numbers with more digits than Python reads
        raise RecordInvalid(
            f"the body is not UTF-8 JSON ({str(exc)[:80]})", Message("记录不是有效的 JSON")
        ) from None
    if not _depth(value, MAX_DEPTH):
        raise RecordInvalid(f"the body nests deeper than {MAX_DEPTH} levels", Message("记录嵌套层数过多"))
    if not isinstance(value, dict):
        raise RecordInvalid("the body must be an object {kind, created_at, payload}", Message("记录应为对象"))
    for name in value:
        if name not in _ENVELOPE:
            raise _refuse(_field_name(name), "is not a field of a record", Message("不是记录的字段"))
    for name in ("kind", "created_at", "payload"):
        if name not in value:
            raise _refuse(name, "is missing", Message("缺失"))
    schema = schema_of(value["kind"])
    version = value.get("schema", 1)
    if type(version) is not int or version != schema.version:
        raise _refuse(
            "schema",
            f"version {_shown(version)} of {schema.kind} is not known here",
            Message("的版本本平台不认识"),
        )
    Time().check(value["created_at"], "created_at")
    schema.payload.check(value["payload"], "payload")
    return Record(schema.kind, value["created_at"], value["payload"], schema.version)
