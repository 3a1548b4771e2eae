"""Running blocking service calls off the GUI thread and handing results back to it.

A view-model owns one `Worker(owner, done, failed)`; `submit(tag, fn)` runs `fn` on a worker thread,
and `done(token, tag, result)` or `failed(token, tag, message)` is then called on the GUI thread.
Callers keep the token of their latest request and drop results of older ones. `wait_idle()` waits
until every submitted call has run (tests, benchmarks, shutdown). A `GuiCall` is the same hand-back for
news that starts on another thread (a background sync): any thread calls it, the GUI thread runs it.

The threads are a Python `ThreadPoolExecutor`, not QThreadPool: in PySide 6.12 every Python callable
QThreadPool runs drops a reference to None (see `ui.refcounts`). Results travel through one
process-wide `_Mailbox` on the GUI thread: the job appends to its queue and wakes it with a queued
``QMetaObject.invokeMethod``. No signal is emitted, and a view-model QML has destroyed meanwhile is
skipped, never called.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Slot

from kiosk.i18n import tr, translate
from ui.refcounts import invoke_queued

log = logging.getLogger(__name__)

THREADS = 4

Done = Callable[[int, str, Any], None]
Failed = Callable[[int, str, str], None]


class Worker:
    def __init__(self, owner: QObject, done: Done, failed: Failed):
        self._owner = owner
        self._done = done
        self._failed = failed
        self._token = 0

    def submit(self, tag: str, fn: Callable[[], Any]) -> int:
        """Run `fn` on a worker thread; call from the GUI thread."""
        self._token += 1
        _pool.run(_mailbox(), self, self._token, tag, fn)
        return self._token

    def deliver(self, token: int, tag: str, ok: bool, value: Any) -> None:
        """On the GUI thread: hand a job's outcome to the view-model, unless QML has destroyed it."""
        if not shiboken6.isValid(self._owner):
            return
        if ok:
            self._done(token, tag, value)
        else:
            self._failed(token, tag, value)


class GuiCall:
    """`call(value)` from any thread runs `fn(value)` on the GUI thread, unless QML has destroyed `owner`
    by then. Create it on the GUI thread (where the mailbox lives)."""

    def __init__(self, owner: QObject, fn: Callable[[Any], None]):
        self._worker = Worker(owner, lambda token, tag, value: fn(value), lambda token, tag, message: None)
        self._box = _mailbox()

    def __call__(self, value: Any) -> None:
        self._box.post(self._worker, 0, "call", True, value)


class _Mailbox(QObject):
    def __init__(self) -> None:
        super().__init__()
        self._queue: deque[tuple[Worker, int, str, bool, Any]] = deque()

    def post(self, worker: Worker, token: int, tag: str, ok: bool, value: Any) -> None:
        """From any thread."""
        self._queue.append((worker, token, tag, ok, value))
        invoke_queued(self, "drain")

    @Slot()
    def drain(self) -> None:
        while self._queue:
            worker, token, tag, ok, value = self._queue.popleft()
            try:
                worker.deliver(token, tag, ok, value)
            except Exception:  # noqa: BLE001 - one view-model's bug must not strand the other results
                log.exception("delivering %s failed", tag)


class _Pool:
    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None
        self._busy = 0
        self._idle = threading.Condition()

    def run(self, box: _Mailbox, worker: Worker, token: int, tag: str, fn: Callable[[], Any]) -> None:
        with self._idle:
            self._busy += 1
            if self._executor is None:
                self._executor = ThreadPoolExecutor(THREADS, thread_name_prefix="ui-worker")
        self._executor.submit(self._job, box, worker, token, tag, fn)

    def _job(self, box: _Mailbox, worker: Worker, token: int, tag: str, fn: Callable[[], Any]) -> None:
        try:
            try:
                outcome: tuple[bool, Any] = (True, fn())
            except Exception as exc:  # noqa: BLE001 - shown as a friendly message, logged in full
                zh = getattr(exc, "zh", None)
                if zh is None:
                    log.exception("background task %s failed", tag)
                    zh = tr("暂时无法完成，请稍后再试或联系工作人员。")
                outcome = (False, translate(zh))
            box.post(worker, token, tag, *outcome)
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)


_pool = _Pool()
_box: _Mailbox | None = None


def _mailbox() -> _Mailbox:
    global _box
    if _box is None or not shiboken6.isValid(_box):
        _box = _Mailbox()  # submit() runs on the GUI thread: the mailbox lives there
    return _box


def wait_idle(timeout: float = 5.0) -> bool:
    """Wait until every submitted call has run (its result may still wait for the event loop)."""
    return _pool.wait_idle(timeout)
