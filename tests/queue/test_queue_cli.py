"""`kiosk queue` as a technician meets it: a new kiosk says what to do, the example imports, status,
services and windows describe the hall, export gives the day's CSV, reset ends open tickets, and a bad
file is a list of problems in Chinese with nothing changed."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from queue_hall import CST, Clock

from kiosk.cli import main
from kiosk.cli.queue_cmd import EXAMPLE
from kiosk.queue import Queue, QueueError


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(["queue", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_new_kiosk_says_how_to_start(cli_env, capsys):
    code, out, _ = run(capsys, "status")
    assert code == 0 and "尚未配置排队取号" in out and "kiosk queue example" in out
    code, out, _ = run(capsys, "services")
    assert "尚未配置业务" in out


def test_import_then_describe_take_and_export(cli_env, capsys):
    path = cli_env / "hall.toml"
    path.write_text(EXAMPLE, encoding="utf-8")
    code, out, _ = run(capsys, "import", str(path))
    assert code == 0 and "已导入 2 项业务、2 个窗口" in out
    code, out, _ = run(capsys, "services")
    assert "A 社保医保（shebao，公民类）：A001–A999，每天最多 300 个" in out and "必须刷身份证" in out
    code, out, _ = run(capsys, "windows")
    assert "2 2号窗口：社保医保、户籍办理" in out

    code, out, _ = run(capsys, "status")
    assert "A 社保医保：等候 0 人" in out and "1号窗口：空闲" in out

    clock = Clock(datetime(2026, 12, 4, 9, 0, tzinfo=CST))
    queue = Queue.open(cli_env / "kiosk", clock=clock)
    first = queue.take("shebao")
    queue.take("shebao", priority=True)
    queue.call_next(1)
    queue.start(1)
    clock.advance(minutes=4)
    queue.finish(1)
    queue.rate(queue.tickets()[1].id, 4)
    queue.close()
    code, out, _ = run(capsys, "status", "--json")
    assert code == 0 and json.loads(out)["services"][0]["key"] == "shebao"
    code, out, _ = run(capsys, "export", "--day", "2026-12-04")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0][:5] == ["日期", "号码", "业务", "绿色通道", "状态"]
    assert [r[1:5] for r in rows[1:]] == [
        ["A001", "社保医保", "", "等候中"],
        ["A002", "社保医保", "是", "已办结"],
    ]
    assert rows[2][6:12] == ["09:00:00", "09:00:00", "09:00:00", "09:04:00", "1", "满意"]
    assert first.code not in out  # the status page's code is the resident's, not in staff exports
    code, out, _ = run(capsys, "report", "--period", "month", "--csv")
    assert code == 0 and "合计" in out
    code, out, _ = run(capsys, "report")
    assert code == 0 and "业务 社保医保：取号" in out


def test_bad_file_is_a_clear_error_and_changes_nothing(cli_env, capsys):
    good = cli_env / "hall.toml"
    good.write_text(EXAMPLE, encoding="utf-8")
    run(capsys, "import", str(good))
    bad = cli_env / "bad.toml"
    bad.write_text('[[service]]\nkey = "x y"\nprefix = "a1"\n', encoding="utf-8")
    code, _, err = run(capsys, "import", str(bad))
    assert code == 2
    assert "有 3 处错误，未做任何更改" in err and "service[1].prefix：只能是 1–2 个大写字母" in err
    assert "Traceback" not in err
    code, out, _ = run(capsys, "services")
    assert "社保医保" in out


def test_reset_asks_first_and_export_of_a_day(cli_env, capsys, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    code, out, _ = run(capsys, "reset")
    assert code == 1 and "未做任何更改" in out
    code, out, _ = run(capsys, "reset", "--yes")
    assert code == 0 and "已结束 0 个" in out
    out_file = cli_env / "day.csv"
    code, _, err = run(capsys, "export", "--day", "2026-12-01", "--out", str(out_file))
    assert (
        code == 0 and "已导出 0 行" in err and out_file.read_text(encoding="utf-8").startswith("\ufeff日期")
    )
    with pytest.raises(SystemExit) as bad_day:
        main(["queue", "export", "--day", "12/01"])
    assert bad_day.value.code == 2 and "日期应为 YYYY-MM-DD" in capsys.readouterr().err


def test_window_pins_from_the_command_line(cli_env, capsys, monkeypatch):
    path = cli_env / "hall.toml"
    path.write_text(EXAMPLE.replace('# pin = "246810"', 'pin = "246810"'), encoding="utf-8")
    run(capsys, "import", str(path))
    code, out, _ = run(capsys, "windows")
    assert "1 1号窗口：社保医保；已设配对密码" in out and "2 2号窗口：社保医保、户籍办理；未设配对密码" in out

    typed = iter(["13572468", "13572468"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    code, out, _ = run(capsys, "windows", "--set-pin", "2")
    assert code == 0 and "已设置 2 号窗口的配对密码" in out
    queue = Queue.open(cli_env / "kiosk")
    try:
        assert queue.verify_token(queue.pair_with_pin(2, "13572468")) == 2
        for _ in range(5):
            with pytest.raises(QueueError):
                queue.pair_with_pin(1, "000000")
    finally:
        queue.close()
    code, out, _ = run(capsys, "windows", "--json")
    pins = [w["pin"] for w in json.loads(out)]
    assert [p["set"] for p in pins] == [True, True] and 0 < pins[0]["locked_seconds"] <= 300
    assert "配对密码已锁定，约 5 分钟后解除" in run(capsys, "windows")[1]
    code, out, _ = run(capsys, "windows", "--unlock", "1")
    assert code == 0 and "已解除 1 号窗口" in out
    assert "1 1号窗口：社保医保；已设配对密码" in run(capsys, "windows")[1]

    typed = iter(["13572468", "1357246"])
    code, out, _ = run(capsys, "windows", "--set-pin", "2")
    assert code == 2 and "两次输入不一致" in out
    typed = iter(["123", "123"])
    code, _, err = run(capsys, "windows", "--set-pin", "2")
    assert code != 0 and "窗口密码应为 6 到 8 位数字" in err
    code, _, err = run(capsys, "windows", "--clear-pin", "9")
    assert code != 0 and "9" in err
    code, out, _ = run(capsys, "windows", "--clear-pin", "2")
    assert (
        "已取消 2 号窗口的配对密码" in out
        and "2 2号窗口：社保医保、户籍办理；未设配对密码" in run(capsys, "windows")[1]
    )
