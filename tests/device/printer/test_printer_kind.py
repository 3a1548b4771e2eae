"""The receipt printer kind: its addresses through the registry (sim:// paper and cover states over a pty
or TCP, errors) and its probe."""

from __future__ import annotations

import pytest

from device.errors import AddressError
from device.printer.probe import probe_printer
from device.probes import FAULT, OK, WARNING
from device.registry import kind


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
    with kind("printer").open(url, profile_name="58mm", sim_out_dir=tmp_path) as opened:
        result = probe_printer(opened.adapter)
    assert (result.state, result.hint) == (state, hint)
    assert result.facts["纸宽"] == "58mm"


def test_printer_url_errors():
    with pytest.raises(AddressError) as info:
        kind("printer").open("auto")
    assert info.value.zh == "小票打印机不支持 auto 地址" and "file://" in info.value.hint
    with pytest.raises(AddressError):
        kind("printer").open("sim://?paper=wet")
    with pytest.raises(AddressError):
        kind("printer").open("sim://", profile_name="76mm")


def test_unreachable_printer_probe_is_a_fault():
    with kind("printer").open("tcp://127.0.0.1:9") as opened:
        result = probe_printer(opened.adapter)
    assert result.state == FAULT and result.hint


def test_the_address_overrides_the_configured_profile_and_qr_mode(tmp_path):
    url = f"file://{tmp_path / 'lp0'}?profile=58mm&qr=native"
    with kind("printer").open(url, profile_name="80mm", encoding="gb18030") as opened:
        assert (opened.adapter.profile.name, opened.adapter.profile.native_qr) == ("58mm", True)
        assert opened.adapter.label == url and opened.simulator is None
