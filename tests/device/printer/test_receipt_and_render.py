"""Receipt encoding checked through the renderer: Chinese path bytes, wrapping, sizes, QR, raster mode."""

from __future__ import annotations

import pytest
import zxingcpp
from escpos.printer import Dummy
from hypothesis import given
from hypothesis import strategies as st
from PIL import ImageOps

from device.printer import escpos_commands as cmd
from device.printer.escpos_commands import Align
from device.printer.escpos_render import EscPosRenderer, render
from device.printer.printer_profile import PROFILES
from device.printer.receipt import Receipt, encode
from device.printer.sample_receipts import queue_ticket, self_test_page
from device.printer.text_width import display_width, wrap

P58, P80 = PROFILES["58mm"], PROFILES["80mm"]


def _ink_rows(image, top: int, bottom: int) -> int:
    """Rows with at least one black dot between top and bottom."""
    gray = image.convert("L")
    return sum(1 for y in range(top, bottom) if gray.crop((0, y, gray.width, y + 1)).getextrema()[0] == 0)


def _ink_box(image, box):
    return ImageOps.invert(image.convert("L").crop(box)).getbbox()


def _decode_qr(image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image.convert("L"))]


def test_chinese_path_bytes():
    data = encode(Receipt().text("你好，世界：（）", size=2), P58, "gb18030")
    assert data.startswith(cmd.INIT + cmd.CHINESE_ON)
    assert cmd.size(2, 2) in data and b"\x1b!" not in data  # GS ! sizes Chinese; ESC ! would not
    assert "你好，世界：（）".encode("gb18030") in data  # full-width punctuation is not "?"
    assert b"?" not in data


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "big5", "utf-8"])
def test_configured_encoding_is_used_and_rendered_back(encoding):
    text = "政務公開" if encoding == "big5" else "政务公开"
    data = encode(Receipt().text(text), P80, encoding)
    assert text.encode(encoding) in data
    assert render(data, P80.dots, encoding)[0].text == text


def test_rare_characters_survive_in_gb18030():
    data = encode(Receipt().text("㐀䶮堃"), P80, "gb18030")
    assert "㐀䶮堃".encode("gb18030") in data and len("㐀".encode("gb18030")) == 4
    assert render(data, P80.dots)[0].text == "㐀䶮堃"


def test_python_escpos_would_have_lost_punctuation():
    # The reason we own the Chinese path (reference §4.3): kept as a guard should python-escpos change.
    dummy = Dummy()
    dummy.text("：（）")
    assert b"???" in dummy.output


def test_wrap_by_display_width():
    lines = wrap("中" * 40, 32)
    assert [display_width(line) for line in lines] == [32, 32, 16]
    assert wrap("Please wait for number", 10) == ["Please", "wait for", "number"]


@given(st.text(alphabet=st.sampled_from("政务公开ab c，。1"), max_size=120), st.integers(2, 48))
def test_wrap_never_overflows_and_keeps_text(text, columns):
    lines = wrap(text, columns)
    assert all(display_width(line) <= columns for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize("profile", [P58, P80])
def test_rendered_lines_fit_the_paper(profile):
    text = "请留意叫号屏幕和语音提示，过号请重新取号。" * 3
    page = render(encode(Receipt().text(text), profile), profile.dots)[0]
    assert "".join(line.text for line in page.lines) == text
    assert all(display_width(line.text) <= profile.columns for line in page.lines)
    assert len(page.lines) == -(-display_width(text) // profile.columns)


def test_sizes_bold_alignment_through_the_renderer():
    receipt = (
        Receipt()
        .text("一号字")
        .text("二号字", size=2)
        .text("粗体", bold=True)
        .text("居中", align=Align.CENTER)
    )
    page = render(encode(receipt, P80), P80.dots)[0]
    small, big = page.find("一号字"), page.find("二号字")
    assert (small.width, small.height, big.width, big.height) == (1, 1, 2, 2)
    assert page.find("粗体").bold and not small.bold
    assert page.find("居中").align == "center"
    # The ink really is twice as tall.
    small_ink = _ink_rows(page.image, small.top, big.top)
    big_ink = _ink_rows(page.image, big.top, page.find("粗体").top)
    assert 1.7 < big_ink / small_ink < 2.3


def test_ascii_only_esc_bang_does_not_scale_chinese():
    data = cmd.INIT + cmd.CHINESE_ON + b"\x1b!\x30" + "汉A".encode("gb18030") + b"\n"
    page = render(data, P80.dots)[0]
    assert page.lines[0].height == 2  # the A is doubled, the Chinese glyph is not
    han, letter = (_ink_box(page.image, (x0, 0, x1, page.image.height)) for x0, x1 in ((0, 24), (24, 48)))
    assert han[3] - han[1] <= 24 < letter[3] - letter[1]
    assert _ink_box(page.image, (48, 0, 576, page.image.height)) is None  # A is 24 wide, not 48


@pytest.mark.parametrize("profile", [P58, P80])
@pytest.mark.parametrize("raster", [False, True])
def test_queue_ticket_prints_text_number_and_a_decodable_qr(profile, raster):
    url = "https://zwfw.example.gov.cn/q?t=A012&取号=1"
    data = encode(queue_ticket(url=url), profile, "gb18030", raster=raster)
    pages = render(data, profile.dots)
    assert len(pages) == 1 and pages[0].cut == "partial"
    page = pages[0]
    if raster:
        assert page.lines == [] and page.images >= 2  # everything arrives as pictures
    else:
        number = page.find("A012")
        assert (number.width, number.height) == (3, 3)
        assert "排队取号凭条" in page.text and "前面等候" in page.text
    assert url in _decode_qr(page.image)
    assert page.qr_codes == ([url] if profile.native_qr else [])  # raster mode keeps a native QR


def test_raster_mode_looks_like_text_mode():
    text_page = render(encode(queue_ticket(), P80), P80.dots)[0]
    raster_page = render(encode(queue_ticket(), P80, raster=True), P80.dots)[0]
    assert abs(text_page.image.height - raster_page.image.height) < 40
    assert (
        text_page.image.crop((0, 0, 576, 200)).tobytes() == raster_page.image.crop((0, 0, 576, 200)).tobytes()
    )


@pytest.mark.parametrize("profile", [P58, P80])
def test_text_mode_is_far_smaller_than_raster(profile):
    text = len(encode(queue_ticket(), profile))
    raster = len(encode(queue_ticket(), profile, raster=True))
    assert text * 10 <= raster


def test_cut_modes_follow_the_profile():
    assert encode(Receipt().cut(partial=False), P80).endswith(cmd.cut(partial=False) + cmd.align(Align.LEFT))
    assert cmd.cut(partial=True) in encode(Receipt().cut(partial=False), P58)  # 58 mm: partial only
    pages = render(encode(Receipt().text("一").cut(False).text("二").cut(), P80), P80.dots)
    assert [(p.text, p.cut) for p in pages] == [("一", "full"), ("二", "partial")]


def test_test_page_covers_charsets_sizes_and_qr():
    page = render(encode(self_test_page(P80, "gb18030"), P80), P80.dots)[0]
    for fragment in ("ABCDEFG", "常用汉字", "全角标点：，。", "繁体字：政務", "生僻字：㐀"):
        assert fragment in page.text
    assert {(line.width, line.height) for line in page.lines} >= {(1, 1), (2, 2), (3, 3), (2, 1), (1, 2)}
    assert "https://zwfw.example.gov.cn/diag" in _decode_qr(page.image)


def test_renderer_accepts_any_chunking():
    data = encode(queue_ticket(), P80)
    whole = render(data, P80.dots)[0]
    renderer = EscPosRenderer(P80.dots)
    pages = []
    for i in range(0, len(data), 7):
        pages += renderer.feed(data[i : i + 7])
    assert len(pages) == 1 and pages[0].text == whole.text
    assert pages[0].image.tobytes() == whole.image.tobytes()


@given(st.binary(max_size=400))
def test_renderer_never_crashes_on_garbage(data):
    renderer = EscPosRenderer(384)
    renderer.feed(data)
    renderer.finish()
