"""The kiosk's application desk put together from its data directory and enrolment: `applications.db`,
the holiday tables the city published (`holidays/<year>.json`, holiday-cn format), the city's application
key from the enrolment file (on a demo's unenrolled data directory, the demo's key: kiosk/demo.py), and
the library's outbox. Without such a key the desk exists but takes nothing (`Applications.unavailable()`
says why, for staff).
"""

from __future__ import annotations

import logging
from pathlib import Path

from content.outbox import Outbox
from content.workdays import WorkCalendar, load_tables
from kiosk import demo
from kiosk.applications.store import FILE_NAME, ApplicationStore
from kiosk.applications.submit import Applications
from kiosk.applications.workdays import DeadlineRule
from kiosk.enrolment import Enrolment

log = logging.getLogger(__name__)

HOLIDAYS_DIR = "holidays"


def calendar(data_dir: Path) -> WorkCalendar:
    """The working-day calendar with every readable table in `data_dir/holidays`; a bad file is logged
    and left out (its year then counts weekends only, and deadlines through it say 预估)."""
    tables, errors = load_tables(data_dir / HOLIDAYS_DIR)
    for error in errors:
        log.warning("holiday table left out: %s", error)
    return WorkCalendar(tables)


def open_desk(
    data_dir: Path, outbox: Outbox, enrolment: Enrolment | None, rule: DeadlineRule | None = None
) -> Applications:
    return Applications(
        ApplicationStore(data_dir / FILE_NAME),
        outbox,
        enrolment.kiosk_id if enrolment else demo.DEMO_KIOSK_ID,
        enrolment.application_public if enrolment else demo.application_public(data_dir),
        calendar(data_dir),
        rule,
    )
