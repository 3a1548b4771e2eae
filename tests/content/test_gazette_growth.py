"""The gazette parser's time grows linearly with its input, whatever the input holds.

A hostile block (long runs of spaces, marks, dot leaders, thousands of one-character lines, …) is put
into the real issue at one of the places the parser reads differently (before the masthead, before
the 目录, inside it, in a document's body), and parsed; the plain file is the same issue with a block
of the same length of its own body text in the middle of a document (a plain block in the 目录 would
only end the parse early). The hostile file may cost at most BUDGET times
the plain one: a ratio measured in this process, never a wall-clock limit. Before the patterns were
made possessive and the joining of a paragraph's lines incremental, one such block of 24,000 spaces
cost hundreds of times the plain file (the time grew with the square of the run).
"""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from content.errors import ImportFailed
from content.gazette import parse_gazette

SEED = Path(__file__).resolve().parents[2] / "content" / "data" / "dingzhou-gazette-2022-02.md"
SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")
BODY_TEXT = "\n".join(SEED_LINES[62:])
BLOCK = 24_000  # characters of the hostile (or plain) block
BUDGET = 12.0  # hostile / plain parse time; a quadratic pattern gives hundreds at this size
# where the block goes: top of the file, before the 目录 heading, right after it, after the first
# 目录 entry (a title continued over lines), the first document's body, the middle of the issue
PLACES = [0, 12, 14, 18, 66, len(SEED_LINES) // 2]

PIECES = [
    "  ",
    "\t",
    "\n",
    "\u3000",
    "- ",
    "**",
    "12",
    "附件",
    "第一条",
    "一、",
    *" #*-.…．—1(（)《“公报目录甲乙年号，。",
]


def _with_block(place: int, block: str) -> str:
    return "\n".join([*SEED_LINES[:place], block, *SEED_LINES[place:]])


def _parse_seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):  # the fastest of three: other processes only ever add time
        start = time.perf_counter()
        try:
            parse_gazette(text)
        except ImportFailed:
            pass
        best = min(best, time.perf_counter() - start)
    return best


PLAIN = _with_block(len(SEED_LINES) // 2, (BODY_TEXT * (BLOCK // len(BODY_TEXT) + 1))[:BLOCK])
_plain_seconds: list[float] = []


def _ratio(place: int, unit: str) -> float:
    hostile = _with_block(place, (unit * (BLOCK // len(unit) + 1))[:BLOCK])
    assert len(hostile) == len(PLAIN)
    if not _plain_seconds:
        _plain_seconds.append(_parse_seconds(PLAIN))
    return _parse_seconds(hostile) / _plain_seconds[0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    place=st.sampled_from(PLACES),
    unit=st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join),
)
@example(place=len(SEED_LINES) // 2, unit=" ")  # _BARE_PAGE_NUMBER on one line of spaces
@example(place=0, unit="#" + " " * 200 + "1")  # _NAME on the masthead
@example(place=12, unit=" " * 300 + "x")  # _TOC_HEADING
@example(place=18, unit="乙\n")  # a 目录 entry that never ends rejoined for every line
@example(place=66, unit="甲\n")  # a paragraph's lines rejoined (and rescanned) for every line
@example(place=66, unit="（甲\n")
def test_hostile_input_costs_at_most_budget_times_plain_input(place, unit):
    ratio = _ratio(place, unit)
    assert ratio < BUDGET, f"{unit!r} at line {place}: {ratio:.1f} × the plain file"
