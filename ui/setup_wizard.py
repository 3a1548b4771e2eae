"""The first-boot setup wizard's view-model (QML singleton ``Kiosk.SetupWizard``) over `kiosk.setup_wizard`.

One step is shown at a time (`current`); each act (look for enrolment files, install one, diagnose the
devices, set the PIN, print the test page, mark a step) runs on the worker and then reloads the overview.
`opensWithoutPin()` tells the staff corner to open the wizard instead of the PIN pad on a kiosk with no
staff PIN that is unenrolled and has not finished or dismissed it; `opensOnStaffVisit()` tells the PIN pad
to open it over the staff screen it leads to on such a kiosk that has a PIN.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton

from kiosk import setup_wizard
from kiosk.i18n import tr
from ui import context
from ui.refcounts import emit
from ui.worker import Worker

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

# Test hook: keyword arguments for `kiosk.setup_wizard.for_services` (`sticks`: where USB sticks are).
HOOKS: dict[str, Any] = {}


def _wizard() -> setup_wizard.SetupWizard:
    return setup_wizard.for_services(context.services(), **HOOKS)


@QmlElement
@QmlSingleton
class SetupWizard(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._overview: dict = {}
        self._current = ""
        self._files: list[str] = []
        self._devices: list[dict] = []
        self._recovery = ""
        self._message = ""
        self._error = False
        self._busy = False
        self._worker = Worker(self, self._finished, self._failed)

    # --- when it opens -------------------------------------------------------------------------------

    @Slot(result=bool)
    def opensWithoutPin(self) -> bool:
        wizard = _wizard()
        return not wizard.auth.has_pin() and wizard.should_open()

    @Slot(result=bool)
    def opensOnStaffVisit(self) -> bool:
        return _wizard().should_open()

    # --- moving between steps ------------------------------------------------------------------------

    @Slot(str)
    def start(self, step: str) -> None:
        """Load the steps and show `step` (empty: the first not done or skipped)."""
        self._current, self._files, self._devices, self._recovery = step, [], [], ""
        self._say("")
        self._submit("start", lambda: _wizard().overview())

    @Slot(str)
    def show(self, step: str) -> None:
        self._current, self._recovery = step, ""
        self._say("")
        self._arrive()

    @Slot()
    def confirm(self) -> None:
        """下一步 on a step staff only look at or have finished: mark it done, go to the next."""
        self._mark(setup_wizard.DONE)

    @Slot()
    def skip(self) -> None:
        self._mark(setup_wizard.SKIPPED)

    @Slot()
    def dismiss(self) -> None:
        """完成 / 以后再说: the wizard no longer opens at start (the screen goes home meanwhile)."""
        self._submit("dismissed", lambda: _wizard().dismiss())

    def _mark(self, status: str) -> None:
        key = self._current

        def mark() -> dict:
            wizard = _wizard()
            wizard.mark(key, status)
            return wizard.overview()

        self._current = ""
        self._submit("start", mark)

    # --- the steps' acts -----------------------------------------------------------------------------

    @Slot()
    def findFiles(self) -> None:
        self._submit("files", lambda: _wizard().enrolment_files())

    @Slot(str)
    def enrol(self, path: str) -> None:
        def enrol() -> tuple[dict, dict]:
            wizard = _wizard()
            return wizard.enrol(path), wizard.overview()

        self._submit("enrolled", enrol)

    @Slot()
    def diagnose(self) -> None:
        self._submit("devices", lambda: _wizard().diagnose())

    @Slot(str, str)
    def saveHall(self, name: str, tier: str) -> None:
        def save() -> dict:
            wizard = _wizard()
            wizard.save_hall(name, tier)
            return wizard.overview()

        self._submit("hallSaved", save)

    @Slot(str, str)
    def setPin(self, pin: str, again: str) -> None:
        if pin != again:
            self._say(tr("两次输入的 PIN 不一致，请重新输入。"), error=True)
            return

        def set_pin() -> tuple[str, dict]:
            wizard = _wizard()
            return wizard.set_pin(pin), wizard.overview()

        self._submit("pin", set_pin)

    @Slot()
    def printRecovery(self) -> None:
        code = self._recovery
        if code:
            self._submit("recoveryPrinted", lambda: _wizard().print_recovery(code))

    @Slot()
    def testPrint(self) -> None:
        def test_print() -> tuple[int, dict]:
            wizard = _wizard()
            pages = wizard.test_print()
            wizard.mark("print", setup_wizard.DONE)
            return pages, wizard.overview()

        self._submit("printed", test_print)

    # --- results -------------------------------------------------------------------------------------

    def _submit(self, tag: str, fn) -> None:
        self._busy = True
        emit(self, "changed")
        self._worker.submit(tag, fn)

    def _finished(self, token: int, tag: str, result: Any) -> None:
        self._busy = False
        if tag == "start":
            self._overview = result
            self._current = self._current or result["next"] or "summary"
            self._arrive()
        elif tag == "files":
            self._files = result
            self._say(
                "" if result else tr("U盘上没有找到登记文件（文件名以 .enrol.json 结尾）。"), error=True
            )
        elif tag == "enrolled":
            shown, self._overview = result
            self._say(tr("已登记为 {kiosk}，将开始与市级平台同步。", kiosk=shown["kiosk_id"]))
        elif tag == "devices":
            self._devices = result
        elif tag == "pin":
            self._recovery, self._overview = result
            self._say(
                tr(
                    "PIN 已设置。恢复码：{code}，请抄写下来并妥善保管：PIN 多次输错锁定后用它解锁。此码只显示这一次。",
                    code=self._recovery,
                )
            )
        elif tag == "hallSaved":
            self._overview = result
            self._say(tr("已保存，首页和各项功能已按新的大厅名称和层级显示。"))
        elif tag == "recoveryPrinted":
            self._say(tr("恢复码已打印，请交专人保管，不要留在一体机旁。"))
        elif tag == "printed":
            pages, self._overview = result
            self._say(
                tr("测试页已打印，请查看打印机出纸。") if pages == 0 else tr("测试页已打印（模拟打印机）。")
            )
        emit(self, "changed")

    def _failed(self, token: int, tag: str, message: str) -> None:
        self._busy = False
        self._say(message, error=True)

    def _arrive(self) -> None:
        """What a step needs as it is shown: the files on the sticks, a diagnosis."""
        if self._current == "enrolment" and not self._overview.get("enrolled"):
            self.findFiles()
        elif self._current == "devices":
            self.diagnose()
        else:
            emit(self, "changed")

    def _say(self, message: str, *, error: bool = False) -> None:
        self._message, self._error = message, error and bool(message)
        emit(self, "changed")

    def _get(self, key: str, default: Any) -> Any:
        return self._overview.get(key, default)

    current = Property(str, lambda self: self._current, notify=changed)
    steps = Property(list, lambda self: self._get("steps", []), notify=changed)
    nextStep = Property(str, lambda self: self._get("next", None) or "", notify=changed)
    enrolled = Property(bool, lambda self: bool(self._get("enrolled", False)), notify=changed)
    hasPin = Property(bool, lambda self: bool(self._get("hasPin", False)), notify=changed)
    hallName = Property(str, lambda self: str(self._get("hallName", "")), notify=changed)
    tier = Property(str, lambda self: str(self._get("tier", "")), notify=changed)
    tiers = Property(list, lambda self: self._get("tiers", []), notify=changed)
    files = Property(list, lambda self: self._files, notify=changed)
    devices = Property(list, lambda self: self._devices, notify=changed)
    recoveryCode = Property(str, lambda self: self._recovery, notify=changed)
    message = Property(str, lambda self: self._message, notify=changed)
    messageIsError = Property(bool, lambda self: self._error, notify=changed)
    busy = Property(bool, lambda self: self._busy, notify=changed)
