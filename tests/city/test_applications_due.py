"""The city's deadlines of applications in working days (city/applications_due.py): `city applications
list --due-within N` and `--overdue` with 剩余 / 已逾期 N 个工作日 counted on the Chinese calendar (中秋,
国庆 and the 调休 weekends of 2026), an extension (Art. 33), a 补正 that stops the clock until the corrected
application arrives (Art. 30), an answer that ends it; and one number from two kiosks listed twice, marked,
never answered for both. Hand-counted: received 2026-09-01, 20 working days from the next day end on
09-29 (09-20 is a 调休 Sunday, 09-25 中秋); a corrected application of 09-10 runs to 10-14 (10-01–10-07
国庆, 10-10 a 调休 Saturday)."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import date

import pytest

from city import application_key, applications, applications_due, cli, fleet
from city.application_key import enrolment_entry
from city.home import CityError, CityHome
from content.application_status import CORRECTION, EXTENSION, REPLY
from content.record_schema import record_body
from content.sealed import load_public, seal

FORM = {
    "kind": "公民",
    "name": "王小明",
    "id_number": "110101199003074477",
    "phone": "13800138000",
    "address": "定州市东亭镇1号",
    "email": "",
    "description": "2026年东亭镇道路改造的批复文件",
    "medium": "纸质",
    "route": "自行领取",
    "agency": "定州市人民政府办公室",
}


@pytest.fixture
def home(tmp_path):
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="test")
    home.keygen()
    application_key.make(home)
    fleet.enrol_tokens(home, [("dz-001", "定州市", "东亭镇"), ("dz-002", "定州市", "东亭镇")])
    return home


def send(
    home: CityHome, number: str, kiosk_id: str, received: str, deadline: str, estimated=False, **form
) -> None:
    """What a kiosk uploads: the record with the form sealed to the city's key."""
    entry = enrolment_entry(home)
    sealed = {
        "number": number,
        "kiosk_id": kiosk_id,
        "received_on": received,
        "deadline": deadline,
        "deadline_estimated": estimated,
        "application": FORM | form,
    }
    box = seal(load_public(entry["public_key"]), json.dumps(sealed, ensure_ascii=False).encode())
    payload = {
        "number": number,
        "received_on": received,
        "deadline": deadline,
        "deadline_estimated": estimated,
        "agency": FORM["agency"],
        "key_id": entry["key_id"],
        "sealed": base64.b64encode(box).decode(),
    }
    with home.db() as conn:
        body = record_body("application", f"{received}T10:00:00+08:00", payload)
        assert fleet.receive(conn, kiosk_id, str(uuid.uuid4()), body).stored


def on(monkeypatch, day: str) -> None:
    monkeypatch.setattr(applications, "today", lambda: date.fromisoformat(day))


def due_of(home: CityHome, number: str, today: str) -> applications_due.Due:
    listed = applications_due.due_list(home, applications.inbox(home), date.fromisoformat(today))
    return next(d for d in listed if d.entry.number == number)


def test_left_and_overdue_in_working_days(home, capsys, monkeypatch):
    send(home, "NNA9RF-260901-0011", "dz-001", "2026-09-01", "2026-09-29")
    send(home, "NNA9RF-260910-0017", "dz-001", "2026-09-10", "2026-10-14")
    assert due_of(home, "NNA9RF-260901-0011", "2026-09-29").working_days == 1  # the last day itself
    early = due_of(home, "NNA9RF-260901-0011", "2026-09-24")  # 24, 28, 29 (25 中秋, 26–27 weekend)
    assert (early.working_days, early.overdue) == (3, False)
    weekend = due_of(home, "NNA9RF-260901-0011", "2026-10-03")  # past, but no working day since
    assert weekend.overdue and weekend.working_days == 1  # 09-30
    late = due_of(home, "NNA9RF-260901-0011", "2026-10-10")  # 09-30, 10-08, 10-09, 10-10 (调休)
    assert (late.overdue, late.working_days) == (True, 4)
    assert late.describe() == "答复期限 2026-09-29  已逾期 4 个工作日"

    on(monkeypatch, "2026-09-24")
    assert cli.main(["--home", str(home.path), "applications", "list", "--due-within", "3"]) == 0
    out = capsys.readouterr().out
    assert "NNA9RF-260901-0011" in out and "剩余 3 个工作日" in out and "NNA9RF-260910" not in out
    assert cli.main(["--home", str(home.path), "applications", "list", "--due-within", "2"]) == 0
    assert "没有 2 个工作日内到期或已逾期的申请" in capsys.readouterr().out
    on(monkeypatch, "2026-10-12")
    assert cli.main(["--home", str(home.path), "applications", "list", "--overdue", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["number"] == "NNA9RF-260901-0011" and listed["working_days_overdue"] == 5
    assert cli.main(["--home", str(home.path), "applications", "list", "--due-within", "3"]) == 0
    out = capsys.readouterr().out
    assert "已逾期 5 个工作日" in out and "NNA9RF-260910-0017  dz-001  收到 2026-09-10" in out
    assert "剩余 3 个工作日" in out  # 10-12, 10-13, 10-14


def test_extension_correction_and_answer_move_the_deadline(home, capsys, monkeypatch):
    number = "NNA9RF-260901-0011"
    send(home, number, "dz-001", "2026-09-01", "2026-09-29")
    on(monkeypatch, "2026-09-03")
    applications.answer(home, number, CORRECTION, "请写明文件的年份")
    assert due_of(home, number, "2026-12-01").state == applications_due.WAITING  # the clock stopped
    assert not due_of(home, number, "2026-12-01").overdue
    with pytest.raises(CityError, match="before the notice"):
        applications_due.record_corrected(home, number, date(2026, 9, 2))
    assert (
        cli.main(["--home", str(home.path), "applications", "corrected", number, "--on", "2026-09-10"]) == 0
    )
    assert "已记录收到补正后的申请" in capsys.readouterr().out
    restarted = due_of(home, number, "2026-10-13")
    assert (restarted.deadline, restarted.working_days) == (date(2026, 10, 14), 2)
    with pytest.raises(CityError, match="no 补正 notice"):
        applications_due.record_corrected(home, number, date(2026, 9, 11))

    on(monkeypatch, "2026-10-12")
    applications.answer(home, number, EXTENSION, "需要会商", deadline=date(2026, 11, 10))
    extended = due_of(home, number, "2026-11-11")
    assert (extended.deadline, extended.extended, extended.overdue) == (date(2026, 11, 10), True, True)
    assert "（已延期）" in extended.describe()
    on(monkeypatch, "2026-11-09")
    applications.answer(home, number, REPLY, "见附件", reply="予以公开")
    assert due_of(home, number, "2026-12-01").state == applications_due.ANSWERED
    assert cli.main(["--home", str(home.path), "applications", "list", "--overdue"]) == 0
    assert "没有逾期的申请" in capsys.readouterr().out


def test_an_estimated_deadline_is_recounted_with_the_city_table(home, monkeypatch):
    table = {"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": True}]}
    # the kiosk had no 2027 table: its deadline was an estimate, weekends only
    send(home, "NNA9RF-261204-0015", "dz-001", "2026-12-04", "2027-01-01", estimated=True)
    assert due_of(home, "NNA9RF-261204-0015", "2026-12-04").estimated
    applications.publish_file(home, "holidays/2027.json", json.dumps(table).encode())
    counted = due_of(home, "NNA9RF-261204-0015", "2026-12-04")
    assert (counted.deadline, counted.estimated) == (date(2027, 1, 4), False)


def test_one_number_from_two_kiosks_is_flagged_not_overwritten(home, capsys):
    number = "NNA9RF-260901-0011"
    send(home, number, "dz-001", "2026-09-01", "2026-09-29", name="王小明")
    send(home, number, "dz-002", "2026-09-01", "2026-09-29", name="李四")
    listed = [e for e in applications.inbox(home) if e.number == number]
    assert [(e.kiosk_id, e.shared_with) for e in listed] == [("dz-001", ("dz-002",)), ("dz-002", ("dz-001",))]
    assert cli.main(["--home", str(home.path), "applications", "list"]) == 0
    out = capsys.readouterr().out
    assert out.count(number) == 2 and "编号重复：一体机 dz-002 也有此编号的申请" in out
    with pytest.raises(CityError, match="sent by kiosks dz-001, dz-002") as refused:
        applications.open_application(home, number)
    assert "--kiosk" in refused.value.zh
    assert applications.open_application(home, number, "dz-002")["application"]["name"] == "李四"
    assert cli.main(["--home", str(home.path), "applications", "show", number, "--kiosk", "dz-001"]) == 0
    assert "王小明" in capsys.readouterr().out
    with pytest.raises(CityError, match="answer them outside the system"):
        applications.answer(home, number, REPLY, "", reply="予以公开")


def test_enrolment_refuses_a_kiosk_whose_number_code_another_holds(home):
    # dz-10198 and dz-24992 hash to the same code, 15KKA3 (found by trying ids in order)
    urls = {"channel_url": "http://x/channel/", "upload_url": "http://x/v1/outbox"}
    with pytest.raises(CityError, match="code 15KKA3 is kiosk dz-10198's"):  # two of one batch
        fleet.enrol_tokens(home, [("dz-10198", "定州市", "东亭镇"), ("dz-24992", "定州市", "东亭镇")])
    fleet.enrol(home, "dz-10198", **urls)
    with pytest.raises(CityError, match="code 15KKA3 is kiosk dz-10198's") as refused:
        fleet.enrol(home, "dz-24992", **urls)
    assert "申请编号会重复" in refused.value.zh
    fleet.revoke(home, "dz-10198")  # its numbers are in the inbox still
    with pytest.raises(CityError, match="15KKA3"):
        fleet.enrol_tokens(home, [("dz-24992", "定州市", "东亭镇")])
    fleet.enrol(home, "dz-10198", **urls)  # re-enrolled: its own code
    with home.db() as conn:
        enrolled = {row[0] for row in conn.execute("SELECT id FROM kiosks").fetchall()}
    assert enrolled == {"dz-001", "dz-002", "dz-10198"}
