"""Bad input to the queue: each refusal is a `QueueError` with a Chinese message and a code, and the
database is exactly as it was (nothing half-done)."""

from __future__ import annotations

import sqlite3

import pytest
from queue_hall import ADULT_ID

from kiosk.queue import QueueError


def dump(queue) -> list:
    db = sqlite3.connect(queue.path)
    try:
        return [
            db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("tickets", "transitions", "counters", "windows_state", "window_tokens", "configs")
        ]
    finally:
        db.close()


def refused(queue, action, code: str) -> str:
    before = dump(queue)
    with pytest.raises(QueueError) as error:
        action()
    assert error.value.code == code
    assert error.value.zh and all(ord(c) < 0x3000 for c in str(error.value))  # English for the log
    assert any("\u4e00" <= c <= "\u9fff" for c in error.value.zh)  # Chinese for the person
    assert dump(queue) == before, "a refusal changed the database"
    return error.value.zh


def test_unknown_service(queue):
    assert "没有这项业务" in refused(queue, lambda: queue.take("nope"), "unknown_service")


def test_closed_service_outside_its_hours_and_days(queue, clock):
    clock.advance(hours=3, minutes=30)  # 12:30
    assert "现在不是办理时间" in refused(queue, lambda: queue.take("shebao"), "closed")
    clock.advance(days=1)  # Saturday: 企业开办 only on weekdays
    assert "今天不办理" in refused(queue, lambda: queue.take("qiye"), "closed")


def test_cap_reached(queue):
    for _ in range(50):
        queue.take("shebao")
    zh = refused(queue, lambda: queue.take("shebao"), "cap_reached")
    assert "今天的号已取完" in zh and "50" in zh
    assert not {s.key: s for s in queue.snapshot().services}["shebao"].open


def test_id_card_required_invalid_and_already_holding(queue):
    assert "需要刷身份证" in refused(queue, lambda: queue.take("hukou"), "id_required")
    assert "身份证号码无效" in refused(
        queue, lambda: queue.take("hukou", id_number="110105199003071230"), "id_invalid"
    )
    queue.take("hukou", id_number=ADULT_ID)
    zh = refused(queue, lambda: queue.take("hukou", id_number=ADULT_ID.lower()), "id_holds_ticket")
    assert "B001" in zh and ADULT_ID not in zh


def test_window_refusals(queue):
    assert "没有 9 号窗口" in refused(queue, lambda: queue.call_next(9), "unknown_window")
    assert "没有可操作的号" in refused(queue, lambda: queue.finish(1), "no_ticket")
    queue.take("shebao")
    queue.take("shebao")
    queue.call_next(1)
    assert "请先办结" in refused(queue, lambda: queue.call_next(1), "window_busy")
    assert "请先办结" in refused(queue, lambda: queue.call(1, "A002"), "window_busy")
    assert "没有可操作的号" in refused(queue, lambda: queue.start(2), "no_ticket")
    queue.pause_window(2)
    assert "暂停服务" in refused(queue, lambda: queue.call_next(2), "paused")
    assert "没有 B009 号" in refused(queue, lambda: queue.call(3, "B009"), "unknown_ticket")


def test_a_window_cannot_act_on_another_windows_ticket(queue):
    a = queue.take("shebao")
    queue.take("qiye")
    queue.call_next(1)
    queue.start(1)
    queue.finish(1)
    assert "不是本窗口" in refused(queue, lambda: queue.rate(a.id, 4, window=2), "not_your_ticket")
    c = queue.tickets()[-1]
    assert "不是本窗口" in refused(queue, lambda: queue.cancel(c.id, window=2), "not_your_ticket")
    assert "本窗口今天没有" in refused(queue, lambda: queue.call(2, "C001"), "unknown_ticket")


def test_ratings_once_and_only_for_a_finished_visit(queue):
    ticket = queue.take("shebao")
    assert "办结后才能评价" in refused(queue, lambda: queue.rate(ticket.id, 5), "wrong_status")
    assert "五档" in refused(queue, lambda: queue.rate(ticket.id, 6), "invalid")
    assert "五档" in refused(queue, lambda: queue.rate(ticket.id, True), "invalid")
    queue.call_next(1)
    queue.finish(1)
    queue.rate(ticket.id, 2)
    assert "已经评价过" in refused(queue, lambda: queue.rate(ticket.id, 5), "already_rated")


def test_cancel_only_what_is_not_at_a_window(queue):
    ticket = queue.take("shebao")
    queue.call_next(1)
    assert "不能取消" in refused(queue, lambda: queue.cancel(ticket.id), "wrong_status")
    assert "没有这个号" in refused(queue, lambda: queue.cancel(999), "unknown_ticket")


def test_transfer_to_something_that_cannot_take_it(queue):
    queue.take("shebao")
    queue.call_next(2)
    assert "请选择" in refused(queue, lambda: queue.transfer(2), "invalid")
    assert "没有这项业务" in refused(queue, lambda: queue.transfer(2, to_service="x"), "unknown_service")
    assert "不办理" in refused(queue, lambda: queue.transfer(2, to_window=3), "invalid")
    assert "没有 7 号窗口" in refused(queue, lambda: queue.transfer(2, to_window=7), "unknown_window")


def test_a_database_that_cannot_be_written_is_said_and_changes_nothing(queue, tmp_path):
    queue.take("shebao")
    blocker = sqlite3.connect(queue.path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    queue._db.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(QueueError) as error:
            queue.take("shebao")
        assert error.value.code == "storage" and "无法保存" in error.value.zh
    finally:
        blocker.rollback()
        blocker.close()
    assert [t.number for t in queue.tickets()] == ["A001"]
    assert queue.take("shebao").number == "A002"
