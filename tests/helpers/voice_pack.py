"""The `default_pack` fixture: the default voice pack, built once per run with the real espeak-ng
(quickstart installs it). A plugin of `tests/conftest.py` (a conftest in tests/voice would shadow
`tests/ui/conftest.py` for tests that import it by name late)."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="session")
def default_pack(tmp_path_factory):
    from kiosk.voice.build_pack import build

    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng is not installed (python3 quickstart.py test installs it)")
    return build(tmp_path_factory.mktemp("voice") / "default")
