"""Device URLs, port discovery, the factory (including sim://) and `auto` probing of serial ports."""

from __future__ import annotations

import pytest

from device import address
from device.errors import AddressError, DeviceUnavailable
from device.factory import open_idcard_reader, open_printer
from device.idcard.sam_simulator import Fault, SamSimulator
from device.idcard.synthetic_cards import synthetic_card
from device.ports import PortInfo, list_serial_ports
from device.probes import FAULT, OK, WARNING, find_sam_reader, probe_idcard, probe_printer


def test_parse_every_scheme():
    serial = address.parse("serial:///dev/ttyUSB0?baudrate=115200")
    assert (serial.scheme, serial.path, serial.int_option("baudrate", 0)) == (
        "serial",
        "/dev/ttyUSB0",
        115200,
    )
    tcp = address.parse("tcp://192.0.2.10:9100")
    assert (tcp.host, tcp.port) == ("192.0.2.10", 9100) and address.parse("tcp://printer").port == 9100
    usb = address.parse("usb://0416:5011")
    assert (usb.vendor, usb.product) == (0x0416, 0x5011)
    assert address.parse("file:///dev/usb/lp0").path == "/dev/usb/lp0"
    assert address.parse("sim://?paper=out").option("paper") == "out"
    assert address.parse("sim://?card=foreigner-2023").option("card") == "foreigner-2023"
    assert address.parse("auto").scheme == "auto"


@pytest.mark.parametrize(
    "bad", ["", "com1", "http://x", "serial://", "usb://zz:11", "tcp://:9100", "tcp://h:99999"]
)
def test_bad_addresses_are_address_errors(bad):
    with pytest.raises(AddressError) as info:
        address.parse(bad)
    assert info.value.zh and info.value.hint


def test_port_discovery_returns_port_info():
    ports = list_serial_ports()
    assert all(isinstance(p, PortInfo) and p.device for p in ports)
    assert (
        PortInfo("/dev/ttyUSB0", 0x1A86, 0x7523).vid_pid == "1a86:7523"
        and PortInfo("/dev/ttyS0").vid_pid == ""
    )


def test_auto_finds_the_reader_among_ports(tmp_path):
    with SamSimulator(synthetic_card("resident")) as sim, SamSimulator(None) as garbled:
        garbled.inject(Fault("garbage", times=-1))
        ports = [str(tmp_path / "missing"), garbled.port, sim.port]
        assert find_sam_reader(ports) == (sim.port, 115200)
        assert sim.requests == [(0x11, 0xFF)]
        with pytest.raises(DeviceUnavailable) as info:
            find_sam_reader(ports[:2], baud_rates=(115200, 9600))
        assert "波特率" in info.value.hint


def test_sim_reader_url_and_probe():
    with open_idcard_reader("sim://?card=hmt") as reader:
        result = probe_idcard(reader)
        assert result.state == OK and result.facts["SAM 编号"]
        assert reader.read_card().card_type.value == "hmt"
    with open_idcard_reader("sim://?card=none") as reader:
        assert reader.read_card() is None
    with pytest.raises(AddressError):
        open_idcard_reader("sim://?card=passport")
    with pytest.raises(AddressError):
        open_idcard_reader("tcp://127.0.0.1:9100")


@pytest.mark.parametrize(
    ("url", "state", "hint"),
    [
        ("sim://", OK, ""),
        ("sim://?transport=tcp", OK, ""),
        ("sim://?paper=out", FAULT, "打印机缺纸，请更换纸卷"),
        ("sim://?cover=open", FAULT, "请合上打印机上盖"),
        ("sim://?paper=near-end", WARNING, "打印纸即将用完，请准备更换纸卷"),
    ],
)
def test_sim_printer_urls_and_probe(tmp_path, url, state, hint):
    with open_printer(url, "58mm", sim_out_dir=tmp_path) as printer:
        result = probe_printer(printer)
    assert (result.state, result.hint) == (state, hint)
    assert result.facts["纸宽"] == "58mm"


def test_printer_url_errors():
    with pytest.raises(AddressError):
        open_printer("auto")
    with pytest.raises(AddressError):
        open_printer("sim://?paper=wet")
    with pytest.raises(AddressError):
        open_printer("sim://", "76mm")


def test_unreachable_printer_probe_is_a_fault():
    with open_printer("tcp://127.0.0.1:9") as printer:
        result = probe_printer(printer)
    assert result.state == FAULT and result.hint
