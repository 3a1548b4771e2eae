"""Benchmark of the touch UI: cold start, search as you type, memory over many navigations.

Prints markdown tables (paste them into the README). Not a test: nothing here asserts a time.

    .venv/bin/python -m bench.bench_ui                      # 200,000-document corpus, 2,000 navigations
    .venv/bin/python -m bench.bench_ui --docs 20000 --navigations 300   # a quick run

- Cold start: a fresh process until the first frame of the home screen with its tiles, against a bare
  QML hello-world window measured the same way in the same run (median of --starts runs each).
- Search as you type: the real `Search` view-model over a corpus from `bench.corpus`; each keystroke
  (a growing prefix of a word from the corpus vocabulary) until its results arrive on the GUI thread.
- Memory: RSS of the real QML app after home → search → reader → 解读 → home, repeated.

The libraries are prepared in child processes (the bundled gazette imported, the corpus built, migrated
or re-indexed): that one-off work frees ~100 MB (a re-index of 200,000 documents) that glibc keeps in the heap of the process that did
it, and the memory phase, which runs in this process after the search phase, would count them. A kiosk
opens a library that is already there.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HELLO_QML = """
import QtQuick
Window { width: 1080; height: 1920; visible: true; color: "#eef2f8"
    Text { anchors.centerIn: parent; text: "Hello 政务公开"; font.pixelSize: 48; font.family: "Noto Sans CJK SC" } }
"""


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- child processes for the cold start -------------------------------------------------------------


def child(kind: str, data_dir: str) -> None:
    t0 = float(os.environ["BENCH_T0"])
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQml import QQmlApplicationEngine

    if kind == "hello":
        app = QGuiApplication(sys.argv[:1])
        engine = QQmlApplicationEngine()
        with tempfile.NamedTemporaryFile("w", suffix=".qml", delete=False) as fh:
            fh.write(HELLO_QML)
        engine.load(QUrl.fromLocalFile(fh.name))
        os.unlink(fh.name)  # loaded: each measured start left one behind in /tmp
        window = engine.rootObjects()[0]
        ready = lambda: True  # noqa: E731
    else:
        from kiosk.config import defaults
        from kiosk.services import build
        from ui import app as ui_app

        app = ui_app.application()
        services = build(defaults(), Path(data_dir))
        engine, window = ui_app.load(services)
        state = engine.singletonInstance("Kiosk", "AppState")
        ready = lambda: bool(state.property("ready"))  # noqa: E731

    def swapped() -> None:
        if ready():
            print(f"FIRST_FRAME {time.time() - t0:.4f}", flush=True)
            os._exit(0)  # measured; quitting the event loop amid update requests adds nothing (and offscreen
            # Qt 6.12 can crash on a window's pending update timer there)
        window.update()

    window.frameSwapped.connect(swapped)
    app.exec()
    os._exit(0)


def cold_start(kind: str, data_dir: str) -> float:
    # An installed kiosk starts from compiled bytecode (the .deb's postinst runs compileall): the warm-up
    # start writes it, so PYTHONDONTWRITEBYTECODE in the caller's environment must not leave every
    # measured start compiling the kiosk's modules from source.
    env = {**os.environ, "BENCH_T0": repr(time.time())}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_ui", "--child", kind, "--data", data_dir],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    return float(next(line.split()[1] for line in out.splitlines() if line.startswith("FIRST_FRAME")))


# --- search as you type ------------------------------------------------------------------------------


def corpus_seed() -> int:
    """`bench.corpus.generate`'s default seed (part of the cache key)."""
    import inspect

    from bench import corpus

    return int(inspect.signature(corpus.generate).parameters["seed"].default)


CORPUS_CACHE = Path(__file__).resolve().parent / "out"  # gitignored


def corpus_dir(docs: int) -> Path:
    return CORPUS_CACHE / f"ui-corpus-{docs}-seed{corpus_seed()}"


def prepare(what: str, path: Path, docs: int = 0) -> float:
    """`prepare_gazette` or `prepare_corpus` in a child process; the seconds the corpus took to build."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_ui", "--child", what, "--data", str(path), "--docs", str(docs)],
        stdout=subprocess.PIPE,  # the corpus build's progress goes to stderr, shown
        text=True,
        check=True,
    ).stdout
    return float(next(line.split()[1] for line in out.splitlines() if line.startswith("PREPARED")))


def prepare_gazette(data_dir: Path) -> None:
    """The bundled gazette imported into a library at `data_dir`."""
    from kiosk.config import defaults
    from kiosk.services import build

    services = build(defaults(), data_dir, bundled=True)
    services.library.open()
    services.close()


def prepare_corpus(path: Path, docs: int) -> float:
    """The corpus built (`build_corpus`), then opened once so that its migrations and search index are
    current (an index of an older version is rebuilt when the library opens)."""
    from content.store import Library

    built = build_corpus(path, docs)
    Library(path / "library.db", blobs_dir=path / "blobs").close()
    return built


def build_corpus(path: Path, docs: int) -> float:
    """The `docs`-document corpus library under `path`, built once: later runs reuse it (0 s).

    Built beside `path` and renamed into place when complete, so an interrupted build is never reused.
    A library whose search index is of an older version is re-indexed when opened (by the store)."""
    import json
    import shutil

    from bench import corpus
    from content.store import Library

    marker = path / "corpus.json"
    if marker.exists() and json.loads(marker.read_text())["docs"] == docs:
        return 0.0
    started = time.perf_counter()
    building = path.with_name(path.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    with Library(building / "library.db", blobs_dir=building / "blobs") as library:
        batch = []
        for n, item in enumerate(corpus.generate(docs), 1):
            batch.append(item)
            if len(batch) == 2000:
                library.upsert_items(batch)
                batch.clear()
            if n % 20_000 == 0:
                print(f"  corpus: {n:,} / {docs:,} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        if batch:
            library.upsert_items(batch)
    (building / "corpus.json").write_text(json.dumps({"docs": docs}))
    shutil.rmtree(path, ignore_errors=True)
    building.rename(path)
    return time.perf_counter() - started


def search_latency(data_dir: Path, words: int, seed: int = 3) -> list[float]:
    from bench import corpus
    from kiosk.config import defaults
    from kiosk.services import build
    from ui import context
    from ui.app import application
    from ui.screenshot import spin
    from ui.search import Search

    app = application()  # noqa: F841 - kept alive for the run
    services = build(defaults(), data_dir)
    services.library.open()
    context.set_services(services)
    search = Search()
    vocab = corpus.vocabulary()
    terms = vocab.words4 + vocab.words2 or ["老旧小区", "节能减排"]
    rng = random.Random(seed)
    samples: list[float] = []
    for _ in range(words):
        word = rng.choice(terms)
        search.clear()
        for n in range(1, len(word) + 1):
            text = word[:n]
            start = time.perf_counter()
            search.setProperty("text", text)
            while search.property("searched") != text or search.property("searching"):
                spin(2)
                if time.perf_counter() - start > 10:
                    break
            samples.append((time.perf_counter() - start) * 1000)
    services.close()
    return samples


# --- memory over navigations -------------------------------------------------------------------------


def navigations(data_dir: Path, count: int) -> list[tuple[int, float]]:
    from kiosk.config import defaults
    from kiosk.services import build
    from ui import app as ui_app
    from ui import worker
    from ui.screenshot import spin

    qt_app = ui_app.application()  # noqa: F841 - kept alive for the run
    services = build(defaults(), data_dir)
    engine, window = ui_app.load(services)
    window.show()
    state = engine.singletonInstance("Kiosk", "AppState")
    search = engine.singletonInstance("Kiosk", "Search")

    def settle() -> None:
        for _ in range(3):
            worker.wait_idle(5.0)
            spin(5)

    while not state.property("ready"):
        spin(20)
    library = services.library.opened_browse().library  # the tiles may show before the library is open
    docs = [d for d in library.items("document", limit=200) if library.interpretations_of(d.id)]
    points = []
    for n in range(1, count + 1):
        doc = docs[n % len(docs)]
        state.open("search", {})
        search.setProperty("text", doc.title[:4])
        settle()
        state.open("reader", {"itemId": doc.id})
        settle()
        state.open("reader", {"itemId": library.interpretations_of(doc.id)[0].id})
        settle()
        state.resetNow()
        settle()
        if n in (1, 100) or n % 500 == 0 or n == count:
            points.append((n, rss_mb()))
    window.close()
    return points


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--child", choices=["hello", "kiosk", "gazette", "corpus"], help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--docs", type=int, default=200_000, help="corpus size for search (default 200,000)")
    parser.add_argument(
        "--corpus-dir",
        type=Path,
        help="corpus library to build or reuse (default bench/out/ui-corpus-<docs>-seed<n>)",
    )
    parser.add_argument("--words", type=int, default=40, help="words typed letter by letter")
    parser.add_argument("--navigations", type=int, default=2000)
    parser.add_argument("--starts", type=int, default=7)
    parser.add_argument("--only", choices=["start", "search", "memory"])
    args = parser.parse_args()
    if args.child == "gazette":
        prepare_gazette(Path(args.data))
        print("PREPARED 0")
        return 0
    if args.child == "corpus":
        print(f"PREPARED {prepare_corpus(Path(args.data), args.docs):.1f}")
        return 0
    if args.child:
        child(args.child, args.data or "")
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        gazette_dir = Path(tmp) / "gazette"
        prepare("gazette", gazette_dir)

        if args.only in (None, "start"):
            cold_start("kiosk", str(gazette_dir))  # warm the disk cache and .pyc files, not counted
            hello: list[float] = []
            kiosk: list[float] = []
            for _ in range(args.starts):  # alternating, so that a busy moment hits both alike
                hello.append(cold_start("hello", ""))
                kiosk.append(cold_start("kiosk", str(gazette_dir)))
            h, k = statistics.median(hello), statistics.median(kiosk)
            pairs = statistics.median(b / a for a, b in zip(hello, kiosk, strict=True))
            print(f"\n### Cold start to first frame (median of {args.starts} alternating runs, offscreen)\n")
            print("| window | first frame (s) | runs (s) |\n|---|---|---|")
            print(f"| bare QML hello-world | {h:.2f} | {' '.join(f'{v:.2f}' for v in hello)} |")
            print(f"| kiosk home screen (tiles shown) | {k:.2f} | {' '.join(f'{v:.2f}' for v in kiosk)} |")
            print(
                f"| ratio of medians | {k / h:.2f}× (target ≤ 2.5×; median of run-pair ratios {pairs:.2f}×) | |"
            )
            sys.stdout.flush()

        if args.only in (None, "search"):
            library_dir = args.corpus_dir or corpus_dir(args.docs)
            built = prepare("corpus", library_dir, args.docs)
            samples = search_latency(library_dir, args.words)
            origin = f"corpus built in {built:.0f} s" if built else f"corpus reused from {library_dir.name}"
            print(f"\n### Search as you type ({args.docs:,} documents; {origin})\n")
            print("| keystrokes | p50 (ms) | p95 (ms) | max (ms) |\n|---|---|---|---|")
            print(
                f"| {len(samples)} | {percentile(samples, 50):.1f} | {percentile(samples, 95):.1f} | "
                f"{max(samples):.1f} |"
            )
            sys.stdout.flush()

        if args.only in (None, "memory"):
            points = navigations(gazette_dir, args.navigations)
            print(
                f"\n### Memory over {args.navigations:,} navigations (home → search → reader → 解读 → home)\n"
            )
            print("| after navigations | RSS (MB) |\n|---|---|")
            for n, mb in points:
                print(f"| {n:,} | {mb:.0f} |")
            base = (
                next(mb for n, mb in points if n == 100) if any(n == 100 for n, _ in points) else points[0][1]
            )
            growth = (points[-1][1] - base) / base * 100
            print(f"| growth after the first 100 | {growth:+.1f}% (target ≤ 10%, ≤ 300 MB) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
