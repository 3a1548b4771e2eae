"""Paired devices: each pairing is listed with its window, when, the device's label (its User-Agent, cut to
40 characters) and when it was last seen; staff revoke one, a window's, or all; an older `queue.db`
gains the new columns and keeps its pairings."""

from __future__ import annotations

import sqlite3

from kiosk.queue import Queue, store
from kiosk.queue.service import LABEL_LENGTH

PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126"


def test_devices_are_listed_seen_and_revoked_one_at_a_time(queue, clock):
    phone = queue.issue_token(1, PHONE)
    counter = queue.issue_token(1, "Mozilla/5.0 (X11; Linux x86_64)\x1b[31m")
    other = queue.issue_token(2)
    devices = queue.paired_devices()
    assert [(d.window, d.label, d.last_seen) for d in devices] == [
        (1, PHONE[:LABEL_LENGTH], None),
        (1, "Mozilla/5.0 (X11; Linux x86_64)[31m", None),
        (2, "", None),
    ]
    assert devices[0].paired_at == clock.now

    clock.advance(minutes=7)
    assert queue.verify_token(phone) == 1
    seen = {d.id: d.last_seen for d in queue.paired_devices()}
    assert seen[devices[0].id] == clock.now.replace(second=0, microsecond=0) and seen[devices[1].id] is None

    assert queue.revoke_device(devices[0].id) is True
    assert queue.revoke_device(devices[0].id) is False  # already revoked
    assert queue.revoke_device(999) is False
    assert queue.verify_token(phone) is None
    assert queue.verify_token(counter) == 1  # the window's other device stays paired
    assert [d.id for d in queue.paired_devices()] == [devices[1].id, devices[2].id]

    assert queue.revoke_tokens(1) == 1
    assert queue.verify_token(other) == 2
    queue.issue_token(3)
    assert queue.revoke_tokens() == 2  # every window's
    assert queue.paired_devices() == []
    actions = sqlite3.connect(queue.path).execute(
        "SELECT action, window FROM transitions WHERE action LIKE 'token%' ORDER BY id"
    )
    assert [a for a, _ in actions][-4:] == [
        "token_revoked",
        "tokens_revoked",
        "token_issued",
        "tokens_revoked",
    ]


def test_an_older_queue_db_gains_the_columns_and_keeps_its_pairings(tmp_path, clock):
    data = tmp_path / "data"
    data.mkdir()
    db = sqlite3.connect(data / store.FILE_NAME)
    db.execute("CREATE TABLE window_tokens (hash TEXT PRIMARY KEY, window INTEGER NOT NULL, "
               "issued_at TEXT NOT NULL, revoked_at TEXT)")  # fmt: skip
    db.execute("INSERT INTO window_tokens VALUES ('abc', 1, '2026-12-01T09:00:00+08:00', NULL)")
    db.commit()
    db.close()
    queue = Queue.open(data, clock=clock)
    try:
        (device,) = queue.paired_devices()
        assert (device.window, device.label, device.last_seen) == (1, "", None)
    finally:
        queue.close()
