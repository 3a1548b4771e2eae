"""A SAM ID-card reader on a pseudo-terminal: the real serial path, no hardware.

The simulator owns the master side of a pty (``os.openpty``) and answers SAM frames from a thread. It
holds one synthetic card (or none), enforces find → select → read like a real reader, and takes injected
faults: wrong status codes, checksum errors, truncated frames, slow or missing replies, line noise
(what a wrong baud rate looks like) and unplugging. `replug` gives a fresh pty behind the same symlink, as
udev's /dev/serial/by-id links do for a replugged USB reader.
"""

from __future__ import annotations

import logging
import os
import random
import select
import threading
import tty
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from device.errors import ProtocolError
from device.idcard import sam_protocol as sam
from device.idcard.identity_card import IdentityCard, encode_text

log = logging.getLogger(__name__)

FAULT_KINDS = ("status", "checksum", "truncate", "delay", "silent", "garbage", "noise-prefix", "disconnect")
SIM_SAM_ID = bytes.fromhex("05000100e80300004e61bc0089050000")


@dataclass
class Fault:
    """A misbehaviour applied to the next `times` replies (-1: until cleared), optionally to one command.

    kinds: ``status`` (answer with `sw3`), ``checksum`` (corrupt the checksum), ``truncate`` (send half a
    frame), ``delay`` (answer after `delay` seconds), ``silent`` (no answer), ``garbage`` (random bytes, no
    frame), ``noise-prefix`` (random bytes, then the right frame), ``disconnect`` (unplug).
    """

    kind: str
    times: int = 1
    command: tuple[int, int] | None = None
    sw3: int = 0
    delay: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; choose one of {', '.join(FAULT_KINDS)}")


class SamSimulator:
    """Use as a context manager; `port` is the path a `SerialSamTransport` opens."""

    def __init__(self, card: IdentityCard | None = None, *, link: Path | None = None, seed: int = 0):
        self._card = card
        self._link = link
        self._rng = random.Random(seed)
        self._faults: deque[Fault] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._master = self._slave = -1
        self._pty_path = ""
        self._selected = False
        self._unplugged = False
        self.requests: list[tuple[int, int]] = []

    # --- lifecycle ---

    @property
    def port(self) -> str:
        return str(self._link) if self._link else self._pty_path

    def start(self) -> SamSimulator:
        self._unplugged = False
        self._open_pty()
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, name="sam-simulator", daemon=True)
        self._thread.start()
        return self

    def _open_pty(self) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self._pty_path = os.ttyname(self._slave)
        if self._link:
            tmp = self._link.with_name(self._link.name + ".new")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(self._pty_path)
            tmp.replace(self._link)

    def _close_pty(self) -> None:
        for fd in (self._master, self._slave):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._master = self._slave = -1

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._close_pty()
        if self._link:
            self._link.unlink(missing_ok=True)

    def __enter__(self) -> SamSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def disconnect(self) -> None:
        """Unplug: the client's next read or write fails."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self._thread = None
        self._close_pty()

    def replug(self) -> None:
        """Plug back in: a new pty behind the same `link` (construct with `link` to use this)."""
        self.disconnect()
        self.start()

    # --- the card and faults ---

    def place(self, card: IdentityCard) -> None:
        with self._lock:
            self._card = card
            self._selected = False

    def remove(self) -> None:
        with self._lock:
            self._card = None
            self._selected = False

    def inject(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self, command: tuple[int, int]) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.command is None or fault.command == command:
                    if fault.times > 0:
                        fault.times -= 1
                        if fault.times == 0:
                            self._faults.remove(fault)
                    return fault
        return None

    # --- the serving thread ---

    def _serve(self) -> None:
        decoder = sam.FrameDecoder()
        master = self._master
        while not self._stop.is_set():
            if self._unplugged:
                self._close_pty()
                return
            try:
                ready, _, _ = select.select([master], [], [], 0.05)
                if not ready:
                    continue
                data = os.read(master, 4096)
            except (OSError, ValueError):
                return
            decoder.feed(data)
            while True:
                try:
                    frame = decoder.next_frame()
                except ProtocolError:
                    self._send(sam.build_response(sam.SW3.HOST_CHECKSUM))
                    continue
                if frame is None:
                    break
                try:
                    request = sam.parse_request(frame)
                except ProtocolError:
                    self._send(sam.build_response(sam.SW3.HOST_LENGTH))
                    continue
                self._handle(request)

    def _send(self, data: bytes) -> None:
        try:
            os.write(self._master, data)
        except OSError:
            pass

    def _handle(self, request: sam.Request) -> None:
        command = (request.cmd, request.para)
        self.requests.append(command)
        fault = self._take_fault(command)
        reply = (
            self._answer(command)
            if fault is None or fault.kind != "status"
            else sam.build_response(fault.sw3)
        )
        if fault is None or fault.kind == "status":
            self._send(reply)
        elif fault.kind == "checksum":
            self._send(reply[:-1] + bytes([reply[-1] ^ 0xFF]))
        elif fault.kind == "truncate":
            self._send(reply[: max(8, len(reply) // 2)])
        elif fault.kind == "delay":
            if not self._stop.wait(fault.delay):
                self._send(reply)
        elif fault.kind == "garbage":
            self._send(bytes(self._rng.choice(b"\x00\x80\xf8\xfe\x78\x06") for _ in range(len(reply))))
        elif fault.kind == "noise-prefix":
            self._send(self._rng.randbytes(23).replace(b"\xaa", b"\x55") + reply)
        elif fault.kind == "disconnect":
            self._unplugged = True
        # "silent": no answer at all

    def _answer(self, command: tuple[int, int]) -> bytes:
        ok = sam.SW3.OK
        with self._lock:
            card = self._card
            if command in (sam.RESET, sam.SAM_STATUS) or command in sam.SET_BAUD.values():
                return sam.build_response(ok)
            if command == sam.SAM_ID:
                return sam.build_response(ok, SIM_SAM_ID)
            if command == sam.FIND_CARD:
                self._selected = False
                if card is None:
                    return sam.build_response(sam.SW3.FIND_FAILED)
                return sam.build_response(sam.SW3.FIND_OK, bytes(4))
            if command == sam.SELECT_CARD:
                if card is None:
                    return sam.build_response(sam.SW3.SELECT_FAILED)
                self._selected = True
                return sam.build_response(ok, bytes(8))
            if command in (sam.READ_BASE, sam.READ_BASE_FP):
                if card is None or not self._selected:
                    return sam.build_response(sam.SW3.READ_FAILED)
                self._selected = False  # find and select must be sent again before the next read
                fingerprint = card.fingerprint if command == sam.READ_BASE_FP else None
                data = sam.build_base_info(encode_text(card), card.photo_wlt, fingerprint)
                return sam.build_response(ok, data)
            if command == sam.READ_NEW_ADDRESS:
                if card is None:
                    return sam.build_response(sam.SW3.READ_FAILED)
                if not card.new_addresses:
                    return sam.build_response(sam.SW3.NO_CONTENT)
                return sam.build_response(ok, sam.build_new_addresses(list(card.new_addresses)))
        return sam.build_response(sam.SW3.HOST_COMMAND)
