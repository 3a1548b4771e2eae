"""What a device diagnosis says (behind ``kiosk diag``): OK / FAULT / WARNING, a Chinese summary and remedy
hint, an English detail for logs and the facts a technician reads. Each kind's probe lives in its folder
(`device.idcard.probe`, `device.printer.probe`) and is registered in `device.registry`."""

from __future__ import annotations

from dataclasses import dataclass, field

from device.errors import DeviceError

OK, FAULT, WARNING = "ok", "fault", "warning"


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


def fault(exc: DeviceError, facts: dict[str, str] | None = None) -> ProbeResult:
    return ProbeResult(FAULT, exc.zh, exc.hint, str(exc), facts or {})
