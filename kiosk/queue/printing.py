"""Printing a ticket that is already committed: build its paper, send it to the configured printer, count
the print in `queue.db`; when the printer cannot (paper out, cover open, unplugged), record the failure for
staff and tell the resident to note the number, which the screen shows large."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from device.errors import DeviceError
from kiosk.i18n import tr, translate
from kiosk.queue import ticket_receipt
from kiosk.queue.model import Ticket

if TYPE_CHECKING:
    from kiosk.devices import DeviceService
    from kiosk.queue.service import Queue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintOutcome:
    ticket: Ticket
    printed: bool
    zh: str = ""  # '' when printed, else what the resident reads (the printer's problem, note the number)
    files: list[Path] = field(default_factory=list)  # the simulated printer's PNGs


def print_ticket(
    queue: Queue,
    devices: DeviceService,
    ticket: Ticket,
    *,
    hall: str,
    status_base: str,
    reprint: bool = False,
) -> PrintOutcome:
    service = queue.config.service(ticket.service)
    paper = ticket_receipt.build(
        ticket,
        hall=hall,
        service_name=service.name if service else ticket.service,
        estimate=queue.estimate(ticket),
        status_base=status_base,
        reprint_at=queue.clock() if reprint else None,
    )
    try:
        files = devices.print_receipt(paper)
    except DeviceError as exc:
        log.warning("ticket %s not printed: %s", ticket.id, exc)
        queue.print_failed(ticket.id, str(exc))
        return PrintOutcome(
            ticket,
            False,
            tr(
                "{problem}，号票未能打印。请记下您的号码 {number}，并告知工作人员",
                problem=translate(exc.zh),
                number=ticket.number,
            ),
        )
    return PrintOutcome(queue.mark_printed(ticket.id), True, "", files)
