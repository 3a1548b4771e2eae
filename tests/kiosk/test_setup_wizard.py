"""The setup wizard's Qt-free part: steps and what is next on a fresh data directory, enrolment from a
USB stick with a file made by `city enrol`, the PIN's rules and recovery code, device detection with
remedies, a test print on the simulated printer, skipping, dismissing and a damaged state file."""

from __future__ import annotations

from datetime import datetime

import pytest

from city import cli as city_cli
from kiosk import demo, features, setup_wizard
from kiosk.api.display_routes import DisplayContent
from kiosk.config import defaults
from kiosk.enrolment import EnrolmentError
from kiosk.events import ContentChange
from kiosk.features import Availability, Feature
from kiosk.services import build
from kiosk.staff import StaffError


@pytest.fixture
def stick(cli_env):
    """A USB stick (a temp folder the discovery is pointed at) holding a real enrolment file."""
    folder = cli_env / "stick"
    (folder / "city").mkdir(parents=True)
    assert city_cli.main(["keygen", "--channel", "dingzhou"]) == 0
    out = folder / "city" / "village-017.enrol.json"
    assert (
        city_cli.main(["enrol", "village-017", "--url", "http://127.0.0.1:9/channel/", "--out", str(out)])
        == 0
    )
    (folder / "notes.json").write_text("{}", encoding="utf-8")  # not named like an enrolment file
    return folder


def wizard(tmp_path, stick=None, **values):
    config = defaults().with_values(content__bundled_gazette=False, **values)
    services = build(config, tmp_path / "kiosk", bundled=False)
    sticks = (lambda: [str(stick)]) if stick is not None else (lambda: [])
    return setup_wizard.for_services(services, sticks=sticks)


def test_the_demo_is_a_showcase_not_a_first_boot(tmp_path):
    w = wizard(tmp_path)
    assert w.should_open()
    demo.write_marker(w.data_dir)
    assert not w.should_open()  # its staff screen still offers 首次设置
    assert w.overview()["next"] == "hall"


def statuses(w) -> dict[str, str]:
    return {step["key"]: step["status"] for step in w.overview()["steps"]}


def test_a_fresh_kiosk_opens_the_wizard_at_the_hall_step(tmp_path):
    w = wizard(tmp_path)
    assert w.should_open()
    view = w.overview()
    assert view["next"] == "hall" and not view["enrolled"] and not view["hasPin"]
    assert set(statuses(w).values()) == {"open"}
    assert view["hallName"] == defaults()["kiosk.hall_name"] and view["tier"] in view["tiers"]


def test_the_enrolment_file_on_the_stick_is_found_and_installed(tmp_path, stick):
    w = wizard(tmp_path, stick)
    files = w.enrolment_files()
    assert files == [str(stick / "city" / "village-017.enrol.json")]
    shown = w.enrol(files[0])
    assert shown["kiosk_id"] == "village-017" and "secret" not in str(shown)
    assert w.enrolled() and statuses(w)["enrolment"] == "done"
    assert not w.should_open()  # enrolled: the wizard no longer opens at start


def test_a_file_that_is_no_enrolment_is_refused_in_chinese_and_installs_nothing(tmp_path, stick):
    w = wizard(tmp_path, stick)
    bad = stick / "old.enrol.json"
    bad.write_text('{"type": "something-else"}', encoding="utf-8")
    with pytest.raises(EnrolmentError) as caught:
        w.enrol(str(bad))
    assert "不是有效的登记文件" in caught.value.zh
    assert not w.enrolled() and w.should_open()


def test_no_stick_offers_no_file(tmp_path):
    assert wizard(tmp_path).enrolment_files() == []
    assert setup_wizard.enrolment_files([str(tmp_path / "pulled-out")]) == []


def test_the_pin_keeps_the_staff_rules_and_gives_a_recovery_code(tmp_path):
    w = wizard(tmp_path)
    with pytest.raises(StaffError) as caught:
        w.set_pin("12345")
    assert "6 到 8 位数字" in caught.value.zh and statuses(w)["pin"] == "open"
    code = w.set_pin("246810")
    assert len(code) == 8 and code.isdigit()
    assert statuses(w)["pin"] == "done" and w.auth.attempt("246810").ok


def test_devices_are_diagnosed_with_their_remedies(tmp_path):
    rows = wizard(tmp_path).diagnose()
    assert [row["title"] for row in rows] == ["身份证阅读器", "小票打印机"]
    assert all(row["state"] == "unconfigured" and "配置" in row["hint"] for row in rows)
    rows = wizard(tmp_path, devices__printer="sim://?paper=out").diagnose()
    assert rows[1]["state"] != "ok" and rows[1]["hint"]


def test_the_test_print_uses_the_configured_printer(tmp_path):
    assert wizard(tmp_path, devices__printer="sim://").test_print() >= 1
    before = len(list((tmp_path / "kiosk" / "printer").glob("*.png")))
    assert wizard(tmp_path, devices__printer="sim://").print_recovery("12345678") >= 1
    assert len(list((tmp_path / "kiosk" / "printer").glob("*.png"))) > before
    with pytest.raises(setup_wizard.WizardError) as caught:
        wizard(tmp_path).test_print()
    assert "未配置小票打印机" in caught.value.zh
    with pytest.raises(setup_wizard.WizardError) as caught:
        wizard(tmp_path, devices__printer="sim://?paper=out").test_print()
    assert "纸" in caught.value.zh
    with pytest.raises(setup_wizard.WizardError):
        wizard(tmp_path, devices__printer="sim://?paper=out").print_recovery("12345678")


def test_a_printer_fault_reaches_the_wizard_in_the_language_in_use(tmp_path, speak_english):
    catalogue = {
        "打印机缺纸": "Out of paper",
        "打印机缺纸，请更换纸卷": "Put in a new paper roll",
        "{problem}。{hint}": "{problem}. {hint}",
    }
    printer = {"devices__printer": "sim://?paper=out"}
    with pytest.raises(setup_wizard.WizardError) as chinese:
        wizard(tmp_path / "zh", **printer).test_print()
    assert chinese.value.zh == "打印机缺纸。打印机缺纸，请更换纸卷"
    in_english = wizard(tmp_path / "en", **printer)  # building the services sets the configured language
    speak_english(catalogue)
    row = in_english.diagnose()[1]
    with pytest.raises(setup_wizard.WizardError) as english:
        in_english.test_print()
    assert (row["summary"], row["hint"]) == ("Out of paper", "Put in a new paper roll")
    assert english.value.zh == "Out of paper. Put in a new paper roll"


def test_skipped_steps_and_dismissal_are_kept_and_a_damaged_state_starts_over(tmp_path):
    w = wizard(tmp_path)
    w.mark("hall", "done")
    w.mark("enrolment", "skipped")
    w.mark("devices", "skipped")
    again = wizard(tmp_path)
    assert again.overview()["next"] == "pin"
    assert statuses(again)["enrolment"] == "skipped"
    again.dismiss()
    assert not wizard(tmp_path).should_open()
    with pytest.raises(ValueError):
        again.mark("nothing", "done")
    (tmp_path / "kiosk" / setup_wizard.STATE_FILE).write_text("{damaged", encoding="utf-8")
    assert wizard(tmp_path).should_open() and wizard(tmp_path).overview()["next"] == "hall"


def test_the_hall_and_tier_saved_take_effect_at_once(tmp_path, monkeypatch):
    """Services built with 市 follow the wizard's 乡镇 at once: the configuration now, the home tiles (a
    ContentChange on the bus), the tiers check and what the display API serves."""
    # a function offered from county level up: gone from a township hall's home
    county = Feature(
        "county", "县级功能", "县", lambda facts: "", "list", available=Availability(tiers=("省", "市", "县"))
    )
    monkeypatch.setattr(features, "REGISTRY", features.REGISTRY.plus(county))
    services = build(
        defaults().with_values(content__bundled_gazette=False), tmp_path / "kiosk", bundled=False
    )
    try:
        services.library.ensure_open()
        changes: list[ContentChange] = []
        services.bus.subscribe(ContentChange, changes.append)
        assert "county" in [t["key"] for t in services.library.tiles()]
        assert services.config["kiosk.tier"] == "市"
        w = setup_wizard.for_services(services)
        assert w.save_hall(" 东亭镇  便民服务中心", "乡镇") == {
            "hallName": "东亭镇 便民服务中心",
            "tier": "乡镇",
        }
        assert (services.config["kiosk.hall_name"], services.config["kiosk.tier"]) == (
            "东亭镇 便民服务中心",
            "乡镇",
        )
        assert [c.reason for c in changes] == ["hall"]
        assert "county" not in [t["key"] for t in changes[0].tiles]
        assert "county" not in [t["key"] for t in services.library.tiles()]
        assert services.staff.compliance().tier == "乡镇" and services.staff.overview()["tier"] == "乡镇"
        body = DisplayContent(services).build(datetime.now())
        assert (body["hall"], body["tier"]) == ("东亭镇 便民服务中心", "乡镇")
        assert w.overview()["tier"] == "乡镇" and statuses(w)["hall"] == "done"
    finally:
        services.close()
