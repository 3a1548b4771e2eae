"""The crash-loop guard: five starts within a minute make the sixth hold at 系统维护中, the heartbeat says
so while it runs, the record ages out by itself, and a damaged or unwritable record never holds a kiosk."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from kiosk.crash_loop import BURST, MAINTENANCE, WINDOW_SECONDS, StartLog


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_sixth_start_within_a_minute_holds_and_the_heartbeat_says_so(tmp_path):
    clock = Clock()
    starts = StartLog(tmp_path, clock=clock)
    for _ in range(BURST):
        assert starts.record() == ""
        assert starts.faults() == []
        clock.now += 5
    assert starts.record() == MAINTENANCE
    assert starts.faults() == [
        f"kiosk: crash loop ({BURST + 1} starts within {WINDOW_SECONDS:g} s), holding at the maintenance screen"
    ]
    clock.now += 600  # held for ten minutes: the fault stays while the held kiosk runs
    assert len(StartLog(tmp_path, clock=clock).faults()) == 1


def test_starts_spread_over_more_than_a_minute_never_hold(tmp_path):
    clock = Clock()
    starts = StartLog(tmp_path, clock=clock)
    for _ in range(50):
        assert starts.record() == ""
        clock.now += WINDOW_SECONDS / BURST + 0.5  # a restart every 12.5 s: at most 4 earlier in any minute


def test_a_start_after_the_window_is_ordinary_again(tmp_path):
    clock = Clock()
    starts = StartLog(tmp_path, clock=clock)
    for _ in range(BURST + 1):
        starts.record()
    assert starts.faults()
    clock.now += WINDOW_SECONDS + 1  # the technician fixed it and restarts a minute later
    assert starts.record() == ""
    assert starts.faults() == []


def test_a_clock_set_back_does_not_count_future_starts(tmp_path):
    clock = Clock()
    starts = StartLog(tmp_path, clock=clock)
    for _ in range(BURST):
        starts.record()
    clock.now -= 3600
    assert starts.record() == ""


@given(
    st.one_of(
        st.binary(max_size=200),
        st.from_type(type(None)).map(lambda _: b"{}"),
        st.recursive(
            st.none() | st.booleans() | st.floats() | st.text(max_size=5),
            lambda inner: (
                st.lists(inner, max_size=8) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
            ),
            max_leaves=20,
        ).map(lambda value: json.dumps(value).encode()),
    )
)
def test_a_damaged_record_never_holds_and_is_written_afresh(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("starts")
    (folder / "starts.json").write_bytes(content)
    starts = StartLog(folder)
    assert starts.faults() == [] or json.loads(content).get("held") is True
    assert starts.record() == ""
    assert json.loads((folder / "starts.json").read_text())["held"] is False


def test_an_unwritable_record_is_logged_and_never_holds(tmp_path, caplog):
    (tmp_path / "starts.json").mkdir()  # a directory where the file goes: every write fails
    starts = StartLog(tmp_path)
    for _ in range(BURST + 2):
        assert starts.record() == ""
    assert "start not recorded" in caplog.text
