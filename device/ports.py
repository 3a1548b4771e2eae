"""Serial port discovery with pyserial's list_ports: device path, VID:PID, serial number, description."""

from __future__ import annotations

from dataclasses import dataclass

from serial.tools import list_ports


@dataclass(frozen=True)
class PortInfo:
    device: str
    vid: int | None = None
    pid: int | None = None
    serial_number: str = ""
    description: str = ""
    manufacturer: str = ""

    @property
    def vid_pid(self) -> str:
        return f"{self.vid:04x}:{self.pid:04x}" if self.vid is not None and self.pid is not None else ""


def list_serial_ports() -> list[PortInfo]:
    return [
        PortInfo(
            device=port.device,
            vid=port.vid,
            pid=port.pid,
            serial_number=port.serial_number or "",
            description=port.description if port.description not in (None, "n/a") else "",
            manufacturer=port.manufacturer or "",
        )
        for port in sorted(list_ports.comports(), key=lambda p: p.device)
    ]
