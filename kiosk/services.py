"""The kiosk's services: a plain container of small services with one job each, made by `build()`.

`build(config, data_dir)` is the one place they are put together (what `kiosk run`, `kiosk demo`, the
command line and the tests call). Each service gets the others it needs at construction, never the
container, and nothing is set on them afterwards:

| service    | module                   | its one job                                                          |
|------------|--------------------------|----------------------------------------------------------------------|
| `bus`      | `kiosk.events`           | typed events: `LibraryOpened`, `ContentChange` (and the new functions' own) |
| `library`  | `kiosk.library_service`  | opening the library off the GUI thread, the reading services, home tiles |
| `usage`    | `kiosk.usage`            | anonymous usage records, written off the caller's thread             |
| `devices`  | `kiosk.health`           | the devices' health: one diagnosis kept and reused                   |
| `sync`     | `kiosk.sync_control`     | enrolment, the background sync, 立即同步, sync status for staff       |
| `notices`  | `kiosk.features.notices` | staff's local notices (公示公告)                                      |
| `staff`    | `kiosk.staff_desk`       | PIN, settings, the current configuration, compliance, staff overview |
| `statistics` | `kiosk.statistics.service` | 数据统计: staff's reports and the monthly export to a USB stick |
| `queue`    | `kiosk.queue`            | the queue-number machine's tickets and calling (`queue.db`); its events go to `usage` |
| `queue_desk` | `kiosk.features.queue` | the 取号 screen and the staff section 排队叫号 over `queue`            |
| `pairing`  | `kiosk.api.pairing`      | one-time codes (a QR in staff mode) that pair a window's device with its calling page |
| `application_desk` | `kiosk.features.applications` | 信息公开申请: the card with consent, the form, submitting, the receipt (`applications.db`) |
| `signage_desk` | `kiosk.signage.desk` | staff's 公示屏 page: emergency notices on the displays, what each display reports |

Building is cheap: the library (and the modules it needs, about a second) opens later, on a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk import i18n
from kiosk.api.pairing import WindowPairing
from kiosk.config import Config
from kiosk.events import Bus
from kiosk.features.applications import ApplicationDesk
from kiosk.features.notices import NoticeBoard
from kiosk.features.queue import QueueDesk
from kiosk.health import DeviceHealth
from kiosk.library_service import LibraryService
from kiosk.queue import Queue, window_pins
from kiosk.queue import records as queue_records
from kiosk.session import Session
from kiosk.signage.desk import SignageDesk
from kiosk.staff import StaffSettings
from kiosk.staff_desk import StaffDesk
from kiosk.statistics.service import StatisticsService
from kiosk.sync_control import Enrolment, SyncControl
from kiosk.usage import UsageRecords


@dataclass(frozen=True)
class Services:
    data_dir: Path
    session: Session  # the resident's session, cleared by the idle reset
    bus: Bus
    library: LibraryService
    usage: UsageRecords
    devices: DeviceHealth
    sync: SyncControl
    notices: NoticeBoard
    staff: StaffDesk
    statistics: StatisticsService
    pairing: WindowPairing
    queue: Queue
    queue_desk: QueueDesk
    application_desk: ApplicationDesk
    signage_desk: SignageDesk

    @property
    def config(self) -> Config:
        """The configuration now: the file's, with the settings staff changed on the kiosk."""
        return self.staff.config

    def close(self) -> None:
        """Stop the background sync, write the queued usage records, close the library."""
        self.sync.stop()
        self.usage.close()
        self.library.close()
        self.queue.close()
        self.application_desk.close()


def build(
    config: Config,
    data_dir: Path,
    *,
    bundled: bool | None = None,
    background_sync: bool = False,
    hold: str = "",
) -> Services:
    """The kiosk's services over `data_dir`.

    `bundled`: import the bundled gazette into an empty library (None: `content.bundled_gazette`);
    `background_sync`: sync on the schedule once the library is open (`kiosk run`, `kiosk demo`; only on
    an enrolled kiosk with `sync.enabled`); `hold`: serve no resident, show this on the maintenance
    screen (a crash loop, `kiosk.crash_loop`), while the library, sync and heartbeats run on."""
    settings = StaffSettings(data_dir)
    config = settings.apply(config)
    i18n.set_language(config["kiosk.language"])
    session = Session()
    bus = Bus()
    enrolment = Enrolment(data_dir)
    usage = UsageRecords(config, enrolment, data_dir, bus)
    # The library's tiles follow the configuration now: the staff desk's (the wizard changes the tier live).
    library = LibraryService(
        lambda: staff.config, data_dir, session, bus, usage=usage.event, bundled=bundled, hold=hold
    )
    queue = Queue.open(data_dir)
    # the heartbeat's faults name a locked staff or window PIN (read when a heartbeat is made)
    devices = DeviceHealth(
        config, data_dir, locks=lambda: [*staff.auth.alerts(), *window_pins.alerts(queue.window_pin_states())]
    )
    sync = SyncControl(config, data_dir, bus, library, devices, enrolment, usage, background=background_sync)
    notices = NoticeBoard(library)
    staff = StaffDesk(config, data_dir, settings, library, devices, sync, notices)
    statistics = StatisticsService(usage, library)
    pairing = WindowPairing(config)
    queue_records.connect(queue, usage)
    queue_desk = QueueDesk(queue, lambda: staff.config, data_dir, session, library)
    application_desk = ApplicationDesk(lambda: staff.config, data_dir, session, library, usage)
    signage_desk = SignageDesk(data_dir, library, lambda: staff.config, bus)
    return Services(
        data_dir,
        session,
        bus,
        library,
        usage,
        devices,
        sync,
        notices,
        staff,
        statistics,
        pairing,
        queue=queue,
        queue_desk=queue_desk,
        application_desk=application_desk,
        signage_desk=signage_desk,
    )
