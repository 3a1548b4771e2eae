"""The setup wizard clicked through on a fresh, unenrolled kiosk: the staff corner opens it at once while no
staff PIN is set; hall and tier (in force at once: the title bar, and a county-level function leaving the
home of a township hall), the enrolment file made by `city enrol` on a USB stick (a temp folder the
discovery is pointed at), device detection with remedies, the PIN typed twice with its recovery code, a
test print on the simulated printer, then home; later it is opened again from the staff screen. An
unenrolled, empty kiosk's home has no tile that needs the city. With a PIN set, entering staff mode opens the
wizard over the staff screen until it is finished or dismissed."""

from __future__ import annotations

import json

import pytest
from conftest import close_kiosk, open_kiosk
from layout_check import problems
from test_search_idle_staff import _enter_pin, _long_press_corner

from city import cli as city_cli
from kiosk import features, setup_wizard
from kiosk.config import defaults
from kiosk.features import Availability, Feature
from kiosk.services import build
from ui import setup_wizard as wizard_model

PIN = "246810"
# A function offered from county level up (no feature of the registry is limited by tier yet).
COUNTY = Feature(
    "county", "县级功能", "县", lambda facts: "", "list", available=Availability(tiers=("省", "市", "县"))
)


@pytest.fixture
def stick(cli_env):
    folder = cli_env / "stick"
    folder.mkdir()
    assert city_cli.main(["keygen", "--channel", "dingzhou"]) == 0
    out = folder / "village-017.enrol.json"
    assert (
        city_cli.main(["enrol", "village-017", "--url", "http://127.0.0.1:9/channel/", "--out", str(out)])
        == 0
    )
    return folder


@pytest.fixture(params=[(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def fresh(request, qtbot, qapp, tmp_path, stick, monkeypatch):
    """A kiosk on an empty data directory: no library content, no enrolment, no PIN, a simulated printer."""
    monkeypatch.setitem(wizard_model.HOOKS, "sticks", lambda: [str(stick)])
    monkeypatch.setattr(features, "REGISTRY", features.REGISTRY.plus(COUNTY))
    config = defaults().with_values(
        kiosk__idle_timeout=3600, ui__staff_hold_seconds=2, devices__printer="sim://"
    )
    kiosk = open_kiosk(qtbot, build(config, tmp_path / "data", bundled=False), request.param)
    yield kiosk
    close_kiosk(kiosk)


def text_of(kiosk, name: str) -> str:
    return str(kiosk.get(name).property("text"))


def shown(kiosk, name: str) -> list:
    return [item for item in kiosk.items() if item.objectName() == name and kiosk.visible(item)]


def wait_step(kiosk, key: str) -> None:
    model = kiosk.engine.singletonInstance("Kiosk", "SetupWizard")
    kiosk.qtbot.waitUntil(
        lambda: model.property("current") == key and not model.property("busy"), timeout=10000
    )


def wait_text(kiosk, name: str, part: str) -> None:
    kiosk.qtbot.waitUntil(lambda: part in text_of(kiosk, name), timeout=10000)


def test_every_step_of_the_wizard_on_a_fresh_kiosk(fresh):
    kiosk = fresh
    data_dir = kiosk.services.data_dir
    # Empty and unenrolled: the library and notices only, no 信息公开申请 (it needs the city's key)
    kiosk.qtbot.waitUntil(lambda: kiosk.services.library.store is not None)
    tiles = lambda: {t["key"] for t in kiosk.app_state.property("functions")}  # noqa: E731
    kiosk.qtbot.waitUntil(lambda: tiles() == {"library", "notices", "county"})

    _long_press_corner(kiosk)  # no PIN yet: the wizard, not the PIN pad
    kiosk.wait_screen("setupWizard")

    wait_text(kiosk, "setupHallText", "现为：定州市政务服务中心（市）")
    kiosk.qtbot.waitUntil(lambda: kiosk.get("setupHallName").property("text") == "定州市政务服务中心")
    kiosk.get("setupHallName").setProperty("text", "   ")  # an empty name is refused, nothing saved
    kiosk.click("setupSaveHall")
    wait_text(kiosk, "setupMessage", "大厅名称应为 1 到 40 个字")
    assert not (data_dir / "settings.json").exists()
    kiosk.get("setupHallName").setProperty("text", "东亭镇便民服务中心")
    kiosk.click("setupTier_乡镇")
    kiosk.click("setupSaveHall")
    wait_text(kiosk, "setupHallText", "现为：东亭镇便民服务中心（乡镇）")
    wait_text(kiosk, "setupMessage", "已按新的大厅名称和层级显示")
    # in force at once: the title bar over every screen, the home under the wizard without the county's tile
    assert text_of(kiosk, "hallName") == "东亭镇便民服务中心" and kiosk.app_state.property("tier") == "乡镇"
    kiosk.qtbot.waitUntil(lambda: tiles() == {"library", "notices"})
    saved = json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))
    assert (saved["kiosk.hall_name"], saved["kiosk.tier"]) == ("东亭镇便民服务中心", "乡镇")
    next_start = build(defaults(), data_dir)
    assert next_start.config["kiosk.tier"] == "乡镇"  # and the next start keeps them
    next_start.close()
    kiosk.click("setupNext")

    kiosk.get("setupEnrolment")
    kiosk.qtbot.waitUntil(
        lambda: "village-017.enrol.json" in kiosk.get("setupEnrolFile_0").property("subtitle")
    )
    assert not problems(
        kiosk.window
    )  # the unenrolled step with a file offered (test_layout's kiosk is enrolled)
    kiosk.click("setupEnrolFile_0")
    wait_text(kiosk, "setupMessage", "已登记为 village-017")
    assert (data_dir / "enrolment.json").exists()
    kiosk.click("setupNext")

    kiosk.get("setupDevices")
    kiosk.qtbot.waitUntil(lambda: len(shown(kiosk, "setupDevice")) == 2, timeout=10000)
    devices = "\n".join(str(item.property("text")) for item in shown(kiosk, "setupDevice"))
    assert "身份证阅读器：未配置" in devices and "处理办法：" in devices and "小票打印机" in devices
    kiosk.click("setupNext")

    kiosk.get("setupPin")
    for digit in "12345":  # too short: refused with the staff rules, nothing set
        kiosk.click(f"setupPin_{digit}")
    kiosk.click("setupPin_ok")
    for digit in "12345":
        kiosk.click(f"setupPin_{digit}")
    kiosk.click("setupPin_ok")
    wait_text(kiosk, "setupMessage", "6 到 8 位数字")
    assert not kiosk.services.staff.auth.has_pin()
    for attempt in (PIN, PIN):
        for digit in attempt:
            kiosk.click(f"setupPin_{digit}")
        kiosk.click("setupPin_ok")
    wait_text(kiosk, "setupMessage", "恢复码：")
    assert kiosk.services.staff.auth.has_pin()
    kiosk.click("setupPrintRecovery")
    wait_text(kiosk, "setupMessage", "恢复码已打印")
    kiosk.click("setupNext")

    kiosk.click("setupTestPrint")
    wait_text(kiosk, "setupMessage", "测试页已打印")
    assert list((data_dir / "printer").glob("*.png"))
    kiosk.click("setupNext")

    wait_text(kiosk, "setupSummary", "设置完成")
    kiosk.click("setupFinish")
    kiosk.wait_screen("home")
    wizard = setup_wizard.for_services(kiosk.services)
    assert wizard.enrolled() and not wizard.should_open()
    assert {s["status"] for s in wizard.overview()["steps"]} == {"done"}

    # Later: the PIN pad now, and the wizard again from the staff screen, on the step staff choose.
    _long_press_corner(kiosk)
    kiosk.wait_screen("pin")
    _enter_pin(kiosk, PIN)
    kiosk.wait_screen("staff")
    kiosk.click("openSetupWizard")
    kiosk.wait_screen("setupWizard")
    wait_text(kiosk, "setupSummary", "设置完成")
    kiosk.click("setupStep_devices")
    kiosk.get("setupRecheck")


def test_skipped_steps_leave_the_wizard_to_open_again_until_enrolled(fresh):
    kiosk = fresh
    _long_press_corner(kiosk)
    kiosk.wait_screen("setupWizard")
    for key in setup_wizard.STEP_KEYS:
        wait_step(kiosk, key)
        kiosk.click("setupSkip")
    wait_text(kiosk, "setupSummary", "本机尚未登记")
    wizard = setup_wizard.for_services(kiosk.services)
    assert {s["status"] for s in wizard.overview()["steps"]} == {"skipped"}
    assert wizard.should_open()  # skipped, not dismissed
    kiosk.click("setupFinish")
    kiosk.wait_screen("home")
    kiosk.qtbot.waitUntil(lambda: not wizard.should_open())  # 以后再说 is written on the worker


def test_with_a_pin_staff_mode_opens_the_wizard_until_it_is_dismissed(fresh):
    kiosk = fresh
    kiosk.services.staff.auth.set_pin(PIN)
    for _ in range(2):  # opened on each entry to staff mode, until 以后再说
        _long_press_corner(kiosk)
        kiosk.wait_screen("pin")
        _enter_pin(kiosk, PIN)
        kiosk.wait_screen("setupWizard")
        wait_step(kiosk, "hall")
        kiosk.click("backButton")
        kiosk.wait_screen("staff")  # the staff screen under it
        kiosk.click("homeButton")
        kiosk.wait_screen("home")
    _long_press_corner(kiosk)
    kiosk.wait_screen("pin")
    _enter_pin(kiosk, PIN)
    kiosk.wait_screen("setupWizard")
    for key in ("hall", "enrolment", "devices", "print"):  # the PIN step is done: a PIN is set
        wait_step(kiosk, key)
        kiosk.click("setupSkip")
    kiosk.click("setupFinish")
    kiosk.wait_screen("home")
    wizard = setup_wizard.for_services(kiosk.services)
    kiosk.qtbot.waitUntil(lambda: not wizard.should_open())  # dismissed on the worker
    _long_press_corner(kiosk)
    kiosk.wait_screen("pin")
    _enter_pin(kiosk, PIN)
    kiosk.wait_screen("staff")
    kiosk.qtbot.wait(300)
    assert kiosk.app_state.property("currentScreen") == "staff"
