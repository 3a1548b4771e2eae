"""Through both command lines: city keygen and enrol, kiosk enrol, applications taken at the kiosk, carried on
a USB stick (kiosk outbox export, city import-outbox), listed and opened by `city applications`."""

from __future__ import annotations

import json
from datetime import date, datetime

from application_desk import CITIZEN

from city import applications
from city import cli as city_cli
from city.home import CityHome
from content.outbox import Outbox
from content.store import Library
from content.workdays import WorkCalendar, working_days_after
from kiosk import cli as kiosk_cli
from kiosk import enrolment
from kiosk.applications.desk import open_desk
from kiosk.applications.form import parse
from kiosk.applications.submit import BEIJING

ORGANISATION = {
    **{k: v for k, v in CITIZEN.items() if k not in ("id_number", "name", "email", "route", "medium")},
    "kind": "法人或其他组织",
    "name": "定州市刘家庄农机专业合作社",
    "credit_code": "91350100M000100Y43",
    "legal_representative": "刘建国",
    "contact_person": "刘小军",
    "medium": "纸质",
    "route": "邮寄",
}


def city(*args: str) -> int:
    return city_cli.main(list(args))


def kiosk(*args: str) -> int:
    return kiosk_cli.main(list(args))


def test_applications_reach_the_city_on_a_usb_stick_and_open_there(cli_env, capsys):
    assert city("keygen", "--channel", "dingzhou", "--url", "https://zwgk.example.gov.cn/channel/") == 0
    assert city("enrol", "dz-001", "--out", str(cli_env / "dz-001.json")) == 0
    assert kiosk("enrol", str(cli_env / "dz-001.json")) == 0
    data = cli_env / "kiosk"
    with Library(data / "library.db", blobs_dir=data / "blobs") as library:
        desk = open_desk(data, Outbox(library), enrolment.load(data))
        try:
            desk.clock = lambda: datetime(
                2026, 9, 15, 9, 0, tzinfo=BEIJING
            )  # its deadline 2026-10-19 has passed
            early = desk.submit(parse(CITIZEN)).number
            desk.clock = lambda: datetime.now(BEIJING)
            recent = desk.submit(parse(ORGANISATION)).number
        finally:
            desk.store.close()
    assert kiosk("outbox", "export", "--to", str(cli_env / "usb")) == 0
    assert city("import-outbox", str(cli_env / "usb")) == 0
    capsys.readouterr()

    assert city("applications", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(e["number"], e["kiosk_id"], e["overdue"]) for e in listed] == [
        (early, "dz-001", True),
        (recent, "dz-001", False),
    ]
    assert city("applications", "list", "--overdue") == 0
    out = capsys.readouterr().out
    late = working_days_after(date(2026, 10, 19), applications.today(), WorkCalendar())
    assert (
        f"{early}  dz-001  收到 2026-09-15  答复期限 2026-10-19  已逾期 {late} 个工作日  定州市人民政府办公室"
        in out
    )
    assert recent not in out

    assert city("applications", "show", early) == 0
    out = capsys.readouterr().out
    for line in (
        "姓名/名称：欧阳翠花",
        "身份证号码：11010519491231002X",
        "联系电话：13912345678",
        "获取方式：电子邮件",
    ):
        assert line in out
    assert city("applications", "show", f" {recent.lower()} ", "--json") == 0
    body = json.loads(capsys.readouterr().out)
    assert body["application"] == parse(ORGANISATION).to_dict() and body["kiosk_id"] == "dz-001"


def test_a_box_moved_under_another_number_is_refused(cli_env, capsys):
    assert city("keygen", "--channel", "dingzhou", "--url", "https://zwgk.example.gov.cn/channel/") == 0
    assert city("enrol", "dz-001", "--out", str(cli_env / "dz-001.json")) == 0
    assert kiosk("enrol", str(cli_env / "dz-001.json")) == 0
    data = cli_env / "kiosk"
    with Library(data / "library.db", blobs_dir=data / "blobs") as library:
        desk = open_desk(data, Outbox(library), enrolment.load(data))
        try:
            first, second = (desk.submit(parse(CITIZEN)).number for _ in range(2))
        finally:
            desk.store.close()
    assert kiosk("outbox", "export", "--to", str(cli_env / "usb")) == 0
    assert city("import-outbox", str(cli_env / "usb")) == 0
    conn = CityHome(cli_env / "city").db()
    with conn:
        sealed_first = conn.execute(
            "SELECT json_extract(payload, '$.sealed') FROM records WHERE json_extract(payload, '$.number') = ?",
            [first],
        ).fetchone()[0]
        conn.execute(
            "UPDATE records SET payload = json_set(payload, '$.sealed', ?) WHERE json_extract(payload, '$.number') = ?",
            [sealed_first, second],
        )
    conn.close()
    capsys.readouterr()
    assert city("applications", "show", second) == 2
    assert "加密内容与其编号或一体机不符" in capsys.readouterr().err
    assert city("applications", "show", "NNA9RF-260915-999X") == 2
    assert "没有编号为 NNA9RF-260915-999X 的申请" in capsys.readouterr().err
