"""`kiosk display` as the hall runs it: its own process, reporting to the kiosk's real API."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from kiosk.signage.status import Displays


def kiosk_display(*args: str, data_dir, **popen) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_DATA_DIR": str(data_dir)}
    env.pop("KIOSK_CONFIG", None)
    code = "import sys; from kiosk.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen([sys.executable, "-c", code, "display", *args], env=env, text=True, **popen)


def test_the_process_shows_and_reports_its_heartbeat(kiosk_api, tmp_path):
    process = kiosk_display("--api", kiosk_api.url, "--size", "1280x720", data_dir=tmp_path / "display-pc")
    try:
        displays = Displays(kiosk_api.data_dir)
        deadline = time.monotonic() + 30
        while "display" not in displays.all() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        beat = displays.all()["display"]
        assert beat["size"] == "1280x720" and beat["showing"] in ("公示牌", "电子阅报栏")
        cached = tmp_path / "display-pc" / "display-cache" / "display" / "content.json"
        while not cached.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert cached.exists() and process.poll() is None
    finally:
        process.terminate()
        process.wait(10)


def test_an_unknown_output_is_a_clear_error(tmp_path):
    process = kiosk_display("--output", "HDMI-A-9", data_dir=tmp_path, stderr=subprocess.PIPE)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "错误：没有名为“HDMI-A-9”的显示输出" in err and "Traceback" not in err


def test_the_display_qml_lints_clean():
    from pathlib import Path

    tool = Path(sys.executable).with_name("pyside6-qmllint")
    qml = Path(__file__).resolve().parents[2] / "display" / "Display.qml"
    out = subprocess.run([str(tool), str(qml)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "Warning" not in out.stdout + out.stderr, out.stdout + out.stderr
