"""The ESC/POS byte sequences we emit, as pure functions.

Only the Chinese-mode path is ours (python-escpos 3.1 never sends ``FS &``, sizes Chinese with ``ESC !``
and hard-codes GB18030; shared/reference/devices.md §4.3). Native QR and raster bit packing are taken
from python-escpos, whose output for those is right.
"""

from __future__ import annotations

from enum import Enum

import qrcode
from PIL import Image

from device.printer.escpos_compat import Dummy, EscposImage
from device.printer.escpos_compat import constants as escpos_constants

ESC, GS, FS, DLE = b"\x1b", b"\x1d", b"\x1c", b"\x10"
INIT = ESC + b"@"
CHINESE_ON = FS + b"&"
CHINESE_OFF = FS + b"."
LF = b"\n"
RASTER_FRAGMENT_ROWS = 960  # python-escpos's default; long images go in several GS v 0 commands


class Align(Enum):
    LEFT = 0
    CENTER = 1
    RIGHT = 2


def align(value: Align) -> bytes:
    return ESC + b"a" + bytes([value.value])


def bold(on: bool) -> bytes:
    return ESC + b"E" + bytes([1 if on else 0])


def size(width: int, height: int) -> bytes:
    """GS ! : magnify every character (Chinese included) 1–8 times in each direction."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError("character size must be 1..8")
    return GS + b"!" + bytes([(width - 1) << 4 | (height - 1)])


def feed(lines: int) -> bytes:
    return ESC + b"d" + bytes([max(0, min(255, lines))])


def cut(partial: bool = True, feed_units: int = 0) -> bytes:
    """GS V 66/65 n: feed to the cutter (plus n units), then cut partially or fully."""
    return GS + b"V" + bytes([66 if partial else 65, feed_units])


def status_query(n: int) -> bytes:
    """DLE EOT n (real-time status; n = 1 printer, 2 offline cause, 3 error, 4 roll paper)."""
    return DLE + b"\x04" + bytes([n])


QR_EC = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
         "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}  # fmt: skip


def qr_native(data: str, module: int = 6, ec: str = "M") -> bytes:
    """GS ( k model 2 / module size / error correction / store / print, as python-escpos emits it."""
    printer = Dummy()
    level = getattr(escpos_constants, f"QR_ECLEVEL_{ec}")
    printer.qr(data, ec=level, size=module, model=2, native=True)
    return printer.output


def qr_image(data: str, module: int = 6, ec: str = "M", border: int = 2) -> Image.Image:
    code = qrcode.QRCode(error_correction=QR_EC[ec], box_size=module, border=border)
    code.add_data(data.encode("utf-8"))
    code.make(fit=True)
    return code.make_image().get_image().convert("1")


def raster(image: Image.Image, quadruple: bool = False) -> bytes:
    """GS v 0 for a black-on-white image (mode "1": 0 = black), in fragments of at most 960 rows.

    `quadruple` (m = 3) has the printer double it in both directions: a quarter of the bytes for
    images made of 2×2 blocks, such as a QR code with an even module size.
    """
    image = image.convert("1")
    out = b""
    for top in range(0, image.height, RASTER_FRAGMENT_ROWS):
        part = EscposImage(image.crop((0, top, image.width, min(image.height, top + RASTER_FRAGMENT_ROWS))))
        width_bytes, rows = part.width_bytes, part.height
        header = (
            GS
            + b"v0"
            + (b"\x03" if quadruple else b"\x00")
            + width_bytes.to_bytes(2, "little")
            + rows.to_bytes(2, "little")
        )
        out += header + part.to_raster_format()
    return out
