"""Rendering any screen offscreen to a PNG (`kiosk screenshot`), for the README and for reviews.

The kiosk is started on a temporary copy of the demo content (the bundled gazette plus two sample local
notices) so screenshots are reproducible, driven to the named screen through the same view-model slots
the touch screen uses, and grabbed from the window.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from kiosk import setup_wizard
from kiosk.config import Config
from kiosk.services import Services, build

SCREENS = (
    "home",
    "contrast",
    "library",
    "toc",
    "reader",
    "interpretation",
    "search",
    "search-initials",
    "no-results",
    "notices",
    "guides",
    "guide-letters",
    "guide",
    "pin",
    "staff",
    "idle",
    "maintenance",
)


def spin(ms: int = 10) -> None:
    """Run the Qt event loop for `ms` milliseconds.

    A QEventLoop rather than processEvents(): PySide 6.12's processEvents() drops a reference to None
    on every call and a busy loop of it aborts the interpreter ("deallocating None")."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def find_item(window, name: str):
    """The visible QML item called `name` in the window, or None."""
    from ui import items as qml_items

    return qml_items.find(window, name)


def type_into(window, name: str, words: tuple[str, ...]) -> None:
    """Commit `words` into the text field `name` one at a time, as the on-screen input method does."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QInputMethodEvent

    field = find_item(window, name)
    if field is None:
        raise LookupError(f"no visible {name!r} to type into")
    for word in words:
        event = QInputMethodEvent("", [])
        event.setCommitString(word)
        QCoreApplication.sendEvent(field, event)


def sample_notices(services: Services) -> None:
    """Two local notices so the 公示公告 screen has something to show."""
    from kiosk import notices

    store = services.library.store
    if store is None or notices.local_notices(store):
        return
    today = date.today()
    notices.post(
        store,
        notices.NoticeDraft(
            "关于2024年度城乡居民最低生活保障对象的公示",
            "经入户调查、民主评议，拟将以下家庭纳入最低生活保障范围，现予公示。如有异议，请在公示期内向村委会反映。",
            today.isoformat(),
            (today + timedelta(days=7)).isoformat(),
            "村",
        ),
    )
    notices.post(
        store,
        notices.NoticeDraft(
            "土地承包经营权流转公告",
            "东亭镇东庞村集体土地120亩拟流转用于设施农业，流转期限十年，欢迎村民监督。",
            (today - timedelta(days=2)).isoformat(),
            "",
            "乡镇",
        ),
    )


def render(config: Config, screen: str, out: Path, size: tuple[int, int]) -> Path:
    if screen not in SCREENS:
        raise ValueError(f"unknown screen {screen!r}; one of: {', '.join(SCREENS)}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui import app as ui_app
    from ui import worker

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        if screen == "maintenance":
            (data_dir / "library.db").write_bytes(b"not a database" * 100)
        if screen == "guide":  # a hall file naming the window (窗口指示); the demo itself has none
            (data_dir / "hall.json").write_text(
                '{"窗口": [{"名称": "社会救助窗口", "编号": "3", "位置": "一楼东侧"}]}', encoding="utf-8"
            )
        services = build(config, data_dir, bundled=True)
        if screen == "staff":
            services.staff.auth.set_pin("246810")
            setup_wizard.for_services(services).dismiss()  # the staff screen itself, not the wizard over it
        qt_app = ui_app.application()  # noqa: F841 - kept alive for the run
        services.library.open()
        sample_notices(services)
        engine, window = ui_app.load(services, size)
        window.show()
        state = engine.singletonInstance("Kiosk", "AppState")
        search = engine.singletonInstance("Kiosk", "Search")
        staff = engine.singletonInstance("Kiosk", "Staff")

        def pump(seconds: float, until: Callable[[], bool] | None = None) -> None:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                spin(10)
                if until is not None and until():
                    break
                time.sleep(0.01)

        pump(10, lambda: bool(state.property("ready")))
        browse = services.library.browse
        first_doc = ""
        if browse is not None:
            toc = browse.issue_toc(browse.issues()[0]["id"]) if browse.issues() else {"entries": []}
            first_doc = next((e["id"] for e in toc["entries"] if e["id"]), "")
        if screen == "contrast":
            state.toggleContrast()
        elif screen == "library":
            state.openFeature("library")
        elif screen == "toc" and browse is not None:
            state.open("list", {"source": "toc", "argument": browse.issues()[0]["id"]})
        elif screen in ("reader", "interpretation") and browse is not None:
            doc = next(
                (
                    d
                    for d in (i.id for i in services.library.store.items("document"))
                    if browse.document(d, record=False)["related"]
                ),  # type: ignore[union-attr]
                first_doc,
            )
            state.open("reader", {"itemId": doc})
            if screen == "interpretation":
                related = browse.document(doc, record=False)["related"]
                state.open("reader", {"itemId": related[0]["id"]})
        elif screen == "search":
            state.open("search", {})
            pump(0.3)
            # Typed the way a resident's Pinyin keyboard does it (committed words into the field), so
            # the field, the session and the results agree.
            type_into(window, "searchField", ("老旧", "小区"))
        elif screen in ("search-initials", "no-results"):
            state.open("search", {})
            pump(0.3)
            search.setInitialsMode(True)
            for letter in "ljxq" if screen == "search-initials" else "qqzzx":  # qqzzx finds nothing
                search.typeLetter(letter)
        elif screen == "notices":
            state.openFeature("notices")
        elif screen == "guides":
            state.openFeature("guides")
        elif screen == "guide-letters":
            state.open("GuidesScreen.qml", {"by": "letter"})
        elif screen == "guide":
            state.open("GuideScreen.qml", {"itemId": "guide-demo-dibao"})
        elif screen == "pin":
            state.open("pin", {})
        elif screen == "staff":
            state.open("pin", {})
            pump(0.2)
            staff.attempt("246810")
            pump(5, lambda: state.property("currentScreen") == "staff")
        elif screen == "idle":
            state.openFeature("library")
            state.idle_policy.idle_seconds = 10**6  # as if the resident had walked away
        pump(1.5)
        worker.wait_idle(5.0)
        pump(1.0)
        if screen == "idle":
            pump(3, lambda: state.property("idleCountdown") >= 0)
            pump(0.3)
        out.parent.mkdir(parents=True, exist_ok=True)
        image = window.grabWindow()
        if not image.save(str(out)):
            raise OSError(f"cannot write {out}")
        state.home()
        pump(0.1)
        worker.wait_idle(5.0)
        window.close()
        window.deleteLater()
        pump(0.05)
        engine.deleteLater()
        pump(0.05)
        services.close()
    return out
