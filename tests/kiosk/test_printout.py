"""A resident prints what they are reading: title, 文号, date, key points or the 解读's summary, and a
QR code to the full text; printed through the simulated printer and read back from the paper."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from content.store import Library
from device.printer.escpos_render import render
from device.printer.printer_profile import PROFILES
from device.printer.receipt import encode
from kiosk.browse import Browse
from kiosk.config import load
from kiosk.devices import DeviceService
from kiosk.library import bundled_gazette_path, import_file
from kiosk.printout import Printout, key_points, opening_summary, print_printout, receipt
from kiosk.richtext import to_blocks
from kiosk.session import Session

OLD_HOUSING = "gz-d24868-2022-02-06"  # 老旧小区改造实施方案, with a 解读


@pytest.fixture(scope="module")
def browse():
    with tempfile.TemporaryDirectory() as tmp:
        library = Library(Path(tmp) / "library.db", blobs_dir=Path(tmp) / "blobs")
        import_file(library, load(None), bundled_gazette_path())
        yield Browse(library, Session())
        library.close()


def test_key_points_are_the_section_headings_and_a_summary_is_the_opening():
    blocks = to_blocks(
        "# 方案\n\n引言第一段。\n\n## 一、工作目标\n\n正文\n\n## 二、主要任务\n\n正文\n\n第二段。"
    )
    assert key_points(blocks) == ["一、工作目标", "二、主要任务"]
    assert opening_summary(blocks) == "引言第一段。正文正文第二段。"
    assert (
        opening_summary(to_blocks("字" * 500)).endswith("…")
        and len(opening_summary(to_blocks("字" * 500))) == 160
    )


def test_a_document_prints_its_points_and_its_interpretations_summary(browse):
    printout = browse.printout(OLD_HOUSING)
    assert "老旧小区改造实施方案" in printout.title and printout.doc_number == "定政发〔2022〕10号"
    assert printout.date == "2022年4月19日" and printout.points[:2] == ["一、工作目标", "二、主要任务"]
    assert (
        printout.summary
        and printout.summary
        in browse.printout(
            next(r["id"] for r in browse.document(OLD_HOUSING, record=False)["related"])
        ).summary
    )


@pytest.mark.parametrize("profile", ["58mm", "80mm"])
def test_the_paper_says_what_the_screen_says(profile):
    printout = Printout(
        kind_name="政策文件",
        title="关于印发《定州市2022年老旧小区改造实施方案》的通知",
        doc_number="定政发〔2022〕10号",
        date="2022年4月19日",
        points=["一、工作目标", "二、主要任务"],
        summary="为改善居民居住条件……",
        url="https://www.dzs.gov.cn/col/a.html",
    )
    page = render(encode(receipt(printout), PROFILES[profile], "gb18030"), PROFILES[profile].dots)[0]
    text = page.text.replace("\n", "")
    for fragment in (
        "政策文件",
        "老旧小区改造实施方案",
        "定政发〔2022〕10号",
        "2022年4月19日",
        "一、工作目标",
        "政策解读摘要",
        "扫码阅读全文",
    ):
        assert fragment in text, fragment
    assert [r.text for r in zxingcpp.read_barcodes(page.image.convert("L"))] == [printout.url]


def test_without_a_url_the_paper_says_where_to_read_it(browse):
    page = render(
        encode(receipt(Printout("政策文件", "标题", doc_number="定政发〔2022〕3号")), PROFILES["80mm"]),
        PROFILES["80mm"].dots,
    )[0]
    assert (
        "定政发〔2022〕3号" in page.text.replace("\n", "")
        and zxingcpp.read_barcodes(page.image.convert("L")) == []
    )


def test_printed_on_the_simulated_printer(browse, tmp_path):
    config = load(None).with_values(devices__printer="sim://")
    files = print_printout(DeviceService(config, tmp_path), browse.printout(OLD_HOUSING))
    assert len(files) == 1 and Image.open(files[0]).height > 400


def test_a_printer_out_of_paper_is_a_clear_error(browse, tmp_path):
    from device.errors import DeviceError

    config = load(None).with_values(devices__printer="sim://?paper=out")
    with pytest.raises(DeviceError) as caught:
        print_printout(DeviceService(config, tmp_path), browse.printout(OLD_HOUSING))
    assert "缺纸" in caught.value.zh
