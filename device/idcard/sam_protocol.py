"""The SAM serial protocol of China's 2nd-generation ID-card readers (GA/T 467): pure bytes in, values out.

Frame: preamble ``AA AA AA 96 69``, a big-endian length that counts every byte after it (checksum
included), then CMD PARA DATA (requests) or SW1 SW2 SW3 DATA (responses), then an XOR checksum over
everything from the length to the byte before the checksum. Decisions are taken on SW3 alone.

No library implements this protocol in Python (see shared/reference/devices.md §5), hence this module.
Bad input only ever raises `ProtocolError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from device.errors import DeviceError, ProtocolError
from translatable import Message

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_LEN = 7  # preamble + 2 length bytes
# The longest real response is read + two fingerprints: 2321 bytes in all. Anything far beyond is garbage.
MAX_BODY_LEN = 4096


RESET = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
SAM_ID = (0x12, 0xFF)
FIND_CARD = (0x20, 0x01)
SELECT_CARD = (0x20, 0x02)
READ_BASE = (0x30, 0x01)
READ_NEW_ADDRESS = (0x30, 0x03)
READ_BASE_FP = (0x30, 0x10)
SET_BAUD = {
    115200: (0x60, 0x00),
    57600: (0x60, 0x01),
    38400: (0x60, 0x02),
    19200: (0x60, 0x03),
    9600: (0x60, 0x04),
}


class SW3(IntEnum):
    OK = 0x90
    NO_CONTENT = 0x91
    FIND_OK = 0x9F
    HOST_CHECKSUM = 0x10
    HOST_LENGTH = 0x11
    HOST_COMMAND = 0x21
    UNAUTHORISED_OPERATION = 0x23
    UNRECOGNISED_ERROR = 0x24
    CARD_AUTH_SAM_FAILED = 0x31
    SAM_AUTH_CARD_FAILED = 0x32
    VERIFY_FAILED = 0x33
    UNKNOWN_CARD_TYPE = 0x40
    READ_FAILED = 0x41
    RANDOM_FAILED = 0x47
    SAM_SELF_TEST_FAILED = 0x60
    SAM_NOT_AUTHORISED = 0x66
    FIND_FAILED = 0x80
    SELECT_FAILED = 0x81
    COMM_FAILURE = 0xFF


SUCCESS_CODES = frozenset({SW3.OK, SW3.FIND_OK})


@dataclass(frozen=True)
class Request:
    cmd: int
    para: int
    data: bytes = b""


@dataclass(frozen=True)
class Response:
    sw1: int
    sw2: int
    sw3: int
    data: bytes = b""

    @property
    def ok(self) -> bool:
        return self.sw3 in SUCCESS_CODES


def checksum(data: Iterable[int]) -> int:
    value = 0
    for byte in data:
        value ^= byte
    return value


def _frame(body: bytes) -> bytes:
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([checksum(length + body)])


def build_request(cmd: int, para: int, data: bytes = b"") -> bytes:
    return _frame(bytes([cmd, para]) + data)


def build_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return _frame(bytes([sw1, sw2, sw3]) + data)


def frame_length(header: bytes) -> int:
    """Total frame length from the first 7 bytes; `ProtocolError` if they are not a frame header."""
    if len(header) < HEADER_LEN or header[:5] != PREAMBLE:
        raise ProtocolError("SAM frame does not start with the preamble", Message("读卡器数据帧头错误"))
    body = int.from_bytes(header[5:7], "big")
    if body < 3 or body > MAX_BODY_LEN:
        raise ProtocolError(f"SAM frame length {body} out of range", Message("读卡器数据帧长度错误"))
    return HEADER_LEN + body


def _split(frame: bytes, minimum_body: int) -> bytes:
    """Validate preamble, length and checksum; return the payload between length and checksum."""
    total = frame_length(frame[:HEADER_LEN])
    if total - HEADER_LEN < minimum_body:
        raise ProtocolError(
            f"SAM frame body shorter than {minimum_body} bytes", Message("读卡器数据帧长度错误")
        )
    if len(frame) < total:
        raise ProtocolError(
            f"truncated SAM frame: {len(frame)} of {total} bytes", Message("读卡器数据帧不完整")
        )
    if len(frame) > total:
        raise ProtocolError(
            f"{len(frame) - total} bytes after the SAM frame", Message("读卡器数据帧长度错误")
        )
    if checksum(frame[5:-1]) != frame[-1]:
        raise ProtocolError("SAM frame checksum mismatch", Message("读卡器数据校验和错误"))
    return frame[HEADER_LEN:-1]


def parse_response(frame: bytes) -> Response:
    payload = _split(frame, 4)
    return Response(payload[0], payload[1], payload[2], bytes(payload[3:]))


def parse_request(frame: bytes) -> Request:
    payload = _split(frame, 3)
    return Request(payload[0], payload[1], bytes(payload[2:]))


class FrameDecoder:
    """Splits a byte stream into frames, skipping garbage before a preamble (resynchronisation).

    `feed` bytes, then call `next_frame` until it returns None. A frame with a bad length or checksum
    raises `ProtocolError` after it has been consumed, so decoding can go on with the next one.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.skipped = 0  # garbage bytes dropped while hunting for a preamble

    def feed(self, data: bytes) -> None:
        self._buffer += data

    @property
    def pending(self) -> int:
        return len(self._buffer)

    def _resync(self) -> None:
        start = self._buffer.find(PREAMBLE)
        if start < 0:
            # Keep a tail that may be the beginning of a preamble split across reads.
            keep = 0
            for n in range(min(len(PREAMBLE) - 1, len(self._buffer)), 0, -1):
                if self._buffer.endswith(PREAMBLE[:n]):
                    keep = n
                    break
            start = len(self._buffer) - keep
        if start:
            self.skipped += start
            del self._buffer[:start]

    def next_frame(self) -> bytes | None:
        self._resync()
        if len(self._buffer) < HEADER_LEN:
            return None
        try:
            total = frame_length(bytes(self._buffer[:HEADER_LEN]))
        except ProtocolError:
            # A preamble followed by an impossible length: drop one byte and hunt again.
            del self._buffer[:1]
            self.skipped += 1
            raise
        if len(self._buffer) < total:
            return None
        frame = bytes(self._buffer[:total])
        del self._buffer[:total]
        if checksum(frame[5:-1]) != frame[-1]:
            raise ProtocolError("SAM frame checksum mismatch", Message("读卡器数据校验和错误"))
        return frame


# --- SW3 status codes -> typed errors -------------------------------------------------------------


class SamStatusError(DeviceError):
    """The reader answered with a non-success SW3 code."""

    default_hint = Message("请重新放置身份证后重试")

    def __init__(self, sw3: int, en: str, zh: str, hint: str | None = None):
        super().__init__(f"SAM status 0x{sw3:02X}: {en}", zh, hint)
        self.sw3 = sw3


class NoCardError(SamStatusError):
    """0x80: no card on the reader (the normal answer while polling)."""


class CardSelectError(SamStatusError):
    """0x81: a card was found but could not be selected (moved away, or not fully placed)."""


class CardReadError(SamStatusError):
    """0x41 and card-authentication failures: the card could not be read."""


class NoContentError(SamStatusError):
    """0x91: the requested item is not on the card (no appended address, no fingerprint)."""


class HostFrameRejected(SamStatusError):
    """0x10 / 0x11 / 0x21: the reader rejected our frame (checksum, length or command)."""


class SamModuleError(SamStatusError):
    """The SAM itself is faulty or not authorised (0x23, 0x24, 0x47, 0x60, 0x66, 0xFF)."""


_PLACE_AGAIN = Message("请将身份证平放在读卡区，稍候再试")
_SERVICE = Message("读卡器安全模块异常，请联系设备维护人员")

# code: (class, English, Chinese message as in the standard's wording, remedy hint)
STATUS_TABLE: dict[int, tuple[type[SamStatusError], str, str, str]] = {
    SW3.NO_CONTENT: (
        NoContentError,
        "item has no content on the card",
        Message("证/卡中此项无内容"),
        Message("该证件没有此项信息"),
    ),
    SW3.HOST_CHECKSUM: (
        HostFrameRejected,
        "reader received a frame with a bad checksum",
        Message("读卡器接收数据校验和错"),
        Message("通信受干扰，请检查串口线和波特率"),
    ),
    SW3.HOST_LENGTH: (
        HostFrameRejected,
        "reader received a frame with a bad length",
        Message("读卡器接收数据长度错"),
        Message("通信受干扰，请检查串口线和波特率"),
    ),
    SW3.HOST_COMMAND: (
        HostFrameRejected,
        "reader rejected the command",
        Message("读卡器接收的命令错误"),
        Message("读卡器不支持此命令，请确认读卡器型号"),
    ),
    SW3.UNAUTHORISED_OPERATION: (SamModuleError, "unauthorised operation", Message("越权操作"), _SERVICE),
    SW3.UNRECOGNISED_ERROR: (SamModuleError, "unrecognised error", Message("无法识别的错误"), _SERVICE),
    SW3.CARD_AUTH_SAM_FAILED: (
        CardReadError,
        "card failed to authenticate the SAM",
        Message("证/卡认证 SAM 失败"),
        _PLACE_AGAIN,
    ),
    SW3.SAM_AUTH_CARD_FAILED: (
        CardReadError,
        "SAM failed to authenticate the card",
        Message("SAM 认证证/卡失败"),
        _PLACE_AGAIN,
    ),
    SW3.VERIFY_FAILED: (
        CardReadError,
        "information verification error",
        Message("信息验证错误"),
        _PLACE_AGAIN,
    ),
    SW3.UNKNOWN_CARD_TYPE: (
        CardReadError,
        "unrecognised card type",
        Message("无法识别的证/卡类型"),
        Message("请确认放置的是居民身份证或居住证、永久居留身份证"),
    ),
    SW3.READ_FAILED: (CardReadError, "read failed", Message("读证/卡操作失败"), _PLACE_AGAIN),
    SW3.RANDOM_FAILED: (CardReadError, "get-random failed", Message("取随机数失败"), _PLACE_AGAIN),
    SW3.SAM_SELF_TEST_FAILED: (
        SamModuleError,
        "SAM self-test failed",
        Message("SAM 自检失败，不能接受命令"),
        _SERVICE,
    ),
    SW3.SAM_NOT_AUTHORISED: (
        SamModuleError,
        "SAM not authorised",
        Message("SAM 没有经过授权，无法使用"),
        _SERVICE,
    ),
    SW3.FIND_FAILED: (
        NoCardError,
        "no card on the reader",
        Message("寻找证/卡失败（读卡区无证件）"),
        Message("请将身份证放在读卡区"),
    ),
    SW3.SELECT_FAILED: (CardSelectError, "select card failed", Message("选取证/卡失败"), _PLACE_AGAIN),
    SW3.COMM_FAILURE: (
        SamModuleError,
        "communication failure",
        Message("通信故障"),
        Message("请检查读卡器连接线后重试"),
    ),
}


def status_error(sw3: int) -> SamStatusError:
    """The typed error for a non-success SW3 code (unknown codes give a plain `SamStatusError`)."""
    entry = STATUS_TABLE.get(sw3)
    if entry is None:
        return SamStatusError(
            sw3, "unknown status code", Message("读卡器返回未知状态码 0x{sw3:02X}", sw3=sw3), _SERVICE
        )
    cls, en, zh, hint = entry
    return cls(sw3, en, zh, hint)


def check(response: Response) -> Response:
    """Return the response if SW3 says success, else raise its typed error."""
    if not response.ok:
        raise status_error(response.sw3)
    return response


# --- payload layouts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseInfo:
    """The read-response payload: 256-byte text block, WLT photo, optional fingerprint (all opaque)."""

    text: bytes
    photo: bytes
    fingerprint: bytes = b""


def parse_base_info(data: bytes, with_fingerprint: bool) -> BaseInfo:
    """Split the data of a 0x30 0x01 (or, with fingerprint, 0x30 0x10) response."""
    head = 6 if with_fingerprint else 4
    if len(data) < head:
        raise ProtocolError("read response too short for its length fields", Message("读卡数据长度错误"))
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    fp_len = int.from_bytes(data[4:6], "big") if with_fingerprint else 0
    if head + text_len + photo_len + fp_len != len(data):
        raise ProtocolError(
            f"read response lengths {text_len}+{photo_len}+{fp_len} do not match {len(data) - head} bytes",
            Message("读卡数据长度错误"),
        )
    text = data[head : head + text_len]
    photo = data[head + text_len : head + text_len + photo_len]
    fingerprint = data[head + text_len + photo_len :]
    return BaseInfo(bytes(text), bytes(photo), bytes(fingerprint))


def build_base_info(text: bytes, photo: bytes, fingerprint: bytes | None = None) -> bytes:
    """The data part of a read response (inverse of `parse_base_info`)."""
    out = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big")
    if fingerprint is not None:
        out += len(fingerprint).to_bytes(2, "big")
    return out + text + photo + (fingerprint or b"")


ADDRESS_CHUNK = 70


def parse_new_addresses(data: bytes) -> list[str]:
    """Appended addresses: UTF-16LE in 70-byte chunks (the record count is not documented)."""
    addresses = []
    for start in range(0, len(data) - len(data) % 2, ADDRESS_CHUNK):
        chunk = data[start : start + ADDRESS_CHUNK]
        text = chunk[: len(chunk) - len(chunk) % 2].decode("utf-16-le", errors="replace").rstrip(" \x00")
        if text:
            addresses.append(text)
    return addresses


def build_new_addresses(addresses: list[str]) -> bytes:
    out = b""
    for address in addresses:
        encoded = address.encode("utf-16-le")[:ADDRESS_CHUNK]
        out += encoded + b" \x00" * ((ADDRESS_CHUNK - len(encoded)) // 2)
    return out


def format_sam_id(raw: bytes) -> str:
    """Display form of the 16-byte SAM ID, as HslCommunication formats it (raw bytes are the truth)."""
    if len(raw) < 16:
        return raw.hex().upper()
    a = int.from_bytes(raw[4:8], "little")
    b = int.from_bytes(raw[8:12], "little")
    c = int.from_bytes(raw[12:16], "little")
    return f"{raw[0]:02d}.{raw[2]:02d}-{a}-{b:09d}-{c:09d}"
