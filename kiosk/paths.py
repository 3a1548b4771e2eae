"""Where the kiosk keeps its data: one directory holding the database, blobs, logs and previews."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGED_DATA_DIR = Path("/var/lib/zwgk-kiosk")
# Written by `kiosk demo` into its data directory, so other commands on that library (`kiosk diag`) know
# the kiosk there runs with the simulated devices the demo announced.
DEMO_MARKER = "demo.json"


def data_dir() -> Path:
    """KIOSK_DATA_DIR if set, else the XDG data home (``~/.local/share/zwgk-kiosk``)."""
    env = os.environ.get("KIOSK_DATA_DIR")
    if env:
        path = Path(env)
    else:
        path = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "zwgk-kiosk"
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path() -> Path:
    return data_dir() / "library.db"


def blobs_dir() -> Path:
    return data_dir() / "blobs"


def logs_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path
