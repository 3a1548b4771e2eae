"""Gazette parser growth: what each thousand characters of a hostile block cost, as the block grows.

Run: ``python bench/bench_gazette.py``. Each block is put into the middle of the bundled issue (in a
document's body) and parsed; times are medians of five parses in this process, less the issue parsed
alone (the baseline, measured first). A parser linear in its input costs the same per thousand
characters at every size; a quadratic pattern costs four times as much per thousand characters each
time the block grows fourfold (one line of 16,000 spaces took 2.1 s before the patterns were made
possessive, against 87 ms now). The plain row is the issue's own body text, for comparison.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from content.errors import ImportFailed  # noqa: E402
from content.gazette import parse_gazette  # noqa: E402

SEED = Path(__file__).resolve().parent.parent / "content" / "data" / "dingzhou-gazette-2022-02.md"
LINES = SEED.read_text(encoding="utf-8").split("\n")
MIDDLE = len(LINES) // 2
BODY = "\n".join(LINES[62:])
HOSTILE = {
    "one line of spaces": " ",
    "spaces and a mark": " " * 300 + "x\n",
    "one-character lines": "甲\n",
    "an open bracket per line": "（甲\n",
    "dot leaders": "第一" + "…" * 200 + "x\n",
    "masthead-like lines": "#" + " " * 200 + "1\n",
}
SIZES = (24_000, 96_000, 384_000)


def with_block(block: str) -> str:
    return "\n".join([*LINES[:MIDDLE], block, *LINES[MIDDLE:]])


def fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def median_seconds(text: str, runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            parse_gazette(text)
        except ImportFailed:
            pass
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    alone = median_seconds(with_block(""))
    print(f"the issue alone: {alone * 1000:.0f} ms; below, ms per 1,000 characters of the block")
    print(f"{'block':28}" + "".join(f"{f'{n:,} chars':>16}" for n in SIZES) + f"{'growth':>10}")
    for name, unit in {"plain (its own body text)": BODY, **HOSTILE}.items():
        per_k = [(median_seconds(with_block(fill(unit, n))) - alone) * 1000 / (n / 1000) for n in SIZES]
        growth = per_k[-1] / per_k[0] if per_k[0] > 0 else float("nan")
        print(f"{name:28}" + "".join(f"{v:>16.2f}" for v in per_k) + f"{growth:>9.2f}×")


if __name__ == "__main__":
    main()
