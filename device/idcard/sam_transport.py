"""SAM frames over a serial port (pyserial): one request, one response, within a deadline.

Before each command the input buffer is cleared (a late reply to a timed-out command would otherwise
shift the next frame); garbage before a preamble is skipped; writes have a timeout. Any pyserial/OS
failure closes the port and becomes a typed error, and the next command reopens it (reconnect on next
use). Nothing here can block longer than the command's timeout plus the write timeout.
"""

from __future__ import annotations

import logging
import termios
import time

import serial

from device.errors import DeviceDisconnected, DeviceTimeout, DeviceUnavailable, GarbledReply, ProtocolError
from device.idcard.sam_protocol import PREAMBLE, FrameDecoder, Response, parse_response
from translatable import Message

log = logging.getLogger(__name__)

_IO_ERRORS = (serial.SerialException, OSError, termios.error)


class SerialSamTransport:
    """A SAM reader on a serial port (USB-serial, USB-CDC or a pty from the simulator)."""

    def __init__(self, port: str, baudrate: int = 115200, write_timeout: float = 1.0):
        self.port = port
        self.baudrate = baudrate
        self.write_timeout = write_timeout
        self._serial: serial.Serial | None = None

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def open(self) -> None:
        if self._serial is not None:
            return
        try:
            self._serial = serial.Serial(
                self.port, self.baudrate, timeout=0.1, write_timeout=self.write_timeout, exclusive=True
            )
        except (ValueError, *_IO_ERRORS) as exc:
            raise DeviceUnavailable(
                f"cannot open ID-card reader port {self.port}: {exc}",
                Message("无法打开身份证阅读器串口 {port}", port=self.port),
                Message("请检查读卡器 USB 线是否插好、串口地址是否正确，并确认本机用户在 dialout 组"),
            ) from exc
        log.debug("opened SAM port %s at %d baud", self.port, self.baudrate)

    def close(self) -> None:
        ser, self._serial = self._serial, None
        if ser is not None:
            try:
                ser.close()
            except _IO_ERRORS:
                pass

    def __enter__(self) -> SerialSamTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _lost(self, exc: BaseException) -> DeviceDisconnected:
        self.close()
        return DeviceDisconnected(
            f"ID-card reader on {self.port} disconnected: {exc}",
            Message("身份证阅读器连接已断开"),
            Message("请检查读卡器 USB 线，插好后重试（下次使用时自动重新连接）"),
        )

    def transact(self, request: bytes, timeout: float) -> Response:
        """Send one request frame and return the response frame received within `timeout` seconds."""
        self.open()
        ser = self._serial
        assert ser is not None
        try:
            ser.reset_input_buffer()
            ser.write(request)
        except serial.SerialTimeoutException as exc:
            self.close()
            raise DeviceTimeout(
                f"writing to the ID-card reader on {self.port} timed out",
                Message("向身份证阅读器发送数据超时"),
                Message("读卡器无响应，请检查串口线和波特率"),
            ) from exc
        except _IO_ERRORS as exc:
            raise self._lost(exc) from exc
        return self._receive(ser, time.monotonic() + timeout, timeout)

    def _receive(self, ser: serial.Serial, deadline: float, timeout: float) -> Response:
        decoder = FrameDecoder()
        received = 0
        while True:
            frame = decoder.next_frame()
            if frame is not None:
                return parse_response(frame)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                ser.timeout = remaining
                chunk = ser.read(max(1, ser.in_waiting))
            except _IO_ERRORS as exc:
                raise self._lost(exc) from exc
            received += len(chunk)
            decoder.feed(chunk)
        if received == 0:
            raise DeviceTimeout(
                f"ID-card reader on {self.port} did not answer within {timeout:.2f} s",
                Message("身份证阅读器无响应"),
                Message("读卡器无响应，请检查串口线和波特率"),
            )
        if decoder.pending >= len(PREAMBLE):  # a preamble arrived, the rest of its frame did not
            raise ProtocolError(
                f"truncated frame from the ID-card reader ({received} bytes in {timeout:.2f} s)",
                Message("身份证阅读器数据不完整"),
                Message("读卡过程中连接中断或受干扰，请重新放置证件后重试"),
            )
        raise GarbledReply(
            f"{received} bytes from the ID-card reader without a frame (wrong baud rate?)",
            Message("身份证阅读器应答无法识别"),
            Message(
                "请检查读卡器波特率设置（当前 {baudrate}；读卡器出厂默认为 115200）", baudrate=self.baudrate
            ),
        )
