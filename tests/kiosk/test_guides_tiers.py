"""`kiosk tiers check` reports the touch kiosk's 服务事项目录清单查询、窗口指示、办事指引 as the kiosk really
has them: the demo guides name their windows but no hall map, so 窗口指示 is partly there until the hall
file says where those windows are; a broken hall file is named."""

from __future__ import annotations

import json

import pytest

from kiosk.cli import main


@pytest.fixture
def demo_env(cli_env):
    (cli_env / "kiosk.toml").write_text("[content]\nbundled_gazette = true\n", encoding="utf-8")
    (cli_env / "kiosk").mkdir()
    return cli_env


def touch_kiosk(capsys) -> dict:
    assert main(["tiers", "check", "--json"]) == 0
    return next(f for f in json.loads(capsys.readouterr().out)["facilities"] if f["key"] == "touch_kiosk")


def test_without_guides_none_of_the_three_is_there(cli_env, capsys):
    found = touch_kiosk(capsys)
    assert found["status"] == "missing" and found["detail"].count("资料库中没有办事指南") == 3


def test_the_demo_guides_lack_only_where_their_windows_are(demo_env, capsys):
    found = touch_kiosk(capsys)
    assert (found["status"], found["detail"]) == ("partial", "窗口指示：没有附大厅平面图的办事指南")
    assert found["provided_by"] == "办事指南"


def test_a_hall_file_locating_their_windows_completes_the_touch_kiosk(demo_env, capsys):
    hall = {"窗口": [{"名称": "社会救助窗口", "编号": "3"}, {"名称": "户籍窗口", "编号": "7"}]}
    (demo_env / "kiosk" / "hall.json").write_text(json.dumps(hall, ensure_ascii=False), encoding="utf-8")
    found = touch_kiosk(capsys)
    assert (found["status"], found["detail"]) == (
        "present",
        "本一体机提供：服务事项目录清单查询、窗口指示、办事指引",
    )


def test_a_hall_file_naming_no_guides_window_or_broken_is_said(demo_env, capsys):
    path = demo_env / "kiosk" / "hall.json"
    path.write_text('{"窗口": [{"名称": "不动产登记窗口", "编号": "12"}]}', encoding="utf-8")
    assert touch_kiosk(capsys)["detail"] == "窗口指示：没有附大厅平面图的办事指南"
    path.write_text('{"窗口": [{"名称": "户籍窗口"}]}', encoding="utf-8")
    found = touch_kiosk(capsys)
    assert found["status"] == "partial" and found["detail"] == "窗口指示：大厅文件第 1 个窗口缺少“编号”"
