"""Running blocking service calls off the GUI thread (QThreadPool) and delivering results as signals.

A view-model owns one `Worker`; `submit(tag, fn)` runs `fn` in the pool and emits `done(token, tag,
result)` or `failed(token, tag, message)` back on the GUI thread (queued, because the worker object lives
there). Callers keep the token of their latest request and drop results of older ones.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class Worker(QObject):
    done = Signal(int, str, object)
    failed = Signal(int, str, str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._token = 0

    def submit(self, tag: str, fn: Callable[[], Any]) -> int:
        self._token += 1
        QThreadPool.globalInstance().start(_Job(self, self._token, tag, fn))
        return self._token


class _Job(QRunnable):
    def __init__(self, worker: Worker, token: int, tag: str, fn: Callable[[], Any]):
        super().__init__()
        self.worker = worker
        self.token = token
        self.tag = tag
        self.fn = fn

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # noqa: BLE001 - shown as a friendly message, logged in full
            zh = getattr(exc, "zh", None)
            if zh is None:
                log.exception("background task %s failed", self.tag)
                zh = "暂时无法完成，请稍后再试或联系工作人员。"
            try:
                self.worker.failed.emit(self.token, self.tag, zh)
            except RuntimeError:  # the view-model is gone (window closed)
                pass
            return
        try:
            self.worker.done.emit(self.token, self.tag, result)
        except RuntimeError:
            pass
