"""排队取号: a resident takes a number on the touch screen; staff configure services and windows, pair a
window's calling page and read the reports in the staff section 排队叫号.

The tile appears only once the hall's queue is configured (`kiosk queue import`, or the staff section).
`QueueDesk`, the `queue_desk` service of `kiosk.services`, holds what the screens do with the queue
(`kiosk.queue.Queue`): the board of services, reading the ID card with consent (the number lives in the
resident's session only until the ticket is taken), taking and printing a ticket, and the staff's edits
and reports. Its methods block (database, card reader, printer): the UI runs them on its worker.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.features.feature import Availability, Facts, Feature
from kiosk.i18n import N_, tr

if TYPE_CHECKING:
    from kiosk.config import Config
    from kiosk.library_service import LibraryService
    from kiosk.queue import Queue, QueueConfig
    from kiosk.session import Session

CARD_KEY = "queue.id_number"  # in the resident's session, cleared by the idle reset


def _configured(facts: Facts) -> bool:
    from kiosk.queue import configured_in

    return configured_in(Path(facts.library.path).parent)  # queue.db lives beside library.db


FEATURE = Feature(
    key="queue",
    title=N_("排队取号"),
    icon=N_("号"),
    subtitle=lambda facts: tr("现场取号 · 留意叫号"),
    screen="QueueScreen.qml",
    available=Availability(content=_configured),
    staff_section="queue",
    facilities=("queue_machine",),
    stat="queue",
    view_models=("ui.queue",),
)


def _masked_name(name: str) -> str:
    from device.masking import mask_name

    return mask_name(name)


class QueueDesk:
    """The touch screen's and the staff section's queue service (see the module)."""

    def __init__(
        self,
        queue: Queue,
        config: Callable[[], Config],
        data_dir: Path,
        session: Session,
        library: LibraryService,
    ):
        self.queue = queue
        self._config = config
        self.data_dir = data_dir
        self.session = session
        self.library = library

    # --- the resident's screen ---------------------------------------------------------------------------

    def board(self) -> dict[str, Any]:
        """What the 取号 screen shows: each service with its people waiting, estimate and whether open."""
        snapshot, config = self.queue.snapshot(last=0), self.queue.config
        return {
            "configured": config.configured,
            "services": [
                {
                    "key": s.key,
                    "name": s.name,
                    "prefix": s.prefix,
                    "waiting": s.waiting,
                    "estimate": s.estimate.text,
                    "open": s.open,
                    "closedReason": s.closed_reason,
                    "idCard": s.id_card,
                    "category": s.category,
                    "guide": config.service(s.key).guide,
                }
                for s in snapshot.services
            ],
        }

    def _devices(self):
        from kiosk.devices import DeviceService  # the device stack loads when a card or ticket needs it

        return DeviceService(self._config(), self.data_dir)

    def read_card(self, consent: bool) -> dict[str, Any]:
        """Read the ID card on the reader, with the resident's consent; the number stays in the session."""
        from kiosk.queue import QueueError

        if not consent:
            raise QueueError("no consent to read the card", tr("需要您同意后才能读取身份证"), "no_consent")
        if not self._config()["devices.idcard"]:
            raise QueueError("no card reader", tr("本机没有连接身份证阅读器，请到窗口咨询"), "no_reader")
        card = self._devices().read_card()
        if card is None:
            raise QueueError(
                "no card on the reader", tr("没有读到身份证，请把身份证放在读卡区后重试"), "no_card"
            )
        self.session.put(CARD_KEY, card.id_number)
        return {"name": _masked_name(card.name), "offersPriority": self.queue.offers_priority(card.id_number)}

    def forget_card(self) -> None:
        self.session.put(CARD_KEY, None)

    def status_base(self) -> str:
        """The ticket QR's base: the queue's own `status_url`, else the local API's status page."""
        own = self.queue.config.rules.status_url
        if own:
            return own
        config = self._config()
        if not config["api.enabled"]:
            return ""  # no status page to point at: the QR holds the number
        from kiosk.api.urls import status_base

        return status_base(config)

    def take(self, service_key: str, *, with_card: bool = False, priority: bool = False) -> dict[str, Any]:
        """Take a number (committed first), then print it; the card's number is forgotten either way."""
        id_number = self.session.get(CARD_KEY) if with_card else None
        try:
            ticket = self.queue.take(service_key, id_number=id_number, priority=priority)  # type: ignore[arg-type]
        finally:
            self.forget_card()
        return self._print(ticket, reprint=False)

    def reprint(self, ticket_id: int) -> dict[str, Any]:
        """补打 a ticket (staff, or the screen after the printer was fixed)."""
        ticket = self.queue.ticket(ticket_id)
        return self._print(
            ticket, reprint=ticket.prints > 0
        )  # after a failed print the first paper is no 补打

    def _print(self, ticket, *, reprint: bool) -> dict[str, Any]:
        from kiosk.queue.printing import PrintOutcome, print_ticket

        config = self._config()
        if config["devices.printer"]:
            outcome = print_ticket(
                self.queue,
                self._devices(),
                ticket,
                hall=config["kiosk.hall_name"],
                status_base=self.status_base(),
                reprint=reprint,
            )
        else:
            outcome = PrintOutcome(
                ticket, False, tr("本机没有连接打印机，请记下您的号码 {number}", number=ticket.number)
            )
        estimate = self.queue.estimate(outcome.ticket)
        service = self.queue.config.service(ticket.service)
        return {
            "ticketId": ticket.id,
            "number": ticket.number,
            "service": service.name if service else ticket.service,
            "priority": ticket.priority,
            "ahead": estimate.ahead,
            "estimate": estimate.text,
            "issuedAt": ticket.issued_at.strftime("%H:%M"),
            "printed": outcome.printed,
            "canReprint": bool(config["devices.printer"]) and not outcome.printed,
            "message": outcome.zh,
        }

    # --- staff -------------------------------------------------------------------------------------------

    def overview(self) -> dict[str, Any]:
        """The staff section: services and windows as configured, each window's state, today's figures."""
        config = self.queue.config
        snapshot = self.queue.snapshot(last=5)
        windows = {w.number: w for w in snapshot.windows}
        states = {s.key: s for s in snapshot.services}
        pins = {p.window: p for p in self.queue.window_pin_states()}
        return {
            "configured": config.configured,
            "services": [
                {
                    **config.to_dict()["service"][i],
                    "waiting": states[s.key].waiting if s.key in states else 0,
                    "issuedToday": states[s.key].issued_today if s.key in states else 0,
                }
                for i, s in enumerate(config.services)
            ],
            "windows": [
                {
                    "number": w.number,
                    "name": w.name,
                    "services": list(w.services),
                    "serviceNames": "、".join(s.name for s in config.services if s.key in w.services),
                    "paused": windows[w.number].paused if w.number in windows else False,
                    "current": windows[w.number].current.number
                    if w.number in windows and windows[w.number].current
                    else "",
                    "pinSet": pins[w.number].has_pin,
                    "pinLockedMinutes": -(-pins[w.number].locked_seconds // 60),
                    "pinStaffOnly": pins[w.number].staff_only,
                }
                for w in config.windows
            ],
            "printFailuresToday": self.queue.print_failures(),
            "devices": [
                {
                    "id": d.id,
                    "window": d.window,
                    "windowName": config.window(d.window).name if config.window(d.window) else str(d.window),
                    "label": d.label,
                    "pairedAt": f"{d.paired_at:%Y-%m-%d %H:%M}",
                    "lastSeen": f"{d.last_seen:%Y-%m-%d %H:%M}" if d.last_seen else "",
                }
                for d in self.queue.paired_devices()
            ],
        }

    def _configure(self, new: QueueConfig) -> dict[str, Any]:
        self.queue.configure(new)
        self.library.changed("queue")  # the 取号 tile appears or goes
        return self.overview()

    def save_service(self, values: dict[str, Any]) -> dict[str, Any]:
        """Add or replace (by key) one service from the staff form; checked as a file would be."""
        from kiosk.queue import parse_config

        data = self.queue.config.to_dict()
        services = [s for s in data["service"] if s["key"] != values.get("key")]
        position = next(
            (i for i, s in enumerate(data["service"]) if s["key"] == values.get("key")), len(services)
        )
        services.insert(position, values)
        return self._configure(parse_config({**data, "service": services}, tr("业务设置")))

    def save_window(self, values: dict[str, Any]) -> dict[str, Any]:
        """Add or replace (by number) one window from the staff form."""
        from kiosk.queue import parse_config

        data = self.queue.config.to_dict()
        windows = [w for w in data["window"] if w["number"] != values.get("number")]
        windows.append(values)
        windows.sort(key=lambda w: w["number"] if isinstance(w.get("number"), int) else 0)
        return self._configure(parse_config({**data, "window": windows}, tr("窗口设置")))

    def set_window_pin(self, window: int, pin: str) -> dict[str, Any]:
        """A window's PIN for 窗口号 + 密码 pairing (6 to 8 digits; only its hash is kept)."""
        self.queue.set_window_pin(window, pin)
        return self.overview()

    def revoke_device(self, device: int) -> dict[str, Any]:
        """Unpair one device (`paired_devices`' id): its calling page asks to pair again."""
        self.queue.revoke_device(device)
        return self.overview()

    def revoke_all_devices(self) -> dict[str, Any]:
        self.queue.revoke_tokens()
        return self.overview()

    def unlock_window_pin(self, window: int) -> dict[str, Any]:
        """Lift the lock five wrong PINs put on the window's PIN pairing."""
        self.queue.unlock_window_pin(window)
        return self.overview()

    def _report(self, period: str):
        from kiosk.queue import reports

        first, last = reports.period_days(period, self.queue.clock().date())
        return reports.build(self.queue.tickets_between(first, last), self.queue.config, period, first, last)

    def report(self, period: str) -> dict[str, Any]:
        """Today's day, week or month: per service and window, tickets, waits, service times, ratings."""
        return self._report(period).to_dict()

    def export_report(self, period: str) -> str:
        """The report as CSV under the data directory's `exports/`; returns the file's path."""
        from kiosk.queue import reports

        report = self._report(period)
        folder = self.data_dir / "exports"
        folder.mkdir(exist_ok=True)
        path = folder / f"queue-{period}-{report.first.isoformat()}.csv"
        path.write_text(reports.to_csv(report), encoding="utf-8")
        return str(path)
