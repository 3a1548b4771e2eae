"""The city's inbox of disclosure applications on both databases: `city applications list` and `show` find an
application by the number its record carries (a JSON field, read by each engine's own function), oldest
first and once per number, open its sealed form with the city's key, and refuse a box moved under another
number. (The kiosk side, from the form to the upload, is tests/kiosk/applications/.)"""

from __future__ import annotations

import base64
import json
import uuid

import pytest

from city import application_key, applications, cli, fleet
from city.application_key import enrolment_entry
from city.home import CityError, CityHome
from content.record_schema import record_body
from content.sealed import load_public, seal

NUMBERS = ("NNA9RF-261204-0010", "NNA9RF-261204-0027")


@pytest.fixture
def home(tmp_path):
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="test")
    home.keygen()
    application_key.make(home)
    return home


def application(home: CityHome, number: str, kiosk_id: str, form_number: str | None = None) -> bytes:
    entry = enrolment_entry(home)
    form = {"number": form_number or number, "kiosk_id": kiosk_id, "applicant": {"name": "张三"}}
    box = seal(load_public(entry["public_key"]), json.dumps(form, ensure_ascii=False).encode())
    payload = {
        "number": number,
        "received_on": "2026-12-04",
        "deadline": "2027-01-04",
        "deadline_estimated": False,
        "agency": "定州市人民政府办公室",
        "key_id": entry["key_id"],
        "sealed": base64.b64encode(box).decode(),
    }
    return record_body("application", "2026-12-04T10:00:00+08:00", payload)


def test_applications_are_listed_and_opened_by_number(home, capsys):
    tokens = fleet.enrol_tokens(home, [("dz-001", "定州市", "东亭镇"), ("dz-002", "定州市", "东亭镇")])
    assert set(tokens) == {"dz-001", "dz-002"}
    with home.db() as conn:
        for number in NUMBERS:
            body = application(home, number, "dz-001")
            key = str(uuid.uuid4())
            assert fleet.receive(conn, "dz-001", key, body).stored
            assert not fleet.receive(conn, "dz-001", key, body).stored  # a retry is stored once
        moved = application(home, "NNA9RF-261204-0034", "dz-002", form_number=NUMBERS[0])
        assert fleet.receive(conn, "dz-002", str(uuid.uuid4()), moved).stored
    listed = applications.inbox(home)
    assert [a.number for a in listed] == [*NUMBERS, "NNA9RF-261204-0034"]
    assert listed[0].kiosk_id == "dz-001" and listed[0].agency == "定州市人民政府办公室"
    assert applications.open_application(home, NUMBERS[1].lower())["applicant"] == {"name": "张三"}
    with pytest.raises(CityError, match="names another number"):
        applications.open_application(home, "NNA9RF-261204-0034")
    with pytest.raises(CityError, match="no application"):
        applications.open_application(home, "NNA9RF-261204-9999")
    assert cli.main(["--home", str(home.path), "applications", "list", "--json"]) == 0
    assert [a["number"] for a in json.loads(capsys.readouterr().out)][:2] == list(NUMBERS)
