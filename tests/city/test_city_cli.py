"""End to end on the bundled gazette: city keygen → publish → export to a folder → kiosk enrol → kiosk sync
--from DIR, then a changed publication makes the next version, and a USB stick of an older version is refused."""

from __future__ import annotations

import json

import pytest

from city import cli as city_cli
from kiosk import cli as kiosk_cli
from kiosk.library import bundled_gazette_path


@pytest.fixture
def env(cli_env):
    return cli_env


def city(*args: str) -> int:
    return city_cli.main(list(args))


def kiosk(*args: str) -> int:
    return kiosk_cli.main(list(args))


def status(capsys) -> dict:
    capsys.readouterr()
    assert kiosk("sync", "status", "--json") == 0
    return json.loads(capsys.readouterr().out)


def test_usb_round_trip_on_the_real_gazette(env, capsys):
    assert city("keygen", "--channel", "dingzhou", "--url", "https://zwgk.example.gov.cn/channel/") == 0
    assert city("publish", "--gazette", str(bundled_gazette_path())) == 0
    assert "已发布版本 1" in capsys.readouterr().out
    assert city("publish", "--gazette", str(bundled_gazette_path())) == 0
    assert "内容未变化，仍为版本 1" in capsys.readouterr().out
    assert city("export", "--to", str(env / "usb-v1")) == 0
    assert city("enrol", "xian-01", "--out", str(env / "xian-01.json")) == 0
    assert oct((env / "xian-01.json").stat().st_mode & 0o777) == "0o600"

    assert kiosk("sync", "--from", str(env / "usb-v1"), "--once") == 2  # not enrolled yet
    assert "kiosk enrol" in capsys.readouterr().err
    assert kiosk("enrol", str(env / "xian-01.json")) == 0
    assert kiosk("sync", "--from", str(env / "usb-v1"), "--once") == 0
    out = capsys.readouterr().out
    assert "已更新到版本 1" in out and "新增 30" in out
    state = status(capsys)
    assert (state["channel"], state["version"], state["last_error"]) == ("dingzhou", 1, None)

    notices = env / "notices"
    notices.mkdir()
    (notices / "n1.json").write_text(
        json.dumps(
            {
                "id": "notice-2022-001",
                "kind": "notice",
                "title": "关于2022年度低保对象的公示",
                "body_md": "公示期七天。",
                "valid_from": "2022-05-01",
                "valid_to": "2022-05-08",
                "level": "市",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    assert city("publish", "--from", str(notices)) == 0
    assert city("export", "--to", str(env / "usb-v2")) == 0
    assert kiosk("sync", "--from", str(env / "usb-v2"), "--once") == 0
    assert "新增 1" in capsys.readouterr().out
    assert kiosk("content", "show", "notice-2022-001", "--json") == 0
    assert json.loads(capsys.readouterr().out)["origin"] == "city"

    assert kiosk("sync", "--from", str(env / "usb-v1"), "--once") == 2
    out = capsys.readouterr().out
    assert "低于本机已应用的版本 2" in out
    state = status(capsys)
    assert state["version"] == 2 and "RollbackRefused" in state["last_error"]


def test_publish_refuses_a_folder_with_bad_items(env, capsys):
    city("keygen", "--channel", "dingzhou")
    folder = env / "bad"
    folder.mkdir()
    (folder / "x.json").write_text('{"id": "a", "kind": "poster", "title": "x"}', encoding="utf-8")
    assert city("publish", "--from", str(folder)) == 2
    assert "条目需要" in capsys.readouterr().err
    assert city("status") == 0
    assert json.loads(capsys.readouterr().out)["version"] is None
