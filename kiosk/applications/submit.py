"""Taking an application: a checked form in, a receipt's facts out, the form sealed before it touches disk.

The order is what keeps the promises: the number is reserved in `applications.db` first (a crash never
hands it out twice); the form, with its number, is sealed to the city's key in memory; the sealed box
goes into the outbox in one transaction (uploaded, or exported on a USB stick, like any record); only
then is the application received and the receipt printed. An outbox that cannot take it leaves the
number `not_taken` and raises `ApplicationError` for the resident: never a silent loss.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from content import sealed
from content.errors import ContentError
from content.outbox import Outbox
from content.workdays import WorkCalendar
from kiosk.applications.errors import ApplicationError
from kiosk.applications.form import Application
from kiosk.applications.store import NOT_TAKEN, RECEIVED, ApplicationStore
from kiosk.applications.workdays import Deadline, DeadlineRule, deadline
from kiosk.i18n import N_, tr, translate

log = logging.getLogger(__name__)

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")  # no daylight saving since 1991
RECORD_KIND = "application"
NO_KEY_ZH = N_("本机尚未安装市级平台的申请加密公钥（随登记文件下发），暂不能受理信息公开申请")


@dataclass(frozen=True)
class Submitted:
    """What the receipt and the screen say."""

    number: str
    received_on: date
    deadline: Deadline
    agency: str
    summary: str
    record_id: str


class Applications:
    def __init__(
        self,
        store: ApplicationStore,
        outbox: Outbox,
        kiosk_id: str,
        city_key: X25519PublicKey | None,
        calendar: WorkCalendar,
        rule: DeadlineRule | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(BEIJING),
    ):
        self.store = store
        self.outbox = outbox
        self.kiosk_id = kiosk_id
        self.city_key = city_key
        self.calendar = calendar
        self.rule = rule or DeadlineRule()
        self.clock = clock

    def unavailable(self) -> str | None:
        """Why this kiosk cannot take applications (for staff), or None."""
        if self.city_key is None:
            return translate(NO_KEY_ZH)
        return None

    def submit(self, application: Application) -> Submitted:
        key = self.city_key
        if key is None:
            raise ApplicationError("no city application key on this kiosk", str(self.unavailable()))
        received_on = self.clock().astimezone(BEIJING).date()
        due = deadline(received_on, self.rule, self.calendar)
        number = self.store.reserve(self.kiosk_id, received_on, due.due, due.estimated, application.agency)
        body = {
            "number": number,
            "kiosk_id": self.kiosk_id,
            "received_on": received_on.isoformat(),
            "deadline": due.due.isoformat(),
            "deadline_estimated": due.estimated,
            "rule": {"working_days": self.rule.working_days, "from_next_day": self.rule.from_next_day},
            "application": application.to_dict(),
        }
        box = sealed.seal(key, json.dumps(body, ensure_ascii=False).encode())
        payload = {
            "number": number,
            "received_on": received_on.isoformat(),
            "deadline": due.due.isoformat(),
            "deadline_estimated": due.estimated,
            "agency": application.agency,
            "key_id": sealed.key_id(key),
            "sealed": base64.b64encode(box).decode(),
        }
        try:
            record_id = self.outbox.add(RECORD_KIND, payload)
        except ContentError as exc:
            self.store.mark(number, NOT_TAKEN)
            log.error("application %s not taken: the outbox refused it (%s)", number, exc)
            raise ApplicationError(
                f"application {number} not taken: {exc}",
                tr("申请未能受理（本机暂时无法保存申请），请联系现场工作人员协助提交"),
            ) from None
        self.store.mark(number, RECEIVED, record_id)
        log.info("application %s received; reply due %s%s", number, due.due, " (estimated)" * due.estimated)
        return Submitted(number, received_on, due, application.agency, application.summary(), record_id)

    def recompute_estimated(self, calendar: WorkCalendar) -> list[str]:
        """With a holiday table that arrived, count the estimated deadlines again (same rule); returns the
        numbers whose deadline changed or is no longer an estimate."""
        self.calendar = calendar
        changed = []
        for entry in self.store.estimated():
            due = deadline(entry.received_on, self.rule, calendar)
            if (due.due, due.estimated) != (entry.deadline, True):
                self.store.set_deadline(entry.number, due.due, due.estimated)
                changed.append(entry.number)
        return changed
