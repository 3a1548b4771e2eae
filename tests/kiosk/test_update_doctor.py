"""`kiosk doctor` shows the last run of the software-update helper: what the helper itself wrote (here a
real run on a kiosk not enrolled yet), a healthy line before it ever ran, and an unreadable file said so."""

from __future__ import annotations

import json

from kiosk import cli as kiosk_cli
from updater.run import Settings, run_once
from updater.system import Commands


def update_finding(capsys) -> tuple[int, dict]:
    capsys.readouterr()
    code = kiosk_cli.main(["doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    return code, next(f for f in report["findings"] if f["area"] == "update")


def test_doctor_shows_what_the_update_helper_said(cli_env, capsys):
    data = cli_env / "kiosk"
    data.mkdir()
    code, found = update_finding(capsys)
    assert found["ok"] and found["zh"] == "尚无软件更新记录（每晚自动检查）"

    status = run_once(Settings(data, cli_env / "updater", usb=[]), Commands())  # no enrolment.json
    code, found = update_finding(capsys)
    assert code == 1 and not found["ok"]
    assert (
        found["zh"] == f"软件更新（{status['last_run']}）：本机尚未登记（没有 enrolment.json），无法校验更新"
    )
    assert "refused" in found["en"]

    (data / "update-status.json").write_text("{")
    code, found = update_finding(capsys)
    assert not found["ok"] and "无法读取" in found["zh"]
