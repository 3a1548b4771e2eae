"""The .deb files, built once per test session by packaging/build.py (a few minutes: two venvs)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))  # packaging/build.py: packaging/ is not a package


@pytest.fixture(scope="session")
def debs(tmp_path_factory) -> dict[str, Path]:
    import build

    out = tmp_path_factory.mktemp("dist")
    built = build.build("amd64", out, "0.1.0-1")
    return {deb.name.split("_")[0]: deb for deb in built}
