"""What `kiosk run` and `kiosk demo` start beside the touch screen: the local HTTP API and the hall's
voice, each off the GUI thread. `start_hall_services(services)` returns the function that stops them
when the touch screen quits (calls still in line are not said then: the kiosk is going down)."""

from __future__ import annotations

from collections.abc import Callable


def start_hall_services(services) -> tuple[Callable[[], None], str | None]:
    """Start the API and the voice; returns (stop, the API's address or None)."""
    from kiosk.api.runner import start_api
    from kiosk.voice.service import start_voice

    api = start_api(services)
    voice = start_voice(services)

    def stop() -> None:
        if api is not None:
            api.stop()
        if voice is not None:
            voice.close(wait=False)

    return stop, api.url if api is not None else None
