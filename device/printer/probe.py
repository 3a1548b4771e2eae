"""The receipt printer's diagnosis: what its DLE EOT status says (paper, cover, errors), or why it cannot
be reached, with the connection's facts."""

from __future__ import annotations

import logging

from device.errors import DeviceError, Joined, Message
from device.printer.printer_status import paper_text
from device.printer.receipt_printer import ReceiptPrinter
from device.probes import FAULT, OK, WARNING, ProbeResult, fault

log = logging.getLogger(__name__)


def probe_printer(printer: ReceiptPrinter) -> ProbeResult:
    facts = {
        Message("连接"): printer.label,
        Message("纸宽"): printer.profile.name,
        Message("编码"): printer.encoding,
    }
    facts[Message("打印方式")] = Message("图像（光栅）") if printer.raster else Message("文字（打印机字库）")
    try:
        status = printer.status()
    except DeviceError as exc:
        log.warning("printer probe failed: %s", exc)
        return fault(exc, facts)
    facts[Message("纸张")] = paper_text(status)
    if not status.supported:
        return ProbeResult(
            OK, Message("打印机已连接（该连接方式不支持状态查询）"), facts=facts, detail="status unsupported"
        )
    problems = status.problems
    if not problems:
        return ProbeResult(OK, Message("打印机正常"), facts=facts, detail=f"status replies {status.replies}")
    blocking = [p for p in problems if not status.ready]
    first = (blocking or problems)[0]
    state = FAULT if not status.ready else WARNING
    return ProbeResult(
        state, Joined("；", [p.zh for p in problems]), first.hint, ", ".join(p.en for p in problems), facts
    )
