"""Fixtures of the queue's tests: a settable clock and a queue configured with the hall of `queue_hall`."""

from __future__ import annotations

from datetime import datetime

import pytest
from queue_hall import CST, HALL, Clock

from kiosk.queue import Queue, parse_config


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 12, 4, 9, 0, tzinfo=CST))  # a Friday, 09:00


@pytest.fixture
def queue(tmp_path, clock):
    q = Queue.open(tmp_path / "data", clock=clock)
    q.configure(parse_config(HALL))
    yield q
    q.close()
