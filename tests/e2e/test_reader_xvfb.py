"""The reader on a real X display (Xvfb, Qt's xcb platform, default threaded render loop), where
offscreen rendering hid a crash: enlarging the type on a document with a table killed the kiosk
(SIGSEGV in Qt 6.12's QSGBatchRenderer::Renderer::prepareAlphaBatches, see kiosk/richtext.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


@pytest.fixture(scope="module")
def display():
    if not shutil.which("Xvfb"):
        pytest.fail("Xvfb is missing: `python3 quickstart.py test` installs it (package xvfb)")
    for number in range(90, 130):
        if not Path(f"/tmp/.X{number}-lock").exists():
            break
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1080x1920x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if server.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"Xvfb :{number} did not start")
        time.sleep(0.05)
    yield f":{number}"
    server.terminate()
    server.wait(10)


def run_reader(display: str, data_dir: Path, *item_ids: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("QSG_RENDER_LOOP", "QT_QUICK_BACKEND")}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", KIOSK_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, str(HERE / "reader_driver.py"), str(data_dir), *item_ids],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_every_document_with_a_table_survives_every_type_size_on_a_real_display(display, tmp_path):
    result = run_reader(display, tmp_path)
    read = [line for line in result.stdout.splitlines() if line.startswith("read ")]
    assert result.returncode == 0, f"exit {result.returncode} after {read}\n{result.stderr[-3000:]}"
    # 老旧小区改造实施方案 (附件2's 明细表) and 第五批非遗名录 are among them
    assert {"read gz-d24868-2022-02-06 at every step", "read gz-d24868-2022-02-03 at every step"} <= set(read)
    warnings = [line for line in result.stderr.splitlines() if "qml" in line.lower() or "qt." in line]
    assert not warnings, warnings


FIT = """
import sys
from PySide6.QtQuick import QQuickWindow
from ui import app
qt = app.application()
window = QQuickWindow()
print(app.fit_to_screen(window, (1080, 1920)), app.fit_to_screen(window, (1920, 1080)), window.width(), window.height())
"""


def test_the_demo_fills_a_screen_of_its_own_size_and_fits_others(display):
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", FIT], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    fills, fills_landscape, width, height = result.stdout.split()
    assert fills == "True"  # 1080×1920 on a 1080×1920 screen: full screen, not 1035×1840
    assert fills_landscape == "False" and int(width) <= 1080 and int(height) < 1080
