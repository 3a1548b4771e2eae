"""The device registry: kinds by name, the handle that owns a sim:// adapter's simulator (stopped when the
handle closes, even when the adapter's close fails), and adapters that carry no simulator of their own."""

from __future__ import annotations

import threading

import pytest

from device import registry
from device.idcard.sam_simulator import SamSimulator
from device.printer.printer_simulator import PrinterSimulator
from device.printer.receipt import Receipt


def test_every_builtin_kind_loads_under_its_name():
    for name in registry.BUILTIN:
        kind = registry.kind(name)
        assert kind.name == name and kind.title and "sim" not in kind.adapters
    with pytest.raises(KeyError, match="voice"):
        registry.kind("voice")


def test_a_sim_printer_is_a_handle_owning_its_simulator(tmp_path):
    with registry.kind("printer").open("sim://", sim_out_dir=tmp_path) as opened:
        simulator = opened.simulator
        assert isinstance(simulator, PrinterSimulator) and not hasattr(opened.adapter, "simulator")
        opened.adapter.print_receipt(Receipt().text("registry").cut())
        simulator.wait_for_pages(1)
        assert [path.parent for path in simulator.files] == [tmp_path]
        assert running("printer-sim")
    assert not running("printer-sim")


def test_the_simulator_stops_even_when_the_adapter_fails_to_close():
    opened = registry.kind("idcard").open("sim://")
    assert isinstance(opened.simulator, SamSimulator) and opened.adapter.sam_id().text

    def broken_close() -> None:
        raise OSError("the port went away")

    transport_close, opened.adapter.close = opened.adapter.transport.close, broken_close
    assert running("sam-simulator")
    with pytest.raises(OSError):
        opened.close()
    assert not running("sam-simulator")
    transport_close()


def running(name: str) -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith(name) and thread.is_alive()]
