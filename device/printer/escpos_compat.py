"""python-escpos, imported without its side effect: 3.1 calls ``logging.basicConfig()`` at import time
(escpos/capabilities.py), which would print every log record of the kiosk on stderr. Import escpos
through this module; it removes the stderr handler that import added."""

from __future__ import annotations

import logging

_root = logging.getLogger()
_before = list(_root.handlers)

from escpos import constants  # noqa: E402
from escpos.escpos import Escpos  # noqa: E402
from escpos.exceptions import DeviceNotFoundError  # noqa: E402
from escpos.image import EscposImage  # noqa: E402
from escpos.printer import Dummy, File, Network, Serial, Usb  # noqa: E402

for _handler in [h for h in _root.handlers if h not in _before]:
    _root.removeHandler(_handler)

__all__ = [
    "DeviceNotFoundError",
    "Dummy",
    "Escpos",
    "EscposImage",
    "File",
    "Network",
    "Serial",
    "Usb",
    "constants",
]
