"""Fixtures for device tests: a SAM reader simulator on a pty and a reader connected to it."""

from __future__ import annotations

import threading

import pytest

from device.idcard.idcard_reader import IdCardReader, SamTimeouts
from device.idcard.sam_simulator import SamSimulator
from device.idcard.sam_transport import SerialSamTransport
from device.idcard.synthetic_cards import synthetic_card

# The simulator is a Python thread on a shared 2-core machine: give it generous margins.
SIM_TIMEOUTS = SamTimeouts().scaled(10)


@pytest.fixture
def sam_sim(tmp_path):
    with SamSimulator(synthetic_card("resident"), link=tmp_path / "ttyIDCARD") as sim:
        yield sim


@pytest.fixture
def reader(sam_sim):
    with IdCardReader(SerialSamTransport(sam_sim.port), SIM_TIMEOUTS) as reader:
        yield reader


@pytest.fixture(autouse=True)
def no_leaked_threads():
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for thread in leaked:
        thread.join(timeout=2)
    assert not [t.name for t in leaked if t.is_alive()], "test left threads running"
