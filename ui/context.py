"""The services the view-models serve, set once by the bootstrap before QML is loaded.

QML instantiates view-models itself (as singletons or elements), so they cannot take constructor
arguments; they find the process's `kiosk.services.Services` here instead of via context properties.
"""

from __future__ import annotations

from kiosk.services import Services

_services: Services | None = None


def set_services(services: Services) -> None:
    global _services
    _services = services


def services() -> Services:
    if _services is None:
        raise RuntimeError("ui.context.set_services() was not called before loading QML")
    return _services
