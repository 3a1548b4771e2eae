"""The status record of a disclosure application, as the city publishes it in the channel for kiosks
(`file:application_status/<key>.json`) and as 查询申请进度 reads it.

The key is SHA-256 of the application number and the last four digits of the applicant's phone: the
channel holds no name, phone or ID number, and nobody finds an application's answer from its number
alone. A record lists what happened, oldest first: 补正 (《政府信息公开条例》 Art. 30: the application must
be made clearer), 延期 (Art. 33: the deadline extended once, by up to 20 working days) and 答复 with one of
Art. 36's seven kinds of reply.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date

FOLDER = "application_status"
MAX_BYTES = 64 * 1024
CORRECTION, EXTENSION, REPLY = "补正", "延期", "答复"
EVENTS = (CORRECTION, EXTENSION, REPLY)
# Art. 36 (一)–(七)
REPLY_KINDS = ("已公开", "予以公开", "不予公开", "信息不存在", "非本机关", "重复申请", "其他法律规定")


class StatusInvalid(ValueError):
    """A status record that is not one (English, for the log)."""


@dataclass(frozen=True)
class Event:
    kind: str  # 补正, 延期, 答复
    on: date
    text: str = ""  # the office's words (where the information is, the agency responsible, the reasons)
    reply: str = ""  # 答复: one of REPLY_KINDS
    deadline: date | None = None  # 延期: the new deadline

    def to_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "on": self.on.isoformat(),
            "text": self.text,
            "reply": self.reply,
            "deadline": self.deadline.isoformat() if self.deadline else "",
        }


def key(number: str, phone: str) -> str:
    """The record's key: SHA-256 of the number and the last four digits of the phone."""
    digits = re.sub(r"[^0-9]", "", phone)[-4:]
    return hashlib.sha256(f"zwgk-application-status\n{number}\n{digits}".encode()).hexdigest()


def encode(number: str, phone: str, events: list[Event]) -> bytes:
    """The published record (canonical JSON: equal content, equal blob)."""
    value = {"key": key(number, phone), "events": [e.to_dict() for e in events]}
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _day(value: object) -> date:
    if not isinstance(value, str):
        raise StatusInvalid("a date must be YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise StatusInvalid(f"{value[:20]!r} is not a date") from None


def parse(data: bytes) -> tuple[str, list[Event]]:
    """(key, events) of a record; `StatusInvalid` when it is not one."""
    if len(data) > MAX_BYTES:
        raise StatusInvalid("status record too large")
    try:
        value = json.loads(data)
    except ValueError:
        raise StatusInvalid("status record is not UTF-8 JSON") from None
    if (
        not isinstance(value, dict)
        or set(value) != {"key", "events"}
        or not isinstance(value["events"], list)
    ):
        raise StatusInvalid("status record must be {key, events}")
    if not isinstance(value["key"], str) or not re.fullmatch(r"[0-9a-f]{64}", value["key"]):
        raise StatusInvalid("status key must be 64 hex digits")
    events = []
    for raw in value["events"]:
        if not isinstance(raw, dict) or set(raw) != {"kind", "on", "text", "reply", "deadline"}:
            raise StatusInvalid("an event must be {kind, on, text, reply, deadline}")
        if raw["kind"] not in EVENTS or not isinstance(raw["text"], str) or len(raw["text"]) > 2000:
            raise StatusInvalid("an event's kind or text is not one")
        if (raw["kind"] == REPLY) != (raw["reply"] in REPLY_KINDS) or (raw["kind"] != REPLY and raw["reply"]):
            raise StatusInvalid("a reply needs one of Art. 36's kinds, other events none")
        deadline = _day(raw["deadline"]) if raw["deadline"] else None
        if (raw["kind"] == EXTENSION) != (deadline is not None):
            raise StatusInvalid("an extension, and only an extension, names its new deadline")
        events.append(Event(raw["kind"], _day(raw["on"]), raw["text"], raw["reply"], deadline))
    return value["key"], events
