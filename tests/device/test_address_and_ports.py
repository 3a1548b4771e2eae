"""Device URLs (every scheme, and the errors of bad ones) and serial port discovery."""

from __future__ import annotations

import pytest

from device import address
from device.errors import AddressError
from device.ports import PortInfo, list_serial_ports


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
