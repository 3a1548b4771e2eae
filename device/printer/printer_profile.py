"""Receipt printer geometry and capabilities: 58 mm (32 columns, 384 dots) and 80 mm (48, 576).

Columns are Font A (12×24 dots) columns; a Chinese glyph (24×24) takes two. Native QR (`GS ( k`) is off
for 58 mm because the common Chinese 58 mm models (POS-5890, ZJ-5870, NT-5890K) lack it; those models
also cut only partially, if at all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from device.errors import AddressError
from translatable import Message

COLUMN_DOTS = 12
LINE_DOTS = 30  # 24-dot glyph + 6 dots of line spacing


@dataclass(frozen=True)
class PrinterProfile:
    name: str
    columns: int
    dots: int
    native_qr: bool
    full_cut: bool
    partial_cut: bool = True

    def with_options(self, **options: bool) -> PrinterProfile:
        return replace(self, **options)


PROFILES = {
    "58mm": PrinterProfile("58mm", columns=32, dots=384, native_qr=False, full_cut=False),
    "80mm": PrinterProfile("80mm", columns=48, dots=576, native_qr=True, full_cut=True),
}


def get_profile(name: str) -> PrinterProfile:
    try:
        return PROFILES[name]
    except KeyError:
        raise AddressError(
            f"unknown printer profile {name!r}",
            Message("未知的打印纸规格 {name}", name=name),
            Message("打印纸规格只能是 58mm 或 80mm"),
        ) from None
