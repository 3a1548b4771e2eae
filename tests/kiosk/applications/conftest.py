"""The `desk` fixture: a kiosk's application desk in a temporary data directory."""

from __future__ import annotations

import pytest
from application_desk import Desk


@pytest.fixture
def desk(tmp_path):
    desk = Desk(tmp_path / "kiosk")
    yield desk
    desk.close()
