"""The receipt printer as a device kind: ``serial://``, ``tcp://``, ``usb://VID:PID``, ``file://`` and
``sim://?paper=out&cover=open&transport=tcp`` (a printer simulator on a pty or TCP writing PNGs).

Every factory takes the kiosk's printer options: ``profile_name``, ``encoding``, ``raster`` and, for the
simulator, ``sim_out_dir``; the address may override the profile (``?profile=58mm``) and the QR mode
(``?qr=native|image``)."""

from __future__ import annotations

from pathlib import Path

from device.address import DeviceAddress
from device.errors import AddressError, Message
from device.printer.printer_profile import PrinterProfile, get_profile
from device.printer.printer_simulator import PrinterSimulator
from device.printer.probe import probe_printer
from device.printer.receipt_printer import (
    ReceiptPrinter,
    file_printer,
    network_printer,
    serial_printer,
    usb_printer,
)
from device.registry import DeviceKind, Opened


def _profile(address: DeviceAddress, profile_name: str) -> PrinterProfile:
    profile = get_profile(address.option("profile", profile_name))
    if address.option("qr") in ("native", "image"):
        profile = profile.with_options(native_qr=address.option("qr") == "native")
    return profile


def _adapter(escpos_factory):
    def factory(
        address: DeviceAddress,
        profile_name: str = "80mm",
        encoding: str = "gb18030",
        raster: bool = False,
        sim_out_dir: Path | None = None,
    ) -> ReceiptPrinter:
        return ReceiptPrinter(
            escpos_factory(address), _profile(address, profile_name), encoding, raster, label=address.url
        )

    return factory


def _serial(address: DeviceAddress):
    return serial_printer(
        address.path, address.int_option("baudrate", 9600), dsrdtr=address.option("dsrdtr") in ("1", "true")
    )


def _simulated(
    address: DeviceAddress,
    profile_name: str = "80mm",
    encoding: str = "gb18030",
    raster: bool = False,
    sim_out_dir: Path | None = None,
) -> Opened[ReceiptPrinter]:
    profile = _profile(address, profile_name)
    try:
        simulator = PrinterSimulator(
            transport=address.option("transport", "pty"),
            dots=profile.dots,
            encoding=encoding,
            out_dir=sim_out_dir,
            paper=address.option("paper", "ok"),
            cover_open=address.option("cover") == "open",
        ).start()
    except ValueError as exc:
        raise AddressError(
            f"bad simulator option in {address.url!r}: {exc}",
            Message("模拟打印机参数有误：{address}", address=address.url),
        ) from exc
    try:
        if simulator.transport == "tcp":
            escpos_printer = network_printer(*simulator.address)
        else:
            escpos_printer = serial_printer(simulator.port, 115200)
        printer = ReceiptPrinter(escpos_printer, profile, encoding, raster, label=address.url)
    except BaseException:
        simulator.stop()
        raise
    return Opened(printer, simulator)


def _unsupported(scheme: str) -> AddressError:
    return AddressError(
        f"the receipt printer cannot use {scheme!r}",
        Message("小票打印机不支持 {scheme} 地址", scheme=scheme),
        Message("请填写 serial://、tcp://、usb://、file:// 或 sim:// 地址"),
    )


KIND = DeviceKind(
    name="printer",
    title=Message("小票打印机"),
    adapters={
        "serial": _adapter(_serial),
        "tcp": _adapter(lambda address: network_printer(address.host, address.port)),
        "usb": _adapter(lambda address: usb_printer(address.vendor, address.product)),
        "file": _adapter(lambda address: file_printer(address.path)),
    },
    simulator=_simulated,
    probe=probe_printer,
    unsupported=_unsupported,
)
