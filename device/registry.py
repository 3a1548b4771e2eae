"""The device kinds by name. Each kind registers, by address scheme, the factory of its adapter, the
factory of its simulator (``sim://``) and its probe; opening an address returns an `Opened` handle that
owns the adapter and, for ``sim://``, the simulator behind it, and closes both.

A kind lives in its own folder with a ``kind.py`` defining ``KIND``; `BUILTIN` names those modules, which
load on first use (the printer's python-escpos takes a second to import)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from device.address import DeviceAddress, parse
from device.errors import AddressError
from device.probes import ProbeResult

BUILTIN = {"idcard": "device.idcard.kind", "printer": "device.printer.kind"}


class Adapter(Protocol):
    def close(self) -> None: ...


class Simulator(Protocol):
    def stop(self) -> None: ...


A = TypeVar("A", bound=Adapter)


@dataclass
class Opened(Generic[A]):
    """An open adapter and, when the address was ``sim://``, the running simulator it talks to."""

    adapter: A
    simulator: Any = None  # the kind's simulator class (SamSimulator, PrinterSimulator) or None

    def close(self) -> None:
        try:
            self.adapter.close()
        finally:
            if self.simulator is not None:
                self.simulator.stop()

    def __enter__(self) -> Opened[A]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class DeviceKind:
    name: str  # "idcard", the key of the devices.* option and of `BUILTIN`
    title: str  # what staff read: 身份证阅读器
    adapters: Mapping[str, Callable[..., Any]]  # scheme -> factory(address, **options) -> adapter
    simulator: Callable[..., Opened]  # factory(address, **options) -> the adapter on a started simulator
    probe: Callable[[Any], ProbeResult]
    unsupported: Callable[[str], AddressError]  # the error for a scheme it cannot use

    def open(self, url: str, **options: Any) -> Opened:
        address: DeviceAddress = parse(url)
        if address.scheme == "sim":
            return self.simulator(address, **options)
        factory = self.adapters.get(address.scheme)
        if factory is None:
            raise self.unsupported(address.scheme)
        return Opened(factory(address, **options))


_kinds: dict[str, DeviceKind] = {}


def kind(name: str) -> DeviceKind:
    if name not in _kinds:
        if name not in BUILTIN:
            raise KeyError(f"unknown device kind {name!r}; known: {', '.join(BUILTIN)}")
        found = importlib.import_module(BUILTIN[name]).KIND
        if found.name != name:
            raise KeyError(f"{BUILTIN[name]} defines the kind {found.name!r}, registered as {name!r}")
        _kinds[name] = found
    return _kinds[name]
