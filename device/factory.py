"""Device URL → adapter. ``sim://`` starts an in-process simulator on a pty (or TCP) and connects the
real transport to it; closing the adapter stops the simulator."""

from __future__ import annotations

import logging
from pathlib import Path

from device.address import parse
from device.errors import AddressError
from device.idcard.idcard_reader import IdCardReader, SamTimeouts
from device.idcard.sam_simulator import Fault, SamSimulator
from device.idcard.sam_transport import SerialSamTransport
from device.idcard.synthetic_cards import CARD_KINDS, synthetic_card
from device.ports import list_serial_ports
from device.printer.printer_profile import get_profile
from device.printer.printer_simulator import PrinterSimulator
from device.printer.receipt_printer import (
    ReceiptPrinter,
    file_printer,
    network_printer,
    serial_printer,
    usb_printer,
)
from device.probes import find_sam_reader

log = logging.getLogger(__name__)

# Simulators are threads sharing the CPU with the kiosk: give them room before calling them silent.
SIM_TIMEOUTS = SamTimeouts().scaled(10)


def open_idcard_reader(url: str, timeouts: SamTimeouts | None = None) -> IdCardReader:
    address = parse(url)
    if address.scheme == "serial":
        transport = SerialSamTransport(address.path, address.int_option("baudrate", 115200))
        return IdCardReader(transport, timeouts)
    if address.scheme == "auto":
        port, baud = find_sam_reader(p.device for p in list_serial_ports())
        log.info("found an ID-card reader on %s at %d baud", port, baud)
        return IdCardReader(SerialSamTransport(port, baud), timeouts)
    if address.scheme == "sim":
        kind = address.option("card", "resident")
        if kind not in (*CARD_KINDS, "none"):
            raise AddressError(
                f"unknown simulated card {kind!r}",
                f"模拟读卡器不支持证件类型 {kind}",
                f"可选：{'、'.join(CARD_KINDS)}、none",
            )
        card = None if kind == "none" else synthetic_card(kind, fingerprints=address.int_option("fingers", 0))
        simulator = SamSimulator(card).start()
        if address.option("fault"):
            simulator.inject(Fault(address.option("fault"), times=-1))
        reader = IdCardReader(
            SerialSamTransport(simulator.port), timeouts or SIM_TIMEOUTS, on_close=simulator.stop
        )
        reader.simulator = simulator  # type: ignore[attr-defined]
        return reader
    raise AddressError(
        f"the ID-card reader cannot use {address.scheme}:// addresses",
        f"身份证阅读器不支持 {address.scheme}:// 地址",
        "身份证阅读器请使用 serial://、auto 或 sim://",
    )


def open_printer(
    url: str,
    profile_name: str = "80mm",
    encoding: str = "gb18030",
    raster: bool = False,
    *,
    sim_out_dir: Path | None = None,
) -> ReceiptPrinter:
    address = parse(url)
    profile = get_profile(address.option("profile", profile_name))
    if address.option("qr") in ("native", "image"):
        profile = profile.with_options(native_qr=address.option("qr") == "native")
    options = {"profile": profile, "encoding": encoding, "raster": raster, "label": url}
    if address.scheme == "serial":
        printer = serial_printer(
            address.path,
            address.int_option("baudrate", 9600),
            dsrdtr=address.option("dsrdtr") in ("1", "true"),
        )
        return ReceiptPrinter(printer, **options)
    if address.scheme == "tcp":
        return ReceiptPrinter(network_printer(address.host, address.port), **options)
    if address.scheme == "usb":
        return ReceiptPrinter(usb_printer(address.vendor, address.product), **options)
    if address.scheme == "file":
        return ReceiptPrinter(file_printer(address.path), **options)
    if address.scheme == "sim":
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
                f"bad simulator option in {url!r}: {exc}", f"模拟打印机参数有误：{url}"
            ) from exc
        if simulator.transport == "tcp":
            escpos_printer = network_printer(*simulator.address)
        else:
            escpos_printer = serial_printer(simulator.port, 115200)
        printer = ReceiptPrinter(escpos_printer, **options, on_close=simulator.stop)
        printer.simulator = simulator  # type: ignore[attr-defined]
        return printer
    raise AddressError(
        "the receipt printer cannot use 'auto'",
        "小票打印机不支持 auto 地址",
        "请填写 serial://、tcp://、usb://、file:// 或 sim:// 地址",
    )
