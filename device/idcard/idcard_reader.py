"""The ID-card reader adapter: SAM status and ID, find → select → read, appended address, fingerprint.

`IdCardReader.poll` returns a card once per placement: a card left on the reader is not returned again
until it has been lifted (or another card is placed). Only a hash of the last number is kept for that.
Card data stays in memory; logs get masked values only.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Protocol

from device.errors import ProtocolError
from device.idcard import sam_protocol as sam
from device.idcard.identity_card import IdentityCard, decode_text
from device.masking import mask_id_number, mask_name
from translatable import Message

log = logging.getLogger(__name__)


class SamTransport(Protocol):
    port: str

    def transact(self, request: bytes, timeout: float) -> sam.Response: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class SamTimeouts:
    """Seconds to wait for each response (values seen in working reader code; see devices.md §1.6)."""

    status: float = 0.5
    sam_id: float = 0.5
    find: float = 0.1
    select: float = 0.1
    read: float = 2.0
    read_fingerprint: float = 3.0
    new_address: float = 1.5

    def scaled(self, factor: float) -> SamTimeouts:
        return SamTimeouts(**{name: value * factor for name, value in self.__dict__.items()})


@dataclass(frozen=True)
class SamId:
    raw: bytes

    @property
    def text(self) -> str:
        return sam.format_sam_id(self.raw)


class IdCardReader:
    """Operations on a SAM reader through a transport. Thread-compatible: use from one worker at a time."""

    def __init__(
        self,
        transport: SamTransport,
        timeouts: SamTimeouts | None = None,
        retries: int = 1,
    ):
        self.transport = transport
        self.timeouts = timeouts or SamTimeouts()
        self.retries = retries
        self._present: bytes | None = None

    @property
    def port(self) -> str:
        return self.transport.port

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> IdCardReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _command(self, command: tuple[int, int], timeout: float) -> sam.Response:
        return sam.check(self.transport.transact(sam.build_request(*command), timeout))

    # --- SAM module ---

    def reset(self) -> None:
        self._command(sam.RESET, self.timeouts.status)

    def sam_status(self) -> None:
        """Raise unless the SAM answers its status command with success."""
        self._command(sam.SAM_STATUS, self.timeouts.status)

    def sam_id(self) -> SamId:
        response = self._command(sam.SAM_ID, self.timeouts.sam_id)
        if len(response.data) < 16:
            raise ProtocolError(
                f"SAM ID reply has {len(response.data)} bytes, expected 16", Message("SAM 编号数据长度错误")
            )
        return SamId(response.data[:16])

    # --- card ---

    def find_card(self) -> bool:
        """True if a card is on the reader (0x9F), False for the normal "no card" answer (0x80)."""
        try:
            self._command(sam.FIND_CARD, self.timeouts.find)
        except sam.NoCardError:
            return False
        return True

    def select_card(self) -> None:
        self._command(sam.SELECT_CARD, self.timeouts.select)

    def read_base(self, fingerprint: bool = False) -> sam.BaseInfo:
        command = sam.READ_BASE_FP if fingerprint else sam.READ_BASE
        timeout = self.timeouts.read_fingerprint if fingerprint else self.timeouts.read
        return sam.parse_base_info(self._command(command, timeout).data, with_fingerprint=fingerprint)

    def read_new_addresses(self) -> list[str]:
        try:
            response = self._command(sam.READ_NEW_ADDRESS, self.timeouts.new_address)
        except sam.NoContentError:
            return []
        return sam.parse_new_addresses(response.data)

    def _read_sequence(self, fingerprint: bool, new_address: bool) -> IdentityCard | None:
        if not self.find_card():
            return None
        self.select_card()
        info = self.read_base(fingerprint)
        addresses = tuple(self.read_new_addresses()) if new_address else ()
        return decode_text(info.text, info.photo, info.fingerprint, addresses)

    def read_card(self, fingerprint: bool = False, new_address: bool = True) -> IdentityCard | None:
        """Find → select → read (→ appended address). None when no card is on the reader.

        A corrupted frame in either direction (our checksum error, a reader checksum error, a truncated
        reply) restarts the whole sequence up to `retries` times, since find and select must precede
        every read.
        """
        attempt = 0
        while True:
            try:
                card = self._read_sequence(fingerprint, new_address)
                break
            except (ProtocolError, sam.HostFrameRejected) as exc:
                if attempt >= self.retries:
                    raise
                attempt += 1
                log.info("card read retried after: %s", exc)
        if card is not None:
            log.info(
                "card read on %s: %s %s %s (check digit %s)",
                self.port,
                card.card_type.value,
                mask_name(card.name),
                mask_id_number(card.id_number),
                card.check_digit_valid,
            )
        return card

    def poll(self, fingerprint: bool = False, new_address: bool = True) -> IdentityCard | None:
        """The card just placed on the reader, or None (no card, or the same card still lying there)."""
        card = self.read_card(fingerprint, new_address)
        if card is None:
            self._present = None
            return None
        key = hashlib.sha256(f"{card.card_type.value}/{card.id_number}".encode()).digest()
        if key == self._present:
            return None
        self._present = key
        return card
