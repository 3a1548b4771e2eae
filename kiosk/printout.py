"""What a resident takes home from the reader: a receipt with the title, 文号, date, the key points (or
the 解读's summary) and a QR code to read the whole text.

Built from reader blocks (`kiosk.richtext`), so the receipt says what the screen says. Key points are the
document's own numbered sections (一、工作目标 …); a 解读's summary is its first paragraphs. The receipt is
a `device.printer.receipt.Receipt`, printed by the configured printer (`kiosk.devices.DeviceService`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.i18n import tr
from kiosk.richtext import Block, plain_text

if TYPE_CHECKING:
    from device.printer.receipt import Receipt
    from kiosk.browse import Browse
    from kiosk.devices import DeviceService

MAX_POINTS = 8
_SECTION = re.compile(r"^[一二三四五六七八九十]+、")
SUMMARY_CHARS = 160
POINT_CHARS = 60


@dataclass(frozen=True)
class Printout:
    """What goes on the paper; `points` are key points, `summary` a 解读's summary (either may be empty)."""

    kind_name: str
    title: str
    doc_number: str = ""
    date: str = ""
    issuer: str = ""
    points: list[str] = field(default_factory=list)
    summary: str = ""
    url: str = ""
    hall_name: str = ""


def key_points(blocks: list[Block], limit: int = MAX_POINTS) -> list[str]:
    """The document's numbered sections (一、工作目标 …), or else its headings under the title, shortened
    for the paper."""
    headings = [plain_text([b]) for b in blocks if b["kind"] == "heading"]
    numbered = [h for h in headings if _SECTION.match(h)]
    points = numbered or [plain_text([b]) for b in blocks if b["kind"] == "heading" and b["level"] >= 2]
    return [_shorten(p, POINT_CHARS) for p in points[:limit]]


def opening_summary(blocks: list[Block], limit: int = SUMMARY_CHARS) -> str:
    """The first paragraphs, up to `limit` characters (a 解读 opens with what the policy is for)."""
    text = ""
    for block in blocks:
        if block["kind"] != "paragraph":
            continue
        text += plain_text([block]).replace("\n", "")
        if len(text) >= limit:
            break
    return _shorten(text, limit)


def _shorten(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def receipt(printout: Printout) -> Receipt:
    from device.printer.receipt import Receipt  # python-escpos loads in a second: not before the first frame

    out = Receipt()
    out.center(printout.kind_name or tr("政务公开"), bold=True)
    out.text(printout.title, size=2, bold=True)
    for label, value in (
        (tr("文号"), printout.doc_number),
        (tr("日期"), printout.date),
        (tr("发布"), printout.issuer),
    ):
        if value:
            out.pair(label, value)
    if printout.points:
        out.separator()
        out.text(tr("要点"), bold=True)
        for n, point in enumerate(printout.points, 1):
            out.text(point if _SECTION.match(point) else f"{n}. {point}")
    if printout.summary:
        out.separator()
        out.text(tr("政策解读摘要"), bold=True)
        out.text(printout.summary)
    out.separator()
    if printout.url:
        out.center(tr("扫码阅读全文"))
        out.qr(printout.url)
    elif printout.doc_number:
        out.text(
            tr(
                "全文可在政务公开专区一体机“政府信息查询”中阅读，检索文号“{number}”。",
                number=printout.doc_number,
            )
        )
    else:
        out.text(tr("全文可在政务公开专区一体机“政府信息查询”中阅读。"))
    if printout.hall_name:
        out.center(printout.hall_name)
    return out.feed(2).cut()


def print_printout(devices: DeviceService, printout: Printout) -> list[Path]:
    """Print on the configured printer (raises `device.errors.DeviceError` with a Chinese message when it
    cannot); with the simulated printer, the PNG files it wrote."""
    return print_receipt(devices, receipt(printout))


def print_receipt(devices: DeviceService, paper: Receipt) -> list[Path]:
    """Print any receipt as `print_printout` does (the guides' 材料清单 too)."""
    return devices.print_receipt(paper)


def print_item(config: Any, data_dir: Path, browse: Browse, item_id: str) -> list[Path]:
    """The reader's 打印: the item's printout on the configured printer."""
    from kiosk.devices import DeviceService  # the device stack loads when something is printed, not at start

    printout = browse.printout(item_id, hall_name=config["kiosk.hall_name"])
    return print_printout(DeviceService(config, data_dir), printout)
