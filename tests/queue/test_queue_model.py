"""The queue's lifecycle on a real `queue.db`: taking, calling, recalls, holds, transfers, ratings, the
priority rule, the day's rollover, tokens and the events subscribers hear."""

from __future__ import annotations

import sqlite3

import pytest
from queue_hall import ADULT_ID, ELDER_ID, YOUNG_ID

from kiosk.queue import (
    Queue,
    QueueError,
    TicketCalled,
    TicketFinished,
    TicketIssued,
    TicketRecalled,
    TicketStateChanged,
    WindowChanged,
)


def test_numbers_count_up_per_service_and_restart_the_next_day(queue, clock):
    assert [queue.take("shebao").number for _ in range(3)] == ["A001", "A002", "A003"]
    assert queue.take("hukou", id_number=ADULT_ID).number == "B001"
    clock.advance(days=3)  # Monday
    assert queue.take("shebao").number == "A001"
    old = queue.tickets(clock.now.date().replace(day=4))
    assert {t.status for t in old} == {"expired"}  # yesterday's open tickets stay as history


def test_a_ticket_goes_through_its_whole_life_with_its_times(queue, clock):
    ticket = queue.take("shebao")
    clock.advance(minutes=7)
    called = queue.call_next(2)
    assert (called.id, called.status, called.window, called.calls) == (ticket.id, "called", 2, 1)
    clock.advance(minutes=1)
    assert queue.start(2).status == "serving"
    clock.advance(minutes=5)
    done = queue.finish(2)
    assert done.status == "done"
    assert (done.called_at - done.issued_at).total_seconds() == 7 * 60
    assert (done.finished_at - done.started_at).total_seconds() == 5 * 60
    assert queue.rate(done.id, 5, window=2).rating == 5
    actions = [t["action"] for t in queue.transitions() if t["ticket_id"] == ticket.id]
    assert actions == ["take", "call", "start", "finish", "rate"]


def test_subscribers_hear_typed_events_after_the_commit(queue):
    heard = []

    def listener(event):
        # the transition is committed before anyone hears of it: another connection sees it
        db = sqlite3.connect(queue.path)
        row = db.execute("SELECT status FROM tickets WHERE id = ?", [event.ticket.id]).fetchone()
        db.close()
        heard.append((type(event), event.ticket.status, row[0]))

    stop = queue.subscribe(listener)
    ticket = queue.take("shebao")
    queue.call_next(1)
    queue.recall(1)
    queue.start(1)
    queue.finish(1)
    stop()
    queue.take("shebao")
    assert heard == [
        (TicketIssued, "waiting", "waiting"),
        (TicketCalled, "called", "called"),
        (TicketRecalled, "called", "called"),
        (TicketStateChanged, "serving", "serving"),
        (TicketFinished, "done", "done"),
    ]
    assert ticket.status == "waiting"


def test_event_ids_increase_and_a_failing_subscriber_does_not_stop_the_others(queue):
    seen = []
    queue.subscribe(lambda e: 1 / 0)
    queue.subscribe(seen.append)
    queue.take("shebao")
    queue.pause_window(2)
    queue.take("shebao")
    assert [type(e) for e in seen] == [TicketIssued, WindowChanged, TicketIssued]
    assert seen[0].id < seen[1].id < seen[2].id
    assert seen[1].paused and seen[1].window == 2


def test_recalls_then_no_show_then_call_back(queue):
    ticket = queue.take("shebao")
    queue.call_next(1)
    assert queue.recall(1).calls == 2
    assert queue.recall(1).calls == 3
    gone = queue.recall(1)  # recalls_before_no_show = 2: the third recall makes it 过号
    assert gone.status == "no_show"
    assert queue.call_next(1) is None
    back = queue.call(1, "a001")  # 回呼, the number typed in lower case
    assert (back.id, back.status) == (ticket.id, "called")


def test_a_call_not_answered_in_time_becomes_no_show(queue, clock):
    queue.take("shebao")
    queue.call_next(1)
    clock.advance(minutes=11)
    queue.take("shebao")  # any transition first closes timed-out calls
    assert [t.status for t in queue.tickets()] == ["no_show", "waiting"]
    assert queue.snapshot().windows[0].current is None


def test_one_priority_after_every_k_ordinary_and_neither_starves(queue):
    ordinary = [queue.take("shebao") for _ in range(6)]
    priority = [queue.take("shebao", priority=True) for _ in range(3)]
    order = []
    for _ in range(9):
        ticket = queue.call_next(2)
        order.append("P" if ticket.priority else "O")
        queue.finish(2)
    # a new window's streak counts as full: a waiting priority goes first, then K=2 ordinary each
    assert "".join(order) == "POOPOOPOO"
    assert len(ordinary) + len(priority) == 9


def test_hold_and_resume_at_the_same_window(queue):
    first = queue.take("shebao")
    second = queue.take("shebao")
    queue.call_next(1)
    queue.start(1)
    assert queue.hold(1).status == "held"
    assert queue.call_next(1).id == second.id  # the window is free while the first fetches a paper
    with pytest.raises(QueueError) as busy:
        queue.resume(1, first.id)
    assert busy.value.code == "window_busy"
    queue.finish(1)
    with pytest.raises(QueueError) as other:
        queue.resume(2, first.id)
    assert other.value.code == "not_your_ticket"
    resumed = queue.resume(1, first.id)
    assert (resumed.status, resumed.window) == ("serving", 1)


def test_transfer_keeps_the_number_and_its_place_or_goes_to_the_back(queue):
    a = queue.take("shebao")
    b1 = queue.take("hukou", id_number=ADULT_ID)
    queue.call_next(2)
    child = queue.transfer(2, to_service="hukou", keep_place=True)
    assert (child.number, child.service, child.parent_id, child.status) == ("A001", "hukou", a.id, "waiting")
    assert queue.ticket(a.id).status == "transferred"
    assert queue.call_next(3).id == child.id  # its place (first) is kept ahead of B001
    queue.finish(3)
    assert queue.call_next(3).id == b1.id

    c = queue.take("hukou", id_number=YOUNG_ID)
    d = queue.take("hukou", id_number=ELDER_ID)
    queue.finish(3)
    queue.call_next(3)  # c
    back = queue.transfer(3, to_window=1, keep_place=False)
    assert back.target_window == 1
    with pytest.raises(QueueError):
        queue.call(3, back.number)  # it waits for window 1 only
    assert queue.call_next(1).id == d.id  # at the back: d first
    queue.finish(1)
    assert queue.call_next(1).id == back.id
    status = queue.ticket_status(c.code)  # the status page follows the transfer
    assert (status.number, status.window, status.status) == (c.number, 1, "called")


def test_ticket_status_and_estimates(queue, clock):
    tickets = [queue.take("shebao") for _ in range(4)]
    status = queue.ticket_status(tickets[3].code)
    # 3 ahead, 5 minutes each (configured), two windows serve 社保医保
    assert (status.ahead, status.estimate.minutes, status.estimate.measured) == (3, 8, False)
    assert status.estimate.text == "约 8 分钟"
    for _ in range(3):  # three measured visits of 2 minutes
        queue.call_next(2)
        queue.start(2)
        clock.advance(minutes=2)
        queue.finish(2)
    estimate = queue.estimate(queue.ticket(tickets[3].id))
    assert (estimate.ahead, estimate.measured) == (0, True)
    assert estimate.text == "马上就到"
    later = queue.take("shebao")
    assert queue.estimate(later) == type(estimate)(1, 1, True)  # 2 min per person over two windows
    assert queue.ticket_status("no-such-code") is None
    assert queue.ticket_status("") is None


def test_snapshot_shows_services_windows_and_last_calls(queue, clock):
    queue.take("shebao")
    queue.take("shebao", priority=True)
    queue.take("hukou", id_number=ADULT_ID)
    queue.call_next(1)
    queue.pause_window(3)
    snap = queue.snapshot(last=5)
    by_key = {s.key: s for s in snap.services}
    assert (by_key["shebao"].waiting, by_key["shebao"].priority_waiting) == (1, 0)
    assert by_key["shebao"].open and by_key["hukou"].issued_today == 1
    windows = {w.number: w for w in snap.windows}
    assert windows[1].current.number == "A002" and windows[3].paused
    assert [(c.number, c.window_name) for c in snap.last_calls] == [("A002", "1号窗口")]
    clock.advance(hours=3, minutes=30)  # 12:30, the lunch break
    lunch = {s.key: s for s in queue.snapshot().services}["shebao"]
    assert not lunch.open and "08:30-12:00、13:30-17:00" in lunch.closed_reason


def test_window_tokens_are_stored_hashed_and_revocable(queue):
    token = queue.issue_token(3)
    assert queue.verify_token(token) == 3
    assert queue.verify_token(token + "x") is None
    assert queue.verify_token("") is None
    stored = sqlite3.connect(queue.path).execute("SELECT hash FROM window_tokens").fetchall()
    assert token not in repr(stored) and len(stored[0][0]) == 64
    assert queue.revoke_tokens(3) == 1
    assert queue.verify_token(token) is None


def test_id_numbers_are_kept_only_as_a_salt_blanked_at_the_end_of_the_day(queue, clock):
    queue.take("hukou", id_number=ADULT_ID)
    db_bytes = b"".join(p.read_bytes() for p in queue.path.parent.glob("queue.db*"))
    for form in (ADULT_ID, ADULT_ID[:14], ADULT_ID.encode("utf-16-le").decode("latin-1")):
        assert form.encode("latin-1") not in db_bytes
    db = sqlite3.connect(queue.path)
    assert db.execute("SELECT salt IS NOT NULL FROM day_salts").fetchone() == (1,)
    clock.advance(days=1)
    queue.take("shebao")
    assert db.execute("SELECT count(*) FROM day_salts WHERE salt IS NOT NULL").fetchone() == (0,)


def test_elder_card_is_offered_priority(queue):
    assert queue.offers_priority(ELDER_ID)
    assert not queue.offers_priority(ADULT_ID)


def test_the_same_id_may_take_again_once_the_first_is_done(queue):
    queue.take("hukou", id_number=ADULT_ID)
    queue.call_next(3)
    queue.finish(3)
    assert queue.take("hukou", id_number=ADULT_ID).number == "B002"


def test_reset_ends_open_tickets_but_numbers_go_on(queue):
    queue.take("shebao")
    queue.take("shebao")
    queue.call_next(1)
    queue.pause_window(2)
    assert queue.reset() == 2
    assert {t.status for t in queue.tickets()} == {"expired"}
    assert not any(w.paused for w in queue.snapshot().windows)
    assert queue.take("shebao").number == "A003"


def test_a_second_process_sees_a_new_configuration(queue, tmp_path, clock):
    other = Queue(queue.path, clock=clock)
    try:
        config = queue.config
        smaller = type(config)(config.services, config.windows[:1], config.rules)
        other.configure(smaller)
        assert [w.number for w in queue.config.windows] == [1]
        with pytest.raises(QueueError) as gone:
            queue.call_next(3)
        assert gone.value.code == "unknown_window"
    finally:
        other.close()
