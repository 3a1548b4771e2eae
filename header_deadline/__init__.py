"""uvicorn's h11 protocol with a deadline for a request's line and headers, shared by `city serve` and the
kiosk's local API (uvicorn itself has only a keep-alive timeout, so a client that sends half its headers
holds a connection forever). Needs only uvicorn and h11: `city/` and `kiosk/` both import it.
"""

from __future__ import annotations

import asyncio


def protocol(header_timeout: float):
    """uvicorn's h11 protocol, closing a connection whose request line and headers take longer than
    `header_timeout` (counted from the connection, or from the first byte of a request on a kept-alive
    one); pass it as `uvicorn.Config(http=...)`."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class TimedHeaders(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._watch_headers()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._watch_headers()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_timer()
            super().connection_lost(exc)

        def _watch_headers(self) -> None:
            waiting = self.conn.their_state is h11.IDLE and not self.transport.is_closing()
            if not waiting:
                self._stop_timer()
            elif self._header_timer is None:
                self._header_timer = self.loop.call_later(header_timeout, self._headers_late)

        def _stop_timer(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_late(self) -> None:
            self._header_timer = None
            if self.conn.their_state is h11.IDLE:
                self.transport.close()

    return TimedHeaders
