"""The crash-loop guard: five starts in a row that did not last make the sixth hold at 系统维护中, the
heartbeat says so while it runs, a start that lasted forgets them, old starts are forgotten by
themselves, and a damaged or unwritable record never holds a kiosk."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from kiosk.crash_loop import BURST, FORGET_SECONDS, StartLog, maintenance


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_sixth_start_after_five_that_died_holds_and_the_heartbeat_says_so(tmp_path):
    clock = Clock()
    starts = StartLog(tmp_path, clock=clock)
    for _ in range(BURST):
        assert starts.record() == ""
        assert starts.faults() == []
        clock.now += 30  # died, however slowly the machine started it
    assert starts.record() == maintenance()
    assert starts.faults() == [
        f"kiosk: crash loop ({BURST + 1} starts in a row died within 60 s), holding at the maintenance screen"
    ]
    clock.now += 600  # held for ten minutes: the fault stays while the held kiosk runs
    assert len(StartLog(tmp_path, clock=clock).faults()) == 1


def test_a_start_that_lasted_forgets_the_ones_before(tmp_path):
    clock = Clock()
    starts = StartLog(tmp_path, clock=clock)
    for _ in range(50):
        for _ in range(BURST - 1):
            assert starts.record() == ""
        assert starts.record() == ""
        starts.stable()  # ran a minute: a kiosk that only sometimes dies is never held


def test_old_starts_are_forgotten_and_a_held_kiosk_retries_later(tmp_path):
    clock = Clock()
    starts = StartLog(tmp_path, clock=clock)
    for _ in range(BURST + 1):
        starts.record()
    assert starts.faults()
    clock.now += FORGET_SECONDS + 1
    assert starts.record() == ""
    assert starts.faults() == []


def test_a_clock_set_back_does_not_count_future_starts(tmp_path):
    clock = Clock()
    starts = StartLog(tmp_path, clock=clock)
    for _ in range(BURST):
        starts.record()
    clock.now -= FORGET_SECONDS
    assert starts.record() == ""


json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=8) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@given(st.one_of(st.binary(max_size=200), json_values.map(lambda value: json.dumps(value).encode())))
def test_a_damaged_record_never_raises_and_is_written_afresh(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("starts")
    (folder / "starts.json").write_bytes(content)
    starts = StartLog(folder)
    starts.faults()
    assert starts.record() == ""  # nothing damaged holds five real starts' worth
    assert json.loads((folder / "starts.json").read_text())["held"] is False


def test_an_unwritable_record_is_logged_and_never_holds(tmp_path, caplog):
    (tmp_path / "starts.json").mkdir()  # a directory where the file goes: every write fails
    starts = StartLog(tmp_path)
    for _ in range(BURST + 2):
        assert starts.record() == ""
    assert "start not recorded" in caplog.text
