"""The ID-card reader's diagnosis (is the SAM module alive, its number) and ``auto``: which serial port,
at which baud rate, has a reader."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from device.errors import DeviceError, DeviceTimeout, DeviceUnavailable, GarbledReply, Message
from device.idcard.idcard_reader import IdCardReader, SamTimeouts
from device.idcard.sam_transport import SerialSamTransport
from device.probes import OK, ProbeResult, fault

log = logging.getLogger(__name__)

BAUD_RATES = (115200, 57600, 38400, 19200, 9600)


def probe_idcard(reader: IdCardReader) -> ProbeResult:
    facts = {Message("端口"): reader.port}
    try:
        reader.sam_status()
        sam_id = reader.sam_id()
    except DeviceError as exc:
        log.warning("ID-card reader probe failed: %s", exc)
        return fault(exc, facts)
    facts[Message("SAM 编号")] = sam_id.text
    return ProbeResult(
        OK, Message("身份证阅读器正常（SAM 模块应答正常）"), facts=facts, detail="SAM status OK"
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
        Message("未在任何串口上找到身份证阅读器"),
        Message(
            "读卡器无响应，请检查串口线和波特率；或在配置中直接填写 serial:///dev/ttyUSB0?baudrate=115200"
        ),
    )
