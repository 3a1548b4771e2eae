"""Keeping PySide 6.12's reference-count bugs from aborting a kiosk that runs for weeks.

Measured on PySide6 6.12.0 / CPython 3.11 (see tests/ui/test_refcounts.py):

- ``SignalInstance.emit()`` returns ``True`` without taking a reference to it, so every ``x.emit()``
  called from Python drops one reference to ``True``. A navigation emits about twenty times; after a
  hundred or so navigations the count reaches zero and CPython aborts with "Fatal Python error:
  bool_dealloc: deallocating True or False", in whatever code happens to drop the last reference.
  ``bool`` properties and lambda getters are innocent: they only show up in the traceback.
- Every object of a Python class that QML creates (a `Reader` per reader screen, a `Listing` per
  list) stays referenced after QML destroys it: the wrapper and all it holds (a document's rich text)
  leaked about 30 KB a navigation.
- Many bindings that return nothing hand back ``None`` the same way (``processEvents()`` drops two
  references per call; ``sendPostedEvents()``, ``QThreadPool.waitForDone()``, ``QThreadPool.start()``
  of a QRunnable, each Python callable QThreadPool runs, ``QInputMethod.hide()``, ``setObjectName()``,
  ``deleteLater()`` … one each).

So the UI never calls ``.emit()``: `emit()` raises a signal through ``QMetaObject.invokeMethod``, whose
result is counted correctly, and `ui.worker` delivers results without emitting signals. The void-call
leak is everywhere and cannot be avoided call by call, so `pin_singletons()` lifts the counts of
``None``, ``True`` and ``False`` out of reach, as CPython 3.12 does for every build (PEP 683, immortal
objects): on 3.12 and later it does nothing. View-models that QML instantiates call
`release_when_destroyed(self)`, which empties the Python side when the C++ side goes.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QGenericArgument, QMetaObject, QObject, Qt

# Far above any count a process reaches, far below the Py_ssize_t limit in both directions.
PINNED = 1 << 48


def emit(obj: QObject, signal: str, *args: QGenericArgument) -> None:
    """Emit `obj`'s signal `signal` (arguments as ``Q_ARG(type, value)``), like ``obj.signal.emit()``.

    A misspelt name or wrong argument types is a Qt warning ("No such method"), which fails the tests.
    """
    QMetaObject.invokeMethod(obj, signal, *args)


def invoke_queued(obj: QObject, slot: str) -> None:
    """Call `obj`'s slot `slot` (no arguments) from `obj`'s thread's event loop; safe from any thread.

    How another thread hands something to the GUI thread (`ui.worker`) without emitting a signal."""
    QMetaObject.invokeMethod(obj, slot, Qt.ConnectionType.QueuedConnection)


def release_when_destroyed(obj: QObject) -> None:
    """When QML destroys `obj`, drop everything its Python side holds (PySide keeps the shell alive)."""
    state: dict[str, Any] = obj.__dict__
    obj.destroyed.connect(lambda *_: state.clear())


def pin_singletons() -> None:
    """Make ``None``, ``True`` and ``False`` immortal on CPython 3.11 (idempotent)."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12) or hasattr(sys, "getobjects"):
        return  # immortal already, or not the object layout below (Py_TRACE_REFS builds)
    for obj in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is the first field of PyObject
        if count.value < PINNED:
            count.value += PINNED


def pinned() -> bool:
    """Whether a reference-count slip on ``None``/``True``/``False`` can no longer reach zero."""
    if sys.version_info >= (3, 12):
        return True
    return all(sys.getrefcount(obj) > PINNED // 2 for obj in (None, True, False))


# Every view-model imports this module (for `emit`), so the UI never runs unpinned.
pin_singletons()
