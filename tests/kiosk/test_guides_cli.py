"""`kiosk content import-guides`, the demo library's guides, and a guide in the reader (blocks)."""

from __future__ import annotations

import json

import pytest

from content.store import Library
from kiosk.browse import Browse
from kiosk.cli import main
from kiosk.config import load
from kiosk.library import bundled_guides_path, open_library
from kiosk.session import Session

GUIDES = bundled_guides_path()
COUNT = len(list(GUIDES.glob("*.json")))


@pytest.fixture
def kiosk(cli_env, capsys):
    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_import_guides_from_a_folder_then_again(kiosk):
    code, out, err = kiosk("content", "import-guides", str(GUIDES))
    assert code == 0, err
    assert f"已导入办事指南 {COUNT} 项（{COUNT} 个文件" in out and f"新增 {COUNT}" in out
    code, out, _ = kiosk("content", "import-guides", str(GUIDES / "dibao.json"), "--json")
    assert json.loads(out) == {
        "files": 1,
        "guides": 1,
        "forms": 0,
        "added": 0,
        "updated": 0,
        "unchanged": 1,
        "removed": 0,
    }
    code, out, _ = kiosk("content", "list", "--kind", "guide")
    assert f"共 {COUNT} 条" in out and "城乡居民最低生活保障审核确认" in out
    code, out, _ = kiosk("content", "show", "guide-demo-dibao", "--json")
    shown = json.loads(out)
    assert (
        shown["guide"]["申请材料"][0]["材料名称"] == "最低生活保障申请书" and shown["guide"]["demo"] is True
    )


def test_a_bad_file_is_refused_naming_file_line_and_field_and_nothing_is_imported(kiosk, cli_env):
    bad = cli_env / "bad.json"
    record = json.loads((GUIDES / "linshi.json").read_text("utf-8"))
    record["服务对象"] = ["农民"]
    bad.write_text(json.dumps(record, ensure_ascii=False, indent=1), "utf-8")
    line = next(n for n, t in enumerate(bad.read_text("utf-8").split("\n"), 1) if '"农民"' in t)
    code, _, err = kiosk("content", "import-guides", str(bad))
    assert code == 2
    assert f"bad.json:{line}: 服务对象第1项：只能是：自然人、法人、非法人组织" in err
    assert "错误：办事指南文件有 1 处错误，未导入任何内容" in err
    code, _, err = kiosk("content", "import-guides", str(cli_env / "missing"))
    assert code == 2 and "找不到" in err
    with Library(cli_env / "kiosk" / "library.db") as library:
        assert library.stats()["items"] == 0


def test_the_demo_library_gets_the_gazette_and_the_demo_guides_together(tmp_path):
    with open_library(load(None), tmp_path, bundled=True) as library:
        stats = library.stats()
        assert stats["by_kind"]["guide"] == COUNT and stats["by_kind"]["document"] == 16
        assert all(item.guide.demo for item in library.items("guide"))
    with open_library(load(None), tmp_path, bundled=True) as library:  # not again once there is content
        assert library.stats()["by_kind"]["guide"] == COUNT


def test_a_guide_reads_as_blocks_materials_table_numbered_steps_and_free(tmp_path):
    with open_library(load(None), tmp_path, bundled=True) as library:
        doc = Browse(library, Session()).document("guide-demo-dibao", record=False)
    blocks = doc["blocks"]
    headings = [b["html"] for b in blocks if b["kind"] == "heading"]
    assert headings[:3] == ["受理条件", "申请材料", "办理流程"]
    rows = [[c["html"] for c in b["cells"]] for b in blocks if b["kind"] == "row"]
    assert rows[0] == ["序号", "材料名称", "原件/复印件", "份数", "是否必须", "来源"]
    assert rows[1][:4] == ["1", "最低生活保障申请书", "原件", "1 份"]
    steps = [(b["marker"], b["html"]) for b in blocks if b["kind"] == "item" and b["marker"].endswith(".")]
    assert steps[0][0] == "1." and steps[0][1].startswith("<b>申请</b>")
    assert "<b>免费</b>（不收取任何费用）" in [b["html"] for b in blocks if b["kind"] == "paragraph"]
    assert doc["kindName"] == "办事指南" and doc["title"] == "城乡居民最低生活保障审核确认"
