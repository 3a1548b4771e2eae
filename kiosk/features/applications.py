"""信息公开申请: a resident (or staff on their behalf, 代为填写) applies for government information on the touch
screen and takes a printed receipt with the number and the statutory deadline.

The tile appears at every tier once the city's application key came with the enrolment (without it the
kiosk could not seal the form; staff see why in the staff section). `ApplicationDesk`, the
`application_desk` service of `kiosk.services`, is what the screens do with `kiosk.applications`: read
the ID card with consent (the card's values live in the resident's session only, until the
application is taken or the session ends), check the form, submit it, print the receipt, reprint one
for staff. Its methods block (database, card reader, printer): the UI runs them on its worker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.features.feature import Availability, Facts, Feature
from kiosk.i18n import N_, tr, translate

if TYPE_CHECKING:
    from kiosk.applications.submit import Applications, Submitted
    from kiosk.config import Config
    from kiosk.library_service import LibraryService
    from kiosk.session import Session
    from kiosk.usage import UsageRecords

log = logging.getLogger(__name__)

CARD_KEY = "applications.card"  # the ID card read for this resident's form: cleared by the idle reset


def key_installed(data_dir: Path) -> bool:
    """Whether the enrolment in `data_dir` carries the city's application key (an unenrolled demo's data
    directory: the demo's key, kiosk/demo.py)."""
    from kiosk import demo
    from kiosk.enrolment import EnrolmentError, load

    try:
        enrolment = load(data_dir)
    except EnrolmentError:
        return False
    if enrolment is None:
        return demo.application_public(data_dir) is not None
    return bool(enrolment.application_key)


def key_present(facts: Facts) -> bool:
    return key_installed(Path(facts.library.path).parent)  # the enrolment lives beside library.db


FEATURE = Feature(
    key="applications",
    title=N_("信息公开申请"),
    icon=N_("申"),
    subtitle=lambda facts: tr("依申请公开 · 打印回执"),
    screen="ApplicationScreen.qml",
    available=Availability(content=key_present),
    staff_section="applications",
    stat="application_submitted",
    view_models=("ui.applications",),
)


class ApplicationDesk:
    """The 信息公开申请 screens' service (see the module)."""

    def __init__(
        self,
        config: Callable[[], Config],
        data_dir: Path,
        session: Session,
        library: LibraryService,
        usage: UsageRecords,
    ):
        self._config = config
        self.data_dir = data_dir
        self.session = session
        self.library = library
        self.usage = usage
        self._desk: Applications | None = None
        self._store_of_desk: object = None
        self._lock = threading.Lock()  # the UI's worker threads may ask for the desk at once

    def applications(self) -> Applications:
        """The core desk over the open library's outbox (made again when the library was reopened)."""
        from kiosk.applications.desk import open_desk
        from kiosk.enrolment import load
        from kiosk.sync_service import outbox_for

        store = self.library.opened_store()
        with self._lock:
            if self._desk is None or self._store_of_desk is not store:
                if self._desk is not None:
                    self._desk.store.close()
                self._desk = open_desk(self.data_dir, outbox_for(store, self._config()), load(self.data_dir))
                self._store_of_desk = store
            return self._desk

    def close(self) -> None:
        with self._lock:
            if self._desk is not None:
                self._desk.store.close()
                self._desk = None

    # --- the form --------------------------------------------------------------------------------------

    def agencies(self) -> list[str]:
        """The agencies an application may go to: the city's list, else the hall's own."""
        from kiosk.applications.agencies import agencies

        return agencies(self.data_dir, self._config()["kiosk.hall_name"])

    def related(self, description: str) -> list[dict[str, Any]]:
        """Documents already published that match what the resident describes (`kiosk.related`)."""
        from kiosk.related import related_documents

        return related_documents(self.library.opened_store(), description)

    def read_card(self, consent: bool) -> dict[str, Any]:
        """Read the ID card with the resident's consent: the form gets the name and address, the screen a
        masked number; the whole card stays in the session until the application is taken."""
        from device.masking import mask_id_number
        from kiosk.applications.errors import ApplicationError
        from kiosk.devices import DeviceService

        if not consent:
            raise ApplicationError("no consent to read the card", tr("需要您同意后才能读取身份证信息"))
        if not self._config()["devices.idcard"]:
            raise ApplicationError("no card reader", tr("本机没有连接身份证阅读器，请手工填写"))
        card = DeviceService(self._config(), self.data_dir).read_card()
        if card is None:
            raise ApplicationError("no card on the reader", tr("没有读到身份证，请把身份证放在读卡区后重试"))
        self.session.put(CARD_KEY, {"name": card.name, "id_number": card.id_number})
        return {"name": card.name, "idMasked": mask_id_number(card.id_number), "address": card.address}

    def forget_card(self) -> None:
        self.session.put(CARD_KEY, None)

    def _values(self, values: dict[str, Any], with_card: bool) -> dict[str, Any]:
        from kiosk.applications.form import FIELDS

        out = {k: v for k, v in values.items() if k in FIELDS}
        card = self.session.get(CARD_KEY) if with_card else None
        if isinstance(card, dict):
            out["name"], out["id_number"] = card["name"], card["id_number"]
        return out

    def check(self, values: dict[str, Any], *, with_card: bool = False) -> dict[str, str]:
        """The form's errors, one Chinese message per field ({} when it may be submitted)."""
        from kiosk.applications.form import ApplicationInvalid, parse

        try:
            parse(self._values(values, with_card))
        except ApplicationInvalid as exc:
            return exc.errors
        return {}

    def submit(self, values: dict[str, Any], *, with_card: bool = False) -> dict[str, Any]:
        """Take the application (sealed into the outbox), record it without personal data, print the
        receipt. Raises `ApplicationInvalid` or `ApplicationError`; the card is forgotten once taken."""
        from kiosk.applications.desk import calendar
        from kiosk.applications.form import parse

        application = parse(self._values(values, with_card))
        desk = self.applications()
        desk.recompute_estimated(calendar(self.data_dir))  # with any holiday table the sync brought since
        submitted = desk.submit(application)
        self.forget_card()
        self.usage.event(
            "application_submitted",
            applicant=str(application.kind),
            medium=str(application.medium),
            route=str(application.route),
            filled_by_staff=application.filled_by_staff,
        )
        return self._print(submitted, reprint=False)

    # --- the receipt -----------------------------------------------------------------------------------

    def _print(self, submitted: Submitted, *, reprint: bool) -> dict[str, Any]:
        from device.errors import DeviceError
        from kiosk.applications import receipt
        from kiosk.devices import DeviceService

        config = self._config()
        shown = {
            "number": submitted.number,
            "receivedOn": receipt.day_text(submitted.received_on),
            "deadline": submitted.deadline.text(),
            "estimated": submitted.deadline.estimated,
            "rule": submitted.deadline.rule.describe(),
            "agency": submitted.agency,
            "printed": False,
            "message": "",
        }
        if not config["devices.printer"]:
            shown["message"] = tr("本机没有连接打印机，请记下您的申请编号")
            return shown
        paper = receipt.build(submitted, hall=config["kiosk.hall_name"], reprint=reprint)
        try:
            DeviceService(config, self.data_dir).print_receipt(paper)
        except DeviceError as exc:
            log.warning("application %s receipt not printed: %s", submitted.number, exc)
            shown["message"] = tr(
                "{problem}，回执未能打印。申请已受理，请记下申请编号，可请工作人员补打回执",
                problem=translate(exc.zh),
            )
            return shown
        shown["printed"] = True
        return shown

    def recent(self, limit: int = 20) -> list[dict[str, Any]]:
        """Staff: the newest applications of this kiosk (number, dates, agency, status), nothing personal."""
        from kiosk.applications import receipt

        return [
            {
                "number": e.number,
                "receivedOn": receipt.day_text(e.received_on),
                "deadline": (
                    tr("{day}（预估）", day=receipt.day_text(e.deadline))
                    if e.deadline_estimated
                    else receipt.day_text(e.deadline)
                ),
                "agency": e.agency,
                "status": e.status,
            }
            for e in self.applications().store.entries(limit)
        ]

    def reprint(self, number: str) -> dict[str, Any]:
        """Staff: print an application's receipt again (补打; what was asked is not kept on the kiosk)."""
        from kiosk.applications.errors import ApplicationError
        from kiosk.applications.store import RECEIVED
        from kiosk.applications.submit import Submitted
        from kiosk.applications.workdays import Deadline

        desk = self.applications()
        entry = desk.store.get(number)
        if entry is None or entry.status != RECEIVED:
            raise ApplicationError(
                f"no received application {number}", tr("本机没有已受理的申请 {number}", number=number)
            )
        due = Deadline(entry.deadline, entry.deadline_estimated, desk.rule)
        return self._print(
            Submitted(entry.number, entry.received_on, due, entry.agency, "", entry.record_id), reprint=True
        )

    def unavailable(self) -> str:
        """Why this kiosk takes no application ('' when it does), for staff."""
        from kiosk.applications.submit import NO_KEY_ZH

        return "" if key_installed(self.data_dir) else translate(NO_KEY_ZH)
