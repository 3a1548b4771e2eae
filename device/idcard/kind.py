"""The ID-card reader as a device kind: ``serial://``, ``auto`` (the serial port where a reader answers)
and ``sim://?card=KIND&fault=NAME`` (a SAM simulator on a pty holding an invented card)."""

from __future__ import annotations

import logging

from device.address import DeviceAddress
from device.errors import AddressError, Message
from device.idcard.idcard_reader import IdCardReader, SamTimeouts
from device.idcard.probe import find_sam_reader, probe_idcard
from device.idcard.sam_simulator import Fault, SamSimulator
from device.idcard.sam_transport import SerialSamTransport
from device.idcard.synthetic_cards import CARD_KINDS, synthetic_card
from device.ports import list_serial_ports
from device.registry import DeviceKind, Opened

log = logging.getLogger(__name__)

# Simulators are threads sharing the CPU with the kiosk: give them room before calling them silent.
SIM_TIMEOUTS = SamTimeouts().scaled(10)


def _serial(address: DeviceAddress, timeouts: SamTimeouts | None = None) -> IdCardReader:
    return IdCardReader(SerialSamTransport(address.path, address.int_option("baudrate", 115200)), timeouts)


def _auto(address: DeviceAddress, timeouts: SamTimeouts | None = None) -> IdCardReader:
    port, baud = find_sam_reader(p.device for p in list_serial_ports())
    log.info("found an ID-card reader on %s at %d baud", port, baud)
    return IdCardReader(SerialSamTransport(port, baud), timeouts)


def _simulated(address: DeviceAddress, timeouts: SamTimeouts | None = None) -> Opened[IdCardReader]:
    kind = address.option("card", "resident")
    if kind not in (*CARD_KINDS, "none"):
        raise AddressError(
            f"unknown simulated card {kind!r}",
            Message("模拟读卡器不支持证件类型 {kind}", kind=kind),
            Message("可选：{kinds}、none", kinds="、".join(CARD_KINDS)),
        )
    card = None if kind == "none" else synthetic_card(kind, fingerprints=address.int_option("fingers", 0))
    simulator = SamSimulator(card).start()
    try:
        if address.option("fault"):
            simulator.inject(Fault(address.option("fault"), times=-1))
        return Opened(IdCardReader(SerialSamTransport(simulator.port), timeouts or SIM_TIMEOUTS), simulator)
    except BaseException:
        simulator.stop()
        raise


def _unsupported(scheme: str) -> AddressError:
    return AddressError(
        f"the ID-card reader cannot use {scheme}:// addresses",
        Message("身份证阅读器不支持 {scheme}:// 地址", scheme=scheme),
        Message("身份证阅读器请使用 serial://、auto 或 sim://"),
    )


KIND = DeviceKind(
    name="idcard",
    title=Message("身份证阅读器"),
    adapters={"serial": _serial, "auto": _auto},
    simulator=_simulated,
    probe=probe_idcard,
    unsupported=_unsupported,
)
