"""The start-up check on the real QML: a library damaged below its header (it opens, and only SQLite's
quick_check finds the damage) takes the kiosk to 系统维护中 with the technician's next step, the check
running after the first frame (which shows the home tiles remembered from the last start); the background
sync never starts."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest
from conftest import close_kiosk, open_kiosk
from layout_check import problems

from kiosk.services import build

PAGE = 4096


def damage_an_items_page(path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = conn.execute("SELECT pageno FROM dbstat WHERE name = 'items' AND pagetype = 'leaf'").fetchall()
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((pages[len(pages) // 2][0] - 1) * PAGE)
        fh.write(os.urandom(PAGE))


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_a_library_failing_its_check_shows_maintenance_with_the_next_step(
    qtbot, qapp, config, data_dir, size, tmp_path
):
    tiles = [{"key": "library", "title": "政府信息查询", "icon": "政", "subtitle": "", "screen": "library"}]
    (data_dir / "home-tiles.json").write_text(json.dumps(tiles, ensure_ascii=False), encoding="utf-8")
    damage_an_items_page(data_dir / "library.db")
    services = build(config.with_values(sync__enabled=True), data_dir, background_sync=True)
    kiosk = open_kiosk(qtbot, services, size)
    try:
        qtbot.waitUntil(lambda: kiosk.find("maintenanceScreen") is not None, timeout=15000)
        detail = str(kiosk.get("maintenanceDetail").property("text"))
        assert "完整性检查未通过" in detail and "kiosk doctor --recover" in detail
        assert "系统维护中" in kiosk.texts(kiosk.get("maintenanceScreen"))
        assert services.library.store is None and services.sync.service is None
        found = {}
        for contrast in (False, True):  # laid out whole at every type size, as test_layout.py checks screens
            if contrast:
                kiosk.app_state.toggleContrast()
            for step in range(kiosk.app_state.property("fontSteps")):
                kiosk.app_state.setFontStep(step)
                qtbot.wait(100)
                where = f"maintenance-step-{step}{'-contrast' if contrast else ''}"
                kiosk.window.grabWindow().save(str(tmp_path / f"{where}.png"))
                if issues := problems(kiosk.window):
                    found[where] = issues
        assert not found, f"{found}\nshots: {tmp_path}"
    finally:
        close_kiosk(kiosk)
