"""Service guides through the signed channel: `city publish --guides DIR` → USB → `kiosk sync`, forms as
attachments; a bad folder publishes nothing; guide records of the first format still sync."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from city import cli as city_cli
from city.home import CityHome
from content.channel import ChannelError, Entry, decode_record, encode_record, record_item
from content.store import Library
from kiosk import cli as kiosk_cli
from kiosk.library import bundled_guides_path


def city(*args: str) -> int:
    return city_cli.main(list(args))


def kiosk(*args: str) -> int:
    return kiosk_cli.main(list(args))


def guides_with_a_form(folder: Path) -> Path:
    shutil.copytree(bundled_guides_path(), folder)
    (folder / "forms").mkdir()
    (folder / "forms" / "dibao-shenqing.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"blank application")
    record = json.loads((folder / "dibao.json").read_text("utf-8"))
    record["申请材料"][0]["空白表格"] = {
        "文件": "forms/dibao-shenqing.png",
        "文件名": "最低生活保障申请书.png",
    }
    (folder / "dibao.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), "utf-8")
    return folder


def test_guides_published_by_the_city_arrive_on_the_kiosk_with_their_forms(cli_env, capsys):
    env = cli_env
    folder = guides_with_a_form(env / "guides")
    count = len(list(folder.glob("*.json")))
    assert city("keygen", "--channel", "dingzhou", "--url", "https://zwgk.example.gov.cn/channel/") == 0
    assert city("publish", "--guides", str(folder)) == 0
    assert "已发布版本 1：guides:guides" in capsys.readouterr().out
    assert city("export", "--to", str(env / "usb")) == 0
    assert city("enrol", "xiang-01", "--out", str(env / "xiang-01.json")) == 0
    assert kiosk("enrol", str(env / "xiang-01.json")) == 0
    assert kiosk("sync", "--from", str(env / "usb"), "--once") == 0
    assert f"新增 {count}" in capsys.readouterr().out

    with Library(env / "kiosk" / "library.db", blobs_dir=env / "kiosk" / "blobs") as library:
        guides = library.items("guide")
        assert len(guides) == count and all(g.origin == "city" and g.guide.demo for g in guides)
        dibao = library.get("guide-demo-dibao")
        form = dibao.guide.materials[0].blank_form
        assert (form.name, form.mime) == ("最低生活保障申请书.png", "image/png")
        assert library.blob_path(form.sha256).read_bytes().endswith(b"blank application")
        assert [a.sha256 for a in library.attachments_of(dibao.id)] == [form.sha256]
        assert dibao.guide.materials[1].name == "家庭成员的居民身份证和户口簿"
        assert dibao.guide.promised_limit.text().startswith("30个工作日")

    assert kiosk("content", "show", "guide-demo-dibao") == 0
    shown = capsys.readouterr().out
    assert "## 申请材料" in shown and "**免费**" in shown and "（附空白表格）" in shown


def test_a_bad_guide_folder_publishes_nothing_and_names_file_line_and_field(cli_env, capsys):
    folder = guides_with_a_form(cli_env / "guides")
    record = json.loads((folder / "tekun.json").read_text("utf-8"))
    record["到办事现场次数"] = "一次"
    (folder / "tekun.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), "utf-8")
    line = next(
        n
        for n, text in enumerate((folder / "tekun.json").read_text("utf-8").split("\n"), 1)
        if "到办事现场次数" in text
    )
    assert city("keygen", "--channel", "dingzhou") == 0
    capsys.readouterr()
    assert city("publish", "--guides", str(folder)) == 2
    err = capsys.readouterr().err
    assert f"tekun.json:{line}: 到办事现场次数：应为整数" in err and "未导入任何内容" in err
    assert not CityHome(cli_env / "city").repo.root_path.exists()  # no version was signed


def entry(kind: str = "guide", entry_id: str = "g-1") -> Entry:
    return Entry(kind, entry_id, "0" * 64, 0)


def record(guide) -> dict:
    return {
        "id": "g-1", "kind": "guide", "title": "低保申请", "body_md": "", "doc_number": "", "issuer": "", "date": "",
        "section": "公民类", "category": "", "topics": [], "annexes": [], "interprets_id": "", "issue_id": "",
        "page": None, "valid_from": "", "valid_to": "", "level": "", "url": "", "origin": "city", "source": "t",
        "guide": guide, "attachments": [],
    }  # fmt: skip


def test_a_guide_record_of_the_first_format_still_syncs():
    legacy = dict.fromkeys(
        (
            "audience",
            "subject",
            "basis",
            "materials",
            "process",
            "fees",
            "time_limit",
            "consultation",
            "complaint",
            "window",
        ),
        "",
    )
    legacy.update(subject="民政局", materials="居民身份证\n户口簿", fees="免费")
    value = decode_record(encode_record("item", record(legacy)), entry())
    item = record_item(value)
    assert [m.name for m in item.guide.materials] == ["居民身份证", "户口簿"] and not item.guide.charged


@pytest.mark.parametrize(
    "guide, zh",
    [
        ({"申请材料": [{"材料名称": "身份证", "份数": "一"}]}, "申请材料第1项.份数”应为整数"),
        ({"实施主体": "民政局", "未知": 1}, "未知字段“未知”"),
        (
            {"申请材料": [{"材料名称": "表", "空白表格": {"文件": "forms/a.png"}}]},
            "不是小写十六进制 SHA-256 名称",
        ),
    ],
)
def test_a_malformed_guide_record_is_refused_with_its_field(guide, zh):
    with pytest.raises(ChannelError) as caught:
        decode_record(encode_record("item", record(guide)), entry())
    assert zh in caught.value.zh
