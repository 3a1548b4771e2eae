"""The reader's real serial path against the SAM simulator on a pty: every card type, every SW3 code,
faults (no card, checksum errors, truncation, slow and silent replies, line noise, unplugging)."""

from __future__ import annotations

import logging
import time
from dataclasses import replace

import pytest

from device.errors import DeviceDisconnected, DeviceError, DeviceTimeout, GarbledReply, ProtocolError
from device.idcard import sam_protocol as sam
from device.idcard.idcard_reader import IdCardReader, SamTimeouts
from device.idcard.sam_simulator import SIM_SAM_ID, Fault
from device.idcard.sam_transport import SerialSamTransport
from device.idcard.synthetic_cards import CARD_KINDS, synthetic_card, with_addresses

SIM_TIMEOUTS = SamTimeouts().scaled(10)  # same margins as the conftest reader


def test_sam_status_and_id(reader):
    reader.sam_status()
    assert reader.sam_id().raw == SIM_SAM_ID


@pytest.mark.parametrize("kind", CARD_KINDS)
def test_every_card_type_round_trips(sam_sim, reader, kind):
    card = synthetic_card(kind, seed=7)
    sam_sim.place(card)
    assert reader.read_card() == card
    assert sam_sim.requests[-4:] == [sam.FIND_CARD, sam.SELECT_CARD, sam.READ_BASE, sam.READ_NEW_ADDRESS]


def test_fingerprint_variant_and_appended_address(sam_sim, reader):
    card = with_addresses(synthetic_card("resident", fingerprints=2), "示例省样本市新址路1号")
    sam_sim.place(card)
    read = reader.read_card(fingerprint=True)
    assert read == card and len(read.fingerprint) == 1024
    assert read.current_address == "示例省样本市新址路1号"
    assert sam.READ_BASE_FP in sam_sim.requests


def test_no_card_gives_none(sam_sim, reader):
    sam_sim.remove()
    assert reader.read_card() is None
    assert reader.find_card() is False


@pytest.mark.parametrize("code", sorted(sam.STATUS_TABLE))
def test_every_sw3_error_code_round_trips_as_its_typed_error(sam_sim, reader, code):
    sam_sim.inject(Fault("status", sw3=code, command=sam.SAM_STATUS))
    with pytest.raises(sam.SamStatusError) as info:
        reader.sam_status()
    assert info.value.sw3 == code and type(info.value) is type(sam.status_error(code))
    reader.sam_status()  # the fault was one-shot; the reader keeps working


@pytest.mark.parametrize("code", [0x90, 0x9F])
def test_success_codes_round_trip(sam_sim, reader, code):
    sam_sim.inject(Fault("status", sw3=code, command=sam.SAM_STATUS))
    reader.sam_status()


def test_select_and_read_failures_surface_typed(sam_sim, reader):
    sam_sim.inject(Fault("status", sw3=0x81, command=sam.SELECT_CARD))
    with pytest.raises(sam.CardSelectError):
        reader.read_card()
    sam_sim.inject(Fault("status", sw3=0x41, command=sam.READ_BASE))
    with pytest.raises(sam.CardReadError) as info:
        reader.read_card()
    assert "请" in info.value.hint
    assert reader.read_card() is not None


def test_card_left_on_reader_is_read_once(sam_sim, reader):
    card = synthetic_card("resident", seed=1)
    sam_sim.place(card)
    assert reader.poll() == card
    assert reader.poll() is None and reader.poll() is None
    sam_sim.place(synthetic_card("hmt", seed=1))
    assert reader.poll().card_type.value == "hmt"
    sam_sim.remove()
    assert reader.poll() is None
    sam_sim.place(card)
    assert reader.poll() == card  # lifted and placed again: a new reading


def test_one_checksum_error_is_retried_persistent_ones_are_typed(sam_sim, reader):
    sam_sim.inject(Fault("checksum", command=sam.READ_BASE))
    assert reader.read_card() is not None
    sam_sim.inject(Fault("checksum", times=-1, command=sam.READ_BASE))
    with pytest.raises(ProtocolError) as info:
        reader.read_card()
    assert "校验" in info.value.zh


def test_host_checksum_error_answered_with_0x10(sam_sim, reader):
    frame = bytearray(sam.build_request(*sam.SAM_STATUS))
    frame[-1] ^= 0x01
    response = reader.transport.transact(bytes(frame), SIM_TIMEOUTS.status)
    assert response.sw3 == 0x10
    with pytest.raises(sam.HostFrameRejected):
        sam.check(response)


def test_truncated_frame(sam_sim, reader):
    reader.timeouts = replace(SIM_TIMEOUTS, read=0.5)
    sam_sim.inject(Fault("truncate", times=2, command=sam.READ_BASE))
    with pytest.raises(ProtocolError) as info:
        reader.read_card()
    assert "不完整" in info.value.zh


def test_slow_reply_within_and_beyond_timeout(sam_sim, reader):
    reader.timeouts = replace(SIM_TIMEOUTS, status=0.8)
    sam_sim.inject(Fault("delay", delay=0.2, command=sam.SAM_STATUS))
    reader.sam_status()
    sam_sim.inject(Fault("delay", delay=1.5, command=sam.SAM_STATUS))
    started = time.monotonic()
    with pytest.raises(DeviceTimeout) as info:
        reader.sam_status()
    assert time.monotonic() - started < 1.5
    assert info.value.hint == "读卡器无响应，请检查串口线和波特率"
    time.sleep(0.8)  # the late reply arrives now and must not confuse the next command
    reader.sam_status()
    assert reader.sam_id().raw == SIM_SAM_ID


def test_silent_device_never_hangs(sam_sim, reader):
    reader.timeouts = replace(SIM_TIMEOUTS, read=0.3, find=0.3)
    sam_sim.inject(Fault("silent", times=-1))
    started = time.monotonic()
    with pytest.raises(DeviceTimeout):
        reader.read_card()
    assert time.monotonic() - started < 2


def test_wrong_baud_rate_looks_like_garbage(sam_sim, reader):
    reader.timeouts = replace(SIM_TIMEOUTS, status=0.3)
    sam_sim.inject(Fault("garbage", command=sam.SAM_STATUS))
    with pytest.raises(GarbledReply) as info:
        reader.sam_status()
    assert "波特率" in info.value.hint


def test_resync_on_noise_before_the_preamble(sam_sim, reader):
    sam_sim.inject(Fault("noise-prefix", times=3))
    assert reader.read_card() == synthetic_card("resident")


def test_unplug_mid_read_then_reconnect_on_next_use(sam_sim, reader):
    sam_sim.inject(Fault("disconnect", command=sam.READ_BASE))
    with pytest.raises(DeviceDisconnected) as info:
        reader.read_card()
    assert "断开" in info.value.zh
    with pytest.raises(DeviceError):  # still unplugged: a typed error, not a hang
        reader.sam_status()
    sam_sim.replug()
    assert reader.read_card() == synthetic_card("resident")


def test_missing_port_is_unavailable(tmp_path):
    reader = IdCardReader(SerialSamTransport(str(tmp_path / "nothing")), SIM_TIMEOUTS)
    with pytest.raises(DeviceError) as info:
        reader.sam_status()
    assert "dialout" in info.value.hint


def test_full_read_logs_only_masked_values(sam_sim, caplog):
    card = with_addresses(synthetic_card("resident", seed=11), "示例省样本市新址路9号")
    sam_sim.place(card)
    caplog.set_level(logging.DEBUG)
    with IdCardReader(SerialSamTransport(sam_sim.port), SamTimeouts().scaled(10)) as reader:
        sam_sim.inject(Fault("checksum", command=sam.READ_BASE))  # also exercises the retry log line
        read = reader.read_card()
        logging.getLogger("test").info("card: %s / %r", read, read)
    assert read == card
    text = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert "1306" in text  # the masked number was logged
    for secret in (card.id_number, card.name, card.name[1:], card.address, card.id_number[4:14]):
        assert secret not in text
