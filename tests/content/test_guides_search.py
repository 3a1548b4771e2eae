"""A resident's question finds the guide through its 受理条件 and the questions of its 常见问题 (indexed as the
guide's keywords), ranked below title hits; the same guide without them is not found by those words."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from content.guides_import import import_guides
from content.guides_record import file_guide
from content.model import Item
from content.store import Library
from kiosk.config import load
from kiosk.library import bundled_gazette_path, import_file

DEMO = Path(__file__).resolve().parents[2] / "content" / "data" / "guides"


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    folder = tmp_path_factory.mktemp("guides-search")
    with Library(folder / "library.db") as lib:
        import_file(lib, load(None), bundled_gazette_path())
        import_guides(lib, DEMO)
        yield lib


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("遭遇火灾怎么申请救助", "临时救助"),  # 受理条件: 因火灾、交通事故等意外事件…
        ("交通事故 生活困难", "临时救助"),
        ("非婚生育的孩子能落户吗", "出生登记（新生儿落户）"),  # 常见问题
        ("没有残疾人证能申请吗", "困难残疾人生活补贴和重度残疾人护理补贴申领"),
        ("去敬老院", "特困人员救助供养审核确认"),
        ("一户能有几处宅基地", "农村村民宅基地和建房（规划许可）审批"),
        ("领了养老金每年还要认证吗", "城乡居民基本养老保险待遇领取"),
        ("先买还是先申请", "农机购置与应用补贴申请"),
    ],
)
def test_a_residents_question_finds_the_guide_through_its_conditions_or_questions(
    library, question, expected
):
    hits = library.search(question, limit=5)
    assert hits and hits[0].title == expected, [h.title for h in hits]


def test_without_its_conditions_and_questions_the_guide_is_not_found_by_them(tmp_path):
    record = json.loads((DEMO / "linshi.json").read_text("utf-8"))
    bare = copy.deepcopy(record)
    del bare["受理条件"], bare["常见问题"]
    with Library(tmp_path / "library.db") as lib:
        lib.upsert_items(
            [Item(id="guide-bare", kind="guide", title=record["事项名称"], guide=file_guide(bare))]
        )
        assert lib.search("遭遇火灾怎么申请救助") == []
        lib.upsert_items(
            [Item(id="guide-bare", kind="guide", title=record["事项名称"], guide=file_guide(record))]
        )
        assert [h.id for h in lib.search("遭遇火灾怎么申请救助")] == ["guide-bare"]  # reindexed on update
        lib.upsert_items(
            [Item(id="guide-bare", kind="guide", title=record["事项名称"], guide=file_guide(bare))]
        )
        assert lib.search("遭遇火灾怎么申请救助") == []  # and its old keywords removed exactly


def test_a_title_hit_ranks_above_a_hit_in_another_guides_conditions(library):
    # 最低生活保障 is the 低保 guide's title and words of the 残疾人两项补贴 guide's conditions
    titles = [h.title for h in library.search("最低生活保障", limit=5)]
    assert titles[0] == "城乡居民最低生活保障审核确认"
    assert "困难残疾人生活补贴和重度残疾人护理补贴申领" in titles
