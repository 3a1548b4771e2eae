"""A receipt printer simulator on a pseudo-terminal or on TCP (port 9100 style).

It feeds everything it receives to the ESC/POS renderer, answers DLE EOT / GS r status queries from its
state (paper ok / near-end / out, cover open, cutter error), and keeps each receipt (ended by a cut) as a
`Page`; with `out_dir` set, each is also written as a PNG. While paper is out or the cover is open it
prints nothing, like the real thing. `silent` stops status replies; `stall` stops reading altogether, so
the host's writes back up and must time out.
"""

from __future__ import annotations

import itertools
import logging
import os
import select
import socket
import threading
import time
import tty
from pathlib import Path

from device.printer.escpos_render import EscPosRenderer, Page, save_png
from device.printer.printer_status import reply_byte

log = logging.getLogger(__name__)
_COUNTER = itertools.count(1)


class PrinterSimulator:
    """``transport`` is "pty" (use `port`) or "tcp" (use `address`; port 0 picks a free one)."""

    def __init__(
        self,
        *,
        transport: str = "pty",
        dots: int = 576,
        encoding: str = "gb18030",
        out_dir: Path | None = None,
        paper: str = "ok",
        cover_open: bool = False,
        host: str = "127.0.0.1",
        tcp_port: int = 0,
    ):
        if transport not in ("pty", "tcp"):
            raise ValueError("transport must be 'pty' or 'tcp'")
        if paper not in ("ok", "near-end", "out"):
            raise ValueError("paper must be ok, near-end or out")
        self.transport = transport
        self.out_dir = out_dir
        self.paper = paper
        self.cover_open = cover_open
        self.cutter_error = False
        self.silent = False
        self.stall = False
        self.pages: list[Page] = []
        self.files: list[Path] = []
        self.received = 0
        self.discarded = 0
        self.status_queries: list[tuple[str, int]] = []
        self._host, self._tcp_port = host, tcp_port
        self._renderer = EscPosRenderer(dots, encoding, on_status_query=self._on_buffered_status)
        self._tail = b""
        self._reply = b""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._master = self._slave = -1
        self._listener: socket.socket | None = None
        self.port = ""
        self.address: tuple[str, int] = ("", 0)

    # --- lifecycle ---

    def start(self) -> PrinterSimulator:
        if self.transport == "pty":
            self._master, self._slave = os.openpty()
            tty.setraw(self._slave)
            self.port = os.ttyname(self._slave)
            target = self._serve_pty
        else:
            self._listener = socket.create_server((self._host, self._tcp_port))
            self.address = self._listener.getsockname()[:2]
            target = self._serve_tcp
        self._thread = threading.Thread(target=target, name=f"printer-sim-{self.transport}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        for fd in (self._master, self._slave):
            if fd >= 0:
                os.close(fd)
        self._master = self._slave = -1
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def __enter__(self) -> PrinterSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what it received ---

    def wait_for_pages(self, count: int, timeout: float = 10.0) -> list[Page]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.pages) >= count:
                    return list(self.pages)
            time.sleep(0.02)
        raise TimeoutError(f"printer simulator got {len(self.pages)} of {count} receipts")

    # --- protocol ---

    def _on_status(self, kind: str, n: int) -> None:
        self.status_queries.append((kind, n))
        if self.silent:
            return
        if kind == "GS r":  # n = 1/49 paper sensor: 0x0C paper end, 0x03 near end
            byte = (0x0C if self.paper == "out" else 0) | (0x03 if self.paper == "near-end" else 0)
        else:
            byte = reply_byte(n, paper=self.paper, cover_open=self.cover_open, cutter_error=self.cutter_error)
        self._reply += bytes([byte])

    def _on_buffered_status(self, kind: str, n: int) -> None:
        if kind == "GS r":  # DLE EOT is answered on arrival, in `_accept`
            self._on_status(kind, n)

    def _accept(self, data: bytes) -> bytes:
        """Process received bytes; return the status bytes to send back."""
        with self._lock:
            self.received += len(data)
            # DLE EOT is a real-time command: answered on arrival, even while paper is out or in the
            # middle of an unfinished image (real printers do the same).
            window = self._tail + data
            for i in range(len(window) - 2):
                if window[i : i + 2] == b"\x10\x04" and 1 <= window[i + 2] <= 4 and i + 3 > len(self._tail):
                    self._on_status("DLE EOT", window[i + 2])
            self._tail = window[-2:]
            if self.paper == "out" or self.cover_open:
                self.discarded += len(data)  # nothing prints
            else:
                for page in self._renderer.feed(data):
                    self._keep(page)
            reply, self._reply = self._reply, b""
        return reply

    def _keep(self, page: Page) -> None:
        self.pages.append(page)
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            path = (
                self.out_dir
                / f"receipt-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{next(_COUNTER):04d}.png"
            )
            save_png(page, str(path))
            self.files.append(path)
            log.info("simulated printer wrote %s", path)

    def _serve_pty(self) -> None:
        while not self._stop.is_set():
            if self.stall:
                self._stop.wait(0.05)
                continue
            try:
                ready, _, _ = select.select([self._master], [], [], 0.05)
                if not ready:
                    continue
                data = os.read(self._master, 65536)
            except (OSError, ValueError):
                return
            reply = self._accept(data)
            if reply:
                try:
                    os.write(self._master, reply)
                except OSError:
                    return

    def _serve_tcp(self) -> None:
        assert self._listener is not None
        listener = self._listener
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([listener], [], [], 0.05)
                if not ready:
                    continue
                conn, _ = listener.accept()
            except (OSError, ValueError):
                return
            with conn:
                self._serve_connection(conn)

    def _serve_connection(self, conn: socket.socket) -> None:
        while not self._stop.is_set():
            if self.stall:
                self._stop.wait(0.05)
                continue
            try:
                ready, _, _ = select.select([conn], [], [], 0.05)
                if not ready:
                    continue
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                return
            reply = self._accept(data)
            if reply:
                try:
                    conn.sendall(reply)
                except OSError:
                    return
