"""An ESC/POS renderer: the bytes we send to a receipt printer → an image of the paper.

It understands what `device.printer.receipt` emits and what common Chinese thermal printers do with it: Chinese
mode (``FS &`` / ``FS .``) with double-byte text in the configured encoding, ``GS !`` sizes (which scale
Chinese), ``ESC !`` (ASCII only) and ``FS !`` (Chinese only), bold, alignment, feeds, native QR
(``GS ( k``), raster images (``GS v 0``) and cuts (each cut ends a page). Status queries (``DLE EOT``,
``GS r``) are passed to a callback so a simulator can answer them. Besides the image, every page records
the text lines with their sizes and the QR payloads, so tests can assert on what would be printed.

No Python library renders Chinese ESC/POS (emupos draws single-byte code pages only; escpos-tools is
PHP), hence this module. Unknown commands are skipped and counted, never fatal.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import qrcode
from PIL import Image, ImageDraw

from device.printer import cjk_font
from device.printer.escpos_commands import QR_EC

GLYPH = 24  # Chinese glyph: 24×24 dots; ASCII: 12×24
LINE_GAP = 6
_QR_EC_BY_BYTE = {0x30: "L", 0x31: "M", 0x32: "Q", 0x33: "H"}
_INVERT = bytes(255 - b for b in range(256))


@dataclass
class RenderedLine:
    text: str
    width: int  # largest horizontal magnification on the line
    height: int  # largest vertical magnification
    bold: bool
    align: str
    top: int  # y of the line on the page image


@dataclass
class Page:
    """One receipt: everything printed up to a cut (or to the end of the data)."""

    image: Image.Image
    lines: list[RenderedLine] = field(default_factory=list)
    qr_codes: list[str] = field(default_factory=list)
    images: int = 0
    cut: str | None = None  # "full", "partial" or None

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def find(self, fragment: str) -> RenderedLine:
        for line in self.lines:
            if fragment in line.text:
                return line
        raise LookupError(f"{fragment!r} was not printed")


class _Incomplete(Exception):
    """The command at the cursor needs more bytes than have arrived."""


@functools.cache
def _glyph(ch: str, cells: int, width: int, height: int, bold: bool) -> Image.Image:
    """A character in its cell (12 or 24 dots wide, 24 high), magnified, black on white, mode "1"."""
    cell_w = GLYPH // 2 * cells
    cell = Image.new("L", (cell_w, GLYPH), 255)
    if ch.strip():
        # Same size and baseline for every character; glyphs wider than their cell are squeezed.
        font = cjk_font.load(GLYPH - 2 if cells == 2 else GLYPH - 4)
        ascent, descent = font.getmetrics()
        stroke = 1 if bold else 0
        advance = max(1, int(font.getlength(ch)) + 2 * stroke)
        drawn = Image.new("L", (advance, GLYPH), 255)
        top = (GLYPH - ascent - descent) // 2
        ImageDraw.Draw(drawn).text((stroke, top), ch, font=font, fill=0, stroke_width=stroke, stroke_fill=0)
        if advance > cell_w:
            drawn = drawn.resize((cell_w, GLYPH))
        cell.paste(drawn, ((cell_w - drawn.width) // 2, 0))
    cell = cell.point(lambda v: 0 if v < 140 else 255).convert("1")
    if width > 1 or height > 1:
        cell = cell.resize((cell_w * width, GLYPH * height), Image.NEAREST)
    return cell


def _multibyte_length(data: bytes | bytearray, pos: int, encoding: str) -> int:
    """Bytes in the character starting at ``data[pos]`` (a byte >= 0x80) in Chinese mode."""
    lead = data[pos]
    if encoding == "utf-8":
        return 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
    if encoding == "gb18030" and pos + 1 < len(data) and 0x30 <= data[pos + 1] <= 0x39:
        return 4
    return 2


class EscPosRenderer:
    """Feed bytes in any chunking; completed pages come back from `feed`, the rest from `finish`."""

    def __init__(
        self,
        dots: int = 576,
        encoding: str = "gb18030",
        *,
        chinese_at_power_on: bool = True,
        on_status_query: Callable[[str, int], None] | None = None,
    ):
        self.dots = dots
        self.encoding = encoding
        self.chinese_at_power_on = chinese_at_power_on
        self.on_status_query = on_status_query
        self.unknown: list[bytes] = []
        self._buffer = bytearray()
        self._reset_modes()
        self._new_page()

    # --- state ---

    def _reset_modes(self) -> None:
        self.chinese = self.chinese_at_power_on
        self.size = (1, 1)  # GS !
        self.ascii_mode = 0  # ESC !
        self.kanji_mode = 0  # FS !
        self.bold = False
        self.align = "left"
        self.line_spacing = GLYPH + LINE_GAP
        self._qr = {"data": b"", "module": 3, "ec": "L"}

    def _new_page(self) -> None:
        self._strips: list[Image.Image] = []
        self._height = 0
        self._cells: list[tuple[str, Image.Image, int, int, bool]] = []
        self._x = 0
        self._page = Page(Image.new("1", (self.dots, 1), 1))
        self._dirty = False

    # --- output ---

    def _add_strip(self, strip: Image.Image) -> None:
        self._strips.append(strip)
        self._height += strip.height
        self._dirty = True

    def _x_for(self, width: int) -> int:
        if self.align == "center":
            return max(0, (self.dots - width) // 2)
        if self.align == "right":
            return max(0, self.dots - width)
        return 0

    def _flush_line(self) -> None:
        """End the current line (LF, auto-wrap or before graphics)."""
        height = max((g.height for _, g, _, _, _ in self._cells), default=GLYPH)
        strip = Image.new("1", (self.dots, max(height + self.line_spacing - GLYPH, height)), 1)
        x = self._x_for(self._x)
        for _, glyph, _, _, _ in self._cells:
            strip.paste(glyph, (x, height - glyph.height))
            x += glyph.width
        if self._cells:
            self._page.lines.append(
                RenderedLine(
                    text="".join(ch for ch, *_ in self._cells),
                    width=max(w for _, _, w, _, _ in self._cells),
                    height=max(h for _, _, _, h, _ in self._cells),
                    bold=any(b for *_, b in self._cells),
                    align=self.align,
                    top=self._height,
                )
            )
        self._add_strip(strip)
        self._cells, self._x = [], 0

    def _put_char(self, ch: str, wide: bool) -> None:
        if wide:
            width = max(self.size[0], 2 if self.kanji_mode & 0x04 else 1)
            height = max(self.size[1], 2 if self.kanji_mode & 0x08 else 1)
        else:
            width = max(self.size[0], 2 if self.ascii_mode & 0x20 else 1)
            height = max(self.size[1], 2 if self.ascii_mode & 0x10 else 1)
        bold = self.bold or (not wide and bool(self.ascii_mode & 0x08))
        glyph = _glyph(ch, 2 if wide else 1, width, height, bold)
        if self._x + glyph.width > self.dots:
            self._flush_line()
        self._cells.append((ch, glyph, width, height, bold))
        self._x += glyph.width

    def _put_image(self, image: Image.Image) -> None:
        if self._cells:
            self._flush_line()
        image = image.convert("1")
        if image.width > self.dots:
            image = image.crop((0, 0, self.dots, image.height))
        strip = Image.new("1", (self.dots, image.height), 1)
        strip.paste(image, (self._x_for(image.width), 0))
        self._add_strip(strip)

    def _feed_dots(self, dots: int) -> None:
        if self._cells:
            self._flush_line()
        if dots:
            self._add_strip(Image.new("1", (self.dots, dots), 1))

    def _end_page(self, cut: str | None) -> Page:
        if self._cells:
            self._flush_line()
        image = Image.new("1", (self.dots, max(1, self._height)), 1)
        y = 0
        for strip in self._strips:
            image.paste(strip, (0, y))
            y += strip.height
        page = self._page
        page.image, page.cut = image, cut
        self._new_page()
        return page

    def finish(self) -> Page | None:
        """The page printed since the last cut, if anything was printed."""
        if not (self._dirty or self._cells):
            return None
        return self._end_page(None)

    # --- parsing ---

    def feed(self, data: bytes) -> list[Page]:
        self._buffer += data
        pages: list[Page] = []
        pos = 0
        while pos < len(self._buffer):
            try:
                pos, page = self._step(pos)
            except _Incomplete:
                break
            if page is not None:
                pages.append(page)
        del self._buffer[:pos]
        return pages

    def _need(self, pos: int, count: int) -> bytes:
        if pos + count > len(self._buffer):
            raise _Incomplete
        return bytes(self._buffer[pos : pos + count])

    def _step(self, pos: int) -> tuple[int, Page | None]:
        byte = self._buffer[pos]
        if byte == 0x0A:
            self._flush_line()
            return pos + 1, None
        if byte in (0x0D, 0x00):
            return pos + 1, None
        if byte == 0x1B:
            return self._esc(pos), None
        if byte == 0x1C:
            return self._fs(pos), None
        if byte == 0x1D:
            return self._gs(pos)
        if byte == 0x10:
            return self._dle(pos), None
        if byte == 0x09:
            self._put_char(" ", False)
            return pos + 1, None
        if byte < 0x20 or byte == 0x7F:
            return pos + 1, None
        if byte < 0x80:
            self._put_char(chr(byte), False)
            return pos + 1, None
        if not self.chinese:
            self._put_char(bytes([byte]).decode("cp437"), False)
            return pos + 1, None
        length = _multibyte_length(self._buffer, pos, self.encoding)
        raw = self._need(pos, length)
        ch = raw.decode(self.encoding, errors="replace")
        self._put_char(ch[:1] if ch else "?", True)
        return pos + length, None

    def _esc(self, pos: int) -> int:
        cmd = self._need(pos, 2)[1]
        one_arg = {ord("a"), ord("E"), ord("G"), ord("!"), ord("d"), ord("J"), ord("t"), ord("-"), ord("3"),
                   ord("M"), ord("R"), ord("V"), ord("{"), ord("c"), ord("U"), ord(" "), ord("r")}  # fmt: skip
        if cmd == ord("@"):
            if self._cells:
                self._flush_line()
            self._reset_modes()
            return pos + 2
        if cmd == ord("2"):
            self.line_spacing = GLYPH + LINE_GAP
            return pos + 2
        if cmd in one_arg:
            n = self._need(pos, 3)[2]
            if cmd == ord("a"):
                self.align = {0: "left", 48: "left", 1: "center", 49: "center", 2: "right", 50: "right"}.get(
                    n, self.align
                )
            elif cmd in (ord("E"), ord("G")):
                self.bold = bool(n & 1)
            elif cmd == ord("!"):
                self.ascii_mode = n
            elif cmd == ord("d"):  # print the line (if any) and feed n lines in all
                if self._cells:
                    self._flush_line()
                    n -= 1
                self._feed_dots(max(0, n) * self.line_spacing)
            elif cmd == ord("J"):
                self._feed_dots(n)
            elif cmd == ord("3"):
                self.line_spacing = max(GLYPH, n)
            return pos + 3
        if cmd == ord("p"):  # drawer kick: m t1 t2
            return pos + 5
        if cmd in (ord("B"), ord("$"), ord("\\")):  # buzzer n t, absolute/relative position nL nH
            return pos + 4
        self.unknown.append(self._need(pos, 2))
        return pos + 2

    def _fs(self, pos: int) -> int:
        cmd = self._need(pos, 2)[1]
        if cmd == ord("&"):
            self.chinese = True
            return pos + 2
        if cmd == ord("."):
            self.chinese = False
            return pos + 2
        if cmd in (ord("!"), ord("-"), ord("W"), ord("C")):
            n = self._need(pos, 3)[2]
            if cmd == ord("!"):
                self.kanji_mode = n
            elif cmd == ord("W"):
                self.kanji_mode = (self.kanji_mode | 0x0C) if n & 1 else (self.kanji_mode & ~0x0C)
            return pos + 3
        if cmd == ord("S"):
            return pos + 4
        self.unknown.append(self._need(pos, 2))
        return pos + 2

    def _dle(self, pos: int) -> int:
        cmd = self._need(pos, 2)[1]
        if cmd == 0x04:
            n = self._need(pos, 3)[2]
            if self.on_status_query:
                self.on_status_query("DLE EOT", n)
            return pos + 3
        if cmd == 0x05:
            return pos + 3
        if cmd == 0x14:
            return pos + 5
        return pos + 1

    def _gs(self, pos: int) -> tuple[int, Page | None]:
        cmd = self._need(pos, 2)[1]
        if cmd == ord("!"):
            n = self._need(pos, 3)[2]
            self.size = ((n >> 4 & 0x07) + 1, (n & 0x07) + 1)
            return pos + 3, None
        if cmd == ord("V"):
            m = self._need(pos, 3)[2]
            if m in (65, 66):
                n = self._need(pos, 4)[3]
                self._feed_dots(n)
                return pos + 4, self._end_page("full" if m == 65 else "partial")
            return pos + 3, self._end_page("full" if m in (0, 48) else "partial")
        if cmd == ord("v"):
            head = self._need(pos, 8)
            m = head[3]
            width_bytes = head[4] | head[5] << 8
            rows = head[6] | head[7] << 8
            data = self._need(pos + 8, width_bytes * rows)
            if width_bytes and rows:
                # Printer bits: 1 = black; Pillow's mode "1": 1 = white.
                image = Image.frombytes("1", (width_bytes * 8, rows), data.translate(_INVERT))
                if m & 1:
                    image = image.resize((image.width * 2, image.height))
                if m & 2:
                    image = image.resize((image.width, image.height * 2))
                self._put_image(image)
                self._page.images += 1
            return pos + 8 + width_bytes * rows, None
        if cmd == ord("("):
            head = self._need(pos, 5)
            length = head[3] | head[4] << 8
            body = self._need(pos + 5, length)
            if head[2] == ord("k"):
                self._qr_function(body)
            else:
                self.unknown.append(head[:3])
            return pos + 5 + length, None
        if cmd == ord("r"):
            n = self._need(pos, 3)[2]
            if self.on_status_query:
                self.on_status_query("GS r", n)
            return pos + 3, None
        if cmd in (ord("B"), ord("H"), ord("h"), ord("w"), ord("f"), ord("a"), ord("b"), ord("I")):
            return pos + 3, None
        if cmd in (ord("L"), ord("W"), ord("P")):
            return pos + 4, None
        self.unknown.append(self._need(pos, 2))
        return pos + 2, None

    def _qr_function(self, body: bytes) -> None:
        if len(body) < 2 or body[0] != 0x31:
            return
        fn, params = body[1], body[2:]
        if fn == 0x43 and params:
            self._qr["module"] = max(1, min(16, params[0]))
        elif fn == 0x45 and params:
            self._qr["ec"] = _QR_EC_BY_BYTE.get(params[0], "L")
        elif fn == 0x50:
            self._qr["data"] = bytes(params[1:])
        elif fn == 0x51 and self._qr["data"]:
            code = qrcode.QRCode(
                error_correction=QR_EC[self._qr["ec"]], box_size=self._qr["module"], border=1
            )
            code.add_data(self._qr["data"])
            code.make(fit=True)
            self._put_image(code.make_image().get_image())
            self._page.qr_codes.append(self._qr["data"].decode("utf-8", errors="replace"))


def render(data: bytes, dots: int = 576, encoding: str = "gb18030") -> list[Page]:
    """All pages in `data` (the last one uncut if the data does not end with a cut)."""
    renderer = EscPosRenderer(dots, encoding)
    pages = renderer.feed(data)
    last = renderer.finish()
    return pages + ([last] if last is not None else [])


def save_png(page: Page, path: str) -> None:
    """Save with a little white margin, the way the paper looks."""
    framed = Image.new("1", (page.image.width + 32, page.image.height + 32), 1)
    framed.paste(page.image, (16, 16))
    framed.save(path)
