"""The queue-number machine (排队取号机), Qt-free: services and windows, tickets, calling, ratings, with its
own database `queue.db` in the data directory. The touch screen, the local HTTP API (calling page, status
page, display feed) and the voice all use this one facade.

Open it and configure it::

    from kiosk.queue import Queue, QueueError, load_config
    queue = Queue.open(data_dir)                      # clock=lambda: aware datetime, for tests
    queue.import_file(Path("hall-queue.toml"))        # or queue.configure(QueueConfig(...)); see kiosk.queue.config
    queue.config.configured                           # at least one service a window serves (the 取号 tile shows)

A resident takes a number (committed before anything is printed)::

    ticket = queue.take("shebao")                     # Ticket(number="A001", code=..., status="waiting", ...)
    queue.take("hukou", id_number="1301...", priority=queue.offers_priority("1301..."))
    queue.estimate(ticket)                            # Estimate(ahead=3, minutes=15, measured=False).text == "约 15 分钟"
    queue.mark_printed(ticket.id)                     # after the printer took it; prints > 1 is a 补打
    queue.print_failed(ticket.id, "paper out")        # the printer could not: staff see it, the ticket stays
    # or all of it: kiosk.queue.printing.print_ticket(queue, devices, ticket, hall=..., status_base=...)

Staff at window 3 (each call acts only on that window's tickets; the API checks the token first)::

    window = queue.verify_token(token)                # int or None; queue.issue_token(3) / revoke_tokens(3)
    token = queue.pair_with_pin(3, "246810", label)   # 窗口号 + 密码 (set_window_pin; five wrong lock, pin_lock)
    queue.paired_devices(); queue.revoke_device(id)   # each pairing (window, label, when, last seen); one revoked
    queue.call_next(3)                                # Ticket or None (nobody waiting); finish_current=True to chain
    queue.recall(3); queue.start(3); queue.finish(3); queue.no_show(3)
    queue.call(3, "A007")                             # 回呼 a waiting or 过号 number of today
    queue.hold(3); queue.resume(3, ticket_id)         # 挂起 / 恢复
    queue.transfer(3, to_service="hukou", to_window=5, keep_place=True)   # returns the new (child) ticket
    queue.cancel(ticket_id, window=3); queue.pause_window(3); queue.resume_window(3)
    queue.rate(ticket_id, 5, window=3)                # 5 非常满意 … 1 非常不满意 (model.RATINGS)

Reading::

    queue.snapshot(last=10)      # Snapshot: services (waiting, estimate, open/closed_reason), windows (current,
                                 # held, paused), last_calls (newest first)
    queue.ticket_status(code)    # TicketStatus for the QR status page, or None; follows transfers
    queue.tickets(day)           # every row of a day (tickets_between(first, last) for reports, kiosk.queue.reports)
    queue.transitions(since_id)  # the log, oldest first; queue.print_failures(day) for staff
    configured_in(data_dir)      # read-only: is there a queue to offer (the 取号 tile), without opening one

Events: `unsubscribe = queue.subscribe(callback)`; after each committed transition `callback(event)` runs
on the thread that made it (keep it short; hand off to your own thread or loop). Events (kiosk.queue.model):
`TicketIssued` (ahead), `TicketCalled` (first call or 回呼), `TicketRecalled` (重呼), `TicketFinished`,
`TicketStateChanged` (action: start, no_show, timeout, hold, resume, transfer, transferred_in, cancel,
reset, rate, print, print_failed; previous status), `WindowChanged` (paused; window None = configuration changed). Every
event has `id` (the transition row: increasing, an SSE event id), `at`, `ticket`, `window`.

Errors: every refusal is `QueueError` with `.zh` (Chinese, for the resident or staff), `str()` English for
logs, and `.code` (unknown_service, closed, cap_reached, id_required, id_invalid, id_holds_ticket,
unknown_window, paused, window_busy, no_ticket, not_your_ticket, wrong_status, already_rated,
unknown_ticket, invalid, storage, config); nothing is half-done.

Rules: statuses waiting → called → serving → done, plus no_show (重呼 `recalls_before_no_show` times, or
`call_timeout_minutes`), held, transferred (a child row keeps the number), cancelled, expired (still open
when the day ended, or `reset`). Numbers are per service per day (A001…), never issued twice; the day
rolls over at the first action of a new date. 绿色通道: one priority ticket after every `priority_every`
ordinary ones at a window, neither queue starving. The ID gate keeps a salted per-day hash only (one live
ticket per ID per service per day). Nothing is deleted; every transition is one transaction in
`transitions` with its time.
"""

from __future__ import annotations

from kiosk.queue.config import QueueConfig, Rules, Service, Window
from kiosk.queue.config import load as load_config
from kiosk.queue.config import parse as parse_config
from kiosk.queue.errors import QueueConfigError, QueueError
from kiosk.queue.model import (
    RATINGS,
    STATUS_ZH,
    Call,
    Estimate,
    QueueEvent,
    ServiceState,
    Snapshot,
    Ticket,
    TicketCalled,
    TicketFinished,
    TicketIssued,
    TicketRecalled,
    TicketStateChanged,
    TicketStatus,
    WindowChanged,
    WindowState,
)
from kiosk.queue.service import Queue, configured_in

__all__ = [
    "RATINGS",
    "STATUS_ZH",
    "Call",
    "Estimate",
    "Queue",
    "QueueConfig",
    "QueueConfigError",
    "QueueError",
    "QueueEvent",
    "Rules",
    "Service",
    "ServiceState",
    "Snapshot",
    "Ticket",
    "TicketCalled",
    "TicketFinished",
    "TicketIssued",
    "TicketRecalled",
    "TicketStateChanged",
    "TicketStatus",
    "Window",
    "WindowChanged",
    "WindowState",
    "configured_in",
    "load_config",
    "parse_config",
]
