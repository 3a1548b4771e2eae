"""Benchmark of the touch kiosk's memory on a real X display (Xvfb, Qt's xcb platform and default render
loop): RSS of the real `kiosk demo` over random touches and over scripted navigations, and after the idle
reset.

    .venv/bin/python -m bench.bench_ui_memory                     # 1,500 touches per orientation,
                                                                  # 10,000 navigations, once
    .venv/bin/python -m bench.bench_ui_memory --touches 300 --navigations 1000   # a quick run
    .venv/bin/python -m bench.bench_ui_memory --repeat 3          # medians of three runs

- Random touches (`tests/helpers/monkey.py`): taps, long presses and swipes on whatever the kiosk shows,
  in portrait 1080×1920 and landscape 1920×1080, every screen, font step and theme.
- Scripted navigations through every screen, set by the control channel as the screens' buttons would:
  library, a list, the reader on each document in turn, search with a query, notices, the PIN pad and
  staff mode, back home between them, the font step and theme changing as they go.

RSS is read after a Python and a QML garbage collection. Warm-up is the first `--warmup` share of the
run (every screen, the keyboard and the type sizes have been used by then); growth is the end against
the warm-up figure. Then nobody touches the kiosk: the idle reset runs (15 s, a 3 s countdown) and
the RSS a few seconds after it is compared with the warm-up figure. Prints markdown tables for the
README. Not a test: nothing here asserts a figure.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "helpers"))
import monkey  # noqa: E402 - tests/helpers is not a package

IDLE_TIMEOUT = 15
COUNTDOWN = 3
AFTER_RESET = 4.0  # the kiosk gives memory back 2 s after the reset
QUERIES = ("jiegan", "laojiu", "养老", "zhizao", "dxs", "非遗", "火灾", "shuili", "jyxsh", "公示")


def idle_reset(kiosk: monkey.Kiosk) -> float:
    """Wait, untouched, for the idle countdown and the reset; RSS (MB) a few seconds after it."""
    assert kiosk.control is not None
    timeout = kiosk.control(cmd="state")["idle_timeout"]  # random touches in staff mode may change it
    kiosk.control.wait(lambda s: s["countdown"] >= 0, timeout + 30, "the idle countdown")
    kiosk.control.wait(lambda s: s["countdown"] < 0, COUNTDOWN + 30, "the idle reset")
    time.sleep(AFTER_RESET)
    return kiosk.rss_mb()


def random_run(size: tuple[int, int], touches: int, warmup: int, seed: int) -> dict[str, float]:
    with monkey.Display(size) as display:
        data = monkey.temporary_data_dir()
        with monkey.Kiosk(display, data, idle_timeout=IDLE_TIMEOUT, idle_countdown=COUNTDOWN) as kiosk:
            figures = {"start": kiosk.rss_mb()}
            touching = monkey.Monkey(kiosk, seed)
            touching.run(warmup, 3600)
            figures["warm-up"] = kiosk.rss_mb()
            touching.run(touches - warmup, 3600)
            figures["end"] = kiosk.rss_mb()
            figures["touches"] = touching.report.total
            touching.finger.close()
            figures["after reset"] = idle_reset(kiosk)
            _check(kiosk)
    return figures


def _check(kiosk: monkey.Kiosk) -> None:
    if kiosk.exit_code() is not None:
        raise SystemExit(f"the kiosk ended with exit code {kiosk.exit_code()}:\n{kiosk.output()[-3000:]}")
    warnings = monkey.qt_warnings(kiosk.output())
    if warnings:
        print(f"  (the kiosk printed {len(warnings)} lines, first: {warnings[0]})", file=sys.stderr)


def navigate(kiosk: monkey.Kiosk, documents: list[str], n: int) -> int:
    """One round through every screen; returns the number of navigations it made."""
    control = kiosk.control
    assert control is not None

    def go(screen: str, **props: str) -> None:
        control(cmd="open", screen=screen, props=props)
        time.sleep(0.01)  # a frame or so: the render thread draws it

    control(cmd="call", singleton="AppState", slot="setFontStep", args=[n % 4])
    if n % 3 == 0:
        control(cmd="call", singleton="AppState", slot="toggleContrast")
    steps = [
        lambda: go("library"),
        lambda: go("interpretations"),
        lambda: go("reader", itemId=documents[n % len(documents)]),
        lambda: go("search"),
        lambda: control(cmd="set", singleton="Search", property="text", value=QUERIES[n % len(QUERIES)]),
        lambda: go("notices"),
        lambda: go("pin"),
        lambda: go("staff"),
    ]
    for step in steps:
        step()
        control(cmd="call", singleton="AppState", slot="home")
    return len(steps) * 2


def scripted_run(navigations: int, warmup: int) -> dict[str, float]:
    with monkey.Display(monkey.PORTRAIT) as display:
        data = monkey.temporary_data_dir()
        with monkey.Kiosk(display, data, idle_timeout=IDLE_TIMEOUT, idle_countdown=COUNTDOWN) as kiosk:
            assert kiosk.control is not None
            documents = kiosk.control(cmd="documents")["ids"]
            figures = {"start": kiosk.rss_mb()}
            done = rounds = 0
            while done < navigations:
                done += navigate(kiosk, documents, rounds)
                rounds += 1
                if "warm-up" not in figures and done >= warmup:
                    figures["warm-up"] = kiosk.rss_mb()
            figures["end"] = kiosk.rss_mb()
            figures["navigations"] = done
            figures["after reset"] = idle_reset(kiosk)
            _check(kiosk)
    return figures


def table(title: str, runs: list[dict[str, float]], count_key: str) -> str:
    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    warm, end, reset = median("warm-up"), median("end"), median("after reset")
    note = f" (median of {len(runs)})" if len(runs) > 1 else ""
    return "\n".join(
        [
            f"| {title}{note} | RSS MB |",
            "|---|---|",
            f"| at start (home screen) | {median('start'):.0f} |",
            f"| after warm-up | {warm:.0f} |",
            f"| after {median(count_key):,.0f} {count_key} | {end:.0f} |",
            f"| growth after warm-up | **{100 * (end - warm) / warm:+.1f} %** (target ≤ 10 %) |",
            f"| after the idle reset | {reset:.0f} |",
            f"| after the idle reset vs warm-up | **{100 * (reset - warm) / warm:+.1f} %** (target ≤ +5 %) |",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touches", type=int, default=1500, help="random touches per orientation")
    parser.add_argument("--navigations", type=int, default=10000)
    parser.add_argument("--warmup", type=float, default=0.2, help="share of each run counted as warm-up")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=("portrait", "landscape", "scripted"), action="append")
    args = parser.parse_args()
    only = set(args.only or ("portrait", "landscape", "scripted"))
    results: dict[str, list[dict[str, float]]] = {name: [] for name in ("portrait", "landscape", "scripted")}
    for run in range(args.repeat):
        for name, size in (("portrait", monkey.PORTRAIT), ("landscape", monkey.LANDSCAPE)):
            if name in only:
                touches_warmup = round(args.touches * args.warmup)
                results[name].append(random_run(size, args.touches, touches_warmup, args.seed + run))
                print(f"{name} run {run + 1}: {results[name][-1]}", file=sys.stderr, flush=True)
        if "scripted" in only:
            results["scripted"].append(scripted_run(args.navigations, round(args.navigations * args.warmup)))
            print(f"scripted run {run + 1}: {results['scripted'][-1]}", file=sys.stderr, flush=True)
    titles = {
        "portrait": ("random touches, portrait 1080×1920", "touches"),
        "landscape": ("random touches, landscape 1920×1080", "touches"),
        "scripted": ("scripted navigations through every screen", "navigations"),
    }
    for name, runs in results.items():
        if runs:
            print(table(titles[name][0], runs, titles[name][1]) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
