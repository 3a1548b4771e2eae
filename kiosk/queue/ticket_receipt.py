"""The printed ticket (号票), in Chinese text mode through `device.printer.receipt`: the hall, the service, the big
number, the people ahead and the estimate, the time, a QR code to the ticket's status page on the hall LAN
and 请留意叫号. A reprint says 补打 and when it was made."""

from __future__ import annotations

from datetime import datetime

from device.printer.escpos_commands import Align
from device.printer.receipt import Receipt
from kiosk.i18n import tr
from kiosk.queue.model import Estimate, Ticket


def status_link(status_base: str, ticket: Ticket) -> str:
    """The QR code's content: the status page's base (e.g. `http://192.168.1.20:8470/t/`) + the ticket's
    code; without a base, the number alone."""
    return f"{status_base}{ticket.code}" if status_base else ticket.number


def build(
    ticket: Ticket,
    *,
    hall: str,
    service_name: str,
    estimate: Estimate,
    status_base: str,
    reprint_at: datetime | None = None,
) -> Receipt:
    paper = (
        Receipt()
        .center(hall, bold=True)
        .center(tr("排队取号凭条（补打）") if reprint_at else tr("排队取号凭条"))
    )
    paper.separator().center(service_name, bold=True)
    paper.text(ticket.number, size=4, bold=True, align=Align.CENTER)
    if ticket.priority:
        paper.center(tr("绿色通道"), bold=True)
    paper.pair(tr("前面等候"), tr("{ahead} 人", ahead=estimate.ahead)).pair(tr("预计等候"), estimate.text)
    paper.pair(tr("取号时间"), ticket.issued_at.strftime("%Y-%m-%d %H:%M"))
    if reprint_at:
        paper.pair(tr("补打时间"), reprint_at.strftime("%H:%M"))
    paper.separator().text(tr("请留意叫号屏幕和语音提示。过号请到窗口咨询。扫描二维码可查看排队进度。"))
    paper.qr(status_link(status_base, ticket))
    return paper.center(tr("请留意叫号"), size=2, bold=True).feed(1).cut()
