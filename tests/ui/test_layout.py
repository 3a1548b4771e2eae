"""Every screen at every type size, in both orientations and in high contrast, laid out as an elderly
resident needs it: no text cut off with "…", none running past its box or off the screen, no text on
top of other text, no touch target under 90 px (see layout_check.py). Every screen's screenshot is saved
in the test's temporary directory for a person to look at (PNG-encoded on a thread of its own: Qt releases
the GIL there, so the sweep goes on while the other core compresses)."""

from __future__ import annotations

import contextlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
import test_application_screens as applying
from conftest import close_kiosk, open_kiosk
from layout_check import problems
from PySide6.QtGui import QImage
from PySide6.QtQml import QQmlExpression, qmlContext

from kiosk.config import defaults
from ui import worker

OLD_HOUSING = "gz-d24868-2022-02-06"  # a document with a table and a 解读
GUIDE = "guide-demo-dibao"  # its window in the hall file below
GUIDE_WITH_FEES = "guide-demo-shenfenzheng"
HALL = '{"窗口": [{"名称": "社会救助窗口", "编号": "3", "位置": "一楼东侧"}]}'
PIN = "246810"


@pytest.fixture
def config():
    """No idle countdown over the screens while they are checked (the run takes minutes)."""
    return defaults().with_values(kiosk__idle_timeout=3600)


def screens(kiosk):
    """(name, how to get there) for every resident screen and staff's PIN pad."""
    state = kiosk.app_state
    browse = kiosk.services.library.opened_browse()
    issue = browse.issues()[0]["id"]
    return [
        ("home", lambda: state.home()),
        ("library", lambda: state.openFeature("library")),
        ("toc", lambda: state.open("list", {"source": "toc", "argument": issue})),
        ("reader", lambda: state.open("reader", {"itemId": OLD_HOUSING})),
        ("search", lambda: state.open("search", {})),
        ("notices", lambda: state.openFeature("notices")),
        ("guides", lambda: state.openFeature("guides")),
        ("guide-letters", lambda: state.open("GuidesScreen.qml", {"by": "letter"})),
        (
            "guide-list",
            lambda: state.open(
                "GuideListScreen.qml", {"audience": "公民类", "by": "theme", "value": "社会救助"}
            ),
        ),
        ("guide", lambda: state.open("GuideScreen.qml", {"itemId": GUIDE})),
        ("guide-fees", lambda: state.open("GuideScreen.qml", {"itemId": GUIDE_WITH_FEES})),
        ("queue", lambda: state.openFeature("queue")),
        ("queue-card", lambda: state.open("queue", {"guideId": GUIDE_WITH_FEES})),
        ("queue-confirm", lambda: state.open("queue", {"guideId": GUIDE})),
        ("queue-number", lambda: take_a_number(kiosk)),
        ("pin", lambda: state.open("pin", {})),
        ("staff", lambda: (state.open("pin", {}), kiosk.staff.attempt(PIN))),
        (
            "staff-queue",
            lambda: (state.open("pin", {}), kiosk.staff.attempt(PIN), state.open("StaffQueueScreen.qml", {})),
        ),
        ("staff-queue-forms", lambda: staff_queue_forms(kiosk)),
        ("staff-queue-window-pin", lambda: staff_queue_window_pin(kiosk)),
        ("staff-queue-devices", lambda: staff_queue_devices(kiosk)),
        ("staff-queue-revoke-all", lambda: staff_queue_revoke_all(kiosk)),
        (
            "statistics",
            lambda: (state.open("pin", {}), kiosk.staff.attempt(PIN), state.openFeature("statistics")),
        ),
        ("application", lambda: state.openFeature("applications")),
        ("application-card", lambda: (state.openFeature("applications"), kiosk.click("applicantCitizen"))),
        ("application-form-errors", lambda: applying.to_form_errors(kiosk)),
        ("application-organisation", lambda: applying.to_form(kiosk, "applicantOrganisation")),
        ("application-review", lambda: applying.to_review(kiosk)),
        ("application-number", lambda: applying.to_number(kiosk)),
        ("application-status", lambda: applying.to_status(kiosk)),
        (
            "application-from-reader",
            lambda: (state.open("reader", {"itemId": OLD_HOUSING}), kiosk.click("applyForInformation")),
        ),
        (
            "staff-display",
            lambda: (
                state.open("pin", {}),
                kiosk.staff.attempt(PIN),
                state.open("StaffDisplayScreen.qml", {}),
            ),
        ),
        ("staff-display-pairing", lambda: staff_display_pairing(kiosk)),
        ("staff-display-playlist", lambda: staff_display_playlist(kiosk)),
        (
            "staff-applications",
            lambda: (
                state.open("pin", {}),
                kiosk.staff.attempt(PIN),
                state.open("ApplicationStaffScreen.qml", {}),
            ),
        ),
        *[
            (f"setup-{step}", lambda step=step: state.open("SetupWizardScreen.qml", {"step": step}))
            for step in ("hall", "enrolment", "devices", "pin", "print", "summary")
        ],
        (
            "setup-recovery",
            lambda: (
                state.open("SetupWizardScreen.qml", {"step": "pin"}),
                kiosk.engine.singletonInstance("Kiosk", "SetupWizard").setPin(PIN, PIN),
            ),
        ),
    ]


def a_queue(services) -> None:
    """A hall's queue (one service needing the ID card), so 排队取号 has its tile and its steps to lay out."""
    from kiosk.queue import parse_config

    hours = ["00:00-24:00"]
    services.queue.configure(
        parse_config(
            {
                "service": [
                    {
                        "key": "dibao",
                        "name": "社会救助（低保、特困、临时救助）",
                        "prefix": "A",
                        "guide": GUIDE,
                        "hours": hours,
                    },
                    {
                        "key": "zheng",
                        "name": "居民身份证申领",
                        "prefix": "B",
                        "guide": GUIDE_WITH_FEES,
                        "id_card": "required",
                        "hours": hours,
                    },
                    {"key": "qiye", "name": "企业开办", "prefix": "C", "category": "企业类", "hours": hours},
                ],
                "window": [{"number": 3, "name": "社会救助窗口", "services": ["dibao", "zheng", "qiye"]}],
            }
        )
    )


def take_a_number(kiosk) -> None:
    """The 取号 screen's last step: the number, big (this kiosk has no printer: 请记下您的号码)."""
    kiosk.app_state.open("queue", {"guideId": GUIDE})
    kiosk.click("queueConfirm")
    kiosk.qtbot.waitUntil(lambda: kiosk.find("queueNumber") is not None, timeout=5000)


def staff_queue_forms(kiosk) -> None:
    """The staff section 排队叫号 with a service's form open and today's report shown."""
    kiosk.app_state.open("pin", {})
    kiosk.staff.attempt(PIN)
    kiosk.app_state.open("StaffQueueScreen.qml", {})
    kiosk.click("editService_zheng")
    settle(kiosk)  # the form is laid out: the list is longer now
    report = kiosk.find("report_day", visible_only=False)
    kiosk.scroll_into_view(report)
    kiosk.qtbot.wait(100)
    kiosk.click(report)


def staff_queue_window_pin(kiosk) -> None:
    """排队叫号 with a window whose PIN pairing five wrong PINs locked (its unlock button) and its form open
    (the PIN field)."""
    from kiosk.queue import QueueError

    queue = kiosk.services.queue
    queue.set_window_pin(3, PIN)
    for _ in range(5):
        with contextlib.suppress(QueueError):
            queue.pair_with_pin(3, "000000")
    kiosk.app_state.open("pin", {})
    kiosk.staff.attempt(PIN)
    kiosk.app_state.open("StaffQueueScreen.qml", {})
    kiosk.qtbot.waitUntil(lambda: kiosk.find("unlockPin_3") is not None, timeout=5000)
    edit = kiosk.find("editWindow_3", visible_only=False)
    kiosk.scroll_into_view(edit)
    kiosk.qtbot.wait(100)
    kiosk.click(edit)
    pin = kiosk.get("windowPin")
    settle(kiosk)
    kiosk.scroll_into_view(pin)


def staff_queue_devices(kiosk) -> None:
    """排队叫号's paired devices: a phone with a long User-Agent (seen), a PC never used, revoke buttons."""
    queue = kiosk.services.queue
    queue.revoke_tokens()
    queue.verify_token(queue.issue_token(3, "Mozilla/5.0 (Linux; Android 14; SM-S9180) AppleWebKit/537.36"))
    queue.issue_token(3, "")
    kiosk.app_state.open("pin", {})
    kiosk.staff.attempt(PIN)
    kiosk.app_state.open("StaffQueueScreen.qml", {})
    button = kiosk.get("revokeAllDevices")
    settle(kiosk)
    kiosk.scroll_into_view(button)


def staff_queue_revoke_all(kiosk) -> None:
    """撤销全部设备 asked first: the confirmation over the paired devices."""
    staff_queue_devices(kiosk)
    rendered(kiosk)  # scrolled: the tap lands on the button
    kiosk.click("revokeAllDevices")
    kiosk.get("confirmQuestion")


def staff_display_pairing(kiosk) -> None:
    """The 公示屏 page with a pairing code and the command to type on the display's PC (a long line)."""
    kiosk.app_state.open("pin", {})
    kiosk.staff.attempt(PIN)
    kiosk.app_state.open("StaffDisplayScreen.qml", {})
    kiosk.wait_screen("staffDisplay")
    rendered(kiosk)  # the page has replaced the PIN's: the tap lands on this page's button
    kiosk.click("pairDisplay")

    def shown() -> bool:
        message = kiosk.find("staffDisplayMessage", visible_only=False)
        return message is not None and message.property("text").startswith("配对码")

    kiosk.qtbot.waitUntil(shown, timeout=5000)


def staff_display_playlist(kiosk) -> None:
    """The 公示屏 page's playlist form with an error beside its field (单篇内容 without the item's id)."""
    kiosk.app_state.open("pin", {})
    kiosk.staff.attempt(PIN)
    kiosk.app_state.open("StaffDisplayScreen.qml", {})
    kiosk.wait_screen("staffDisplay")
    rendered(kiosk)
    for name in ("entryShow_item", "addEntry"):  # a tap while the page scrolls only stops it
        button = kiosk.get(name)
        kiosk.scroll_into_view(button)
        kiosk.qtbot.wait(100)
        kiosk.click(button)
    error = kiosk.find("entryError_item", visible_only=False)
    kiosk.qtbot.waitUntil(lambda: error.property("text") != "", timeout=5000)
    kiosk.scroll_into_view(error)


IMAGE_LOADING = 2  # Image.Loading (read through QML: PySide6 has no converter for the enum)


def image_status(item) -> int:
    return QQmlExpression(qmlContext(item), item, "status").evaluate()[0]


def rendered(kiosk, frames: int = 2) -> None:
    """`frames` frames begun after now: each one polishes and lays out whatever changed before it.

    It waits for `afterAnimating` (the GUI thread's, after the frame's polish) rather than `frameSwapped`
    (the render thread's): a Python slot disconnected from a render-thread signal is cleaned up by the
    render thread at its next emit, which needs the GIL, while `grabWindow` holds the GIL waiting for that
    thread — under Qt's threaded render loop (Xvfb) the sweep deadlocked there."""
    for _ in range(frames):
        with kiosk.qtbot.waitSignal(kiosk.window.afterAnimating, timeout=2000, raising=False):
            kiosk.window.update()


def images_loading(kiosk) -> bool:
    """An image still loading (the reader's and the guides' are asynchronous) changes the layout when it
    arrives."""
    return any(
        image_status(item) == IMAGE_LOADING for item in kiosk.items() if item.inherits("QQuickImageBase")
    )


def settle(kiosk) -> None:
    """The screen as a resident sees it once everything has arrived: the workers idle, the images loaded,
    and frames drawn after both (waiting for these instead of fixed sleeps made the sweep 3x faster)."""
    worker.wait_idle(5.0)
    rendered(kiosk)
    kiosk.qtbot.waitUntil(lambda: not images_loading(kiosk), timeout=5000)
    worker.wait_idle(5.0)
    rendered(kiosk)


def some_signage(services) -> None:
    """An emergency notice up until withdrawn and two displays' reports, for the staff's 公示屏 page."""
    from datetime import datetime

    services.signage_desk.post("今天下午停电，暂停办理，请到二楼临时窗口咨询", "", 0)
    now = datetime.now()
    for display, showing in (("hall", "公示牌"), ("wall-of-the-second-floor", "电子阅报栏")):
        services.signage_desk.displays.beat(
            {"display": display, "showing": showing, "since": now.isoformat()}, now
        )


def some_statistics(services) -> None:
    """A read, searches (one finding nothing) and queue tickets, so 数据统计 has bars and numbers to lay out."""
    usage = services.usage
    usage.event("read", item_kind="document", item_id=OLD_HOUSING, seconds=75)
    usage.event("search", query_class="question", results=0, opened=False)
    usage.event("search", query_class="doc_number", results=1, opened=True)
    usage.event("queue_ticket", event="called", service="A", window="3", wait_seconds=420)
    usage.flush()


class Shots:
    """Screenshots saved in the background, at most `ahead` waiting (each is 8 MB before compression)."""

    def __init__(self, ahead: int = 8):
        self.ahead = ahead
        self.saver = ThreadPoolExecutor(1, thread_name_prefix="layout-shots")
        self.pending: deque[tuple[str, Future]] = deque()
        self.failed: list[str] = []

    def save(self, image: QImage, path: str) -> None:
        while len(self.pending) >= self.ahead:
            self._finish_oldest()
        self.pending.append((path, self.saver.submit(image.save, path)))

    def _finish_oldest(self) -> None:
        path, saved = self.pending.popleft()
        if not saved.result():
            self.failed.append(path)

    def close(self) -> list[str]:
        """Wait for every save; the paths that could not be written."""
        while self.pending:
            self._finish_oldest()
        self.saver.shutdown()
        return self.failed


# Qt Graphs offscreen (数据统计): see test_statistics_screen.py
OFFSCREEN_GRAPHS = "QRhiGles2: Failed to create"


@pytest.mark.qt_log_ignore(OFFSCREEN_GRAPHS)
@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_every_screen_at_every_type_size_is_laid_out_whole(qtbot, qapp, services, size, tmp_path):
    services.staff.auth.set_pin(PIN)
    a_queue(services)
    some_statistics(services)
    some_signage(services)
    (services.data_dir / "hall.json").write_text(HALL, encoding="utf-8")
    kiosk = open_kiosk(qtbot, services, size)
    # The city's key, so 信息公开申请 is offered (after the library opened: an enrolled kiosk's library
    # waits for the city's content instead of the bundled gazette).
    applying.enrol(tmp_path / "enrolment", services.data_dir)
    kiosk.app_state.refreshFunctions()
    qtbot.waitUntil(lambda: kiosk.find("tile_applications") is not None, timeout=10000)
    found: dict[str, list[str]] = {}
    shots = Shots()
    try:
        for contrast in (False, True):
            if contrast:
                kiosk.app_state.toggleContrast()
            for step in range(kiosk.app_state.property("fontSteps")):
                kiosk.app_state.setFontStep(step)
                for name, go in screens(kiosk):
                    go()
                    settle(kiosk)
                    where = f"{name} step {step}{' contrast' if contrast else ''}"
                    issues = problems(kiosk.window)
                    if issues:
                        found[where] = issues
                    shots.save(kiosk.window.grabWindow(), str(tmp_path / f"{where.replace(' ', '-')}.png"))
                    kiosk.staff.lock()
                    kiosk.app_state.home()
                    settle(kiosk)
    finally:
        close_kiosk(kiosk)
        unsaved = shots.close()
    assert not unsaved, f"screenshots not written: {unsaved[:3]}"
    (tmp_path / "problems.txt").write_text("\n".join(f"{w}: {i}" for w, i in found.items()), encoding="utf-8")
    assert not found, (
        "\n".join(f"{where}: {issues}" for where, issues in found.items()) + f"\nshots: {tmp_path}"
    )
