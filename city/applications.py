"""The city's inbox of disclosure applications: the `application` records kiosks uploaded (or handed over on
USB), listed from what they carry in the clear (number, dates, agency), opened one at a time with the
city's application keys (city/application_key.py, content/sealed.py).

Opening is checked: the sealed form must name the same number and kiosk as the record that carried it,
so a box cannot be moved under another number. `answer` records what the office did (补正, Art. 30;
延期, Art. 33; 答复 with one of Art. 36's seven kinds) in `application_replies/<number>.json` in the city
home and publishes every application's status record to the kiosks (`content.application_status`, keyed
by a hash of the number and the phone's last four digits: nothing personal goes into the channel).
`publish_file` sends the kiosks a holiday table (`holidays/<year>.json`, the holiday-cn format) or the
agency list (`agencies.json`), kept in `application_files/` in the city home.
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from city import application_key
from city.home import CityError, CityHome
from city.repo import PublishResult
from content import application_status
from content.application_status import EXTENSION, REPLY, REPLY_KINDS, Event
from content.sealed import SealedError, open_sealed

BEIJING = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Received:
    number: str
    kiosk_id: str
    received_on: str
    deadline: str
    deadline_estimated: bool
    agency: str
    uploaded_at: str
    shared_with: tuple[str, ...] = ()  # other kiosks that sent an application under this number

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _rows(home: CityHome, number: str | None = None) -> list[tuple[str, str, str]]:
    with home.db() as conn:
        number_sql = conn.dialect.json_text("payload", "number")
        where = f" AND {number_sql} = ?" if number is not None else ""
        return conn.execute(
            f"SELECT kiosk_id, received_at, payload FROM records WHERE kind = 'application'{where} "
            "ORDER BY seq",
            [number] if number is not None else [],
        ).fetchall()


def _received(kiosk_id: str, uploaded_at: str, payload: dict[str, Any]) -> Received:
    return Received(
        payload["number"],
        kiosk_id,
        payload["received_on"],
        payload["deadline"],
        payload["deadline_estimated"],
        payload["agency"],
        uploaded_at,
    )


def inbox(home: CityHome) -> list[Received]:
    """Every application received, oldest first (one per number and kiosk: a kiosk's retry is stored once).
    Two kiosks' applications under one number (kiosks enrolled before the city checked their number codes)
    are both kept, each naming the other in `shared_with`."""
    seen: dict[tuple[str, str], Received] = {}
    for kiosk_id, uploaded_at, payload in _rows(home):
        entry = _received(kiosk_id, uploaded_at, json.loads(payload))
        seen.setdefault((entry.number, entry.kiosk_id), entry)
    kiosks: dict[str, list[str]] = {}
    for number, kiosk_id in seen:
        kiosks.setdefault(number, []).append(kiosk_id)
    return [
        replace(e, shared_with=tuple(k for k in kiosks[number] if k != kiosk_id))
        for (number, kiosk_id), e in seen.items()
    ]


def _shared(number: str, kiosks: list[str]) -> CityError:
    return CityError(
        f"application number {number} was sent by kiosks {', '.join(kiosks)}",
        f"编号 {number} 同时属于一体机 {'、'.join(kiosks)} 的申请（编号重复）",
    )


def today() -> date:
    return datetime.now(BEIJING).date()


def open_application(home: CityHome, number: str, kiosk_id: str | None = None) -> dict[str, Any]:
    """The sealed form of `number` (case and spaces as typed), opened: what the kiosk sealed. A number two
    kiosks sent needs `kiosk_id`."""
    number = number.strip().upper()
    rows = [row for row in _rows(home, number) if kiosk_id is None or row[0] == kiosk_id]
    if not rows:
        where = f"（一体机 {kiosk_id}）" if kiosk_id else ""
        raise CityError(f"no application {number}", f"没有编号为 {number} 的申请{where}")
    kiosks = list(dict.fromkeys(row[0] for row in rows))
    if len(kiosks) > 1:
        error = _shared(number, kiosks)
        raise CityError(str(error), error.zh + "，请用 --kiosk 指明哪一台")
    kiosk_id, _, payload_text = rows[0]
    payload = json.loads(payload_text)
    keys = application_key.private_keys(home)
    key = keys.get(payload["key_id"])
    if key is None:
        raise CityError(
            f"application {number} was sealed to key {payload['key_id']}, which this city home does not hold",
            f"申请 {number} 所用的加密密钥 {payload['key_id']} 不在本机，无法打开",
        )
    try:
        body = json.loads(open_sealed(key, base64.b64decode(payload["sealed"])))
    except (SealedError, ValueError):
        raise CityError(
            f"application {number} cannot be opened (damaged or altered)",
            f"申请 {number} 无法打开（已损坏或被改动）",
        ) from None
    if body.get("number") != number or body.get("kiosk_id") != kiosk_id:
        raise CityError(
            f"application {number}: the sealed form names another number or kiosk",
            f"申请 {number} 的加密内容与其编号或一体机不符，已拒绝",
        )
    return body


REPLIES = "application_replies"


def _replies_path(home: CityHome, number: str):
    return home.path / REPLIES / f"{number}.json"


def events_of(home: CityHome, number: str) -> list[Event]:
    path = _replies_path(home, number)
    if not path.exists():
        return []
    return application_status.parse(path.read_bytes())[1]


def answer(
    home: CityHome, number: str, kind: str, text: str = "", *, reply: str = "", deadline: date | None = None
) -> PublishResult:
    """Record what the office did with application `number` and publish the status records again."""
    kiosks = list(dict.fromkeys(row[0] for row in _rows(home, number)))
    if len(kiosks) > 1:  # the replies are kept per number: one answer would become both applications'
        error = _shared(number, kiosks)
        raise CityError(
            str(error) + ": answer them outside the system", error.zh + "，不能经本系统答复，请另行书面答复"
        )
    body = open_application(home, number)  # the number exists and opens: its phone keys the record
    if kind == REPLY and reply not in REPLY_KINDS:
        raise CityError(
            f"a reply needs --kind, one of {', '.join(REPLY_KINDS)}",
            f"答复须注明种类：{'、'.join(REPLY_KINDS)}",
        )
    if kind == EXTENSION and deadline is None:
        raise CityError(
            "an extension needs the new deadline", "延期须注明新的答复期限（--deadline YYYY-MM-DD）"
        )
    if kind == EXTENSION and any(e.kind == EXTENSION for e in events_of(home, body["number"])):
        raise CityError("the deadline was extended once already", "答复期限已经延长过一次，不能再次延长")
    if len(text) > 2000:
        raise CityError("the text is longer than 2000 characters", "说明不能超过 2000 个字")
    events = [*events_of(home, body["number"]), Event(kind, today(), text, reply, deadline)]
    data = application_status.encode(body["number"], body["application"]["phone"], events)
    path = _replies_path(home, body["number"])
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    part.replace(path)
    return publish_statuses(home)


def publish_statuses(home: CityHome) -> PublishResult:
    """Every application's status record into the channel's next version (collection `application_status`)."""
    from city.lock import publish_lock
    from city.publish import Collection, publish
    from content.channel import Entry

    with publish_lock(home):  # the blobs are added under the lock: `city gc` must not run in between
        entries = []
        for path in sorted((home.path / REPLIES).glob("*.json")):
            data = path.read_bytes()
            found, _ = application_status.parse(data)
            name = f"file:{application_status.FOLDER}/{found}.json"
            entries.append(Entry("file", name, home.repo.add_blob(data), len(data)))
        return publish(home, Collection("application_status", entries))


FILES = "application_files"
MAX_FILE_BYTES = 64 * 1024


def _check_file(name: str, data: bytes) -> None:
    """The shape the kiosk reads (it checks every field again, and leaves a bad file out)."""
    try:
        value = json.loads(data)
    except ValueError:
        raise CityError(f"{name}: not UTF-8 JSON", f"{name} 不是有效的 JSON 文件") from None
    if len(data) > MAX_FILE_BYTES:
        raise CityError(f"{name}: larger than {MAX_FILE_BYTES} bytes", f"{name} 过大")
    if name == "agencies.json":
        names = value.get("agencies") if isinstance(value, dict) else None
        if (
            not isinstance(names, list)
            or not names
            or not all(isinstance(n, str) and n.strip() for n in names)
        ):
            raise CityError(
                f'{name}: must be {{"agencies": [names]}}', '机关名录应为 {"agencies": ["机关名称", …]}'
            )
    elif not (
        isinstance(value, dict)
        and type(value.get("year")) is int
        and name == f"holidays/{value['year']}.json"
        and isinstance(value.get("days"), list)
    ):
        raise CityError(
            f"{name}: must be a holiday-cn table {{year, days}} of its year",
            "节假日表应为 holiday-cn 格式（year、days），且年份与文件相符",
        )


def publish_file(home: CityHome, name: str, data: bytes) -> PublishResult:
    """Keep `holidays/<year>.json` or `agencies.json` and publish every such file to the kiosks."""
    from city.lock import publish_lock
    from city.publish import Collection, publish
    from content.channel import CHANNEL_FILE, UPDATE_FILE, Entry

    is_update = UPDATE_FILE.fullmatch(name) is not None  # `city publish-update` publishes those
    if not CHANNEL_FILE.fullmatch(f"file:{name}") or name.startswith(application_status.FOLDER) or is_update:
        raise CityError(f"{name}: not a holiday table or the agency list", f"{name} 不是节假日表或机关名录")
    _check_file(name, data)
    target = home.path / FILES / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    with publish_lock(home):
        entries = []
        for path in sorted((home.path / FILES).rglob("*.json")):
            content = path.read_bytes()
            relative = path.relative_to(home.path / FILES).as_posix()
            entries.append(Entry("file", f"file:{relative}", home.repo.add_blob(content), len(content)))
        return publish(home, Collection("application_files", entries))
