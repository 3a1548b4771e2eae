"""The ID-card reader kind: its addresses through the registry (sim:// with a card or none, errors),
its probe, and `auto` finding the reader among serial ports."""

from __future__ import annotations

import pytest

from device.errors import AddressError, DeviceUnavailable
from device.idcard.probe import find_sam_reader, probe_idcard
from device.idcard.sam_simulator import Fault, SamSimulator
from device.idcard.synthetic_cards import synthetic_card
from device.probes import OK
from device.registry import kind


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
    idcard = kind("idcard")
    with idcard.open("sim://?card=hmt") as opened:
        result = probe_idcard(opened.adapter)
        assert result.state == OK and result.facts["SAM 编号"]
        assert opened.adapter.read_card().card_type.value == "hmt"
    with idcard.open("sim://?card=none") as opened:
        assert opened.adapter.read_card() is None
    with pytest.raises(AddressError):
        idcard.open("sim://?card=passport")
    with pytest.raises(AddressError) as info:
        idcard.open("tcp://127.0.0.1:9100")
    assert info.value.zh == "身份证阅读器不支持 tcp:// 地址" and "auto" in info.value.hint
