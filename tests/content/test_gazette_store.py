"""The parser's output goes into the store as one issue: re-importing changes nothing, a corrected
issue updates in place (same ids)."""

from __future__ import annotations

from pathlib import Path

from content.gazette import parse_gazette
from content.store import Library

SEED = Path(__file__).resolve().parents[2] / "content" / "data" / "dingzhou-gazette-2022-02.md"


def test_reimport_and_update_in_place(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    with Library(tmp_path / "library.db") as lib:
        first = parse_gazette(text, SEED.name)
        assert lib.replace_issue(first.issue, first.items).summary()["added"] == 30
        again = parse_gazette(text, SEED.name)
        assert lib.replace_issue(again.issue, again.items).summary() == {
            "added": 0,
            "updated": 0,
            "unchanged": 30,
            "removed": 0,
        }
        corrected = parse_gazette(
            text.replace("全市完成营造林 10000 亩", "全市完成营造林 12000 亩"), SEED.name
        )
        report = lib.replace_issue(corrected.issue, corrected.items)
        assert report.updated == [first.items[3].id] and len(report.unchanged) == 29
        assert "12000亩" in lib.get(first.items[3].id).body_md
