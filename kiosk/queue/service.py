"""`Queue`: the queue-number machine's rules over `queue.db` (see the package docstring for how to use it).

Each public method that changes something is one `BEGIN IMMEDIATE` transaction: it first closes the
previous day (when the date changed) and the calls that timed out, then does its one transition and
writes it to `transitions`; the subscribers hear of it only after the commit.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import secrets
import sqlite3
import statistics
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from kiosk.i18n import tr
from kiosk.queue import config as config_mod
from kiosk.queue import identity, ordering, pin_lock, store, window_pins
from kiosk.queue.config import QueueConfig, Service, Window
from kiosk.queue.errors import QueueError
from kiosk.queue.model import (
    AT_WINDOW,
    CALLED,
    CANCELLED,
    DONE,
    EXPIRED,
    HELD,
    LIVE,
    NO_SHOW,
    RATINGS,
    SERVING,
    TRANSFERRED,
    WAITING,
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
from kiosk.staff import PIN_LENGTHS, hash_pin, verify_pin

log = logging.getLogger(__name__)

T = TypeVar("T")
Clock = Callable[[], datetime]
MIN_SAMPLES = 3  # fewer measured service times than this: the configured estimate is used

# Transitions with an event type of their own; every other one is a TicketStateChanged.
EVENT_OF = {
    "call": TicketCalled,
    "callback": TicketCalled,
    "recall": TicketRecalled,
    "finish": TicketFinished,
}
TICKET_COLUMNS = (
    "id, code, day, service, number, priority, status, window, target_window, issued_at, called_at, "
    "started_at, finished_at, calls, parent_id, rating, prints"
)


LABEL_LENGTH = 40  # a paired device's label: the start of its User-Agent


@dataclass(frozen=True)
class PairedDevice:
    id: int
    window: int
    label: str
    paired_at: datetime
    last_seen: datetime | None


def local_now() -> datetime:
    return datetime.now().astimezone()


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _ticket(row: tuple) -> Ticket:
    return Ticket(
        id=row[0],
        code=row[1],
        day=row[2],
        service=row[3],
        number=row[4],
        priority=bool(row[5]),
        status=row[6],
        window=row[7],
        target_window=row[8],
        issued_at=datetime.fromisoformat(row[9]),
        called_at=_time(row[10]),
        started_at=_time(row[11]),
        finished_at=_time(row[12]),
        calls=row[13],
        parent_id=row[14],
        rating=row[15],
        prints=row[16],
    )


@dataclass
class _Tx:
    db: sqlite3.Connection
    now: datetime
    config: QueueConfig
    events: list[QueueEvent] = field(default_factory=list)

    @property
    def today(self) -> str:
        return self.now.date().isoformat()

    def log(self, ticket_id: int | None, action: str, before: str | None, after: str | None,
            window: int | None, detail: str = "") -> int:  # fmt: skip
        return self.db.execute(
            "INSERT INTO transitions (ticket_id, at, action, from_status, to_status, window, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [ticket_id, self.now.isoformat(), action, before, after, window, detail],
        ).lastrowid

    def ticket(self, ticket_id: int) -> Ticket:
        row = self.db.execute(f"SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ?", [ticket_id]).fetchone()
        if row is None:
            raise QueueError(f"no ticket {ticket_id}", tr("没有这个号"), "unknown_ticket")
        return _ticket(row)

    def move(self, ticket: Ticket, action: str, status: str, by: int | None, **columns: Any) -> Ticket:
        """Set the ticket's status (and columns), log the transition made by window `by` (None: the kiosk)
        and queue its event."""
        sets = ", ".join(f"{name} = ?" for name in ("status", *columns))
        self.db.execute(f"UPDATE tickets SET {sets} WHERE id = ?", [status, *columns.values(), ticket.id])
        after = self.ticket(ticket.id)
        event_id = self.log(ticket.id, action, ticket.status, status, by)
        if action in EVENT_OF:
            self.events.append(EVENT_OF[action](event_id, self.now, after, by))
        else:
            self.events.append(TicketStateChanged(event_id, self.now, after, by, action, ticket.status))
        return after


def configured_in(data_dir: Path) -> bool:
    """Whether `data_dir` holds a queue with a service some window serves (read-only; no file is made)."""
    path = data_dir / store.FILE_NAME
    if not path.is_file():
        return False
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=2)
        try:
            row = db.execute("SELECT body FROM configs ORDER BY id DESC LIMIT 1").fetchone()
        finally:
            db.close()
        return bool(row) and config_mod.parse(json.loads(row[0]), "queue.db").configured
    except (sqlite3.Error, ValueError, QueueError):
        return False


class Queue:
    """The queue of one hall; thread-safe (one connection behind a lock), several processes may share the
    file (SQLite's locking; a writer waits up to 10 s)."""

    def __init__(self, path: Path, *, clock: Clock = local_now,
                 pin_clocks: Callable[[], pin_lock.Clocks] = window_pins.clocks_now):  # fmt: skip
        self.path = path
        self.clock = clock
        self.pin_clocks = pin_clocks
        self._lock = threading.RLock()
        self._db = store.connect(path)
        self._subscribers: list[Callable[[QueueEvent], None]] = []
        self._config_id = -1
        self._config = QueueConfig()
        with self._lock:
            self._reload_config()

    @classmethod
    def open(cls, data_dir: Path, *, clock: Clock = local_now, **options: Any) -> Queue:
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(data_dir / store.FILE_NAME, clock=clock, **options)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- plumbing ------------------------------------------------------------------------------------------

    def _reload_config(self) -> QueueConfig:
        row = self._db.execute("SELECT id, body FROM configs ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            self._config_id, self._config = 0, QueueConfig()
        elif row[0] != self._config_id:
            self._config_id, self._config = row[0], config_mod.parse(json.loads(row[1]), "queue.db")
        return self._config

    def _write(self, statements: Callable[[_Tx], T]) -> T:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    tx = _Tx(self._db, self.clock(), self._reload_config())
                    self._roll_over(tx)
                    self._time_out_calls(tx)
                    result = statements(tx)
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise QueueError(
                    f"queue.db write failed: {exc}",
                    tr("排队叫号数据无法保存（存储空间不足或已损坏），请联系工作人员"),
                    "storage",
                ) from None
        for event in tx.events:
            self._tell(event)
        return result

    def _read(self, statements: Callable[[sqlite3.Connection, datetime, QueueConfig], T]) -> T:
        with self._lock:
            try:
                self._db.execute("BEGIN")
                try:
                    return statements(self._db, self.clock(), self._reload_config())
                finally:
                    self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise QueueError(
                    f"queue.db read failed: {exc}", tr("排队叫号数据无法读取，请联系工作人员"), "storage"
                ) from None

    def _tell(self, event: QueueEvent) -> None:
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:  # noqa: BLE001 - one subscriber must not keep the others from hearing
                log.exception("queue subscriber failed on %s", type(event).__name__)

    def subscribe(self, callback: Callable[[QueueEvent], None]) -> Callable[[], None]:
        """Call `callback(event)` after every committed transition, on the thread that made it (keep it
        short: hand the event to your own thread or loop). Returns a function that unsubscribes."""
        self._subscribers.append(callback)

        def remove() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return remove

    def _roll_over(self, tx: _Tx) -> None:
        """A new day: yesterday's open tickets become history (expired), its ID salt is blanked, numbering
        starts again (counters are per day) and every window's priority streak restarts."""
        row = tx.db.execute("SELECT value FROM meta WHERE key = 'day'").fetchone()
        if row is not None and row[0] == tx.today:
            return
        old = tx.db.execute(
            f"SELECT id, status FROM tickets WHERE day < ? AND status IN ({_marks(LIVE + (NO_SHOW,))})",
            [tx.today, *LIVE, NO_SHOW],
        ).fetchall()
        for ticket_id, status in old:
            tx.db.execute("UPDATE tickets SET status = ? WHERE id = ?", [EXPIRED, ticket_id])
            tx.log(ticket_id, "expire", status, EXPIRED, None, "day ended")
        tx.db.execute("UPDATE day_salts SET salt = NULL WHERE day < ?", [tx.today])
        tx.db.execute("UPDATE windows_state SET streak = ?", [tx.config.rules.priority_every])
        tx.db.execute(
            "INSERT INTO meta (key, value) VALUES ('day', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [tx.today],
        )

    def _time_out_calls(self, tx: _Tx) -> None:
        minutes = tx.config.rules.call_timeout_minutes
        if not minutes:
            return
        limit = (tx.now - timedelta(minutes=minutes)).isoformat()
        rows = tx.db.execute(
            f"SELECT {TICKET_COLUMNS} FROM tickets WHERE day = ? AND status = ? AND called_at < ?",
            [tx.today, CALLED, limit],
        ).fetchall()
        for row in rows:
            ticket = _ticket(row)
            tx.move(ticket, "timeout", NO_SHOW, ticket.window)

    # --- configuration ---------------------------------------------------------------------------------

    @property
    def config(self) -> QueueConfig:
        """The configuration in force (re-read when another process imported a new one)."""
        with self._lock:
            return self._reload_config()

    def configure(self, new: QueueConfig) -> QueueConfig:
        """Put a new configuration in force (checked again as a file would be; the old ones are kept).
        Live tickets of a service that is no longer configured stay in the database but are not called."""
        checked = config_mod.parse(new.to_dict(), tr("新配置"))

        def statements(tx: _Tx) -> QueueConfig:
            body = json.dumps(checked.to_dict(), ensure_ascii=False, sort_keys=True)
            tx.db.execute("INSERT INTO configs (at, body) VALUES (?, ?)", [tx.now.isoformat(), body])
            for window in checked.windows:
                tx.db.execute(
                    "INSERT OR IGNORE INTO windows_state (number, streak) VALUES (?, ?)",
                    [window.number, checked.rules.priority_every],
                )
            for window in new.windows:  # a file's PINs; the configuration's row never holds them
                if window.pin_hash:
                    self._keep_pin(tx, window.number, window.pin_hash)
            event_id = tx.log(None, "configure", None, None, None, f"{len(checked.services)} services")
            tx.events.append(WindowChanged(event_id, tx.now, None, None))
            return checked

        return self._write(statements)

    def import_file(self, path: Path) -> QueueConfig:
        """`kiosk queue import FILE`: read, check and put in force a TOML/JSON file (all or nothing)."""
        return self.configure(config_mod.load(path))

    # --- window tokens ---------------------------------------------------------------------------------

    def issue_token(self, window: int, label: str = "") -> str:
        """A new secret for the window's calling page (shown once, as a QR code); only its hash is kept.
        `label` names the device to staff (its User-Agent; cut to `LABEL_LENGTH`)."""
        token = secrets.token_urlsafe(24)

        def statements(tx: _Tx) -> str:
            self._window(tx.config, window)
            _keep_token(tx, token, window, label)
            tx.log(None, "token_issued", None, None, window)
            return token

        return self._write(statements)

    def verify_token(self, token: str) -> int | None:
        """The window a token belongs to, or None (unknown, revoked, or its window no longer configured).
        A valid token's device is marked seen (at most once a minute)."""
        if not isinstance(token, str) or not token or len(token) > 200:
            return None
        digest = _token_hash(token)

        def statements(db: sqlite3.Connection, now: datetime, config: QueueConfig) -> tuple[int | None, str]:
            row = db.execute(
                "SELECT window, last_seen FROM window_tokens WHERE hash = ? AND revoked_at IS NULL", [digest]
            ).fetchone()
            return (row[0] if row and config.window(row[0]) else None), (row[1] or "") if row else ""

        window, seen = self._read(statements)
        minute = self.clock().isoformat(timespec="minutes")
        if window is not None and seen < minute:
            with self._lock:  # one autocommitted statement: no transaction, no roll-over
                try:
                    self._db.execute(
                        "UPDATE window_tokens SET last_seen = ? WHERE hash = ?", [minute, digest]
                    )
                except sqlite3.Error as exc:
                    log.warning("a paired device's last-seen time not kept: %s", exc)
        return window

    def paired_devices(self) -> list[PairedDevice]:
        """Every live pairing, by window then time: for staff to see and revoke one."""

        def statements(db: sqlite3.Connection, _now: datetime, _config: QueueConfig) -> list[PairedDevice]:
            rows = db.execute(
                "SELECT rowid, window, label, issued_at, last_seen FROM window_tokens "
                "WHERE revoked_at IS NULL ORDER BY window, issued_at, rowid"
            ).fetchall()
            return [PairedDevice(r[0], r[1], r[2], _time(r[3]), _time(r[4])) for r in rows]

        return self._read(statements)

    def revoke_device(self, device: int) -> bool:
        """Revoke one paired device (`PairedDevice.id`); False when it was not paired (any more)."""

        def statements(tx: _Tx) -> bool:
            row = tx.db.execute(
                "SELECT window FROM window_tokens WHERE rowid = ? AND revoked_at IS NULL", [device]
            ).fetchone()
            if row is None:
                return False
            tx.db.execute(
                "UPDATE window_tokens SET revoked_at = ? WHERE rowid = ?", [tx.now.isoformat(), device]
            )
            tx.log(None, "token_revoked", None, None, row[0], str(device))
            return True

        return self._write(statements)

    def revoke_tokens(self, window: int | None = None) -> int:
        """Revoke every token of the window, or of every window (a lost phone, a new counter PC); returns
        how many were live."""

        def statements(tx: _Tx) -> int:
            count = tx.db.execute(
                "UPDATE window_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND (? IS NULL OR window = ?)",
                [tx.now.isoformat(), window, window],
            ).rowcount
            tx.log(None, "tokens_revoked", None, None, window, str(count))
            return count

        return self._write(statements)

    # --- window PINs: 窗口号 + 密码 pairing (the lock's rules are kiosk.queue.pin_lock's) ---------------

    def set_window_pin(self, window: int, pin: str) -> None:
        """Set (or change) a window's PIN, 6 to 8 digits, kept only as its scrypt hash; the lock is cleared."""
        if not (isinstance(pin, str) and pin.isascii() and pin.isdigit() and len(pin) in PIN_LENGTHS):
            raise QueueError(
                "a window PIN must be 6 to 8 digits",
                tr(
                    "窗口密码应为 {shortest} 到 {longest} 位数字",
                    shortest=PIN_LENGTHS[0],
                    longest=PIN_LENGTHS[-1],
                ),
                "invalid",
            )
        stored = hash_pin(pin)

        def statements(tx: _Tx) -> None:
            self._window(tx.config, window)
            self._keep_pin(tx, window, stored)

        self._write(statements)

    def _keep_pin(self, tx: _Tx, window: int, stored: str) -> None:
        _, lock = window_pins.load(tx.db, window)
        window_pins.save(tx.db, window, stored, pin_lock.unlocked(lock))
        tx.log(None, "pin_set", None, None, window)

    def clear_window_pin(self, window: int) -> None:
        """No PIN pairing for the window any more (its QR pairing stays)."""

        def statements(tx: _Tx) -> None:
            self._window(tx.config, window)
            _, lock = window_pins.load(tx.db, window)
            window_pins.save(tx.db, window, "", lock)
            tx.log(None, "pin_cleared", None, None, window)

        self._write(statements)

    def unlock_window_pin(self, window: int) -> None:
        """Staff's unlock of a window's PIN pairing (after the last step of the escalation, or sooner)."""

        def statements(tx: _Tx) -> None:
            self._window(tx.config, window)
            stored, lock = window_pins.load(tx.db, window)
            window_pins.save(tx.db, window, stored, pin_lock.unlocked(lock))
            tx.log(None, "pin_unlocked", None, None, window)

        self._write(statements)

    def window_pin_states(self) -> list[window_pins.PinState]:
        """Each configured window's PIN: set or not, locked for how long or until staff unlock it."""
        now = self.pin_clocks()

        def statements(db: sqlite3.Connection, _now: datetime, config: QueueConfig) -> list:
            return [window_pins.state(db, w.number, now) for w in config.windows]

        return self._read(statements)

    def pair_with_pin(self, window: int, pin: str, label: str = "") -> str:
        """A new token for the window when `pin` is its PIN; every wrong PIN is counted in `queue.db` and the
        fifth locks the window's PIN pairing (`pin_lock`). Refusals: `no_pin`, `wrong_pin` (tries left),
        `pin_locked` (minutes left, or until staff unlock), `unknown_window`."""

        def before(tx: _Tx) -> tuple[str, pin_lock.Verdict]:
            self._window(tx.config, window)
            stored, lock = window_pins.load(tx.db, window)
            checked_lock, verdict = pin_lock.before_check(lock, self.pin_clocks())
            if checked_lock != lock:
                window_pins.save(tx.db, window, stored, checked_lock)
            return stored, verdict

        stored, verdict = self._write(before)
        if not stored:
            raise window_pins.no_pin(window)
        if not verdict.check:
            raise window_pins.refusal(window, verdict)
        right = isinstance(pin, str) and len(pin) <= 64 and verify_pin(pin, stored)  # slow: outside the lock
        token = secrets.token_urlsafe(24)

        def after(tx: _Tx) -> QueueError | str:
            now = self.pin_clocks()
            current, lock = window_pins.load(tx.db, window)
            lock, verdict = pin_lock.before_check(lock, now)
            if not verdict.check:  # another attempt locked it meanwhile: this one is not counted
                window_pins.save(tx.db, window, current, lock)
                return window_pins.refusal(window, verdict)
            if current != stored:  # the PIN changed meanwhile: checked against the old one, so not counted
                return QueueError(
                    "window PIN changed meanwhile", tr("窗口密码刚被修改，请重新输入"), "wrong_pin"
                )
            if right:
                window_pins.save(tx.db, window, current, pin_lock.right(lock))
                _keep_token(tx, token, window, label)
                tx.log(None, "token_issued", None, None, window, "pin")
                return token
            lock = pin_lock.wrong(lock, now)
            window_pins.save(tx.db, window, current, lock)
            tx.log(None, "pin_wrong" if lock.failures else "pin_lockout", None, None, window)
            return window_pins.wrong_pin(window, lock, now)

        outcome = self._write(after)
        if isinstance(outcome, QueueError):
            raise outcome
        return outcome

    # --- taking a number --------------------------------------------------------------------------------

    def offers_priority(self, id_number: str) -> bool:
        """True if the card's holder is at least `priority_age` today (绿色通道 offered automatically)."""
        threshold = self.config.rules.priority_age
        years = identity.age(id_number, self.clock().date())
        return bool(threshold) and years is not None and years >= threshold

    def take(self, service_key: str, *, id_number: str | None = None, priority: bool = False) -> Ticket:
        """Issue the next number of a service, committed before anything is printed. Raises `QueueError`
        (codes: unknown_service, closed, cap_reached, id_required, id_invalid, id_holds_ticket)."""
        checked_id = identity.checked(id_number) if id_number is not None else None

        def statements(tx: _Tx) -> Ticket:
            service = _open_service(tx.config, service_key, tx.now)
            if service.id_card == "required" and checked_id is None:
                raise QueueError(
                    f"{service.key} needs an ID card",
                    tr("“{name}”需要刷身份证取号", name=service.name),
                    "id_required",
                )
            id_hash = None
            if checked_id is not None:
                id_hash = identity.day_hash(checked_id, _salt(tx))
                held = tx.db.execute(
                    f"SELECT number FROM tickets WHERE day = ? AND service = ? AND id_hash = ? "
                    f"AND status IN ({_marks(LIVE)})",
                    [tx.today, service.key, id_hash, *LIVE],
                ).fetchone()
                if held:
                    raise QueueError(
                        f"ID already holds a live {service.key} ticket",
                        tr("您已取过“{name}”的号 {held}，请留意叫号", name=service.name, held=held[0]),
                        "id_holds_ticket",
                    )
            row = tx.db.execute(
                "SELECT last FROM counters WHERE day = ? AND service = ?", [tx.today, service.key]
            ).fetchone()
            seq = (row[0] if row else 0) + 1
            if seq > service.capacity:
                raise QueueError(
                    f"{service.key}: cap of {service.capacity} reached",
                    tr(
                        "“{name}”今天的号已取完（每天 {capacity} 个），请明天再来",
                        name=service.name,
                        capacity=service.capacity,
                    ),
                    "cap_reached",
                )
            tx.db.execute(
                "INSERT INTO counters (day, service, last) VALUES (?, ?, ?) "
                "ON CONFLICT(day, service) DO UPDATE SET last = excluded.last",
                [tx.today, service.key, seq],
            )
            ticket_id = tx.db.execute(
                "INSERT INTO tickets (code, day, service, seq, number, priority, status, place, issued_at, "
                "id_hash) VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(place), 0) + 1 FROM tickets), ?, ?)",
                [
                    secrets.token_urlsafe(12),
                    tx.today,
                    service.key,
                    seq,
                    service.number(seq),
                    int(priority),
                    WAITING,
                    tx.now.isoformat(),
                    id_hash,
                ],
            ).lastrowid
            ticket = tx.ticket(ticket_id)
            ahead = _ahead(tx.db, ticket)
            event_id = tx.log(ticket_id, "take", None, WAITING, None, "priority" if priority else "")
            tx.events.append(TicketIssued(event_id, tx.now, ticket, None, ahead))
            return ticket

        return self._write(statements)

    def mark_printed(self, ticket_id: int) -> Ticket:
        """Count a print that reached the printer (a second one is the 补打)."""

        def statements(tx: _Tx) -> Ticket:
            ticket = tx.ticket(ticket_id)
            tx.db.execute("UPDATE tickets SET prints = prints + 1 WHERE id = ?", [ticket_id])
            after = tx.ticket(ticket_id)
            event_id = tx.log(ticket_id, "print", ticket.status, ticket.status, None, str(after.prints))
            tx.events.append(TicketStateChanged(event_id, tx.now, after, None, "print", ticket.status))
            return after

        return self._write(statements)

    def print_failed(self, ticket_id: int, reason: str) -> Ticket:
        """Record that the printer could not print the ticket (staff see it; the ticket stays valid)."""

        def statements(tx: _Tx) -> Ticket:
            ticket = tx.ticket(ticket_id)
            event_id = tx.log(ticket_id, "print_failed", ticket.status, ticket.status, None, reason[:200])
            tx.events.append(
                TicketStateChanged(event_id, tx.now, ticket, None, "print_failed", ticket.status)
            )
            return ticket

        return self._write(statements)

    # --- calling (each acts on the window's own tickets) -----------------------------------------------

    def call_next(self, window: int, *, finish_current: bool = False) -> Ticket | None:
        """Call the next waiting ticket of the window's services (None: nobody waits). A ticket still at
        the window is an error unless `finish_current`, which finishes it in the same transaction."""

        def statements(tx: _Tx) -> Ticket | None:
            self._ready_window(tx, window)
            current = _current(tx.db, window, tx.today)
            if current is not None:
                if not finish_current:
                    raise _busy(current)
                self._finish(tx, current, window)
            served = self._window(tx.config, window).services
            rows = tx.db.execute(
                f"SELECT {TICKET_COLUMNS} FROM tickets WHERE day = ? AND status = ? "
                f"AND service IN ({_marks(served)}) AND (target_window IS NULL OR target_window = ?) "
                "ORDER BY place, id",
                [tx.today, WAITING, *served, window],
            ).fetchall()
            every = tx.config.rules.priority_every
            tx.db.execute(
                "INSERT OR IGNORE INTO windows_state (number, streak) VALUES (?, ?)", [window, every]
            )
            (streak,) = tx.db.execute(
                "SELECT streak FROM windows_state WHERE number = ?", [window]
            ).fetchone()
            chosen = ordering.pick([_ticket(r) for r in rows], streak, every)
            if chosen is None:
                return None
            tx.db.execute(
                "UPDATE windows_state SET streak = ? WHERE number = ?",
                [0 if chosen.priority else streak + 1, window],
            )
            return tx.move(
                chosen, "call", CALLED, window, window=window, called_at=tx.now.isoformat(), calls=1
            )

        return self._write(statements)

    def call(self, window: int, number: str) -> Ticket:
        """回呼: call a specific number of today (waiting, or 过号) of the window's services."""

        def statements(tx: _Tx) -> Ticket:
            self._ready_window(tx, window)
            current = _current(tx.db, window, tx.today)
            if current is not None:
                raise _busy(current)
            served = self._window(tx.config, window).services
            row = tx.db.execute(
                f"SELECT {TICKET_COLUMNS} FROM tickets WHERE day = ? AND number = ? "
                f"AND service IN ({_marks(served)}) ORDER BY id DESC LIMIT 1",
                [tx.today, number.strip().upper(), *served],
            ).fetchone()
            if row is None:
                raise QueueError(
                    f"window {window}: no ticket {number} today",
                    tr("本窗口今天没有 {number} 号", number=number),
                    "unknown_ticket",
                )
            ticket = _ticket(row)
            if ticket.status not in (WAITING, NO_SHOW) or ticket.target_window not in (None, window):
                raise QueueError(
                    f"{ticket.number} is {ticket.status}",
                    tr("{number} 号{status_zh}，不能呼叫", number=ticket.number, status_zh=ticket.status_zh),
                    "wrong_status",
                )
            return tx.move(
                ticket, "callback", CALLED, window, window=window, called_at=tx.now.isoformat(), calls=1
            )

        return self._write(statements)

    def recall(self, window: int) -> Ticket:
        """重呼 the ticket called at the window; once it has been recalled `recalls_before_no_show` times,
        the next recall makes it 过号 instead (the returned ticket says which)."""

        def statements(tx: _Tx) -> Ticket:
            ticket = self._at_window(tx, window, (CALLED,))
            if ticket.calls - 1 >= tx.config.rules.recalls_before_no_show:
                return tx.move(ticket, "no_show", NO_SHOW, window)
            return tx.move(
                ticket, "recall", CALLED, window, calls=ticket.calls + 1, called_at=tx.now.isoformat()
            )

        return self._write(statements)

    def start(self, window: int) -> Ticket:
        """The resident is at the counter: 办理中."""
        return self._write(
            lambda tx: tx.move(
                self._at_window(tx, window, (CALLED,)),
                "start",
                SERVING,
                window,
                started_at=tx.now.isoformat(),
            )
        )

    def finish(self, window: int) -> Ticket:
        """办结 the window's ticket (called or serving)."""
        return self._write(lambda tx: self._finish(tx, self._at_window(tx, window, AT_WINDOW), window))

    def _finish(self, tx: _Tx, ticket: Ticket, window: int) -> Ticket:
        started = ticket.started_at.isoformat() if ticket.started_at else tx.now.isoformat()
        return tx.move(ticket, "finish", DONE, window, started_at=started, finished_at=tx.now.isoformat())

    def no_show(self, window: int) -> Ticket:
        """过号: the called resident did not come (回呼 can still call the number today)."""
        return self._write(
            lambda tx: tx.move(self._at_window(tx, window, (CALLED,)), "no_show", NO_SHOW, window)
        )

    def hold(self, window: int) -> Ticket:
        """挂起 the window's ticket (the resident fetches a paper); the window is free to call the next."""
        return self._write(lambda tx: tx.move(self._at_window(tx, window, AT_WINDOW), "hold", HELD, window))

    def resume(self, window: int, ticket_id: int) -> Ticket:
        """Resume a ticket this window held: it is served there again."""

        def statements(tx: _Tx) -> Ticket:
            current = _current(tx.db, window, tx.today)
            if current is not None:
                raise _busy(current)
            ticket = tx.ticket(ticket_id)
            if ticket.status != HELD or ticket.window != window or ticket.day != tx.today:
                raise QueueError(
                    f"ticket {ticket_id} is not held at window {window}",
                    tr("{number} 号不是本窗口挂起的号", number=ticket.number),
                    "not_your_ticket",
                )
            started = ticket.started_at.isoformat() if ticket.started_at else tx.now.isoformat()
            return tx.move(ticket, "resume", SERVING, window, started_at=started)

        return self._write(statements)

    def transfer(self, window: int, *, to_service: str | None = None, to_window: int | None = None,
                 keep_place: bool = True) -> Ticket:  # fmt: skip
        """转办 the window's ticket to another service and/or window. It keeps its number (the status page
        follows it); with `keep_place` it keeps its place in the hall's order (goes first if that is
        early), else it goes to the back. Returns the new ticket (its `parent_id` the old one)."""

        def statements(tx: _Tx) -> Ticket:
            ticket = self._at_window(tx, window, AT_WINDOW + (HELD,))
            if to_service is None and to_window is None:
                raise QueueError(
                    "transfer needs a service or a window", tr("请选择转到的业务或窗口"), "invalid"
                )
            service_key = to_service or ticket.service
            service = tx.config.service(service_key)
            if service is None:
                raise QueueError(f"unknown service {service_key!r}", tr("没有这项业务"), "unknown_service")
            if to_window is not None:
                target = self._window(tx.config, to_window)
                if service_key not in target.services:
                    raise QueueError(
                        f"window {to_window} does not serve {service_key}",
                        tr("{window}不办理“{service}”", window=target.name, service=service.name),
                        "invalid",
                    )
            elif not any(service_key in w.services for w in tx.config.windows):
                raise QueueError(
                    f"no window serves {service_key}",
                    tr("没有窗口办理“{name}”", name=service.name),
                    "invalid",
                )
            moved = tx.move(ticket, "transfer", TRANSFERRED, window, finished_at=tx.now.isoformat())
            child_id = tx.db.execute(
                "INSERT INTO tickets (code, day, service, seq, number, priority, status, place, target_window, "
                "issued_at, parent_id, id_hash) SELECT code, day, ?, seq, number, priority, ?, "
                "CASE WHEN ? THEN place ELSE (SELECT coalesce(max(place), 0) + 1 FROM tickets) END, ?, issued_at, "
                "id, id_hash FROM tickets WHERE id = ?",
                [service_key, WAITING, int(keep_place), to_window, moved.id],
            ).lastrowid
            child = tx.ticket(child_id)
            event_id = tx.log(child_id, "transferred_in", None, WAITING, window, f"from {moved.id}")
            tx.events.append(TicketStateChanged(event_id, tx.now, child, window, "transferred_in", ""))
            return child

        return self._write(statements)

    def cancel(self, ticket_id: int, *, window: int | None = None) -> Ticket:
        """取消 a ticket that is waiting, held or 过号 (staff at the kiosk, or `window` for its own)."""

        def statements(tx: _Tx) -> Ticket:
            ticket = tx.ticket(ticket_id)
            if window is not None and not _belongs(tx.config, ticket, window):
                raise _not_yours(ticket, window)
            if ticket.status not in (WAITING, HELD, NO_SHOW) or ticket.day != tx.today:
                raise QueueError(
                    f"cannot cancel a {ticket.status} ticket",
                    tr("{number} 号{status_zh}，不能取消", number=ticket.number, status_zh=ticket.status_zh),
                    "wrong_status",
                )
            return tx.move(ticket, "cancel", CANCELLED, window, finished_at=tx.now.isoformat())

        return self._write(statements)

    def pause_window(self, window: int) -> None:
        """暂停服务: the window calls nobody until resumed (its current ticket stays)."""
        self._set_paused(window, True)

    def resume_window(self, window: int) -> None:
        self._set_paused(window, False)

    def _set_paused(self, window: int, paused: bool) -> None:
        def statements(tx: _Tx) -> None:
            self._window(tx.config, window)
            tx.db.execute(
                "INSERT INTO windows_state (number, paused, streak) VALUES (?, ?, ?) "
                "ON CONFLICT(number) DO UPDATE SET paused = excluded.paused",
                [window, int(paused), tx.config.rules.priority_every],
            )
            event_id = tx.log(None, "pause" if paused else "unpause", None, None, window)
            tx.events.append(WindowChanged(event_id, tx.now, None, window, paused))

        self._write(statements)

    def rate(self, ticket_id: int, level: int, *, window: int | None = None) -> Ticket:
        """好差评: one rating per finished visit, 5 非常满意 … 1 非常不满意 (`model.RATINGS`)."""
        if isinstance(level, bool) or level not in RATINGS:
            raise QueueError(
                f"rating {level!r} not 1-5", tr("评价只能是非常满意到非常不满意五档之一"), "invalid"
            )

        def statements(tx: _Tx) -> Ticket:
            ticket = tx.ticket(ticket_id)
            if window is not None and ticket.window != window:
                raise _not_yours(ticket, window)
            if ticket.status != DONE:
                raise QueueError("only a finished visit is rated", tr("办结后才能评价"), "wrong_status")
            if ticket.rating is not None:
                raise QueueError("already rated", tr("这次办理已经评价过了，谢谢"), "already_rated")
            return tx.move(ticket, "rate", DONE, window, rating=level, rated_at=tx.now.isoformat())

        return self._write(statements)

    # --- window helpers ----------------------------------------------------------------------------------

    @staticmethod
    def _window(config: QueueConfig, number: int) -> Window:
        window = config.window(number)
        if window is None:
            raise QueueError(
                f"no window {number}", tr("没有 {number} 号窗口", number=number), "unknown_window"
            )
        return window

    def _ready_window(self, tx: _Tx, number: int) -> None:
        self._window(tx.config, number)
        row = tx.db.execute("SELECT paused FROM windows_state WHERE number = ?", [number]).fetchone()
        if row and row[0]:
            raise QueueError(f"window {number} is paused", tr("本窗口已暂停服务，请先恢复服务"), "paused")

    def _at_window(self, tx: _Tx, number: int, statuses: tuple[str, ...]) -> Ticket:
        self._window(tx.config, number)
        if HELD in statuses:
            current = _current(tx.db, number, tx.today) or _last_held(tx.db, number, tx.today)
        else:
            current = _current(tx.db, number, tx.today)
        if current is None or current.status not in statuses:
            raise QueueError(
                f"window {number} has no ticket for that", tr("本窗口当前没有可操作的号"), "no_ticket"
            )
        return current

    # --- reading -------------------------------------------------------------------------------------------

    def ticket(self, ticket_id: int) -> Ticket:
        return self._read(lambda db, now, config: _Tx(db, now, config).ticket(ticket_id))

    def tickets(self, day: date | None = None) -> list[Ticket]:
        """Every ticket row of a day (today by default), in issue order, transferred ones included."""
        day = day or self.clock().date()
        return self.tickets_between(day, day)

    def tickets_between(self, first: date, last: date) -> list[Ticket]:
        """Every ticket row of the days `first`..`last` (inclusive), in issue order (for reports)."""

        def statements(db: sqlite3.Connection, _now: datetime, _config: QueueConfig) -> list[Ticket]:
            rows = db.execute(
                f"SELECT {TICKET_COLUMNS} FROM tickets WHERE day BETWEEN ? AND ? ORDER BY id",
                [first.isoformat(), last.isoformat()],
            ).fetchall()
            return [_ticket(r) for r in rows]

        return self._read(statements)

    def estimate(self, ticket: Ticket) -> Estimate:
        """People ahead of a waiting ticket and the expected wait (0 ahead once it is called)."""
        return self._read(lambda db, now, config: _estimate(db, config, now, ticket))

    def ticket_status(self, code: str) -> TicketStatus | None:
        """For the ticket's status page (its QR code): the ticket by its code, following transfers; None
        if there is no such code."""
        if not isinstance(code, str) or not 8 <= len(code) <= 40:
            return None

        def statements(db: sqlite3.Connection, now: datetime, config: QueueConfig) -> TicketStatus | None:
            row = db.execute(
                f"SELECT {TICKET_COLUMNS} FROM tickets WHERE code = ? ORDER BY id DESC LIMIT 1", [code]
            ).fetchone()
            if row is None:
                return None
            ticket = _ticket(row)
            service = config.service(ticket.service)
            window = config.window(ticket.window) if ticket.window else None
            waiting = ticket.status == WAITING and ticket.day == now.date().isoformat()
            estimate = _estimate(db, config, now, ticket) if waiting else None
            return TicketStatus(
                number=ticket.number,
                service_name=service.name if service else ticket.service,
                status=ticket.status,
                status_zh=ticket.status_zh,
                window=ticket.window,
                window_name=window.name if window else "",
                ahead=estimate.ahead if estimate else 0,
                estimate=estimate,
                issued_at=ticket.issued_at,
                called_at=ticket.called_at,
                day=ticket.day,
            )

        return self._read(statements)

    def snapshot(self, last: int = 10) -> Snapshot:
        """The hall now: per service waiting, estimate and whether it is open; per window its current and
        held tickets; the `last` calls of today (newest first)."""

        def statements(db: sqlite3.Connection, now: datetime, config: QueueConfig) -> Snapshot:
            today = now.date().isoformat()
            services = []
            for service in config.services:
                counts = db.execute(
                    "SELECT count(*), coalesce(sum(priority), 0) FROM tickets WHERE day = ? AND service = ? "
                    "AND status = ?",
                    [today, service.key, WAITING],
                ).fetchone()
                issued = db.execute(
                    "SELECT coalesce(max(last), 0) FROM counters WHERE day = ? AND service = ?",
                    [today, service.key],
                ).fetchone()[0]
                reason = _closed(config, service, now, issued)[1]
                services.append(
                    ServiceState(
                        key=service.key,
                        name=service.name,
                        prefix=service.prefix,
                        category=service.category,
                        id_card=service.id_card,
                        waiting=counts[0],
                        priority_waiting=counts[1],
                        estimate=_service_estimate(db, config, now, service, counts[0]),
                        open=not reason,
                        closed_reason=reason,
                        issued_today=issued,
                        capacity=service.capacity,
                    )
                )
            paused = dict(db.execute("SELECT number, paused FROM windows_state").fetchall())
            windows = tuple(
                WindowState(
                    number=w.number,
                    name=w.name,
                    services=w.services,
                    paused=bool(paused.get(w.number)),
                    current=_current(db, w.number, today),
                    held=tuple(
                        _ticket(r)
                        for r in db.execute(
                            f"SELECT {TICKET_COLUMNS} FROM tickets WHERE day = ? AND status = ? AND window = ? "
                            "ORDER BY id",
                            [today, HELD, w.number],
                        )
                    ),
                )
                for w in config.windows
            )
            return Snapshot(today, now, tuple(services), windows, _last_calls(db, config, today, last))

        return self._read(statements)

    def print_failures(self, day: date | None = None) -> int:
        """How many tickets of a day (today by default) the printer could not print, for staff."""
        prefix = (day or self.clock().date()).isoformat()

        def statements(db: sqlite3.Connection, _now: datetime, _config: QueueConfig) -> int:
            return db.execute(
                "SELECT count(*) FROM transitions WHERE action = 'print_failed' AND substr(at, 1, 10) = ?",
                [prefix],
            ).fetchone()[0]

        return self._read(statements)

    def transitions(self, since_id: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
        """The transitions log after `since_id` (for exports and a feed catching up), oldest first."""

        def statements(db: sqlite3.Connection, _now: datetime, _config: QueueConfig) -> list[dict[str, Any]]:
            rows = db.execute(
                "SELECT id, ticket_id, at, action, from_status, to_status, window, detail FROM transitions "
                "WHERE id > ? ORDER BY id LIMIT ?",
                [since_id, limit],
            ).fetchall()
            keys = ("id", "ticket_id", "at", "action", "from_status", "to_status", "window", "detail")
            return [dict(zip(keys, row, strict=True)) for row in rows]

        return self._read(statements)

    def reset(self) -> int:
        """`kiosk queue reset`: every open ticket of today ends (expired, kept as history) and window
        pauses are lifted. Numbering does NOT restart today (a number is never issued twice in a day); it
        restarts at the next day's opening. Returns how many tickets were closed."""

        def statements(tx: _Tx) -> int:
            rows = tx.db.execute(
                f"SELECT {TICKET_COLUMNS} FROM tickets WHERE day = ? AND status IN ({_marks(LIVE + (NO_SHOW,))})",
                [tx.today, *LIVE, NO_SHOW],
            ).fetchall()
            for row in rows:
                ticket = _ticket(row)
                tx.move(ticket, "reset", EXPIRED, None, finished_at=tx.now.isoformat())
            tx.db.execute("UPDATE windows_state SET paused = 0")
            return len(rows)

        return self._write(statements)


# --- helpers (inside a transaction) -----------------------------------------------------------------------


def _marks(values: tuple | list) -> str:
    return ", ".join("?" * len(values)) or "NULL"


def _keep_token(tx: _Tx, token: str, window: int, label: str) -> None:
    label = "".join(c for c in str(label) if c.isprintable())[:LABEL_LENGTH].strip()
    tx.db.execute(
        "INSERT INTO window_tokens (hash, window, issued_at, label) VALUES (?, ?, ?, ?)",
        [_token_hash(token), window, tx.now.isoformat(), label],
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _salt(tx: _Tx) -> bytes:
    row = tx.db.execute("SELECT salt FROM day_salts WHERE day = ?", [tx.today]).fetchone()
    if row and row[0]:
        return row[0]
    salt = secrets.token_bytes(16)
    tx.db.execute(
        "INSERT INTO day_salts (day, salt) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET salt = excluded.salt",
        [tx.today, salt],
    )
    return salt


def _closed(config: QueueConfig, service: Service, now: datetime, issued: int) -> tuple[str, str]:
    """('', '') when tickets can be taken, else why not (English, Chinese)."""
    if not any(service.key in w.services for w in config.windows):
        return "no window serves it", tr("暂无窗口办理此业务")
    if now.isoweekday() not in service.days:
        return "not on this weekday", tr("今天不办理此业务")
    clock = now.time().replace(tzinfo=None)
    if not any(start <= clock < end for start, end in service.hours):
        return "outside its hours", tr("现在不是办理时间（{hours_text}）", hours_text=service.hours_text())
    if issued >= service.capacity:
        return "cap reached", tr("今天的号已取完（每天 {capacity} 个）", capacity=service.capacity)
    return "", ""


def _open_service(config: QueueConfig, key: str, now: datetime) -> Service:
    service = config.service(key)
    if service is None:
        raise QueueError(f"unknown service {key!r}", tr("没有这项业务，请重新选择"), "unknown_service")
    en, zh = _closed(config, service, now, 0)
    if zh:
        raise QueueError(f"{key} closed: {en}", f"“{service.name}”{zh}", "closed")
    return service


def _current(db: sqlite3.Connection, window: int, today: str) -> Ticket | None:
    row = db.execute(
        f"SELECT {TICKET_COLUMNS} FROM tickets WHERE day = ? AND window = ? AND status IN ({_marks(AT_WINDOW)}) "
        "ORDER BY id DESC LIMIT 1",
        [today, window, *AT_WINDOW],
    ).fetchone()
    return _ticket(row) if row else None


def _last_held(db: sqlite3.Connection, window: int, today: str) -> Ticket | None:
    row = db.execute(
        f"SELECT {TICKET_COLUMNS} FROM tickets WHERE day = ? AND window = ? AND status = ? ORDER BY id DESC LIMIT 1",
        [today, window, HELD],
    ).fetchone()
    return _ticket(row) if row else None


def _belongs(config: QueueConfig, ticket: Ticket, window: int) -> bool:
    served = config.window(window)
    if served is None:
        return False
    if ticket.window is not None:
        return ticket.window == window
    return ticket.service in served.services and ticket.target_window in (None, window)


def _busy(current: Ticket) -> QueueError:
    return QueueError(
        f"window still has {current.number} ({current.status})",
        tr(
            "{number} 号还在本窗口（{status_zh}），请先办结、过号或挂起",
            number=current.number,
            status_zh=current.status_zh,
        ),
        "window_busy",
    )


def _not_yours(ticket: Ticket, window: int) -> QueueError:
    return QueueError(
        f"ticket {ticket.id} does not belong to window {window}",
        tr("{number} 号不是本窗口的号", number=ticket.number),
        "not_your_ticket",
    )


def _ahead(db: sqlite3.Connection, ticket: Ticket) -> int:
    """Waiting tickets of the same service before it (priority tickets count only priority ones)."""
    only_priority = "AND t.priority = 1" if ticket.priority else ""
    return db.execute(
        "SELECT count(*) FROM tickets t, tickets me WHERE me.id = ? AND t.day = me.day AND t.service = me.service "
        f"AND t.status = ? AND t.id != me.id AND (t.place < me.place OR (t.place = me.place AND t.id < me.id)) "
        f"{only_priority}",
        [ticket.id, WAITING],
    ).fetchone()[0]


def _minutes_per_person(db: sqlite3.Connection, config: QueueConfig, now: datetime, service: Service):
    rows = db.execute(
        "SELECT started_at, finished_at FROM tickets WHERE day = ? AND service = ? AND status = ? "
        "AND started_at IS NOT NULL AND finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT ?",
        [now.date().isoformat(), service.key, DONE, config.rules.estimate_samples],
    ).fetchall()
    durations = [
        (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds() / 60 for a, b in rows
    ]
    if len(durations) >= MIN_SAMPLES:
        return statistics.median(durations), True
    return float(service.estimate_minutes), False


def _service_estimate(
    db: sqlite3.Connection, config: QueueConfig, now: datetime, service: Service, ahead: int
) -> Estimate:
    per_person, measured = _minutes_per_person(db, config, now, service)
    paused = {n for (n,) in db.execute("SELECT number FROM windows_state WHERE paused = 1")}
    windows = sum(1 for w in config.windows if service.key in w.services and w.number not in paused)
    return Estimate(ahead, math.ceil(ahead * per_person / max(1, windows)), measured)


def _estimate(db: sqlite3.Connection, config: QueueConfig, now: datetime, ticket: Ticket) -> Estimate:
    service = config.service(ticket.service)
    if ticket.status != WAITING or service is None:
        return Estimate(0, 0, False)
    return _service_estimate(db, config, now, service, _ahead(db, ticket))


def _last_calls(db: sqlite3.Connection, config: QueueConfig, today: str, last: int) -> tuple[Call, ...]:
    rows = db.execute(
        "SELECT t.number, t.service, tr.window, tr.at, tr.action FROM transitions tr "
        "JOIN tickets t ON t.id = tr.ticket_id WHERE t.day = ? AND tr.action IN ('call', 'callback', 'recall') "
        "ORDER BY tr.id DESC LIMIT ?",
        [today, last],
    ).fetchall()
    calls = []
    for number, service_key, window, at, action in rows:
        service, win = config.service(service_key), config.window(window)
        calls.append(
            Call(
                number=number,
                service=service_key,
                service_name=service.name if service else service_key,
                window=window,
                window_name=win.name if win else tr("{window}号窗口", window=window),
                at=datetime.fromisoformat(at),
                recall=action == "recall",
            )
        )
    return tuple(calls)
