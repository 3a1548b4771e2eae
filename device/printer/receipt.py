"""The receipt layout model (lines, sizes, alignment, QR, separators, cut) and its encoding to ESC/POS.

Text mode sends ``ESC @``, ``FS &`` and text in the printer's double-byte encoding, sized with ``GS !``
and wrapped by display width. Raster mode, for printers without a Chinese font, draws the same lines with
a CJK font (through the renderer, so both modes lay out identically) and sends them as ``GS v 0``.
Queue tickets and application receipts are built with `Receipt`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

from device.printer import escpos_commands as cmd
from device.printer.escpos_commands import Align
from device.printer.printer_profile import PrinterProfile
from device.printer.text_width import char_width, display_width, truncate, wrap


@dataclass(frozen=True)
class Text:
    text: str
    width: int = 1
    height: int = 1
    align: Align = Align.LEFT
    bold: bool = False


@dataclass(frozen=True)
class Pair:
    """A label on the left and a value on the right of one line (wrapped if they do not fit)."""

    left: str
    right: str
    bold: bool = False


@dataclass(frozen=True)
class Separator:
    char: str = "-"


@dataclass(frozen=True)
class Qr:
    data: str
    module: int = 6
    ec: str = "M"
    align: Align = Align.CENTER


@dataclass(frozen=True)
class Picture:
    image: Image.Image
    align: Align = Align.CENTER


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Cut:
    partial: bool = True


Element = Text | Pair | Separator | Qr | Picture | Feed | Cut


@dataclass
class Receipt:
    elements: list[Element] = field(default_factory=list)

    def text(self, text: str, *, size: int = 1, width: int | None = None, height: int | None = None,
             align: Align = Align.LEFT, bold: bool = False) -> Receipt:  # fmt: skip
        self.elements.append(Text(text, width or size, height or size, align, bold))
        return self

    def center(self, text: str, *, size: int = 1, bold: bool = False) -> Receipt:
        return self.text(text, size=size, align=Align.CENTER, bold=bold)

    def pair(self, left: str, right: str, *, bold: bool = False) -> Receipt:
        self.elements.append(Pair(left, right, bold))
        return self

    def separator(self, char: str = "-") -> Receipt:
        self.elements.append(Separator(char))
        return self

    def qr(self, data: str, *, module: int = 6, ec: str = "M", align: Align = Align.CENTER) -> Receipt:
        self.elements.append(Qr(data, module, ec, align))
        return self

    def picture(self, image: Image.Image, align: Align = Align.CENTER) -> Receipt:
        self.elements.append(Picture(image, align))
        return self

    def feed(self, lines: int = 1) -> Receipt:
        self.elements.append(Feed(lines))
        return self

    def cut(self, partial: bool = True) -> Receipt:
        self.elements.append(Cut(partial))
        return self


def _line(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace") + cmd.LF


def _text_bytes(element: Element, profile: PrinterProfile, encoding: str) -> bytes:
    """Bytes for a text-like element (Text, Pair, Separator, Feed) in Chinese text mode."""
    if isinstance(element, Text):
        columns = max(2, profile.columns // element.width)
        out = cmd.align(element.align) + cmd.size(element.width, element.height) + cmd.bold(element.bold)
        out += b"".join(_line(line, encoding) for line in wrap(element.text, columns))
        return out + cmd.size(1, 1) + cmd.bold(False)
    if isinstance(element, Pair):
        gap = profile.columns - display_width(element.left) - display_width(element.right)
        out = cmd.align(Align.LEFT) + cmd.bold(element.bold)
        if gap >= 1:
            out += _line(element.left + " " * gap + element.right, encoding)
        else:
            out += b"".join(_line(line, encoding) for line in wrap(element.left, profile.columns))
            right = wrap(element.right, profile.columns)
            out += b"".join(
                _line(" " * (profile.columns - display_width(line)) + line, encoding) for line in right
            )
        return out + cmd.bold(False)
    if isinstance(element, Separator):
        char = element.char[:1] if element.char and char_width(element.char[0]) else "-"
        line = truncate(char * profile.columns, profile.columns)
        return cmd.align(Align.LEFT) + _line(line, encoding)
    if isinstance(element, Feed):
        return cmd.feed(element.lines)
    raise TypeError(f"not a text element: {element!r}")


def _cut_bytes(element: Cut, profile: PrinterProfile) -> bytes:
    partial = (element.partial and profile.partial_cut) or not profile.full_cut
    return cmd.feed(3) + cmd.cut(partial=partial)


def _qr_bytes(element: Qr, profile: PrinterProfile) -> bytes:
    if profile.native_qr:
        return cmd.align(element.align) + cmd.qr_native(element.data, element.module, element.ec) + cmd.LF
    module = min(element.module, profile.dots // 45)
    if module % 2 == 0:  # send at half resolution, printed at double size: a quarter of the bytes
        return cmd.align(element.align) + cmd.raster(
            cmd.qr_image(element.data, module // 2, element.ec), True
        )
    return cmd.align(element.align) + cmd.raster(cmd.qr_image(element.data, module, element.ec))


def _rasterise(chunk: bytes, profile: PrinterProfile) -> bytes:
    """Draw Chinese-mode text bytes with the CJK font and return them as one raster image."""
    from device.printer.escpos_render import EscPosRenderer

    renderer = EscPosRenderer(profile.dots, "utf-8")
    renderer.feed(cmd.CHINESE_ON + chunk)
    page = renderer.finish()
    if page is None:
        return b""
    return cmd.align(Align.LEFT) + cmd.raster(page.image)


def encode(
    receipt: Receipt, profile: PrinterProfile, encoding: str = "gb18030", raster: bool = False
) -> bytes:
    """The bytes that print `receipt` on a printer with `profile`."""
    out = cmd.INIT + (b"" if raster else cmd.CHINESE_ON)
    pending = b""  # raster mode: text bytes waiting to be drawn as one image
    for element in receipt.elements:
        if isinstance(element, Text | Pair | Separator | Feed):
            if raster:
                pending += _text_bytes(element, profile, "utf-8")
            else:
                out += _text_bytes(element, profile, encoding)
            continue
        if pending:
            out += _rasterise(pending, profile)
            pending = b""
        if isinstance(element, Qr):
            out += _qr_bytes(element, profile)
        elif isinstance(element, Picture):
            image = element.image
            if image.width > profile.dots:
                image = image.resize((profile.dots, max(1, image.height * profile.dots // image.width)))
            out += cmd.align(element.align) + cmd.raster(image)
        elif isinstance(element, Cut):
            out += _cut_bytes(element, profile)
    if pending:
        out += _rasterise(pending, profile)
    return out + cmd.align(Align.LEFT)
