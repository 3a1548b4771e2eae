"""Submitting: the form sealed before it touches disk, a number never given twice, the outbox carries it to
a real city server and a USB export, and no personal value is left readable on the kiosk."""

from __future__ import annotations

import base64
import json
import logging
from datetime import date

import pytest
from application_desk import CITIZEN, Desk
from city_server import background
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from city import fleet
from city.home import CityHome
from city.server import create_app
from content.outbox import Uploader
from content.outbox_file import export_outbox, parse_file
from content.record_schema import parse_record
from content.sealed import open_sealed
from kiosk import logs
from kiosk.applications import numbering
from kiosk.applications.errors import ApplicationError
from kiosk.applications.form import parse
from kiosk.applications.store import NOT_TAKEN, RECEIVED, RESERVED


def opened(desk, payload):
    return json.loads(open_sealed(desk.city_private, base64.b64decode(payload["sealed"])))


def test_a_submitted_application_is_received_with_its_number_and_deadline(desk):
    submitted = desk.applications.submit(parse(CITIZEN))
    assert submitted.number == numbering.make("dz-001", date(2026, 9, 15), 1)
    assert (submitted.received_on, submitted.deadline.due, submitted.deadline.estimated) == (
        date(2026, 9, 15),
        date(2026, 10, 19),  # past 中秋 and 国庆, with the 调休 working days 9/20 and 10/10
        False,
    )
    entry = desk.store.get(submitted.number)
    assert (entry.status, entry.record_id, entry.agency) == (
        RECEIVED,
        submitted.record_id,
        "定州市人民政府办公室",
    )
    (row,) = desk.outbox.due()
    assert (row.id, row.kind) == (submitted.record_id, "application")
    body = opened(desk, row.payload)
    assert body["application"] == parse(CITIZEN).to_dict() and body["number"] == submitted.number
    assert (body["kiosk_id"], body["deadline"]) == ("dz-001", "2026-10-19")
    assert desk.applications.submit(parse(CITIZEN)).number.endswith(
        numbering.make("dz-001", date(2026, 9, 15), 2)[-4:]
    )


def test_numbers_restart_each_day_and_never_repeat(desk):
    numbers = set()
    for day in (15, 16):
        desk.now = desk.now.replace(day=day)
        numbers |= {desk.applications.submit(parse(CITIZEN)).number for _ in range(3)}
    assert len(numbers) == 6 and {n[7:13] for n in numbers} == {"260915", "260916"}


def test_no_personal_value_is_readable_anywhere_on_the_kiosk(tmp_path):
    desk = Desk(tmp_path / "kiosk")
    logs.setup(tmp_path / "kiosk" / "logs", "debug")
    try:
        for _ in range(3):
            desk.applications.submit(parse(CITIZEN))
        logging.getLogger("test").info("after submitting")
        usb = tmp_path / "kiosk" / "usb"
        export_outbox(desk.outbox, "dz-001", Ed25519PrivateKey.generate(), usb)
        files = [p for p in (tmp_path / "kiosk").rglob("*") if p.is_file()]
        names = {p.name for p in files}
        assert {
            "applications.db",
            "applications.db-wal",
            "library.db",
            "library.db-wal",
            "kiosk.jsonl",
        } <= names
        assert any(p.parent == usb for p in files)
        for field in ("name", "id_number", "phone", "address", "email", "description"):
            value = CITIZEN[field]
            needles = {
                value,
                json.dumps(value)[1:-1],
                value[-8:],
                # six, not four: four digits turn up by chance in the hex of hashes and keys (1 in 65,536)
                value[:6] if field != "description" else value,
            }
            for path in files:
                data = path.read_bytes()
                for needle in needles:
                    for encoded in (needle.encode(), needle.encode("utf-16-le")):
                        assert encoded not in data, f"{field} ({needle}) readable in {path.name}"
    finally:
        logging.getLogger().handlers[:] = [
            h for h in logging.getLogger().handlers if not getattr(h, "_zwgk", 0)
        ]
        desk.close()


def test_the_usb_export_carries_the_sealed_application_the_city_can_open(desk, tmp_path):
    submitted = desk.applications.submit(parse(CITIZEN))
    export_outbox(desk.outbox, "dz-001", Ed25519PrivateKey.generate(), tmp_path / "usb")
    (path,) = (tmp_path / "usb").iterdir()
    (request,) = parse_file(path.read_bytes()).requests
    record = parse_record(request.body)
    assert (record.kind, record.payload["number"]) == ("application", submitted.number)
    assert opened(desk, record.payload)["application"]["name"] == "欧阳翠花"
    assert desk.outbox.status().pending == 0 and desk.store.get(submitted.number).status == RECEIVED


def test_the_city_server_takes_the_record_and_only_its_key_opens_it(desk, tmp_path):
    city = CityHome(tmp_path / "city")
    city.save_settings(channel="test")
    city.keygen()
    document = fleet.enrol(city, "dz-001", channel_url="http://x/channel/", upload_url="http://x/v1/outbox")
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(document["credential"]["private_key"]))
    submitted = desk.applications.submit(parse(CITIZEN))
    with background(create_app(city)) as url:
        uploader = Uploader(desk.outbox, url + "/v1/outbox", "dz-001", key, backoff=0)
        assert uploader.upload().sent == 1
        uploader.close()
    conn = city.db()
    try:
        ((kind, payload),) = conn.execute("SELECT kind, payload FROM records").fetchall()
    finally:
        conn.close()
    payload = json.loads(payload)
    assert (kind, payload["number"], payload["deadline"]) == ("application", submitted.number, "2026-10-19")
    assert "欧阳" not in json.dumps(payload, ensure_ascii=False)
    assert opened(desk, payload)["application"]["id_number"] == CITIZEN["id_number"]


def test_a_full_outbox_is_said_and_the_number_is_not_reused(tmp_path):
    desk = Desk(tmp_path / "kiosk", capacity=1)
    try:
        first = desk.applications.submit(parse(CITIZEN))
        with pytest.raises(ApplicationError) as caught:
            desk.applications.submit(parse(CITIZEN))
        assert caught.value.zh == "申请未能受理（本机暂时无法保存申请），请联系现场工作人员协助提交"
        refused = desk.store.entries()[0]
        assert refused.status == NOT_TAKEN and refused.number != first.number
        desk.outbox.mark_sent(first.record_id)
        third = desk.applications.submit(parse(CITIZEN))
        assert third.number not in (first.number, refused.number) and desk.outbox.status().pending == 1
    finally:
        desk.close()


def test_a_kiosk_without_the_city_key_takes_no_application(tmp_path):
    desk = Desk(tmp_path / "kiosk", key=False)
    try:
        assert "申请加密公钥" in desk.applications.unavailable()
        with pytest.raises(ApplicationError, match="no city application key") as caught:
            desk.applications.submit(parse(CITIZEN))
        assert (
            "暂不能受理" in caught.value.zh
            and desk.store.entries() == []
            and desk.outbox.status().pending == 0
        )
    finally:
        desk.close()


def test_a_number_reserved_before_a_crash_is_not_handed_out_again(desk):
    # The kiosk lost power after reserving a number and before the outbox write.
    lost = desk.store.reserve("dz-001", date(2026, 9, 15), date(2026, 10, 19), False, "定州市人民政府办公室")
    assert desk.store.get(lost).status == RESERVED
    assert desk.applications.submit(parse(CITIZEN)).number != lost


def test_a_deadline_into_an_unpublished_year_is_marked_estimated(desk):
    desk.now = desk.now.replace(month=12, day=4)
    submitted = desk.applications.submit(parse(CITIZEN))
    assert (submitted.deadline.due, submitted.deadline.estimated) == (date(2027, 1, 1), True)
    entry = desk.store.get(submitted.number)
    assert (entry.deadline, entry.deadline_estimated) == (date(2027, 1, 1), True)
    assert desk.outbox.due()[0].payload["deadline_estimated"] is True
