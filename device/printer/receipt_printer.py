"""The receipt-printer adapter: our Chinese ESC/POS bytes over python-escpos's transports.

python-escpos provides the connection (Serial, Network, Usb, File, Dummy); the bytes come from
`device.printer.receipt`. Status is read here, one DLE EOT at a time with a short timeout and a validated reply,
because python-escpos 3.1 reads 16 bytes (waiting out its whole timeout) and calls a silent printer
"paper adequate". Every write has a timeout, so a stuck printer raises instead of blocking the kiosk;
after any transport failure the connection is closed and reopened on next use.
"""

from __future__ import annotations

import logging
import os
import socket
import stat
import termios
import threading

import serial

from device.errors import AddressError, DeviceDisconnected, DeviceTimeout, DeviceUnavailable, PrinterError
from device.printer import escpos_commands as cmd
from device.printer import receipt as receipt_mod
from device.printer.escpos_compat import DeviceNotFoundError, Dummy, Escpos, File, Network, Usb
from device.printer.escpos_compat import Serial as SerialPrinter
from device.printer.printer_profile import PrinterProfile
from device.printer.printer_status import QUERIES, PrinterStatus, is_valid
from translatable import Message

log = logging.getLogger(__name__)

_IO_ERRORS = (serial.SerialException, OSError, termios.error, DeviceNotFoundError)


class PrinterNotReady(PrinterError):
    """The printer answered, and its status forbids printing (paper out, cover open…)."""


class ReceiptPrinter:
    """Print receipts and read status. Use from one worker thread at a time."""

    def __init__(
        self,
        printer: Escpos,
        profile: PrinterProfile,
        encoding: str = "gb18030",
        raster: bool = False,
        *,
        label: str = "",
        status_timeout: float = 0.3,
        write_timeout: float = 5.0,
    ):
        self.printer = printer
        self.profile = profile
        self.encoding = encoding
        self.raster = raster
        self.label = label or type(printer).__name__
        self.status_timeout = status_timeout
        self.write_timeout = write_timeout

    # --- connection ---

    def _device(self) -> object:
        try:
            device = self.printer.device  # python-escpos opens lazily on first access
        except _IO_ERRORS as exc:
            raise DeviceUnavailable(
                f"cannot open printer {self.label}: {exc}",
                Message("无法连接小票打印机 {label}", label=self.label),
                Message("请检查打印机电源和连接线，确认地址正确且有访问权限（lp/dialout 组）"),
            ) from exc
        if device is None:
            raise DeviceUnavailable(
                f"cannot open printer {self.label}", Message("无法连接小票打印机 {label}", label=self.label)
            )
        return device

    def close(self) -> None:
        self._reset_connection()

    def __enter__(self) -> ReceiptPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _reset_connection(self) -> None:
        """Close without draining: python-escpos's Serial.close() flushes, which blocks on a stuck printer."""
        # Private, as no public call gives it: the connection as it is (the `device` property opens one).
        device = self.printer._device
        try:
            if isinstance(device, serial.Serial):
                device.reset_output_buffer()
                device.close()
                self.printer.device = False  # python-escpos's own "closed, open again on next use"
            else:
                self.printer.close()
        except _IO_ERRORS:
            self.printer.device = False

    # --- writing ---

    def _write_timeout_for(self, size: int) -> float:
        baudrate = getattr(self.printer, "baudrate", 0)
        wire = size * 10 / baudrate if baudrate else 0.0
        return self.write_timeout + 2 * wire

    def _send(self, data: bytes) -> None:
        # python-escpos 3.1 has no public call for bytes already encoded (text() and image() encode
        # themselves, in its code pages and raster); `_raw` is the one method each of its printer classes
        # implements for that (serial write, socket sendall, USB endpoint write, file write and flush).
        self.printer._raw(data)

    def write(self, data: bytes) -> None:
        device = self._device()
        timeout = self._write_timeout_for(len(data))
        try:
            if isinstance(device, serial.Serial):
                device.write_timeout = timeout
                self._send(data)
            elif isinstance(device, socket.socket):
                device.settimeout(timeout)
                self._send(data)
            elif isinstance(self.printer, Usb):
                self.printer.timeout = int(timeout * 1000)
                self._send(data)
            elif isinstance(self.printer, Dummy):
                self._send(data)
            else:  # files (e.g. /dev/usb/lp0) have no write timeout of their own
                self._write_in_thread(data, timeout)
        except (serial.SerialTimeoutException, TimeoutError) as exc:
            self._reset_connection()
            raise DeviceTimeout(
                f"printer {self.label} did not accept {len(data)} bytes within {timeout:.1f} s",
                Message("小票打印机长时间不接收数据"),
                Message("打印机可能缺纸、上盖未关或卡纸，请检查后重试"),
            ) from exc
        except _IO_ERRORS as exc:
            self._reset_connection()
            raise DeviceDisconnected(
                f"printer {self.label} connection failed: {exc}",
                Message("小票打印机连接中断"),
                Message("请检查打印机电源和连接线（下次打印时自动重新连接）"),
            ) from exc

    def _write_in_thread(self, data: bytes, timeout: float) -> None:
        errors: list[BaseException] = []

        def run() -> None:
            try:
                self._send(data)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                errors.append(exc)

        worker = threading.Thread(target=run, name="printer-write", daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            raise TimeoutError("file write timed out")
        if errors:
            raise errors[0]

    def encode(self, receipt: receipt_mod.Receipt) -> bytes:
        return receipt_mod.encode(receipt, self.profile, self.encoding, self.raster)

    def print_receipt(self, receipt: receipt_mod.Receipt, *, check_status: bool = True) -> int:
        """Print; refuse with `PrinterNotReady` if the printer reports a blocking problem. Returns bytes sent."""
        if check_status:
            status = self.status()
            if status.answered and not status.ready:
                problem = status.problems[0]
                raise PrinterNotReady(f"printer not ready: {problem.en}", problem.zh, problem.hint)
            if status.supported and not status.answered:
                log.warning("printer %s gave no status reply; printing anyway", self.label)
        data = self.encode(receipt)
        self.write(data)
        log.info("printed %d bytes on %s", len(data), self.label)
        return len(data)

    # --- status ---

    def _read_byte(self, device: object, timeout: float) -> bytes:
        if isinstance(device, serial.Serial):
            device.timeout = timeout
            return device.read(1)
        if isinstance(device, socket.socket):
            device.settimeout(timeout)
            try:
                return device.recv(1)
            except TimeoutError:
                return b""
        if isinstance(self.printer, Usb):
            try:
                return bytes(device.read(self.printer.in_ep, 1, int(timeout * 1000)))  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - pyusb raises its own USBTimeoutError
                return b""
        return b""

    def status(self) -> PrinterStatus:
        """DLE EOT 1–4, each with `status_timeout`. Transports that cannot read give ``supported=False``."""
        if isinstance(self.printer, Dummy):
            return PrinterStatus(supported=False)
        device = self._device()  # a file:// address that is no printer device fails here, not at printing
        if isinstance(self.printer, File):
            return PrinterStatus(supported=False)
        replies: dict[int, int | None] = {}
        invalid = False
        try:
            if isinstance(device, serial.Serial):
                device.reset_input_buffer()
            for n in QUERIES:
                self.write(cmd.status_query(n))
                byte = self._read_byte(device, self.status_timeout)
                if byte and is_valid(byte[0]):
                    replies[n] = byte[0]
                else:
                    invalid = invalid or bool(byte)
                    replies[n] = None
                    if not byte:
                        break  # silent: do not wait out every query
        except _IO_ERRORS as exc:
            self._reset_connection()
            raise DeviceDisconnected(
                f"printer {self.label} connection failed: {exc}",
                Message("小票打印机连接中断"),
                Message("请检查打印机电源和连接线（下次使用时自动重新连接）"),
            ) from exc
        return PrinterStatus(replies, invalid=invalid and not any(v is not None for v in replies.values()))


def serial_printer(
    port: str, baudrate: int = 9600, *, dsrdtr: bool = False, timeout: float = 0.3
) -> SerialPrinter:
    """python-escpos Serial with DSR/DTR off by default (it stalls writes when the cable lacks DSR)."""
    return SerialPrinter(devfile=port, baudrate=baudrate, timeout=timeout, dsrdtr=dsrdtr)


def network_printer(host: str, port: int = 9100, timeout: float = 5.0) -> Network:
    return Network(host, port=port, timeout=timeout)


def usb_printer(vendor: int, product: int, timeout_ms: int = 5000) -> Usb:
    if not Usb.is_usable():
        raise DeviceUnavailable(
            "USB printing needs pyusb, which is not installed",
            Message("USB 打印需要 pyusb 组件，本机未安装"),
            Message("请安装 python3-usb（pyusb），或改用 file:///dev/usb/lp0 地址"),
        )
    return Usb(vendor, product, timeout=timeout_ms)


class DeviceFile(File):
    """python-escpos's File, opened only on a character device (``/dev/usb/lp0``) and never truncated.

    python-escpos opens with ``open(path, "wb")``, which empties any regular file the address names
    and creates a missing one, so a mistyped ``file://`` address destroyed the file it pointed at.
    Here the file is opened without O_CREAT and O_TRUNC (and non-blocking, so a FIFO without a reader
    fails instead of waiting), then refused unless it is a character device. A receipt wanted as a
    file is ``kiosk diag printer --preview OUT.png``.
    """

    def open(self, raise_not_found: bool = True) -> None:
        if self._device:
            self.close()
        try:
            self.device = open_character_device(self.devfile)
        except OSError as exc:
            self.device = None
            raise DeviceNotFoundError(f"Could not open the specified file {self.devfile}: {exc}") from exc


def open_character_device(path: str):
    """``path`` opened for writing if it is a character device; AddressError for anything else."""
    fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISCHR(mode):
            kind = Message("普通文件") if stat.S_ISREG(mode) else Message("特殊文件")
            raise AddressError(
                f"file:// printer address {path} is not a character device (mode {stat.filemode(mode)}):"
                " refused, nothing written",
                Message(
                    "打印机地址 file://{path} 是{kind}，不是打印机设备，已拒绝（文件未被改动）",
                    path=path,
                    kind=kind,
                ),
                Message(
                    "file:// 只能指向打印机设备（如 /dev/usb/lp0）；要把自检页生成为图片请用 kiosk diag printer --preview"
                ),
            )
        os.set_blocking(fd, True)
        return os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        raise


def file_printer(path: str) -> File:
    return DeviceFile(devfile=path)
