"""A second language proves the one translation mechanism: with `kiosk.language = "en"` the home tiles,
the staff overview (devices, the tier's facilities, sync) and `kiosk doctor` are English with every
placeholder filled, from `kiosk/locale/en.json` alone. The catalogue itself loads whole and holds only
sentences the code still says."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from content.disk import full_disk_error
from content.errors import Message
from kiosk import cli as kiosk_cli
from kiosk import i18n
from kiosk.config import defaults
from kiosk.services import build

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "kiosk/locale/en.json"
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def english():
    yield
    i18n.set_language(i18n.SOURCE)


def english_text(text: str) -> bool:
    return bool(text) and not CJK.search(text) and "{" not in text and "}" not in text


def test_the_english_catalogue_loads_whole_and_every_entry_is_still_said_in_the_code():
    entries = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    assert i18n.load("en") == entries  # none left out for placeholders that differ
    said = set()
    for path in [
        path for folder in ("kiosk", "ui", "content", "device") for path in ROOT.glob(f"{folder}/**/*.py")
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) in ("tr", "N_", "Message")
                and node.args
            ):
                said.add(getattr(node.args[0], "value", None))
    assert sorted(set(entries) - said) == []


def test_home_tiles_and_the_staff_overview_are_english(tmp_path, english):
    config = defaults().with_values(kiosk__language="en", devices__printer="sim://")
    services = build(config, tmp_path, bundled=True)
    services.library.open()
    try:
        tiles = services.library.tiles()
        titles = [t["title"] for t in tiles]
        assert titles[0] == "Government information" and "Public notices" in titles
        for tile in tiles:
            assert all(english_text(tile[k]) for k in ("title", "icon", "subtitle")), tile
        assert re.fullmatch(r"[1-9]\d* policy documents · full-text search", tiles[0]["subtitle"])

        overview = services.staff.overview()
        devices = {d["key"]: (d["name"], d["status"]) for d in overview["devices"]}
        assert devices == {
            "devices.idcard": ("ID card reader", "Not configured"),
            "devices.printer": ("Receipt printer", "Connected"),
        }
        for facility in overview["facilities"]:
            shown = [facility["name"], facility["requirement_name"], facility["status_name"]]
            assert all(english_text(t) for t in shown), facility
            assert not CJK.search(facility["detail"]), facility
        printer = next(f for f in overview["facilities"] if f["key"] == "printer")
        assert printer["detail"] == "Printer OK"  # the probe's summary, a device Message, translated
        reading = next(f for f in overview["facilities"] if f["key"] == "e_reading")
        assert reading["detail"] == "Gazette issues: 1"
        assert all(english_text(line) for line in overview["sync"]["lines"])
        assert overview["sync"]["lines"][0].startswith("This kiosk is not enrolled")
    finally:
        services.close()


def test_kiosk_doctor_speaks_the_configured_language(cli_env, capsys, english):
    config = cli_env / "kiosk.toml"
    config.write_text(config.read_text(encoding="utf-8") + '[kiosk]\nlanguage = "en"\n', encoding="utf-8")
    assert kiosk_cli.main(["content", "stats"]) == 0  # makes the empty library
    capsys.readouterr()
    assert kiosk_cli.main(["doctor"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "Check finished: everything is fine"
    assert any(re.fullmatch(r"OK +Free disk space [\d.]+ MB", line) for line in lines)
    assert any(re.fullmatch(r"OK +Library sound: 0 items, .*", line) for line in lines), lines
    assert all(english_text(line) for line in lines), lines


def test_a_content_error_is_translated_where_the_kiosk_shows_it(tmp_path, english):
    """content/ may not import kiosk: its message keeps template and values, and `translate` renders it."""
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "kiosk.jsonl").write_bytes(b"x" * 3000)
    full = full_disk_error(tmp_path, "the sync stopped", Message("同步已停止，未应用任何更新"), 10**15)
    assert full.zh.startswith("磁盘空间已满，同步已停止，未应用任何更新（剩余 ")  # the Chinese, as before
    assert f"可清理：日志（{tmp_path / 'logs'}，3 KB），或请技术人员清理" in full.zh
    catalogue = {
        "磁盘空间已满，{what}（剩余 {free}，至少需要 {needed}）。": "The disk is full: {what} ({free} free, {needed} needed). ",
        "同步已停止，未应用任何更新": "the sync stopped and applied nothing",
        "资料库本身完好，请勿删除或重新导入。": "The library itself is sound: do not delete or import it again. ",
        "可清理：{folders}，或请技术人员清理磁盘上的其他文件。": "You may clear {folders}, or ask a technician to clear other files.",
        "{folder}（{path}，{size}）": "{folder} ({path}, {size})",
        "日志": "logs",
        "、": ", ",
    }
    (tmp_path / "en.json").write_text(json.dumps(catalogue, ensure_ascii=False), encoding="utf-8")
    i18n.set_language("en", tmp_path)
    shown = i18n.translate(full.zh)
    assert shown.startswith("The disk is full: the sync stopped and applied nothing (")
    assert shown.endswith(
        f"do not delete or import it again. You may clear logs ({tmp_path / 'logs'}, 3 KB), "
        "or ask a technician to clear other files."
    )


def test_a_device_message_is_translated_where_the_kiosk_shows_it(english):
    from device.errors import PrinterError
    from device.printer.printer_status import PAPER_OUT

    error = PrinterError("paper out", PAPER_OUT.zh, PAPER_OUT.hint)
    assert (error.zh, error.hint) == ("打印机缺纸", "打印机缺纸，请更换纸卷")  # the Chinese, as before
    i18n.set_language("en")
    assert i18n.translate(error.zh) == "Printer out of paper"
    assert i18n.translate(error.hint) == "The printer is out of paper: put in a new roll"
    assert (
        i18n.translate(PrinterError("no job", "打印失败").hint)
        == "Check the printer's power, paper roll and cable"
    )


@pytest.mark.parametrize("errors", ["content.errors", "device.errors"])
def test_a_message_survives_copy_and_pickle_with_its_template(errors):
    """`dataclasses.asdict` deep-copies a status holding one; each is made anew from template and values."""
    import copy
    import importlib
    import pickle

    module = importlib.import_module(errors)
    inner = module.Message("资料库 {path} 无法打开", path="/a {b}")
    joined = module.Joined("；", [inner, "另一条"])
    message = module.Message("{problem}（共 {count} 条）", problem=joined, count=2)
    for made in (copy.deepcopy(message), pickle.loads(pickle.dumps(message))):
        assert made == "资料库 /a {b} 无法打开；另一条（共 2 条）" and type(made) is module.Message
        assert made.template == message.template and made.values["problem"].parts == (inner, "另一条")
