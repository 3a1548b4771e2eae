"""`python tests/helpers/kiosk_with_control.py ARGS…`: the `kiosk` command line with the end-to-end
tests' control channel (`testhook.ControlServer` on 127.0.0.1:$KIOSK_TEST_CONTROL), opened as soon as
the touch UI's window is loaded. Test-only: the production kiosk opens no port from `ui/`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for kiosk/ and ui/

from testhook import ControlServer  # noqa: E402 - this folder is on sys.path as the script's own

import ui.app  # noqa: E402
from kiosk.cli import main  # noqa: E402

_load = ui.app.load
_servers: list[ControlServer] = []  # kept alive as long as the window


def _load_with_control(*args, **kwargs):
    engine, window = _load(*args, **kwargs)
    _servers.append(ControlServer(window, int(os.environ["KIOSK_TEST_CONTROL"])))
    return engine, window


ui.app.load = _load_with_control
sys.exit(main())
