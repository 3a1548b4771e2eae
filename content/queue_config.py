"""What a hall's queue is: its services (业务) and windows (窗口) and the rules they share, as frozen
dataclasses, read from a TOML or JSON file (`kiosk queue import FILE`, the staff screen, the city's channel)
and checked whole: every problem is named by its place in the file, and a bad file changes nothing.

Shared by the kiosk (`kiosk/queue/config.py`, which hashes window PINs with `kiosk.staff.hash_pin`) and
the city, which checks a hall's file with this same code before it signs it (`city queue publish`); a city
file may not carry window PINs (`hash_pin=None`): the channel is no place for them.

The file::

    [queue]
    priority_every = 3            # one 绿色通道 ticket after every 3 ordinary ones (per window)
    priority_age = 70             # an ID card of someone this old is offered priority (0: never)
    recalls_before_no_show = 2    # 重呼 this many times, the next one makes it 过号
    call_timeout_minutes = 10     # a called ticket not started after this is 过号 (0: never)
    status_url = "http://192.168.1.20:8765/ticket/"   # the QR on the ticket: this + the ticket's code

    [[service]]
    key = "shebao"                # letters, digits, -, _
    name = "社保医保"
    prefix = "A"                  # 1–2 capital letters, unique
    first = 1                     # numbers first..last (A001–A999); at most `daily_cap` a day
    last = 999
    daily_cap = 300
    hours = ["08:30-12:00", "13:30-17:00"]   # the lunch break is the gap
    days = [1, 2, 3, 4, 5]        # ISO weekdays (default every day)
    id_card = "optional"          # "none" | "optional" (offered for priority) | "required" (one live ticket per ID)
    category = "公民类"            # or "企业类"
    guide = "guide-demo-dibao"    # its 办事指南 ('' none)
    estimate_minutes = 5          # per person, until today's service times say better

    [[window]]
    number = 1
    name = "1号窗口"
    services = ["shebao"]
    pin = "246810"                # optional: 窗口号 + 密码 pairing of its calling page (6–8 digits, hashed
                                  # when read and kept only in queue.db), or pin_hash = "scrypt$…"
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from content.errors import ContentError
from translatable import Joined, Message

ID_CARD_MODES = ("none", "optional", "required")
CATEGORIES = ("公民类", "企业类")
KEY = re.compile(r"[A-Za-z0-9_-]{1,32}")
PREFIX = re.compile(r"[A-Z]{1,2}")
HOURS = re.compile(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})")
MAX_FILE_BYTES = 1_000_000
PinHasher = Callable[[str], str]
# the city's publication for one kiosk: `file:city_queue/<kiosk id>.json` in the channel, holding
# {"type": RECORD_TYPE, "format": 1, "kiosk": id, "config": the checked file's `QueueConfig.to_dict()`}
CHANNEL_FOLDER = "city_queue"
RECORD_TYPE = "zwgk-hall-queue"
_PIN_HASH = re.compile(r"scrypt\$\d{1,8}\$\d{1,3}\$\d{1,3}\$[0-9a-f]{32}\$[0-9a-f]{64}")


END_OF_DAY = time(23, 59, 59)  # "24:00" in a file


class QueueConfigError(ContentError):
    """A services/windows file that cannot be used; `zh` names every problem (the kiosk raises its own
    `kiosk.queue.QueueConfigError` with the same messages)."""


def _period(start: time, end: time) -> str:
    return f"{start:%H:%M}-{'24:00' if end == END_OF_DAY else f'{end:%H:%M}'}"


@dataclass(frozen=True)
class Service:
    key: str
    name: str
    prefix: str
    first: int = 1
    last: int = 999
    daily_cap: int = 999
    hours: tuple[tuple[time, time], ...] = ((time(0, 0), END_OF_DAY),)
    days: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)
    id_card: str = "optional"
    category: str = CATEGORIES[0]
    guide: str = ""
    estimate_minutes: int = 5

    def number(self, seq: int) -> str:
        """The printed number of the `seq`-th ticket of the day: A001 (at least three digits)."""
        return f"{self.prefix}{self.first + seq - 1:0{max(3, len(str(self.last)))}d}"

    @property
    def capacity(self) -> int:
        return min(self.daily_cap, self.last - self.first + 1)

    def hours_text(self) -> str:
        return "、".join(_period(a, b) for a, b in self.hours)


@dataclass(frozen=True)
class Window:
    number: int
    name: str
    services: tuple[str, ...]
    # from a file's `pin` (hashed when read) or `pin_hash`; `Queue.configure` keeps it in `window_pins`,
    # never in the configuration's row, so a staff edit or the city's services do not touch a PIN
    pin_hash: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True)
class Rules:
    priority_every: int = 3
    priority_age: int = 70
    recalls_before_no_show: int = 2
    call_timeout_minutes: int = 10
    status_url: str = ""
    estimate_samples: int = 10  # today's last N service times make the estimate


@dataclass(frozen=True)
class QueueConfig:
    services: tuple[Service, ...] = ()
    windows: tuple[Window, ...] = ()
    rules: Rules = field(default_factory=Rules)

    @property
    def configured(self) -> bool:
        """A queue to offer: at least one service and a window that serves it."""
        served = {key for window in self.windows for key in window.services}
        return any(service.key in served for service in self.services)

    def service(self, key: str) -> Service | None:
        return next((s for s in self.services if s.key == key), None)

    def window(self, number: int) -> Window | None:
        return next((w for w in self.windows if w.number == number), None)

    def to_dict(self) -> dict[str, Any]:
        """The file's form (JSON/TOML-able): `parse(config.to_dict())` gives the same config."""
        return {
            "queue": dict(vars(self.rules)),
            "service": [
                {
                    "key": s.key,
                    "name": s.name,
                    "prefix": s.prefix,
                    "first": s.first,
                    "last": s.last,
                    "daily_cap": s.daily_cap,
                    "hours": [_period(a, b) for a, b in s.hours],
                    "days": list(s.days),
                    "id_card": s.id_card,
                    "category": s.category,
                    "guide": s.guide,
                    "estimate_minutes": s.estimate_minutes,
                }
                for s in self.services
            ],
            "window": [
                {"number": w.number, "name": w.name, "services": list(w.services)} for w in self.windows
            ],
        }


class _Problems:
    def __init__(self) -> None:
        self.found: list[str] = []
        self.places: list[str] = []

    def add(self, where: str, zh: str) -> None:
        self.found.append(Message("{where}：{problem}", where=where, problem=zh))
        self.places.append(where)


def _int(raw: dict, name: str, where: str, problems: _Problems, default: int, lo: int, hi: int) -> int:
    value = raw.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(
            f"{where}.{name}",
            Message("应为整数（现为 {value}）", value=json.dumps(value, ensure_ascii=False)),
        )
        return default
    if not lo <= value <= hi:
        problems.add(
            f"{where}.{name}", Message("应在 {lo} 到 {hi} 之间（现为 {value}）", lo=lo, hi=hi, value=value)
        )
        return default
    return value


def _str(raw: dict, name: str, where: str, problems: _Problems, default: str | None = None) -> str:
    value = raw.get(name, default)
    if value is None:
        problems.add(f"{where}.{name}", Message("必须填写"))
        return ""
    if not isinstance(value, str):
        problems.add(
            f"{where}.{name}",
            Message("应为文字（现为 {value}）", value=json.dumps(value, ensure_ascii=False)),
        )
        return ""
    if len(value) > 200 or any(ord(c) < 32 for c in value):
        problems.add(f"{where}.{name}", Message("过长或含有控制字符"))
        return ""
    return value.strip()


def _hours(raw: Any, where: str, problems: _Problems) -> tuple[tuple[time, time], ...]:
    if raw is None:
        return Service.hours
    if not isinstance(raw, list) or not raw or not all(isinstance(x, str) for x in raw):
        problems.add(where, Message('应为时段列表，如 ["08:30-12:00", "13:30-17:00"]'))
        return Service.hours
    periods = []
    for text in raw:
        m = HOURS.fullmatch(text.strip())
        if not m:
            problems.add(where, Message("“{text}”不是“时:分-时:分”", text=text))
            continue
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
            problems.add(where, Message("“{text}”不是有效时间", text=text))
            continue
        start, end = time(h1, m1), (END_OF_DAY if h2 == 24 else time(h2, m2))
        if end <= start:
            problems.add(where, Message("“{text}”结束时间应晚于开始时间", text=text))
            continue
        periods.append((start, end))
    periods.sort()
    for (_, end), (start, _) in zip(periods, periods[1:], strict=False):
        if start < end:
            problems.add(where, Message("时段有重叠"))
    return tuple(periods) or Service.hours


def _service(raw: Any, where: str, problems: _Problems) -> Service | None:
    if not isinstance(raw, dict):
        problems.add(where, Message("应为一个业务（键值表）"))
        return None
    known = {f for f in Service.__dataclass_fields__}
    for name in raw:
        if name not in known:
            problems.add(f"{where}.{name}", Message("不认识的字段"))
    key = _str(raw, "key", where, problems)
    if isinstance(raw.get("key"), str) and not key:
        problems.add(f"{where}.key", Message("不能为空"))
    elif key and not KEY.fullmatch(key):
        problems.add(f"{where}.key", Message("只能由字母、数字、-、_ 组成（现为 “{key}”）", key=key))
    name = _str(raw, "name", where, problems)
    if isinstance(raw.get("name"), str) and not name:
        problems.add(f"{where}.name", Message("不能为空"))
    prefix = _str(raw, "prefix", where, problems)
    if isinstance(raw.get("prefix"), str) and not prefix:
        problems.add(f"{where}.prefix", Message("不能为空"))
    elif prefix and not PREFIX.fullmatch(prefix):
        problems.add(f"{where}.prefix", Message("只能是 1–2 个大写字母（现为 “{prefix}”）", prefix=prefix))
    first = _int(raw, "first", where, problems, 1, 0, 9998)
    last = _int(raw, "last", where, problems, 999, 1, 9999)
    if last <= first:
        problems.add(f"{where}.last", Message("应大于 first（{first}）", first=first))
    cap = _int(raw, "daily_cap", where, problems, last - first + 1, 1, 9999)
    days = raw.get("days", list(range(1, 8)))
    if not isinstance(days, list) or not days or not all(isinstance(d, int) and 1 <= d <= 7 for d in days):
        problems.add(f"{where}.days", Message("应为 1–7 的列表（1 为星期一）"))
        days = list(range(1, 8))
    id_card = _str(raw, "id_card", where, problems, "optional")
    if id_card not in ID_CARD_MODES:
        problems.add(
            f"{where}.id_card",
            Message("只能是 {modes}（现为 “{id_card}”）", modes="、".join(ID_CARD_MODES), id_card=id_card),
        )
    category = _str(raw, "category", where, problems, CATEGORIES[0])
    if category not in CATEGORIES:
        problems.add(
            f"{where}.category", Message("只能是 公民类 或 企业类（现为 “{category}”）", category=category)
        )
    return Service(
        key=key,
        name=name,
        prefix=prefix,
        first=first,
        last=last,
        daily_cap=cap,
        hours=_hours(raw.get("hours"), f"{where}.hours", problems),
        days=tuple(sorted(set(days))),
        id_card=id_card,
        category=category,
        guide=_str(raw, "guide", where, problems, ""),
        estimate_minutes=_int(raw, "estimate_minutes", where, problems, 5, 1, 240),
    )


def _window(raw: Any, where: str, problems: _Problems, pins: tuple[PinHasher, range] | None) -> Window | None:
    if not isinstance(raw, dict):
        problems.add(where, Message("应为一个窗口（键值表）"))
        return None
    for name in raw:
        if name not in ("number", "name", "services", "pin", "pin_hash"):
            problems.add(f"{where}.{name}", Message("不认识的字段"))
    number = _int(raw, "number", where, problems, 0, 1, 999)
    name = _str(raw, "name", where, problems, Message("{number}号窗口", number=number))
    services = raw.get("services")
    if not isinstance(services, list) or not all(isinstance(s, str) for s in services):
        problems.add(f"{where}.services", Message("应为业务 key 的列表"))
        services = []
    return Window(
        number,
        name or Message("{number}号窗口", number=number),
        tuple(dict.fromkeys(services)),
        _pin(raw, where, problems, pins),
    )


def _pin(raw: dict, where: str, problems: _Problems, pins: tuple[PinHasher, range] | None) -> str:
    """A window's PIN as its scrypt hash: `pin` (hashed here with `pins`' hasher, of one of its lengths) or
    `pin_hash` as made by `kiosk.staff.hash_pin` (e.g. copied from another kiosk). Without `pins` (a file
    the city publishes) neither is allowed."""
    if pins is None:
        for name in ("pin", "pin_hash"):
            if name in raw:
                problems.add(f"{where}.{name}", Message("窗口密码不随市级配置下发，请在本厅的一体机上设置"))
        return ""
    hash_pin, lengths = pins
    if "pin" in raw and "pin_hash" in raw:
        problems.add(f"{where}.pin", Message("pin 和 pin_hash 只能写一个"))
        return ""
    if "pin" in raw:
        pin = raw["pin"]
        if not isinstance(pin, str) or not (pin.isascii() and pin.isdigit() and len(pin) in lengths):
            problems.add(
                f"{where}.pin",
                Message(
                    '应为 {shortest} 到 {longest} 位数字（写成字符串，如 "123456"）',
                    shortest=lengths[0],
                    longest=lengths[-1],
                ),
            )
            return ""
        return hash_pin(pin)
    stored = raw.get("pin_hash", "")
    if not isinstance(stored, str) or (stored and not _PIN_HASH.fullmatch(stored)):
        problems.add(
            f"{where}.pin_hash",
            Message("不是有效的 PIN 散列（scrypt$…，由 kiosk queue windows --set-pin 生成）"),
        )
        return ""
    return stored


def _rules(raw: Any, problems: _Problems) -> Rules:
    if raw is None:
        return Rules()
    if not isinstance(raw, dict):
        problems.add("queue", Message("应为键值表"))
        return Rules()
    defaults = Rules()
    for name in raw:
        if name not in Rules.__dataclass_fields__:
            problems.add(f"queue.{name}", Message("不认识的字段"))
    url = _str(raw, "status_url", "queue", problems, "")
    if url and not re.fullmatch(r"https?://[^\s]+", url):
        problems.add("queue.status_url", Message("应以 http:// 或 https:// 开头（现为 “{url}”）", url=url))
        url = ""
    return Rules(
        priority_every=_int(raw, "priority_every", "queue", problems, defaults.priority_every, 1, 50),
        priority_age=_int(raw, "priority_age", "queue", problems, defaults.priority_age, 0, 120),
        recalls_before_no_show=_int(
            raw, "recalls_before_no_show", "queue", problems, defaults.recalls_before_no_show, 0, 10
        ),
        call_timeout_minutes=_int(
            raw, "call_timeout_minutes", "queue", problems, defaults.call_timeout_minutes, 0, 240
        ),
        status_url=url,
        estimate_samples=_int(raw, "estimate_samples", "queue", problems, defaults.estimate_samples, 1, 100),
    )


def parse(
    data: Any, source: str = Message("配置"), *, pins: tuple[PinHasher, range] | None = None
) -> QueueConfig:
    """The checked config from a file's parsed form; raises `QueueConfigError` naming every problem.
    `pins` (the hasher and the allowed lengths) lets windows carry PINs."""
    problems = _Problems()
    if not isinstance(data, dict):
        raise QueueConfigError(f"{source}: not a table", Message("{source}：内容应为键值表", source=source))
    for name in data:
        if name not in ("queue", "service", "window"):
            problems.add(name, Message("不认识的部分（只有 queue、service、window）"))
    raw_services = data.get("service", [])
    raw_windows = data.get("window", [])
    if not isinstance(raw_services, list):
        problems.add("service", Message("应为列表（TOML 中写 [[service]]）"))
        raw_services = []
    if not isinstance(raw_windows, list):
        problems.add("window", Message("应为列表（TOML 中写 [[window]]）"))
        raw_windows = []
    services = [s for i, r in enumerate(raw_services, 1) if (s := _service(r, f"service[{i}]", problems))]
    windows = [w for i, r in enumerate(raw_windows, 1) if (w := _window(r, f"window[{i}]", problems, pins))]
    for attr, label in (("key", "key"), ("prefix", "prefix"), ("name", "name")):
        seen: dict[str, int] = {}
        for i, service in enumerate(services, 1):
            value = getattr(service, attr)
            if value and value in seen:
                problems.add(
                    f"service[{i}].{label}",
                    Message("与 service[{index}] 重复（“{value}”）", index=seen[value], value=value),
                )
            seen.setdefault(value, i)
    keys = {s.key for s in services}
    seen_numbers: dict[int, int] = {}
    for i, window in enumerate(windows, 1):
        if window.number in seen_numbers:
            problems.add(
                f"window[{i}].number", Message("与 window[{index}] 重复", index=seen_numbers[window.number])
            )
        seen_numbers.setdefault(window.number, i)
        for key in window.services:
            if key not in keys:
                problems.add(f"window[{i}].services", Message("没有业务 “{key}”", key=key))
    rules = _rules(data.get("queue"), problems)
    if problems.found:
        raise QueueConfigError(
            f"{source}: {len(problems.found)} problem(s) at " + ", ".join(problems.places),
            Message(
                "{source} 有 {count} 处错误，未做任何更改：\n  {lines}",
                source=source,
                count=len(problems.found),
                lines=Joined("\n  ", problems.found),
            ),
        )
    return QueueConfig(tuple(services), tuple(windows), rules)


def load(path: Path, *, pins: tuple[PinHasher, range] | None = None) -> QueueConfig:
    """Read and check a `.toml` or `.json` file (by its suffix; anything else is tried as TOML, then JSON)."""
    return parse(read(path), str(path), pins=pins)


def read(path: Path) -> Any:
    """A `.toml` or `.json` file's parsed form, not yet checked (`QueueConfigError` when unreadable)."""
    try:
        if not path.is_file():
            raise QueueConfigError(
                f"{path}: not a regular file", Message("{path}：不是文件或不存在", path=path)
            )
        if path.stat().st_size > MAX_FILE_BYTES:
            raise QueueConfigError(
                f"{path}: over {MAX_FILE_BYTES} bytes", Message("{path}：文件过大（超过 1 MB）", path=path)
            )
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise QueueConfigError(
            f"{path}: not UTF-8", Message("{path}：不是 UTF-8 编码的文本", path=path)
        ) from None
    except OSError as exc:
        raise QueueConfigError(
            f"{path}: {exc}", Message("{path}：无法读取（{strerror}）", path=path, strerror=exc.strerror)
        ) from None
    return _decode(text, path)


def _decode(text: str, path: Path) -> Any:
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise QueueConfigError(
                f"{path}:{exc.lineno}: {exc.msg}",
                Message("{path}:{lineno}：JSON 格式错误（{msg}）", path=path, lineno=exc.lineno, msg=exc.msg),
            ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        if path.suffix.lower() != ".toml":
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                pass
        raise QueueConfigError(
            f"{path}: {exc}", Message("{path}：TOML 格式错误（{problem}）", path=path, problem=exc)
        ) from None
