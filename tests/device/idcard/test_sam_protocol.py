"""The pure SAM protocol: frames from the reference, checksum and length rules, decoder robustness."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from device.errors import DeviceError, ProtocolError
from device.idcard import sam_protocol as sam

# Frames quoted in shared/reference/devices.md §1.4/§1.5 (taken from working reader code).
REQUESTS = {
    sam.RESET: "AA AA AA 96 69 00 03 10 FF EC",
    sam.SAM_STATUS: "AA AA AA 96 69 00 03 11 FF ED",
    sam.SAM_ID: "AA AA AA 96 69 00 03 12 FF EE",
    sam.FIND_CARD: "AA AA AA 96 69 00 03 20 01 22",
    sam.SELECT_CARD: "AA AA AA 96 69 00 03 20 02 21",
    sam.READ_BASE: "AA AA AA 96 69 00 03 30 01 32",
    sam.READ_NEW_ADDRESS: "AA AA AA 96 69 00 03 30 03 30",
    sam.READ_BASE_FP: "AA AA AA 96 69 00 03 30 10 23",
    sam.SET_BAUD[9600]: "AA AA AA 96 69 00 03 60 04 67",
}
RESPONSES = [
    ("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97", 0x9F, bytes(4)),
    ("AA AA AA 96 69 00 04 00 00 80 84", 0x80, b""),
    ("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C", 0x90, bytes(8)),
    ("AA AA AA 96 69 00 04 00 00 81 85", 0x81, b""),
    ("AA AA AA 96 69 00 04 00 00 41 45", 0x41, b""),
    ("AA AA AA 96 69 00 04 00 00 90 94", 0x90, b""),
]


@pytest.mark.parametrize(("command", "frame"), REQUESTS.items())
def test_request_frames_match_the_reference(command, frame):
    assert sam.build_request(*command) == bytes.fromhex(frame)
    assert sam.parse_request(bytes.fromhex(frame)) == sam.Request(*command)


@pytest.mark.parametrize(("frame", "sw3", "data"), RESPONSES)
def test_response_frames_from_the_reference_parse(frame, sw3, data):
    response = sam.parse_response(bytes.fromhex(frame))
    assert (response.sw3, response.data) == (sw3, data)
    assert sam.build_response(sw3, data) == bytes.fromhex(frame)


def test_bad_checksum_length_and_preamble_are_protocol_errors():
    good = bytes.fromhex("AA AA AA 96 69 00 04 00 00 90 94")
    for bad in (
        good[:-1] + b"\x95",
        good[:-2],
        good + b"\x00",
        b"\xab" + good[1:],
        good[:5] + b"\x00\x01" + good[7:],
    ):
        with pytest.raises(ProtocolError) as info:
            sam.parse_response(bad)
        assert info.value.zh and info.value.hint


@pytest.mark.parametrize("code", sorted(sam.STATUS_TABLE))
def test_every_status_code_maps_to_a_typed_error_with_chinese_message(code):
    error = sam.status_error(code)
    assert isinstance(error, sam.SamStatusError) and error.sw3 == code
    assert f"0x{code:02X}" in str(error)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error.zh + error.hint)
    with pytest.raises(type(error)):
        sam.check(sam.Response(0, 0, code))


def test_typed_error_classes():
    assert isinstance(sam.status_error(0x80), sam.NoCardError)
    assert isinstance(sam.status_error(0x81), sam.CardSelectError)
    assert isinstance(sam.status_error(0x41), sam.CardReadError)
    assert isinstance(sam.status_error(0x91), sam.NoContentError)
    assert isinstance(sam.status_error(0x10), sam.HostFrameRejected)
    assert isinstance(sam.status_error(0x60), sam.SamModuleError)
    unknown = sam.status_error(0x5A)
    assert type(unknown) is sam.SamStatusError and "0x5A" in unknown.zh
    assert sam.check(sam.Response(0, 0, 0x90)).ok and sam.check(sam.Response(0x12, 0x34, 0x9F)).ok


def test_read_layout_with_and_without_fingerprint():
    text, photo = bytes(range(256)), bytes(1024)
    plain = sam.build_response(0x90, sam.build_base_info(text, photo))
    assert len(plain) == 1295 and plain[5:14] == bytes.fromhex("05 08 00 00 90 01 00 04 00")
    info = sam.parse_base_info(sam.parse_response(plain).data, with_fingerprint=False)
    assert (info.text, info.photo, info.fingerprint) == (text, photo, b"")
    for fp_len, total in ((0, 1297), (512, 1809), (1024, 2321)):
        fp = bytes([7]) * fp_len
        frame = sam.build_response(0x90, sam.build_base_info(text, photo, fp))
        assert len(frame) == total
        info = sam.parse_base_info(sam.parse_response(frame).data, with_fingerprint=True)
        assert (info.text, info.photo, info.fingerprint) == (text, photo, fp)
    with pytest.raises(ProtocolError):
        sam.parse_base_info(sam.parse_response(plain).data[:-1], with_fingerprint=False)


def test_new_addresses_in_70_byte_chunks():
    data = sam.build_new_addresses(["示例省样本市新址1号", "示例省样本市新址2号"])
    assert len(data) == 140
    assert sam.parse_new_addresses(data) == ["示例省样本市新址1号", "示例省样本市新址2号"]


def test_sam_id_formatting():
    raw = bytes.fromhex("05000100e80300004e61bc0089050000")
    assert sam.format_sam_id(raw) == "05.01-1000-012345678-000001417"


# --- robustness ---


def _decode_stream(chunks: list[bytes]) -> tuple[list[bytes], int]:
    decoder = sam.FrameDecoder()
    frames, errors = [], 0
    for chunk in chunks:
        decoder.feed(chunk)
        for _ in range(len(chunk) + 10):  # each step consumes >= 1 byte or stops: bounded
            try:
                frame = decoder.next_frame()
            except ProtocolError:
                errors += 1
                continue
            if frame is None:
                break
            frames.append(frame)
        else:
            pytest.fail("decoder did not settle")
    return frames, errors


@given(st.binary(max_size=3000))
def test_parse_response_raises_only_protocol_error(data):
    try:
        response = sam.parse_response(data)
    except ProtocolError:
        return
    assert sam.build_response(response.sw3, response.data, response.sw1, response.sw2) == data


@given(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255), st.binary(max_size=2400))
def test_response_round_trip(sw1, sw2, sw3, data):
    frame = sam.build_response(sw3, data, sw1, sw2)
    assert sam.parse_response(frame) == sam.Response(sw1, sw2, sw3, data)


@given(
    st.binary(max_size=200).map(lambda b: b.replace(b"\xaa", b"\x55")),
    st.integers(0, 255),
    st.binary(max_size=1500),
    st.lists(st.integers(1, 64), max_size=40),
)
def test_decoder_resyncs_after_garbage_and_any_chunking(garbage, sw3, data, cuts):
    frame = sam.build_response(sw3, data)
    stream = garbage + frame + garbage
    chunks, pos = [], 0
    for cut in cuts:
        chunks.append(stream[pos : pos + cut])
        pos += cut
    chunks.append(stream[pos:])
    frames, errors = _decode_stream(chunks)
    assert frames == [frame] and errors == 0


@settings(max_examples=300)
@given(st.lists(st.binary(max_size=300), max_size=20))
def test_decoder_on_arbitrary_streams_raises_only_protocol_error(chunks):
    _decode_stream(chunks)


def _random_frame(rng: random.Random) -> bytes:
    """Valid frames, mutated frames and noise, in roughly equal parts."""
    roll = rng.random()
    if roll < 0.3:
        return rng.randbytes(rng.randint(0, 40))
    frame = bytearray(sam.build_response(rng.randint(0, 255), rng.randbytes(rng.choice((0, 4, 8, 16, 70)))))
    if roll < 0.5:
        return bytes(frame)
    if roll < 0.7:
        frame[rng.randrange(len(frame))] = rng.randint(0, 255)
    elif roll < 0.8:
        del frame[rng.randrange(len(frame)) :]
    elif roll < 0.9:
        frame[5:7] = rng.randint(0, 0xFFFF).to_bytes(2, "big")
    else:
        frame += rng.randbytes(rng.randint(1, 5))
    return bytes(frame)


def test_100k_random_frames_only_protocol_errors_and_no_hang():
    rng = random.Random(20240601)
    started = time.monotonic()
    outcomes = {"ok": 0, "protocol-error": 0}
    decoder_stream = []
    for _ in range(100_000):
        frame = _random_frame(rng)
        decoder_stream.append(frame)
        try:
            sam.parse_response(frame)
            outcomes["ok"] += 1
        except ProtocolError:
            outcomes["protocol-error"] += 1
        except DeviceError as exc:  # pragma: no cover - would be a bug
            pytest.fail(f"undocumented error {exc!r} for {frame.hex()}")
    frames, errors = _decode_stream([b"".join(decoder_stream[i : i + 500]) for i in range(0, 100_000, 500)])
    assert outcomes["ok"] > 10_000 and outcomes["protocol-error"] > 10_000
    assert frames and errors
    assert time.monotonic() - started < 20
