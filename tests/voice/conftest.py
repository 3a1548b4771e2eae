"""The default voice pack, built once with the real espeak-ng for the voice tests (quickstart installs it)."""

from __future__ import annotations

import shutil

import pytest

from kiosk.voice.build_pack import build


@pytest.fixture(scope="session")
def default_pack(tmp_path_factory):
    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng is not installed (python3 quickstart.py test installs it)")
    return build(tmp_path_factory.mktemp("voice") / "default")
