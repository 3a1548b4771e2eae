"""The staff screen's 同步 section on the real QML: an unenrolled kiosk says so (no made-up figures),
an enrolled one shows channel, version, backlog and the outbox warning, 立即同步 runs in a worker and
shows its outcome, and stale content is called out."""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import pytest
from test_search_idle_staff import _enter_pin, _long_press_corner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "content"))
from channel_kit import item, make_city, publish_items  # noqa: E402
from city_server import background  # noqa: E402

from city import fleet  # noqa: E402
from city.server import create_app  # noqa: E402
from content.outbox import Outbox  # noqa: E402
from kiosk import enrolment, sync_service  # noqa: E402
from kiosk.health import DeviceHealth  # noqa: E402
from kiosk.sync_control import SyncControl  # noqa: E402
from kiosk.sync_text import local_time, staff_view  # noqa: E402

_ids = itertools.count(1)


def enrol(city, data_dir: Path, url: str) -> None:
    document = fleet.enrol(
        city, f"ui-{next(_ids)}", channel_url=url + "/channel/", upload_url=url + "/v1/outbox"
    )
    path = data_dir.parent / "enrol.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    enrolment.install(path, data_dir)


@pytest.fixture(autouse=True)
def no_diagnosis(monkeypatch):
    monkeypatch.setattr(DeviceHealth, "faults", lambda self: [])


def open_staff(kiosk) -> None:
    kiosk.services.staff.auth.set_pin("246810")
    _long_press_corner(kiosk)
    kiosk.wait_screen("pin")
    _enter_pin(kiosk, "246810")
    kiosk.wait_screen("staff")
    kiosk.qtbot.waitUntil(lambda: kiosk.staff.property("sync").get("enrolled") is not None, timeout=5000)


def test_an_unenrolled_kiosk_says_how_to_enrol_and_offers_no_sync(kiosk):
    open_staff(kiosk)
    state = kiosk.get("syncState")
    assert state.property("text") == (
        "本机还没有登记到市级平台，暂时不能同步新内容，现有内容照常使用。请联系县（市）信息化工作人员为本机办理登记。"
    )  # in a staff member's words: no command to run
    assert kiosk.find("syncNow") is None and kiosk.find("syncWarning") is None
    assert kiosk.find("syncStale") is None


def test_sync_now_runs_in_a_worker_and_shows_the_outcome(qtbot, qapp, services, monkeypatch):
    from conftest import close_kiosk, open_kiosk

    monkeypatch.setattr(sync_service, "outbox_for", lambda library, config: Outbox(library, capacity=100))
    with background(create_app(city_home := make_city(services.data_dir.parent / "city"))) as url:
        publish_items(city_home, [item(n) for n in range(3)])
        enrol(city_home, services.data_dir, url)
        kiosk = open_kiosk(qtbot, services)
        try:
            services.library.ensure_open()
            assert services.sync.enrolled
            for _ in range(85):  # 85 % of the bound: staff are warned
                services.usage.event("checklist_printed", item_id="g")
            services.usage.flush()
            open_staff(kiosk)
            state = kiosk.get("syncState")
            assert "尚未从市级平台同步过内容" in state.property("text")
            assert "待上传记录：85 / 100" in state.property("text")
            warning = kiosk.get("syncWarning")
            assert "待上传记录接近上限" in warning.property("text") and "网络" in warning.property("text")

            kiosk.click("syncNow")
            result = kiosk.get("syncResult")
            qtbot.waitUntil(lambda: "已更新到版本 1" in result.property("text"), timeout=15000)
            assert "上传记录" in result.property("text")
            qtbot.waitUntil(lambda: "版本 1" in kiosk.get("syncState").property("text"))
            assert "上次成功同步：无" not in kiosk.get("syncState").property("text")
            assert "待上传记录：0 / 100" in kiosk.get("syncState").property("text")
            assert kiosk.find("syncWarning") is None
            assert kiosk.get("syncNow").property("enabled")
        finally:
            close_kiosk(kiosk)


def test_stale_content_is_called_out(kiosk, monkeypatch):
    overview = {
        "enrolled": True,
        "available": True,
        "background": True,
        "enabled": True,
        "channel": "dingzhou",
        "version": "7",
        "lastSuccess": "2024-05-01 08:30",
        "lastAttempt": "2024-06-01 08:30",
        "lastError": "多次尝试后仍无法下载 root.json：无法连接服务器，请检查网络",
        "stale": True,
        "staleSince": "2024-05-08T00:30:00Z",
        "pending": 12,
        "capacity": 10000,
        "warning": "",
    }
    monkeypatch.setattr(SyncControl, "overview", lambda self: staff_view(overview))
    open_staff(kiosk)
    since = local_time("2024-05-08T00:30:00Z")
    assert kiosk.get("syncStale").property("text") == f"内容已过期，自 {since} 起未更新"
    text = kiosk.get("syncState").property("text")
    assert "频道 dingzhou，版本 7" in text and "上次成功同步：2024-05-01 08:30" in text
    assert "后台定时同步：已开启" in text
    assert "无法连接服务器" in kiosk.get("syncError").property("text")
