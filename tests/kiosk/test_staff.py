"""Staff PIN: hashed, checked, locked after five wrong tries for five minutes, persisted; staff settings.
The escalation, the clocks, damaged state, a full disk and many processes: test_staff_lock.py."""

import json

import pytest

from kiosk.config import defaults
from kiosk.staff import LOCK_SECONDS, MAX_TRIES, StaffAuth, StaffError, StaffSettings, hash_pin, verify_pin


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_hash_is_salted_and_verifies():
    first, second = hash_pin("2468"), hash_pin("2468")
    assert first != second
    assert "2468" not in first
    assert verify_pin("2468", first) and verify_pin("2468", second)
    assert not verify_pin("2469", first)
    assert not verify_pin("2468", "garbage")


def test_pin_is_stored_only_hashed(tmp_path):
    auth = StaffAuth(tmp_path)
    assert not auth.has_pin()
    auth.set_pin("135790")
    text = (tmp_path / "staff.json").read_text()
    assert "135790" not in text
    assert auth.attempt("135790").ok


@pytest.mark.parametrize("pin", ["", "123", "123456789", "12a4", "１２３４", "2468", "12345", "１２３４５６"])
def test_bad_pin_format_is_refused(tmp_path, pin):
    with pytest.raises(StaffError):
        StaffAuth(tmp_path).set_pin(pin)


def test_five_wrong_tries_lock_for_five_minutes_across_restarts(tmp_path):
    clock = Clock()
    auth = StaffAuth(tmp_path, clock=clock)
    auth.set_pin("246810")
    results = [auth.attempt("000000") for _ in range(MAX_TRIES)]
    assert [r.tries_left for r in results] == [4, 3, 2, 1, 0]
    assert results[-1].locked_for == LOCK_SECONDS

    restarted = StaffAuth(tmp_path, clock=clock)
    locked = restarted.attempt("246810")
    assert not locked.ok and locked.locked_for == LOCK_SECONDS

    clock.now += LOCK_SECONDS - 1
    assert not restarted.attempt("246810").ok
    clock.now += 1
    assert restarted.locked_for() == 0
    assert restarted.attempt("246810").ok


def test_right_pin_resets_the_count(tmp_path):
    auth = StaffAuth(tmp_path, clock=Clock())
    auth.set_pin("246810")
    for _ in range(MAX_TRIES - 1):
        auth.attempt("111111")
    assert auth.attempt("246810").ok
    assert auth.attempt("111111").tries_left == MAX_TRIES - 1


def test_config_hash_wins_and_no_pin_never_opens(tmp_path):
    assert not StaffAuth(tmp_path).attempt("").ok
    auth = StaffAuth(tmp_path, config_hash=hash_pin("9999"))
    auth_file = StaffAuth(tmp_path)
    auth_file.set_pin("123456")
    assert auth.attempt("9999").ok
    assert not auth.attempt("123456").ok


def test_settings_overlay_config_and_are_validated(tmp_path):
    settings = StaffSettings(tmp_path)
    assert settings.apply(defaults())["kiosk.idle_timeout"] == 90
    settings.save("kiosk.idle_timeout", 120)
    settings.save("kiosk.font_scale", 1.4)
    config = StaffSettings(tmp_path).apply(defaults())
    assert config["kiosk.idle_timeout"] == 120
    assert config["kiosk.font_scale"] == pytest.approx(1.4)
    with pytest.raises(StaffError):
        settings.save("kiosk.idle_timeout", 5)
    with pytest.raises(StaffError):
        settings.save("kiosk.tier", "村")
    (tmp_path / "settings.json").write_text(json.dumps({"kiosk.idle_timeout": "soon"}))
    assert StaffSettings(tmp_path).apply(defaults())["kiosk.idle_timeout"] == 90


def test_the_setup_wizard_keeps_hall_name_and_tier_for_the_next_start(tmp_path):
    settings = StaffSettings(tmp_path)
    assert settings.save_hall("  东亭镇  便民服务中心 ", "乡镇") == ("东亭镇 便民服务中心", "乡镇")
    config = StaffSettings(tmp_path).apply(defaults())
    assert (config["kiosk.hall_name"], config["kiosk.tier"]) == ("东亭镇 便民服务中心", "乡镇")
    for name, tier, zh in (
        ("", "村", "大厅名称应为"),
        ("大" * 41, "村", "大厅名称应为"),
        ("村委会", "组", "不在可选值"),
    ):
        with pytest.raises(StaffError) as caught:
            settings.save_hall(name, tier)
        assert zh in caught.value.zh
    assert StaffSettings(tmp_path).apply(defaults())["kiosk.tier"] == "乡镇"  # nothing half-kept
    with pytest.raises(StaffError):
        settings.save("kiosk.tier", "村")  # not from the staff screen's settings section
