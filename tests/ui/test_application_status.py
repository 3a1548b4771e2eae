"""查询申请进度 end to end, on the real QML and a live `city serve` on loopback: a resident applies at the kiosk,
the sync uploads the sealed application to the city's inbox, the office replies through the city's command
line (补正, then 予以公开), the next sync brings the status records back, and the resident sees them by the
number and the phone's last four digits; a wrong number or wrong digits find nothing, and the channel, the
kiosk's data directory and the logs hold no name, phone or ID number."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from conftest import close_kiosk, open_kiosk
from test_application_screens import PHONE, fill_contact, next_step, submitted_number, type_into
from test_content_refresh import documents, in_background
from test_staff_sync import enrol

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "content"))
from channel_kit import make_city, publish_items  # noqa: E402
from city_server import background  # noqa: E402

from city import application_key, applications  # noqa: E402
from city.cli import main as city_main  # noqa: E402
from city.server import create_app  # noqa: E402
from kiosk.health import DeviceHealth  # noqa: E402

NAME, ID_NUMBER = "欧阳翠花", "11010519491231002X"


@pytest.fixture(autouse=True)
def no_diagnosis(monkeypatch):
    monkeypatch.setattr(DeviceHealth, "faults", lambda self: [])


@pytest.fixture
def city(services):
    home = make_city(services.data_dir.parent / "city")
    application_key.make(home)
    publish_items(home, documents(1))
    with background(create_app(home)) as url:
        yield home, url


def apply(kiosk) -> str:
    kiosk.click("tile_applications")
    kiosk.click("applicantCitizen")
    kiosk.click("applicationTypeIn")
    type_into(kiosk, "name", NAME)
    type_into(kiosk, "id_number", ID_NUMBER)
    fill_contact(kiosk)
    next_step(kiosk, "applicationNext", "applicationSubmit")
    kiosk.click("applicationSubmit")
    number = submitted_number(kiosk)
    kiosk.click("applicationDone")
    return number


def look(kiosk, number: str, last4: str) -> None:
    kiosk.app_state.home()
    kiosk.wait_screen("home")
    kiosk.click("tile_application_status")
    kiosk.wait_screen("applicationStatus")
    type_into(kiosk, "status_number", number)
    type_into(kiosk, "status_phone", last4)
    kiosk.click("applicationStatusLook")


def test_apply_upload_reply_sync_and_the_status_on_the_kiosk(qtbot, qapp, services, city, capsys, caplog):
    home, url = city
    enrol(home, services.data_dir, url)
    kiosk = open_kiosk(qtbot, services)
    try:
        with caplog.at_level(logging.DEBUG):
            services.library.ensure_open()
            in_background(qtbot, services.sync.now)
            number = apply(kiosk)
            in_background(qtbot, services.sync.now)  # uploads the outbox
            assert [e.number for e in applications.inbox(home)] == [number]

            look(kiosk, number, PHONE[-4:])  # received here, nothing from the city yet
            state = kiosk.get("applicationStatusState", timeout=10000)
            assert state.property("text") == f"申请 {number}：已受理，等待答复"

            assert city_main(["--home", str(home.path), "applications", "reply", number, "--correction",
                              "--text", "请写明所需信息的年份"]) == 0  # fmt: skip
            assert city_main(["--home", str(home.path), "applications", "reply", number, "--kind", "予以公开",
                              "--text", "请到定州市政务服务中心三楼领取"]) == 0  # fmt: skip
            assert "已记录答复并发布" in capsys.readouterr().out
            in_background(qtbot, services.sync.now)

            look(kiosk, number, PHONE[-4:])
            qtbot.waitUntil(lambda: state_text(kiosk) == f"申请 {number}：已答复", timeout=10000)
            shown = "\n".join(kiosk.texts())
            assert "已答复：予以公开" in shown
            assert "需要补正" in shown and "请写明所需信息的年份" in shown
            assert "请到定州市政务服务中心三楼领取" in shown and "答复期限" in shown

            look(kiosk, number, "0000")  # wrong digits: the city's answer stays hidden
            qtbot.waitUntil(lambda: state_text(kiosk).endswith("已受理，等待答复"), timeout=10000)
            assert "请到定州市政务服务中心三楼领取" not in "\n".join(kiosk.texts())
            look(kiosk, number[:-1] + ("0" if number[-1] != "0" else "1"), PHONE[-4:])
            message = kiosk.get("applicationStatusMessage", timeout=10000)
            assert "校验位" in message.property("text")
        for secret in (NAME, ID_NUMBER, PHONE):
            assert secret not in caplog.text
            for path in (services.data_dir / "application_status").iterdir():
                assert secret.encode() not in path.read_bytes()
    finally:
        close_kiosk(kiosk)


def state_text(kiosk) -> str:
    item = kiosk.find("applicationStatusState")
    return item.property("text") if item is not None else ""
