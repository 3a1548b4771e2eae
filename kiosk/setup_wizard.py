"""The first-boot setup wizard (issue 17 §3): its steps, which are done, which comes next, and each step's act.

It opens by itself while the kiosk is unenrolled and staff have neither finished nor dismissed it: from the
staff corner instead of the PIN pad while there is no staff PIN, else over the staff screen as staff enter
with their PIN; the staff screen opens it at any time. The steps: the hall's name and tier (saved as staff
settings over the configuration file and in force at once, `StaffDesk.save_hall`), the enrolment file from a
USB stick (`*.enrol.json`, as `city enrol` names it, installed like `kiosk enrol`), device detection (the
health cache's diagnosis with each device's remedy), the staff PIN with its recovery code (shown, and printed on request), a test print.
Each step can be skipped and taken again; what was done or skipped, and the dismissal, are kept in
`setup_wizard.json` in the data directory. Enrolment and the PIN count as done from what is installed, not
from what the wizard remembers. The city has no enrol-by-code endpoint, so enrolment is by file only.
Blocking: the UI calls it on a worker.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.i18n import N_, tr, translate
from kiosk.options import TIERS
from kiosk.statistics.service import mounted_sticks

if TYPE_CHECKING:
    from kiosk.config import Config
    from kiosk.health import DeviceHealth
    from kiosk.staff import StaffAuth
    from kiosk.staff_desk import StaffDesk
    from kiosk.sync_control import SyncControl

log = logging.getLogger(__name__)

STATE_FILE = "setup_wizard.json"
ENROLMENT_SUFFIX = ".enrol.json"  # `city enrol ID --out ID.enrol.json`, as the README writes it
MAX_FILES = 20  # enrolment files offered from all sticks together
DONE, SKIPPED, OPEN = "done", "skipped", "open"


@dataclass(frozen=True)
class Step:
    key: str
    title: str


STEPS = (
    Step("hall", N_("大厅名称和层级")),
    Step("enrolment", N_("登记到市级平台")),
    Step("devices", N_("设备检测")),
    Step("pin", N_("工作人员 PIN")),
    Step("print", N_("测试打印")),
)
STEP_KEYS = tuple(step.key for step in STEPS)


class WizardError(Exception):
    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


def enrolment_files(sticks: list[str]) -> list[str]:
    """Files named like the city's enrolment file at the top of each stick or one folder down."""
    found: list[str] = []
    for stick in sticks:
        root = Path(stick)
        try:
            candidates = [*root.glob(f"*{ENROLMENT_SUFFIX}"), *root.glob(f"*/*{ENROLMENT_SUFFIX}")]
        except OSError as exc:  # a stick pulled out while it is read
            log.warning("cannot list %s: %s", root, exc)
            continue
        found.extend(str(path) for path in sorted(candidates) if path.is_file())
    return found[:MAX_FILES]


class SetupWizard:
    """The wizard's state and each step's act, over the kiosk's own services."""

    def __init__(
        self,
        staff: StaffDesk,
        data_dir: Path,
        health: DeviceHealth,
        sync: SyncControl,
        *,
        sticks: Callable[[], list[str]] = mounted_sticks,
    ):
        self.staff = staff
        self.data_dir = data_dir
        self.path = data_dir / STATE_FILE
        self.health = health
        self.sync = sync
        self.sticks = sticks

    @property
    def config(self) -> Config:
        return self.staff.config

    @property
    def auth(self) -> StaffAuth:
        return self.staff.auth

    # --- state -----------------------------------------------------------------------------------

    def _read(self) -> dict[str, Any]:
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:  # damaged: start over rather than hide the wizard
            log.warning("setup wizard state unreadable, starting over: %s", exc)
            return {}
        return state if isinstance(state, dict) else {}

    def _write(self, state: dict[str, Any]) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(STATE_FILE + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(state, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(self.path)

    def enrolled(self) -> bool:
        return self.sync.enrolment.check()

    def should_open(self) -> bool:
        """Whether the wizard opens by itself: unenrolled, not finished or dismissed (完成 and 以后再说
        both dismiss it), and not the demo (`kiosk demo` is a showcase with its PIN printed, not a first boot:
        its staff screen still offers 首次设置)."""
        if self.enrolled() or self._read().get("dismissed", False):
            return False
        from kiosk import demo  # demo and enrolment load cryptography: not on the way to the first frame

        return demo.read_marker(self.data_dir) is None

    def status(self, key: str) -> str:
        if key == "enrolment" and self.enrolled():
            return DONE
        if key == "pin" and self.auth.has_pin():
            return DONE
        marks = self._read().get("steps", {})
        mark = marks.get(key) if isinstance(marks, dict) else None
        return mark if mark in (DONE, SKIPPED) else OPEN

    def overview(self) -> dict[str, Any]:
        """The steps with their status, the next one to take (None: all done or skipped), the hall in force."""
        steps = [{"key": s.key, "title": translate(s.title), "status": self.status(s.key)} for s in STEPS]
        following = next((s["key"] for s in steps if s["status"] == OPEN), None)
        return {
            "steps": steps,
            "next": following,
            "enrolled": self.enrolled(),
            "hasPin": self.auth.has_pin(),
            "hallName": self.config["kiosk.hall_name"],
            "tier": self.config["kiosk.tier"],
            "tiers": list(TIERS),
        }

    def mark(self, key: str, status: str) -> None:
        """Record a step as done or skipped (staff may take it again later from the staff screen)."""
        if key not in STEP_KEYS or status not in (DONE, SKIPPED):
            raise ValueError(f"no step {key!r} with status {status!r}")
        state = self._read()
        steps = state.get("steps") if isinstance(state.get("steps"), dict) else {}
        state["steps"] = {**steps, key: status}
        self._write(state)

    def dismiss(self) -> None:
        """Staff closed the wizard: it no longer opens at start (the staff screen still offers it)."""
        self._write({**self._read(), "dismissed": True})

    # --- the steps' acts -------------------------------------------------------------------------

    def enrolment_files(self) -> list[str]:
        return enrolment_files(self.sticks())

    def enrol(self, path: str) -> dict[str, Any]:
        """Install an enrolment file (the checks of `kiosk enrol`), then start the background sync if on."""
        from kiosk import enrolment

        installed = enrolment.install(Path(path), self.data_dir)
        log.info("enrolled as %s from the setup wizard", installed.kiosk_id)
        self.sync.enrolment.check()
        if self.sync.background:  # as `kiosk run` would have at start
            self.sync.start()
        return installed.describe()

    def diagnose(self) -> list[dict[str, str]]:
        """A fresh diagnosis of every device, each with its state and remedy in Chinese."""
        report = self.health.refresh()
        if report is None:
            raise WizardError("device diagnosis failed", tr("设备检测失败，请查看日志或运行 kiosk diag"))
        return [
            {"title": c.title, "state": c.state, "summary": translate(c.summary), "hint": translate(c.hint)}
            for c in report.checks
        ]

    def save_hall(self, name: str, tier: str) -> dict[str, str]:
        """Keep the hall's name and tier (checked as staff settings, `kiosk.staff`), in force at once: the
        home tiles, the features by tier, the title bar and the display API follow. Marks the step done."""
        hall_name, tier = self.staff.save_hall(name, tier)
        self.mark("hall", DONE)
        return {"hallName": hall_name, "tier": tier}

    def set_pin(self, pin: str) -> str:
        """Set the staff PIN (6 to 8 digits, `kiosk.staff`); returns the recovery code to write down."""
        return self.auth.set_pin_with_recovery(pin).recovery_code

    def test_print(self) -> int:
        """Print the printer's self-test page; returns how many pages the simulator wrote (0: a real one)."""
        return self._printing(lambda service: len(service.print_test_page()))

    def print_recovery(self, code: str) -> int:
        """Print the recovery code just made (for staff to keep away from the kiosk); pages as `test_print`."""
        from device.printer.receipt import Receipt

        receipt = (
            Receipt()
            .center(self.config["kiosk.hall_name"], bold=True)
            .center(tr("工作人员 PIN 恢复码"))
            .separator()
            .center(code, size=2, bold=True)
            .text(tr("PIN 多次输错锁定后，在 PIN 键盘上输入此码解锁。请交专人保管，不要留在一体机旁。"))
            .cut()
        )

        return self._printing(lambda service: len(service.print_receipt(receipt)))

    def _printing(self, job: Callable[[Any], int]) -> int:
        from device.errors import DeviceError
        from kiosk.devices import DeviceService

        if not self.config["devices.printer"]:
            raise WizardError("no printer configured", tr("未配置小票打印机，请在配置中填写打印机地址"))
        try:
            return job(DeviceService(self.config, self.data_dir))
        except DeviceError as exc:
            problem = translate(exc.zh).rstrip("。")
            raise WizardError(
                str(exc), tr("{problem}。{hint}", problem=problem, hint=translate(exc.hint))
            ) from exc


def for_services(services: Any, **hooks: Any) -> SetupWizard:
    """The wizard over `kiosk.services.build`'s services (`hooks`: `sticks`, where USB sticks are)."""
    return SetupWizard(services.staff, services.data_dir, services.devices, services.sync, **hooks)
