"""Windows' PINs: 窗口号 + 密码 pairing gives the window's token; five wrong PINs lock that window's PIN
pairing for 5, then 15, then 60 minutes, then until staff unlock it; the counter lives in `queue.db`
(a new process on the same file sees it); a clock set back never lengthens a lock. The lock's rules under
hypothesis: random sequences of right and wrong PINs, clock jumps and reboots never let more than five
wrong PINs be checked per lock."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from queue_hall import HALL

from kiosk.queue import Queue, QueueConfigError, QueueError, parse_config, pin_lock, window_pins
from kiosk.queue.pin_lock import LOCK_STEPS, MAX_TRIES, Clocks, PinLock


class Clocks_:
    """Wall and monotonic clocks moved by the test, and the boot."""

    def __init__(self):
        self.wall, self.mono, self.boot = 1_800_000_000.0, 1000.0, "boot-1"

    def __call__(self) -> Clocks:
        return Clocks(self.wall, self.mono, self.boot)

    def pass_(self, seconds: float) -> None:
        self.wall += seconds
        self.mono += seconds


@pytest.fixture
def clocks() -> Clocks_:
    return Clocks_()


@pytest.fixture
def pinned(tmp_path, clock, clocks):
    q = Queue.open(tmp_path / "data", clock=clock, pin_clocks=clocks)
    q.configure(parse_config(HALL))
    q.set_window_pin(1, "246810")
    yield q
    q.close()


def refusal(queue, window: int, pin: str) -> QueueError:
    with pytest.raises(QueueError) as error:
        queue.pair_with_pin(window, pin)
    assert all(ord(c) < 0x3000 for c in str(error.value))  # English for the log
    return error.value


def test_the_right_pin_gives_a_token_of_that_window(pinned):
    token = pinned.pair_with_pin(1, "246810")
    assert pinned.verify_token(token) == 1
    assert refusal(pinned, 2, "246810").code == "no_pin"
    assert refusal(pinned, 9, "246810").code == "unknown_window"
    db = sqlite3.connect(pinned.path)
    stored = db.execute("SELECT pin_hash FROM window_pins WHERE window = 1").fetchone()[0]
    assert stored.startswith("scrypt$") and "246810" not in stored
    assert "246810" not in (
        pinned.path.read_bytes() + pinned.path.with_name("queue.db-wal").read_bytes()
    ).decode("latin-1")


def test_five_wrong_pins_lock_with_escalation_then_only_staff_unlock(pinned, clocks):
    for seconds in LOCK_STEPS:
        for left in range(MAX_TRIES - 1, 0, -1):
            wrong = refusal(pinned, 1, "000000")
            assert (wrong.code, wrong.zh) == (
                "wrong_pin",
                f"密码错误，还可以再试 {left} 次（连续输错 5 次将锁定）",
            )
        locked = refusal(pinned, 1, "000000")
        assert locked.code == "pin_locked"
        assert f"请 {seconds // 60} 分钟后再试" in locked.zh, locked.zh
        # locked: even the right PIN is not checked, and the message says the minutes left
        clocks.pass_(seconds - 61)
        assert "请 2 分钟后再试" in refusal(pinned, 1, "246810").zh
        assert pinned.window_pin_states()[0].locked_seconds == 61
        clocks.pass_(61)
    for _ in range(MAX_TRIES):
        last = refusal(pinned, 1, "000000")
    assert "请工作人员在工作人员模式的排队叫号页面解锁" in last.zh
    clocks.pass_(24 * 3600)
    assert refusal(pinned, 1, "246810").code == "pin_locked"
    states = pinned.window_pin_states()
    assert (states[0].staff_only, states[0].lockouts) == (True, 4)
    assert [s.has_pin for s in states] == [True, False, False]

    pinned.unlock_window_pin(1)
    assert pinned.verify_token(pinned.pair_with_pin(1, "246810")) == 1
    assert refusal(pinned, 1, "000000").zh.startswith("密码错误，还可以再试 4 次")


def test_a_locked_window_is_named_in_the_heartbeats_faults_until_the_lock_ends(pinned, clocks):
    def alerts() -> list[str]:
        return window_pins.alerts(pinned.window_pin_states())

    assert alerts() == []
    for seconds in LOCK_STEPS:
        for _ in range(MAX_TRIES):
            refusal(pinned, 1, "000000")
        assert alerts() == ["1号窗口配对密码：连续输错，已暂时锁定"]
        clocks.pass_(seconds)
        assert alerts() == []  # the lock is over
    for _ in range(MAX_TRIES):
        refusal(pinned, 1, "000000")
    clocks.pass_(24 * 3600)
    assert alerts() == ["1号窗口配对密码：多次输错已锁定，需工作人员在“排队叫号设置”中解锁"]
    pinned.unlock_window_pin(1)
    assert alerts() == []


def test_the_right_pin_resets_the_count_and_another_window_is_not_locked(pinned):
    pinned.set_window_pin(2, "13572468")
    for _ in range(MAX_TRIES - 1):
        refusal(pinned, 1, "000000")
    pinned.pair_with_pin(1, "246810")
    assert "还可以再试 4 次" in refusal(pinned, 1, "000000").zh
    for _ in range(MAX_TRIES):
        refusal(pinned, 2, "000000")
    assert refusal(pinned, 2, "13572468").code == "pin_locked"
    assert pinned.verify_token(pinned.pair_with_pin(1, "246810")) == 1


def test_the_count_is_in_queue_db_not_in_the_process(pinned, tmp_path, clock, clocks):
    for _ in range(MAX_TRIES - 1):
        refusal(pinned, 1, "000000")
    other = Queue.open(tmp_path / "data", clock=clock, pin_clocks=clocks)
    try:
        assert refusal(other, 1, "000000").code == "pin_locked"
    finally:
        other.close()
    assert refusal(pinned, 1, "246810").code == "pin_locked"


def test_a_clock_set_back_never_lengthens_the_lock_and_a_reboot_keeps_it(pinned, clocks):
    for _ in range(MAX_TRIES):
        refusal(pinned, 1, "000000")
    clocks.wall -= 10 * 3600  # the wall clock set back ten hours
    clocks.mono += LOCK_STEPS[0] + 1
    assert pinned.verify_token(pinned.pair_with_pin(1, "246810")) == 1

    for _ in range(MAX_TRIES):
        refusal(pinned, 1, "000000")
    clocks.boot, clocks.mono = "boot-2", 5.0  # rebooted: a new monotonic clock
    assert refusal(pinned, 1, "246810").code == "pin_locked"
    clocks.pass_(LOCK_STEPS[0])
    pinned.pair_with_pin(1, "246810")


def test_pins_from_a_file_and_their_refusals(tmp_path, clock, clocks):
    from kiosk.staff import hash_pin

    hall = {**HALL, "window": [dict(w) for w in HALL["window"]]}
    hall["window"][0]["pin"] = "11223344"
    hall["window"][1]["pin_hash"] = hash_pin("55667788")
    q = Queue.open(tmp_path / "data", clock=clock, pin_clocks=clocks)
    try:
        q.configure(parse_config(hall))
        assert q.verify_token(q.pair_with_pin(1, "11223344")) == 1
        assert q.verify_token(q.pair_with_pin(2, "55667788")) == 2
        body = sqlite3.connect(q.path).execute("SELECT body FROM configs ORDER BY id DESC").fetchone()[0]
        assert "pin" not in body  # the configuration's row never holds a PIN
        q.configure(parse_config(HALL))  # a later configuration without PINs keeps them
        q.pair_with_pin(1, "11223344")
    finally:
        q.close()
    bad = {**HALL, "window": [dict(w) for w in HALL["window"]]}
    bad["window"][0]["pin"] = 123456
    bad["window"][1]["pin_hash"] = "md5$abc"
    bad["window"][2] |= {"pin": "12345", "pin_hash": "x"}
    with pytest.raises(QueueConfigError) as error:
        parse_config(bad)
    assert "window[1].pin" in error.value.zh and "window[2].pin_hash" in error.value.zh
    assert "window[3].pin" in error.value.zh


def test_a_pin_is_six_to_eight_digits(pinned):
    for pin in ("12345", "123456789", "12a456", "１２３４５６"):
        with pytest.raises(QueueError, match="6 to 8 digits"):
            pinned.set_window_pin(1, pin)
    pinned.pair_with_pin(1, "246810")


# --- the rules under hypothesis ----------------------------------------------------------------------

MOVES = st.one_of(
    st.just(("right",)),
    st.tuples(st.just("wrong"), st.integers(1, 7)),  # wrong PINs one after another
    st.tuples(st.just("pass"), st.floats(0, 4000)),  # real time passes: both clocks
    st.tuples(st.just("wall"), st.floats(-10 * 86400, 10 * 86400)),  # someone sets the clock
    st.just(("reboot",)),
    st.just(("unlock",)),
)


class Run:
    """A window's lock driven by the moves; asserts the rules after each attempt."""

    def __init__(self):
        self.lock, self.clocks = PinLock(), Clocks_()
        self.real = 0.0  # the time that really passed (no clock can be set)
        self.wrong_since_lock = 0
        self.locked: tuple[float, float] | None = None  # (real time when locked, its seconds)
        self.moved_forward = False  # the wall clock set forward since the lock (which may end it early)
        self.rebooted = False  # since the lock: then only the wall clock knows how long the kiosk was off

    def attempt(self, right: bool) -> None:
        self.lock, verdict = pin_lock.before_check(self.lock, self.clocks())
        if not verdict.check:
            if not verdict.staff_only:
                assert self.locked is not None and verdict.seconds <= self.locked[1] + 1
                if not self.rebooted:  # within a boot a clock set back never lengthens a lock
                    assert self.real - self.locked[0] + verdict.seconds <= self.locked[1] + 1
            return
        if self.locked is not None and not self.moved_forward:
            assert self.real - self.locked[0] >= self.locked[1] - 1e-6, "a lock ended before its time"
        before = self.lock.lockouts
        self.lock = pin_lock.right(self.lock) if right else pin_lock.wrong(self.lock, self.clocks())
        self.wrong_since_lock = 0 if right else self.wrong_since_lock + 1
        assert self.wrong_since_lock <= MAX_TRIES
        if self.lock.lockouts > before:
            assert self.wrong_since_lock == MAX_TRIES
            self.wrong_since_lock, self.moved_forward, self.rebooted = 0, False, False
            self.locked = None if self.lock.staff_only else (self.real, self.lock.lock_seconds)


@settings(max_examples=300, deadline=None)
@given(st.lists(MOVES, max_size=60))
def test_never_more_than_five_wrong_pins_per_lock(moves):
    run = Run()
    for move in moves:
        if move[0] == "right":
            run.attempt(True)
        elif move[0] == "wrong":
            for _ in range(move[1]):
                run.attempt(False)
        elif move[0] == "pass":
            run.clocks.pass_(move[1])
            run.real += move[1]
        elif move[0] == "wall":
            run.clocks.wall += move[1]
            run.moved_forward |= move[1] > 0
        elif move[0] == "reboot":
            run.clocks.boot, run.clocks.mono = run.clocks.boot + "'", 0.0
            run.moved_forward = run.rebooted = True
        else:
            run.lock, run.wrong_since_lock, run.locked = pin_lock.unlocked(run.lock), 0, None
    assert run.lock.lockouts <= sum(m[1] for m in moves if m[0] == "wrong") // MAX_TRIES
