"""Topics and 重点领域 come from the keyword tables in content.classify, nothing else."""

from __future__ import annotations

from pathlib import Path

from content import classify
from content.gazette import parse_gazette
from content.model import KEY_AREAS

SEED = Path(__file__).resolve().parents[2] / "content" / "data" / "dingzhou-gazette-2022-02.md"


def test_table_uses_only_key_areas():
    assert set(classify.AREA_KEYWORDS) <= set(KEY_AREAS)


def test_category_from_keywords():
    assert classify.category("关于规范政府采购和公共资源交易的通知", "") == "公共资源配置"
    assert classify.category("关于做好秸秆禁烧工作的通知", "乡村振兴 农村 农民") == "乡村振兴"
    assert classify.category("关于调整办公时间的通知", "自下周起，办公时间调整为上午九时。") == ""


def test_category_is_not_won_by_length():
    """A keyword mentioned now and then in a long text does not make a category."""
    body = ("推进各项工作，落实责任分工，加强组织领导。" * 200) + "农村"
    assert classify.category("关于印发工作方案的通知", body) == ""


def test_topics_from_table(monkeypatch):
    assert classify.topics("关于加强冷链物流建设的通知", "")[0] == "冷链物流"
    monkeypatch.setitem(classify.TOPIC_KEYWORDS, "快递", ("快递",))
    assert "快递" in classify.topics("关于促进快递进村的通知", "")


def test_interpretation_filed_with_its_document():
    parsed = parse_gazette(SEED.read_text(encoding="utf-8"))
    by_id = {i.id: i for i in parsed.items}
    for item in parsed.items:
        assert item.category in (*KEY_AREAS, "")
        assert 0 < len(item.topics) <= classify.MAX_TOPICS
        if item.kind == "interpretation":
            doc = by_id[item.interprets_id]
            assert item.category == doc.category
            assert item.topics[0] == doc.topics[0]


def test_old_housing_renovation_is_housing_not_a_major_construction_project():
    parsed = parse_gazette(SEED.read_text(encoding="utf-8"))
    (plan,) = [i for i in parsed.items if i.title.endswith("老旧小区改造实施方案》的通知")]
    assert plan.category != "重大建设项目批准和实施"
    assert set(plan.topics) & set(classify.BROWSE_TOPICS["住房"])


def test_every_browse_topic_gathers_known_topics():
    for name, topics in classify.BROWSE_TOPICS.items():
        assert topics and set(topics) <= set(classify.TOPIC_KEYWORDS), name
