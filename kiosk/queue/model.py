"""The queue's values: a ticket and its statuses, the events the queue tells its subscribers, and what
`Queue.snapshot()` and `Queue.ticket_status()` answer. Plain frozen dataclasses, safe to hand to any
thread (the local API serialises them with `dataclasses.asdict`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.i18n import N_, tr, translate

WAITING = "waiting"  # 等候
CALLED = "called"  # 已叫号, not yet at the counter
SERVING = "serving"  # 办理中
DONE = "done"  # 已办结
NO_SHOW = "no_show"  # 过号 (after the recalls or the call timeout); 回呼 can call it again today
HELD = "held"  # 挂起 at its window (the resident fetches a paper); resume brings it back there
TRANSFERRED = "transferred"  # 已转移: its child ticket (same number) waits in the other service/window
CANCELLED = "cancelled"  # 已取消
EXPIRED = "expired"  # still open when the day ended (closed at the next day's first action or a reset)

STATUSES = (WAITING, CALLED, SERVING, DONE, NO_SHOW, HELD, TRANSFERRED, CANCELLED, EXPIRED)
LIVE = (WAITING, CALLED, SERVING, HELD)  # a live ticket is still the resident's turn to come
AT_WINDOW = (CALLED, SERVING)  # a window has at most one ticket in these
FINAL = (DONE, TRANSFERRED, CANCELLED, EXPIRED)  # NO_SHOW is not final: 回呼 may call it again today

STATUS_ZH = {
    WAITING: N_("等候中"),
    CALLED: N_("已叫号"),
    SERVING: N_("办理中"),
    DONE: N_("已办结"),
    NO_SHOW: N_("已过号"),
    HELD: N_("已挂起"),
    TRANSFERRED: N_("已转办"),
    CANCELLED: N_("已取消"),
    EXPIRED: N_("已过期"),
}

RATINGS = {  # the 好差评 levels, shown with `translate`
    5: N_("非常满意"),
    4: N_("满意"),
    3: N_("基本满意"),
    2: N_("不满意"),
    1: N_("非常不满意"),
}


@dataclass(frozen=True)
class Ticket:
    id: int  # the row: stable for the ticket's life; a transfer makes a new row with `parent_id` = this id
    code: str  # random, unguessable: the status page's address (`Rules.status_url` + code)
    day: str  # ISO date of the business day
    service: str  # service key
    number: str  # "A001"; a transferred ticket keeps its number
    priority: bool  # 绿色通道
    status: str
    window: int | None  # the window it is (or was last) at
    target_window: int | None  # transferred to this window only
    issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    calls: int  # times called (1 at the first call, +1 at each 重呼)
    parent_id: int | None
    rating: int | None
    prints: int  # times printed; > 1 means a 补打 was made

    @property
    def status_zh(self) -> str:
        return translate(STATUS_ZH[self.status])


# --- events: told to `Queue.subscribe` callbacks after each transition is committed ---------------------


@dataclass(frozen=True)
class QueueEvent:
    id: int  # the transition's row in the `transitions` table: increasing, usable as an SSE event id
    at: datetime
    ticket: Ticket | None  # the ticket as it is after the transition (None for window events)
    window: int | None  # the window that acted, if any


@dataclass(frozen=True)
class TicketIssued(QueueEvent):
    ahead: int = 0  # people waiting before it in its service


@dataclass(frozen=True)
class TicketCalled(QueueEvent):
    """A first call (叫号), or 回呼 of a specific number: the voice says it, displays show it."""


@dataclass(frozen=True)
class TicketRecalled(QueueEvent):
    """重呼: the same ticket called again at the same window (`ticket.calls` counts the calls)."""


@dataclass(frozen=True)
class TicketFinished(QueueEvent):
    """办结: the ticket is done (ratings may follow)."""


@dataclass(frozen=True)
class TicketStateChanged(QueueEvent):
    """Any other transition: start, no_show, hold, resume, transfer, cancel, expire, rate, print."""

    action: str = ""
    previous: str = ""  # the status before


@dataclass(frozen=True)
class WindowChanged(QueueEvent):
    """A window paused (暂停服务) or resumed, or the configuration changed (`window` None)."""

    paused: bool = False


# --- answers ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    ahead: int  # people waiting before
    minutes: int  # expected wait, rounded up
    measured: bool  # from today's service times (else the configured per-person estimate)

    @property
    def text(self) -> str:
        """The wait in words: "约 15 分钟", or "马上就到" when nobody is ahead (always 约: an estimate)."""
        if self.ahead == 0:
            return tr("马上就到")
        return tr("约 {minutes} 分钟", minutes=max(1, self.minutes))


@dataclass(frozen=True)
class ServiceState:
    key: str
    name: str
    prefix: str
    category: str
    id_card: str
    waiting: int
    priority_waiting: int
    estimate: Estimate  # for someone taking a ticket now
    open: bool  # tickets can be taken now
    closed_reason: str  # '' when open, else why not (Chinese, for the resident)
    issued_today: int
    capacity: int


@dataclass(frozen=True)
class WindowState:
    number: int
    name: str
    services: tuple[str, ...]
    paused: bool
    current: Ticket | None  # the ticket called or being served there
    held: tuple[Ticket, ...]


@dataclass(frozen=True)
class Call:
    number: str
    service: str
    service_name: str
    window: int
    window_name: str
    at: datetime
    recall: bool


@dataclass(frozen=True)
class Snapshot:
    day: str
    at: datetime
    services: tuple[ServiceState, ...]
    windows: tuple[WindowState, ...]
    last_calls: tuple[Call, ...]  # newest first


@dataclass(frozen=True)
class TicketStatus:
    """What the ticket's status page (the QR on the ticket) shows: no personal data."""

    number: str
    service_name: str
    status: str
    status_zh: str
    window: int | None
    window_name: str
    ahead: int
    estimate: Estimate | None  # while waiting
    issued_at: datetime
    called_at: datetime | None
    day: str
