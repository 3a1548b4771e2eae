"""`kiosk display` as the hall runs it: its own process, reporting to the kiosk's real API."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime

from kiosk.signage.status import Displays


def kiosk_display(*args: str, data_dir, **popen) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_DATA_DIR": str(data_dir)}
    env.pop("KIOSK_CONFIG", None)
    code = "import sys; from kiosk.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen([sys.executable, "-c", code, "display", *args], env=env, text=True, **popen)


def test_the_process_pairs_shows_and_reports_its_heartbeat(kiosk_api, tmp_path):
    code = kiosk_api.services.signage_desk.pairing_code()["code"]
    args = ("--api", kiosk_api.url, "--size", "1280x720", "--pair", code)
    process = kiosk_display(*args, data_dir=tmp_path / "display-pc")  # another PC in the hall
    try:
        displays = Displays(kiosk_api.data_dir)
        deadline = time.monotonic() + 60  # a cold PySide6 start on a loaded machine
        while "display" not in displays.all() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        beat = displays.all()["display"]
        assert beat["size"] == "1280x720" and beat["showing"] in ("公示牌", "电子阅报栏")
        cached = tmp_path / "display-pc" / "display-cache" / "display" / "content.json"
        while not cached.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert cached.exists() and process.poll() is None
        token = (tmp_path / "display-pc" / "signage" / "display.token").read_text().strip()
        assert kiosk_api.services.signage_desk.tokens.display_of(token) == "display"
    finally:
        process.terminate()
        process.wait(10)


def test_pairing_with_a_used_code_is_a_clear_error(kiosk_api, tmp_path):
    code = kiosk_api.services.signage_desk.pairing_code()["code"]
    kiosk_api.services.signage_desk.tokens.pair(code, "display")
    args = ("--api", kiosk_api.url, "--pair", code)
    process = kiosk_display(*args, data_dir=tmp_path / "display-pc", stderr=subprocess.PIPE)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2 and "Traceback" not in err
    assert "错误：配对码无效或已过期，请在工作人员模式中重新获取" in err


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


def kiosk_cli(*args: str, data_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIOSK_DATA_DIR": str(data_dir)}
    env.pop("KIOSK_CONFIG", None)
    code = "import sys; from kiosk.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_staff_set_the_playlist_and_emergencies_from_the_command_line(tmp_path):
    from kiosk.signage.emergency import Emergencies
    from kiosk.signage.files import read_json

    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"entries": [{"id": "n", "show": "notices", "times": ["18:00-08:00"]}]}', encoding="utf-8"
    )
    out = kiosk_cli("display", "--set-playlist", str(bad), data_dir=tmp_path / "k")
    assert out.returncode == 2 and "结束时间应晚于开始时间" in out.stderr
    assert not (tmp_path / "k" / "signage" / "playlist.json").exists()
    (tmp_path / "broken.json").write_text('{"entries": [\n', encoding="utf-8")
    out = kiosk_cli("display", "--set-playlist", str(tmp_path / "broken.json"), data_dir=tmp_path / "k")
    assert out.returncode == 2 and "第 2 行不是有效的 JSON" in out.stderr
    good = tmp_path / "good.json"
    good.write_text(
        '{"entries": [{"id": "n", "show": "notices", "times": ["08:00-12:00"]}]}', encoding="utf-8"
    )
    out = kiosk_cli("display", "--set-playlist", str(good), data_dir=tmp_path / "k")
    assert out.returncode == 0 and out.stdout == "已启用播放列表：1 个播放项\n"
    assert read_json(tmp_path / "k" / "signage" / "playlist.json", None)["entries"][0]["times"] == [
        "08:00-12:00"
    ]

    out = kiosk_cli(
        "display", "--emergency", "大厅临时停电", "--text", "请到二楼办理。", data_dir=tmp_path / "k"
    )
    assert out.returncode == 0 and out.stdout.startswith("已发布紧急通知 em-")
    notice_id = out.stdout.split()[1]
    listed = kiosk_cli("display", "--emergencies", data_dir=tmp_path / "k").stdout
    assert notice_id in listed and "大厅临时停电" in listed
    out = kiosk_cli("display", "--emergency", "停水", "--until", "昨天", data_dir=tmp_path / "k")
    assert out.returncode == 2 and "结束时间“昨天”无效" in out.stderr
    assert kiosk_cli("display", "--withdraw", notice_id, data_dir=tmp_path / "k").returncode == 0
    assert Emergencies(tmp_path / "k").current(datetime.now()) == []
    out = kiosk_cli("display", "--withdraw", notice_id, data_dir=tmp_path / "k")
    assert out.returncode == 2 and f"没有编号为 {notice_id} 的紧急通知" in out.stderr
