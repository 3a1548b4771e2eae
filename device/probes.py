"""The checks behind ``kiosk diag``: is the reader's SAM alive, what does the printer report, which
serial port has a reader (``auto``). Each result is OK / FAULT / WARNING with a Chinese remedy hint."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from device.errors import DeviceError, DeviceTimeout, DeviceUnavailable, GarbledReply
from device.idcard.idcard_reader import IdCardReader, SamTimeouts
from device.idcard.sam_transport import SerialSamTransport
from device.printer.printer_status import paper_text
from device.printer.receipt_printer import ReceiptPrinter

log = logging.getLogger(__name__)

OK, FAULT, WARNING = "ok", "fault", "warning"
BAUD_RATES = (115200, 57600, 38400, 19200, 9600)


@dataclass(frozen=True)
class ProbeResult:
    state: str  # ok / fault / warning
    summary: str  # Chinese, one line
    hint: str = ""  # Chinese remedy, empty when OK
    detail: str = ""  # English, for logs
    facts: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.state != FAULT


def _fault(exc: DeviceError, facts: dict[str, str] | None = None) -> ProbeResult:
    return ProbeResult(FAULT, exc.zh, exc.hint, str(exc), facts or {})


def probe_idcard(reader: IdCardReader) -> ProbeResult:
    facts = {"端口": reader.port}
    try:
        reader.sam_status()
        sam_id = reader.sam_id()
    except DeviceError as exc:
        log.warning("ID-card reader probe failed: %s", exc)
        return _fault(exc, facts)
    facts["SAM 编号"] = sam_id.text
    return ProbeResult(OK, "身份证阅读器正常（SAM 模块应答正常）", facts=facts, detail="SAM status OK")


def probe_printer(printer: ReceiptPrinter) -> ProbeResult:
    facts = {"连接": printer.label, "纸宽": printer.profile.name, "编码": printer.encoding}
    facts["打印方式"] = "图像（光栅）" if printer.raster else "文字（打印机字库）"
    try:
        status = printer.status()
    except DeviceError as exc:
        log.warning("printer probe failed: %s", exc)
        return _fault(exc, facts)
    facts["纸张"] = paper_text(status)
    if not status.supported:
        return ProbeResult(
            OK, "打印机已连接（该连接方式不支持状态查询）", facts=facts, detail="status unsupported"
        )
    problems = status.problems
    if not problems:
        return ProbeResult(OK, "打印机正常", facts=facts, detail=f"status replies {status.replies}")
    blocking = [p for p in problems if not status.ready]
    first = (blocking or problems)[0]
    state = FAULT if not status.ready else WARNING
    return ProbeResult(
        state, "；".join(p.zh for p in problems), first.hint, ", ".join(p.en for p in problems), facts
    )


def find_sam_reader(
    ports: Iterable[str], baud_rates: Iterable[int] = BAUD_RATES, timeouts: SamTimeouts | None = None
) -> tuple[str, int]:
    """The first port (and baud rate) where a reader answers the SAM status command.

    A silent port is skipped after one try; other baud rates are tried only where bytes came back but
    made no frame (what a baud mismatch looks like).
    """
    timeouts = timeouts or SamTimeouts(status=0.3)
    tried = []
    for port in ports:
        for baud in baud_rates:
            tried.append(f"{port}@{baud}")
            reader = IdCardReader(SerialSamTransport(port, baud), timeouts, retries=0)
            try:
                reader.sam_status()
                return port, baud
            except GarbledReply:
                continue
            except (DeviceTimeout, DeviceUnavailable):
                break
            except DeviceError:
                break
            finally:
                reader.close()
    raise DeviceUnavailable(
        f"no SAM reader answered on {', '.join(tried) or 'any port (none found)'}",
        "未在任何串口上找到身份证阅读器",
        "读卡器无响应，请检查串口线和波特率；或在配置中直接填写 serial:///dev/ttyUSB0?baudrate=115200",
    )
