"""Benchmark of the Chinese search: import throughput, query latency per class, a LIKE-scan baseline, and
index size against text size. Prints a markdown table (paste it into the README). Not a test: nothing
here asserts a time.

    .venv/bin/python -m bench.bench_search                 # 200,000 documents (~2 KB of body each)
    .venv/bin/python -m bench.bench_search --docs 20000    # a quick run
    .venv/bin/python -m bench.bench_search --db /tmp/b.db --reuse   # query again without re-importing

Items go in through `content.store.Library.upsert_items`, as an import would, in batches. Import time is
split into the index's share (`content.search.index.reindex`) and the rest (the store's per-row code).
Queries are many distinct ones per class, drawn from the corpus vocabulary (`bench.corpus`); each runs
the whole `content.search.search()` (parse, FTS queries, ranking, snippets) with limit 20.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from bench import corpus
from content.search import index as search_index
from content.search import search
from content.search import vocab as search_vocab
from content.store import Library

TARGET_P95_MS = 20.0
TARGET_RATIO = 50.0
TARGET_INDEX = 1.5
TARGET_IMPORT = 2000.0
FREQUENT = ["工作", "发展", "建设", "管理", "企业", "服务", "定州", "实施", "推进", "加强", "项目", "完成"]


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _typed_forms(number: str, rng: random.Random) -> str:
    """A 文号 as a resident might type it."""
    prefix, rest = number.split("〔", 1)
    year, num = rest.rstrip("号").split("〕")
    if prefix.endswith("字") and rng.random() < 0.3:
        prefix = prefix[:-1]
    return rng.choice(
        [
            f"{prefix}〔{year}〕{num}号",
            f"{prefix}[{year}]{num}号",
            f"{prefix}{year} {num}号",
            f"{prefix}（{year}）{num}号",
            f"{prefix} [{year}] {num}",
        ]
    )


def import_corpus(lib: Library, docs: int, batch: int, seed: int) -> dict:
    """Insert the synthetic corpus through the store; time the index's share separately."""
    index_seconds = vocab_seconds = 0.0
    real_reindex = search_index.reindex
    real_vocab_add = search_vocab.add

    def timed_reindex(db, ids):
        nonlocal index_seconds
        started = time.perf_counter()
        real_reindex(db, ids)
        index_seconds += time.perf_counter() - started

    def timed_vocab_add(db, tokens):
        nonlocal vocab_seconds
        started = time.perf_counter()
        real_vocab_add(db, tokens)
        vocab_seconds += time.perf_counter() - started

    numbers: list[str] = []
    search_index.reindex = timed_reindex
    search_vocab.add = timed_vocab_add
    started = time.perf_counter()
    generate_seconds = 0.0
    try:
        items = corpus.generate(docs, seed=seed)
        done = 0
        while done < docs:
            g0 = time.perf_counter()
            chunk = [item for _, item in zip(range(batch), items, strict=False)]
            generate_seconds += time.perf_counter() - g0
            if not chunk:
                break
            numbers.extend(i.doc_number for i in chunk if i.doc_number and len(numbers) < 50_000)
            lib.upsert_items(chunk)
            done += len(chunk)
            if done % (batch * 20) == 0:
                rate = done / (time.perf_counter() - started - generate_seconds)
                print(f"  imported {done:,} ({rate:,.0f} docs/s)", file=sys.stderr)
    finally:
        search_index.reindex = real_reindex
        search_vocab.add = real_vocab_add
    total = time.perf_counter() - started - generate_seconds
    return {
        "docs": done,
        "seconds": total,
        "index_seconds": index_seconds,
        "vocab_seconds": vocab_seconds,
        "numbers": numbers,
    }


def query_classes(
    vocab: corpus.Vocabulary, numbers: list[str], n: int, rng: random.Random
) -> dict[str, list]:
    """(query, LIKE patterns) per class; LIKE patterns are what a scan would look for."""
    words2 = list(vocab.words2)
    words4 = [w for w in vocab.words4 if len(w) == 4]
    rng.shuffle(words2)
    rng.shuffle(words4)
    # Pinyin covers titles and keywords: take words of the corpus's title subjects (4-character windows
    # at even offsets, as words fall), e.g. 国土绿化 → gtlh.
    title_words = sorted({s[i : i + 4] for s in corpus.SUBJECTS for i in range(0, len(s) - 3, 2)})
    rng.shuffle(title_words)
    initials: dict[str, str] = {}
    for word in title_words:
        initials.setdefault("".join(lazy_pinyin(word, style=Style.FIRST_LETTER)), word)
    pairs = set()
    while len(pairs) < n:
        a, b = rng.sample(words2, 2)
        pairs.add((a, b))
    sample_numbers = rng.sample(numbers, min(n, len(numbers))) if numbers else []
    # Full pinyin of two-character words anywhere in the text (jiegan → 秸秆), read through the vocabulary
    # (`content.search.vocab`, which reads words of up to three characters; titles have their own index).
    spelled = {"".join(lazy_pinyin(w)): w for w in words2[:n]}
    # Questions as residents type them about services (guides first), and about anything.
    asks = ["{}怎么办理", "{}需要什么材料", "{}去哪里办", "怎么申请{}", "{}在哪领"]
    subjects = corpus.GUIDE_SUBJECTS + [w[:4] for w in corpus.GUIDE_SUBJECTS] + words2[: n // 2]
    questions = [(rng.choice(asks).format(s), [s]) for s in subjects]
    return {
        "2-char word": [(w, [w]) for w in words2[:n]],
        "4-char phrase": [(w, [w]) for w in words4[:n]],
        "pinyin initials": [(k, [w]) for k, w in list(initials.items())[:n]],
        "文号 (typed forms)": [(_typed_forms(num, rng), [num]) for num in sample_numbers],
        "two terms": [(f"{a} {b}", [a, b]) for a, b in pairs],
        "pinyin of body words (vocabulary)": [(k, [w]) for k, w in list(spelled.items())[:n]],
        "question (guides first)": questions[:n],
        "2-char, most frequent": [(w, [w]) for w in FREQUENT],
    }


def time_queries(
    lib: Library, queries: list[tuple[str, list[str]]], limit: int = 20
) -> tuple[list[float], int]:
    latencies, empty = [], 0
    for text, _ in queries:
        started = time.perf_counter()
        hits = search(lib.db, text, limit=limit)
        latencies.append((time.perf_counter() - started) * 1000)
        empty += not hits
    return latencies, empty


def time_like(lib: Library, queries: list[tuple[str, list[str]]], samples: int) -> list[float]:
    """A full LIKE scan per query (every match, as ranking them would need)."""
    out = []
    for _, patterns in queries[:samples]:
        where = " AND ".join("(title LIKE ? OR body_md LIKE ? OR doc_number LIKE ?)" for _ in patterns)
        params = [f"%{p}%" for p in patterns for _ in range(3)]
        started = time.perf_counter()
        lib.db.execute(f"SELECT id FROM items WHERE {where}", params).fetchall()
        out.append((time.perf_counter() - started) * 1000)
    return out


def sizes(lib: Library) -> dict:
    text = lib.db.execute(
        "SELECT sum(length(CAST(title AS BLOB)) + length(CAST(body_md AS BLOB))) FROM items"
    ).fetchone()[0]
    rows = lib.db.execute(
        "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'search%' OR name IN "
        "(SELECT name FROM sqlite_master WHERE tbl_name LIKE 'search%') GROUP BY name"
    ).fetchall()
    by_name = dict(rows)
    groups: dict[str, int] = {}
    for name, size in by_name.items():
        key = next(
            (
                t
                for t in ("search_text", "search_title", "search_pinyin", "search_vocab")
                if name.startswith(t)
            ),
            "search_docs",
        )
        groups[key] = groups.get(key, 0) + size
    return {"text": text, "index": sum(by_name.values()), "groups": groups}


def _mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=200_000, help="corpus size (default 200000)")
    parser.add_argument("--queries", type=int, default=200, help="distinct queries per class (default 200)")
    parser.add_argument("--like-samples", type=int, default=5, help="LIKE scans per class (default 5)")
    parser.add_argument("--batch", type=int, default=1000, help="items per upsert_items call")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path, help="database path (default: a temporary directory)")
    parser.add_argument("--reuse", action="store_true", help="reuse --db if it already holds the corpus")
    args = parser.parse_args(argv)

    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-search-")
        args.db = Path(tmp.name) / "library.db"
    fresh = not (args.reuse and args.db.exists())
    if fresh and args.db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
    lib = Library(args.db)
    print(f"corpus: {args.docs:,} documents → {args.db}", file=sys.stderr)
    if fresh:
        report = import_corpus(lib, args.docs, args.batch, args.seed)
    else:
        numbers = [
            r[0] for r in lib.db.execute("SELECT doc_number FROM items WHERE doc_number != '' LIMIT 50000")
        ]
        report = {
            "docs": lib.db.execute("SELECT count(*) FROM items").fetchone()[0],
            "seconds": float("nan"),
            "index_seconds": float("nan"),
            "vocab_seconds": float("nan"),
            "numbers": numbers,
        }
    docs = report["docs"]

    rng = random.Random(args.seed)
    classes = query_classes(corpus.vocabulary(), report["numbers"], args.queries, rng)
    for queries in classes.values():  # warm the page cache and pypinyin/alias caches once
        time_queries(lib, queries[:3])

    rows = []
    for name, queries in classes.items():
        latencies, empty = time_queries(lib, queries)
        like = time_like(lib, queries, args.like_samples)
        p50, p95 = _percentile(latencies, 50), _percentile(latencies, 95)
        like50 = _percentile(like, 50)
        rows.append((name, len(queries), empty, p50, p95, max(latencies), like50, like50 / p50 if p50 else 0))

    size = sizes(lib)
    lib.close()
    text_mb, index_mb = size["text"] / 1e6, size["index"] / 1e6
    ratio = size["index"] / size["text"]
    rate = docs / report["seconds"] if report["seconds"] == report["seconds"] else float("nan")
    store_share = 1 - report["index_seconds"] / report["seconds"] if fresh else float("nan")

    out: list[str] = []
    emit: Callable[[str], None] = out.append
    emit(
        f"Search benchmark: {docs:,} synthetic documents (mean {size['text'] / docs:,.0f} bytes of text each), "
        f"SQLite {__import__('sqlite3').sqlite_version}, index `{search_index.current_stamp()}`."
    )
    emit("")
    emit(
        "| query class | queries | no hit | p50 ms | p95 ms | max ms | LIKE scan p50 ms | speed-up (p50) | target |"
    )
    emit("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, n, empty, p50, p95, worst, like50, speedup in rows:
        target = (
            ""
            if name.startswith("2-char, most")
            else (
                f"{_mark(p95 <= TARGET_P95_MS)} p95 ≤ {TARGET_P95_MS:g} ms, {_mark(speedup >= TARGET_RATIO)} ≥ {TARGET_RATIO:g}×"
            )
        )
        emit(
            f"| {name} | {n} | {empty} | {p50:.2f} | {p95:.2f} | {worst:.1f} | {like50:,.0f} | {speedup:,.0f}× | {target} |"
        )
    emit("")
    emit("| measure | value | target |")
    emit("|---|---:|---|")
    emit(f"| text (titles + bodies, UTF-8) | {text_mb:,.1f} MB | |")
    for group, value in sorted(size["groups"].items()):
        emit(f"| index: {group} | {value / 1e6:,.1f} MB | |")
    emit(f"| index, all search tables | {index_mb:,.1f} MB | |")
    emit(f"| index / text | {ratio:.2f}× | {_mark(ratio <= TARGET_INDEX)} ≤ {TARGET_INDEX}× |")
    emit(
        f"| import through `Library.upsert_items` | {rate:,.0f} docs/s | {_mark(rate >= TARGET_IMPORT)} ≥ {TARGET_IMPORT:,.0f} docs/s |"
    )
    if fresh:
        emit(
            f"| … of which search indexing | {report['index_seconds'] / docs * 1e6:,.0f} µs/doc "
            f"({1 - store_share:.0%}) | |"
        )
        emit(
            f"| … … of which the pinyin vocabulary (writing new words; collecting them is in the line above) | "
            f"{report['vocab_seconds'] / docs * 1e6:,.0f} µs/doc | |"
        )
        emit(
            f"| … of which the store's own per-row work | {(report['seconds'] - report['index_seconds']) / docs * 1e6:,.0f} µs/doc "
            f"({store_share:.0%}) | |"
        )
    print("\n".join(out))
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
