"""Random sequences of actions from several windows (hypothesis' state machine) against a real `queue.db`.

After every step: each ticket row has one known status and its last logged transition says so; nothing
is lost (every issued ticket is there); numbers are unique per service per day; a window holds at most one
called or serving ticket; a transferred ticket's child keeps its number; a refusal changed nothing. Over
the run: at a window, a waiting priority ticket never sees more than K ordinary calls in a row, and after
a priority call the next call is ordinary whenever an ordinary ticket was waiting.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections import Counter
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from queue_hall import ADULT_ID, CST, ELDER_ID, YOUNG_ID, Clock

from kiosk.queue import Queue, QueueError, parse_config
from kiosk.queue.model import AT_WINDOW, STATUSES

K = 2
HALL = {
    "queue": {"priority_every": K, "recalls_before_no_show": 1, "call_timeout_minutes": 15},
    "service": [
        {"key": "a", "name": "甲业务", "prefix": "A", "last": 60},
        {"key": "b", "name": "乙业务", "prefix": "B", "last": 40, "id_card": "optional"},
        {"key": "c", "name": "丙业务", "prefix": "C", "last": 30},
    ],
    "window": [
        {"number": 1, "services": ["a", "b"]},
        {"number": 2, "services": ["a"]},
        {"number": 3, "services": ["b", "c"]},
    ],
}
WINDOWS = st.sampled_from([1, 2, 3])
SERVICES = st.sampled_from(["a", "b", "c"])


class QueueMachine(RuleBasedStateMachine):
    @initialize()
    def open_queue(self):
        self.dir = tempfile.TemporaryDirectory()
        self.clock = Clock(datetime(2026, 12, 4, 8, 0, tzinfo=CST))
        self.queue = Queue.open(Path(self.dir.name), clock=self.clock)
        self.queue.configure(parse_config(HALL))
        self.issued: set[int] = set()
        self.streak_seen: Counter[int] = (
            Counter()
        )  # ordinary calls in a row at a window with priority waiting
        self.last_was_priority: dict[int, bool] = {}

    def teardown(self):
        if hasattr(self, "queue"):
            self.queue.close()
            self.dir.cleanup()

    def attempt(self, action):
        before = self.log_length()
        try:
            return action()
        except QueueError as error:
            assert error.zh and error.code
            assert self.log_length() == before, f"refusal {error.code} changed the log"
            return None

    def log_length(self) -> int:
        return len(self.queue.transitions(limit=100_000))

    def waiting_for(self, window: int) -> list:
        served = self.queue.config.window(window).services
        return [
            t
            for t in self.queue.tickets()
            if t.status == "waiting" and t.service in served and t.target_window in (None, window)
        ]

    # --- actions ---------------------------------------------------------------------------------------

    @rule(
        service=SERVICES, priority=st.booleans(), card=st.sampled_from([None, ADULT_ID, ELDER_ID, YOUNG_ID])
    )
    def take(self, service, priority, card):
        ticket = self.attempt(lambda: self.queue.take(service, id_number=card, priority=priority))
        if ticket is not None:
            self.issued.add(ticket.id)

    @rule(window=WINDOWS, finish_current=st.booleans())
    def call_next(self, window, finish_current):
        waiting = self.waiting_for(window)
        priority_waiting = any(t.priority for t in waiting)
        ordinary_waiting = any(not t.priority for t in waiting)
        ticket = self.attempt(lambda: self.queue.call_next(window, finish_current=finish_current))
        if ticket is None:
            return
        if ticket.priority:
            self.streak_seen[window] = 0
        elif priority_waiting:
            self.streak_seen[window] += 1
            assert self.streak_seen[window] <= K, f"priority starved at window {window}"
        if self.last_was_priority.get(window) and ordinary_waiting:
            assert not ticket.priority, f"ordinary starved at window {window}"
        self.last_was_priority[window] = ticket.priority

    @rule(window=WINDOWS, number=st.integers(1, 8), prefix=st.sampled_from("ABC"))
    def call_back(self, window, number, prefix):
        self.attempt(lambda: self.queue.call(window, f"{prefix}{number:03d}"))

    @rule(window=WINDOWS, action=st.sampled_from(["recall", "start", "finish", "no_show", "hold"]))
    def window_action(self, window, action):
        self.attempt(lambda: getattr(self.queue, action)(window))

    @rule(window=WINDOWS, data=st.data())
    def resume(self, window, data):
        held = [t for t in self.queue.tickets() if t.status == "held"]
        if held:
            ticket = data.draw(st.sampled_from(held))
            self.attempt(lambda: self.queue.resume(window, ticket.id))

    @rule(window=WINDOWS, to_service=st.sampled_from([None, "a", "b", "c"]), to_window=st.sampled_from([None, 1, 2, 3]),
          keep=st.booleans())  # fmt: skip
    def transfer(self, window, to_service, to_window, keep):
        self.attempt(
            lambda: self.queue.transfer(window, to_service=to_service, to_window=to_window, keep_place=keep)
        )

    @rule(data=st.data(), by_window=st.sampled_from([None, 1, 2, 3]))
    def cancel(self, data, by_window):
        tickets = self.queue.tickets()
        if tickets:
            ticket = data.draw(st.sampled_from(tickets))
            self.attempt(lambda: self.queue.cancel(ticket.id, window=by_window))

    @rule(data=st.data(), level=st.integers(0, 6))
    def rate(self, data, level):
        tickets = self.queue.tickets()
        if tickets:
            ticket = data.draw(st.sampled_from(tickets))
            self.attempt(lambda: self.queue.rate(ticket.id, level))

    @rule(window=WINDOWS, pause=st.booleans())
    def pause(self, window, pause):
        self.attempt(lambda: (self.queue.pause_window if pause else self.queue.resume_window)(window))

    @rule(minutes=st.integers(1, 20))
    def time_passes(self, minutes):
        self.clock.advance(minutes=minutes)

    # --- invariants ------------------------------------------------------------------------------------

    @invariant()
    def consistent(self):
        if not hasattr(self, "queue"):
            return
        db = sqlite3.connect(self.queue.path)
        try:
            rows = db.execute(
                "SELECT id, day, service, seq, number, status, window, parent_id FROM tickets"
            ).fetchall()
            last = dict(
                db.execute(
                    "SELECT ticket_id, to_status FROM transitions WHERE id IN "
                    "(SELECT max(id) FROM transitions WHERE to_status IS NOT NULL GROUP BY ticket_id)"
                ).fetchall()
            )
        finally:
            db.close()
        ids = {r[0] for r in rows}
        assert self.issued <= ids, "an issued ticket is gone"
        roots = [r for r in rows if r[7] is None]
        assert len(roots) == len(self.issued)
        assert len({(r[1], r[2], r[3]) for r in roots}) == len(roots), "a number issued twice"
        assert len({(r[1], r[4]) for r in roots}) == len(roots)
        by_id = {r[0]: r for r in rows}
        at_window = Counter()
        for row in rows:
            assert row[5] in STATUSES
            assert last[row[0]] == row[5], f"ticket {row[0]} is {row[5]} but its log says {last[row[0]]}"
            if row[5] in AT_WINDOW:
                assert row[6] in (1, 2, 3)
                at_window[row[6]] += 1
            if row[7] is not None:
                parent = by_id[row[7]]
                assert parent[5] == "transferred" and parent[4] == row[4]
        assert all(count == 1 for count in at_window.values()), f"two tickets at one window: {at_window}"


QueueMachine.TestCase.settings = settings(
    max_examples=100, stateful_step_count=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_queue_state_machine = QueueMachine.TestCase
