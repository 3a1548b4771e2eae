"""The 材料清单 a resident takes to the window: each material with a tick box, 原件/复印件 and 份数, then
where to go (窗口指示), when, and whom to call; printed on the receipt printer like the reader's 打印要点
(`kiosk.printout`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.guides_hall import Hall, hall_for_residents
from kiosk.i18n import N_, tr, translate

if TYPE_CHECKING:
    from content.model import Item
    from content.store import Library
    from device.printer.receipt import Receipt

DEMO_LINE = N_("【示例】演示内容，不是本地正式办事指南，请以窗口告知为准")


def checklist(item: Item, hall: Hall, hall_name: str = "") -> Receipt:
    """The checklist of a guide item as a receipt."""
    from device.printer.receipt import Receipt  # python-escpos loads in a second: not before the first frame

    guide = item.guide
    if guide is None:
        raise ValueError(f"{item.id} is not a service guide")
    out = Receipt()
    out.center(tr("办事材料清单"), bold=True)
    out.text(item.title, size=2, bold=True)
    if guide.demo:
        out.text(translate(DEMO_LINE), bold=True)
    out.separator()
    if guide.materials:
        out.text(tr("请带齐以下 {count} 项材料，备齐一项勾一项：", count=len(guide.materials)))
        for n, m in enumerate(guide.materials, 1):
            out.text(f"□ {n}. {m.name}", bold=True)
            copies = tr("{copies} 份", copies=m.copies) if m.copies else ""
            out.text("   " + "，".join(p for p in (m.form, copies, m.necessity, m.source) if p))
    else:
        out.text(tr("本事项不需要提交申请材料。"))
    out.separator()
    window = hall.window_for(guide.window) if guide.window else None
    if window is not None:
        out.text(window.indication() + (f"（{window.where}）" if window.where else ""), bold=True)
    for label, value in (
        (tr("窗口"), guide.window),
        (tr("地点"), guide.place),
        (tr("时间"), guide.hours),
        (tr("电话"), guide.phone),
        (tr("收费"), tr("收费，标准见办事指南") if guide.charged else tr("免费")),
    ):
        if value:
            out.text(f"{label}：{value}")
    if hall_name:
        out.separator()
        out.center(hall_name)
    return out.feed(2).cut()


def print_checklist(config: Any, data_dir: Path, library: Library, item_id: str) -> list[Path]:
    """Print a guide's checklist on the configured printer (a `device.errors.DeviceError` with a Chinese
    message when it cannot); with the simulated printer, the PNG files it wrote."""
    from kiosk.devices import DeviceService  # the device stack loads when something is printed, not at start
    from kiosk.printout import print_receipt

    receipt = checklist(library.get(item_id), hall_for_residents(data_dir), config["kiosk.hall_name"])
    return print_receipt(DeviceService(config, data_dir), receipt)
