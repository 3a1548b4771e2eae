"""The statistics staff read, from the rollup: periods, the figures of a report under hypothesis (every
use counted once, per day and per function alike), the most read documents with their 解读, and the
export: XLSX and CSV whole or not at all, a full or read-only USB stick said in Chinese (real tmpfs)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content import record_schema as rs
from kiosk.statistics import export, report
from kiosk.statistics.report import ItemInfo
from kiosk.statistics.rollup import USES, rows
from kiosk.statistics.service import mounted_sticks
from kiosk.statistics.store import Tallied

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "content"))
from test_record_schema import value_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
actions = st.sampled_from(sorted(rs.RESIDENT_ACTIONS)).flatmap(
    lambda k: st.tuples(st.just(k), value_of(rs.SCHEMAS[k].payload))
)
FIRST = date(2026, 12, 1)


def tally(dated_actions) -> list[Tallied]:
    """What StatisticsStore.add would hold for these (day offset, action) pairs."""
    table: dict[tuple, list[int]] = {}
    for offset, (kind, payload) in dated_actions:
        for row in rows(kind, payload):
            key = ((FIRST + timedelta(days=offset)).isoformat(), row.function, row.measure, row.item)
            entry = table.setdefault(key, [0, 0])
            entry[0] += row.count
            entry[1] += row.total
    return [Tallied(*key, *value) for key, value in sorted(table.items())]


def test_periods_start_on_monday_and_on_the_first():
    friday = date(2026, 12, 4)
    assert report.period_days("today", friday) == (friday, friday)
    assert report.period_days("week", friday) == (date(2026, 11, 30), friday)
    assert report.period_days("month", friday) == (date(2026, 12, 1), friday)
    assert report.month_days(date(2028, 2, 10)) == (date(2028, 2, 1), date(2028, 2, 29))
    assert report.month_days(date(2026, 12, 31)) == (date(2026, 12, 1), date(2026, 12, 31))
    with pytest.raises(ValueError):
        report.period_days("year", friday)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), actions), max_size=40))
def test_every_use_is_counted_once_per_day_and_per_function(dated):
    rows_ = tally(dated)
    got = report.build(rows_, "month", FIRST, date(2026, 12, 31), lambda _: None)
    uses = sum(1 for _, (kind, payload) in dated for r in rows(kind, payload) if r.measure in USES)
    assert (
        got.total_uses
        == uses
        == sum(d["uses"] for d in got.per_day)
        == sum(f["uses"] for f in got.per_function)
    )
    assert len(got.per_day) == 31
    assert all(s["noResult"] <= s["searches"] and s["opened"] <= s["searches"] for s in got.searches)
    assert got.idle_resets == sum(kind == "idle_reset" for _, (kind, _) in dated)
    ratings = [p["level"] for _, (k, p) in dated if k in ("rating", "queue_rating")]
    assert got.ratings == len(ratings)
    assert got.rating == (round(sum(ratings) / len(ratings), 2) if ratings else None)
    json.dumps(got.to_dict(), ensure_ascii=False)  # plain data for QML


def test_the_most_read_documents_carry_their_interpretations():
    items = {
        "doc-1": ItemInfo("关于老旧小区改造的通知", "document"),
        "int-1": ItemInfo("老旧小区改造政策解读", "interpretation", "doc-1"),
        "doc-2": ItemInfo("秸秆禁烧的通告", "document"),
        "int-3": ItemInfo("某文件的解读", "interpretation", "doc-3"),  # its document was never read
    }
    reads = [("doc-1", 3, 300), ("int-1", 4, 100), ("doc-2", 5, 50), ("int-3", 1, 10), ("gone", 2, 20)]
    rows_ = [
        Tallied("2026-12-04", "interpretations" if i.startswith("int") else "library", "read", i, n, s)
        for i, n, s in reads
    ]
    got = report.build(rows_, "today", date(2026, 12, 4), date(2026, 12, 4), items.get).most_read
    assert [(m["id"], m["reads"], m["interpretationReads"]) for m in got] == [
        ("doc-1", 3, 4),
        ("doc-2", 5, 0),
        ("gone", 2, 0),
        ("doc-3", 0, 1),
    ]
    assert got[0]["interpretations"] == [{"id": "int-1", "title": "老旧小区改造政策解读", "reads": 4}]
    assert got[0]["minutes"] == round(300 / 3 / 60, 1)
    assert got[2]["title"] == "（已不在资料库中：gone）"


def test_the_csv_opens_as_chinese_and_names_what_each_number_is():
    rows_ = [
        Tallied("2026-12-04", "search", "no_result", "question", 2, 0),
        Tallied("2026-12-04", "library", "read", "doc-1", 3, 270),
        Tallied("2026-12-04", "queue", "called", "A", 4, 2400),
    ]
    details = export.detail_rows(
        rows_,
        report.function_names([("library", "政府信息查询")]),
        {"doc-1": ItemInfo("某通知", "document")}.get,
    )
    data = export.csv_bytes(details)
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[1:] == [
        "2026-12-04,搜索,无结果搜索,question,提问,2,,",
        "2026-12-04,政府信息查询,阅读,doc-1,某通知,3,270,阅读秒数",
        "2026-12-04,排队取号,叫号,A,,4,2400,等候秒数",
    ]


STICK = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from kiosk.statistics import export
    out = {}
    for name, folder in (("full", Path(sys.argv[1])), ("readonly", Path(sys.argv[2]))):
        try:
            export.write_file(folder, "数据统计-2026-12.xlsx", b"x" * 200_000)
            out[name] = "written"
        except export.ExportError as exc:
            out[name] = exc.zh
        out[name + "_files"] = sorted(p.name for p in folder.iterdir())
    print(json.dumps(out, ensure_ascii=False))
    """
)


def test_a_full_or_read_only_stick_is_said_in_chinese_and_keeps_no_half_file(tmp_path):
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare to mount small file systems of its own")
    full, readonly = tmp_path / "full", tmp_path / "readonly"
    full.mkdir()
    readonly.mkdir()
    command = (
        f"mount -t tmpfs -o size=64k tmpfs {full} && mount -t tmpfs -o ro,size=64k tmpfs {readonly}"
        f' && exec {sys.executable} -c "$0" {full} {readonly}'
    )
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", command, STICK], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    if result.returncode != 0 and "mount" in result.stderr and not result.stdout:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["full"] == "U盘空间不足，请换一个U盘或删除其中不用的文件后再导出" and out["full_files"] == []
    assert out["readonly"] == "U盘不可写入（可能已写保护），请换一个U盘" and out["readonly_files"] == []


def test_only_a_block_device_mounted_under_media_or_mnt_is_a_stick(tmp_path):
    media = tmp_path / "media"
    for name in ("KIOSK USB", "card", "bound", "ram"):
        (media / "kiosk" / name).mkdir(parents=True)
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/nvme0n1p2 / ext4 rw 0 0\n"
        f"/dev/sdb1 {media}/kiosk/KIOSK\\040USB vfat rw,nosuid 0 0\n"
        f"/dev/mmcblk1p1 {media}/kiosk/card exfat rw 0 0\n"
        f"/home/x {media}/kiosk/bound none rw,bind 0 0\n"
        f"tmpfs {media}/kiosk/ram tmpfs rw 0 0\n"
        f"/dev/sdc1 {tmp_path}/elsewhere vfat rw 0 0\n"
        "garbage\n",
        encoding="utf-8",
    )
    assert mounted_sticks(mounts, (media,)) == [f"{media}/kiosk/KIOSK USB", f"{media}/kiosk/card"]
    assert mounted_sticks(tmp_path / "missing", (media,)) == []
