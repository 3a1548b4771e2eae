"""The kiosk's device service: builds the configured adapters and runs their diagnostics.

Adapters come from the ``devices.*`` options (URLs; ``sim://`` starts the in-process simulators). Results
are plain dataclasses so the CLI prints them and the UI can show device status. Synchronous and Qt-free:
the UI calls it from a worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from device import probes, registry
from device.errors import DeviceError
from device.idcard.idcard_reader import IdCardReader
from device.idcard.identity_card import IdentityCard
from device.ports import PortInfo, list_serial_ports
from device.printer import escpos_render
from device.printer.printer_profile import get_profile
from device.printer.receipt import Receipt, encode
from device.printer.receipt_printer import ReceiptPrinter
from device.printer.sample_receipts import self_test_page
from device.registry import Opened
from kiosk.i18n import tr, translate

log = logging.getLogger(__name__)

SIM_URL = "sim://"
UNCONFIGURED = "unconfigured"


@dataclass(frozen=True)
class DeviceCheck:
    """One device's diagnosis: state is ok / warning / fault / unconfigured."""

    device: str  # "idcard" or "printer"
    title: str  # Chinese name of the device
    url: str
    state: str
    summary: str
    hint: str = ""
    detail: str = ""
    facts: dict[str, str] = field(default_factory=dict)

    @property
    def fault(self) -> bool:
        return self.state == probes.FAULT


@dataclass(frozen=True)
class DiagReport:
    ports: list[PortInfo]
    checks: list[DeviceCheck]

    @property
    def ok(self) -> bool:
        return not any(check.fault for check in self.checks)

    @property
    def configured(self) -> int:
        """How many devices have an address in the configuration."""
        return sum(check.state != UNCONFIGURED for check in self.checks)

    def faults(self) -> list[str]:
        """What a heartbeat reports: each device in fault or warning, as "小票打印机：缺纸"."""
        return [f"{c.title}：{c.summary}" for c in self.checks if c.state in (probes.FAULT, probes.WARNING)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "configured": self.configured,
            "ports": [{**asdict(p), "vid_pid": p.vid_pid} for p in self.ports],
            "devices": [asdict(c) for c in self.checks],
        }


class DeviceService:
    """Device access for the kiosk, from its configuration."""

    def __init__(self, config: Any, data_dir: Path, *, simulate: bool = False, sim_card: str = "resident"):
        self.config = config
        self.data_dir = data_dir
        self.simulate = simulate
        self.sim_card = sim_card

    @property
    def idcard_url(self) -> str:
        return (
            f"{SIM_URL}?card={self.sim_card}" if self.simulate else str(self.config["devices.idcard"] or "")
        )

    @property
    def printer_url(self) -> str:
        return SIM_URL if self.simulate else str(self.config["devices.printer"] or "")

    @property
    def printer_output_dir(self) -> Path:
        return self.data_dir / "printer"

    def open_reader(self) -> Opened[IdCardReader]:
        return registry.kind("idcard").open(self.idcard_url)

    def open_printer(self) -> Opened[ReceiptPrinter]:
        return registry.kind("printer").open(
            self.printer_url,
            profile_name=self.config["devices.printer_profile"],
            encoding=self.config["devices.printer_encoding"],
            raster=bool(self.config["devices.printer_raster"]),
            sim_out_dir=self.printer_output_dir,
        )

    # --- diagnostics ---

    def faults(self) -> list[str]:
        """What a heartbeat reports (`DiagReport.faults` of a diagnosis made now)."""
        return self.diagnose().faults()

    def diagnose(self) -> DiagReport:
        return DiagReport(
            ports=list_serial_ports(),
            checks=[
                self._check("idcard", self.idcard_url, self.open_reader),
                self._check("printer", self.printer_url, self.open_printer),
            ],
        )

    def _check(self, device: str, url: str, opener: Callable[[], Opened]) -> DeviceCheck:
        title = translate(registry.kind(device).title)
        if not url:
            return DeviceCheck(
                device, title, "", UNCONFIGURED, tr("未配置"), tr("如需使用，请在配置中填写设备地址")
            )
        try:
            with opener() as opened:
                result = registry.kind(device).probe(opened.adapter)
        except DeviceError as exc:
            log.warning("%s diagnosis failed: %s", device, exc)
            return DeviceCheck(device, title, url, probes.FAULT, exc.zh, exc.hint, str(exc))
        return DeviceCheck(
            device, title, url, result.state, result.summary, result.hint, result.detail, result.facts
        )

    # --- actions ---

    def read_card(self) -> IdentityCard | None:
        """One reading; None if no card is on the reader. The card stays in memory only."""
        with self.open_reader() as opened:
            return opened.adapter.read_card()

    def print_receipt(self, paper: Receipt) -> list[Path]:
        """Print a receipt; with the simulator, wait for the page and return the PNG files it wrote."""
        with self.open_printer() as opened:
            return _printed(opened, paper)

    def print_test_page(self) -> list[Path]:
        """Print the self-test page in the printer's profile and encoding, as `print_receipt`."""
        with self.open_printer() as opened:
            return _printed(opened, self_test_page(opened.adapter.profile, opened.adapter.encoding))

    def preview_test_page(self, path: Path) -> Path:
        """Render the self-test page as the configured printer would print it, into a PNG (no printer needed)."""
        profile = get_profile(self.config["devices.printer_profile"])
        encoding = self.config["devices.printer_encoding"]
        data = encode(
            self_test_page(profile, encoding), profile, encoding, bool(self.config["devices.printer_raster"])
        )
        page = escpos_render.render(data, profile.dots, encoding)[0]
        path.parent.mkdir(parents=True, exist_ok=True)
        escpos_render.save_png(page, str(path))
        return path


def _printed(opened: Opened[ReceiptPrinter], paper: Receipt) -> list[Path]:
    opened.adapter.print_receipt(paper)
    if opened.simulator is None:
        return []
    opened.simulator.wait_for_pages(1)
    return list(opened.simulator.files)
