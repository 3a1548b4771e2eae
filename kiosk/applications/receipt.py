"""The application's receipt (回执) for the receipt printer, in Chinese text mode: the number, the date of
receipt, the agency, what was asked, the reply deadline with the rule it was counted by (预估 and why,
when a year's holidays are not published yet), how to ask about it, and a QR code for the status.
"""

from __future__ import annotations

from device.printer.escpos_commands import Align
from device.printer.receipt import Receipt
from kiosk.applications.submit import Submitted
from kiosk.i18n import tr


def status_link(number: str, status_url: str = "") -> str:
    """What the QR code holds: the city's status page for the number, or the number itself (which the
    kiosk's 查询申请进度 reads when scanned)."""
    if not status_url:
        return number
    return f"{status_url}{'&' if '?' in status_url else '?'}no={number}"


def day_text(day) -> str:
    return tr("{year}年{month}月{day}日", year=day.year, month=day.month, day=day.day)


def build(
    submitted: Submitted, *, hall: str, status_url: str = "", enquiry_phone: str = "", reprint: bool = False
) -> Receipt:
    """The receipt; `reprint`: 补打 by staff, which says so (what was asked is not kept on the kiosk)."""
    due = submitted.deadline
    receipt = (
        Receipt()
        .center(hall, bold=True)
        .text(tr("政府信息公开申请回执"), width=1, height=2, align=Align.CENTER, bold=True)  # fits 58 mm
        .separator()
        .center(tr("申请编号"))
        .text(submitted.number, width=1, height=2, align=Align.CENTER, bold=True)
        .pair(tr("收到日期"), day_text(submitted.received_on))
        .pair(tr("受理机关"), submitted.agency)
    )
    if submitted.summary:
        receipt.text(tr("申请内容：{summary}", summary=submitted.summary))
    if reprint:
        receipt.center(tr("（补打回执）"))
    receipt.separator().pair(tr("答复期限"), due.text(), bold=True)
    receipt.text(tr("{rule}，可依法延长一次，延长不超过 20 个工作日。", rule=due.rule.describe()))
    if due.estimated:
        receipt.text(
            tr(
                "（预估）{year}年的节假日安排尚未发布，期限暂按周末计算，发布后按实际工作日重新计算。",
                year=due.due.year,
            )
        )
    ask = (
        tr(
            "凭申请编号在政务公开专区一体机“查询申请进度”查询，或扫描下方二维码；咨询电话 {phone}。",
            phone=enquiry_phone,
        )
        if enquiry_phone
        else tr("凭申请编号在政务公开专区一体机“查询申请进度”查询，或扫描下方二维码。")
    )
    receipt.separator().text(ask)
    return receipt.qr(status_link(submitted.number, status_url)).center(tr("请妥善保管本回执")).cut()
