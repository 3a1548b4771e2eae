"""Topics and 重点领域 category of a document, from a keyword table kept as data.

The table below is the whole rule: each 重点领域 of DB 13/T 5480—2022 §5.4.1.2 (content.model.KEY_AREAS)
lists the words that point to it; each topic is a word (or a label with its words) a resident may look
for. An area scores ``TITLE_WEIGHT`` per keyword in the title plus its keyword hits per 1,000
characters of body (so a long document does not collect every area). The category is the best area
if it scores at least ``MIN_SCORE`` (else ``''``: most policy documents belong to no 重点领域); topics
are the best few topics found. To change the classification, edit the tables; the code knows no
document.
"""

from __future__ import annotations

import re

from content.model import KEY_AREAS

TITLE_WEIGHT = 10
MIN_SCORE = 4.0
MAX_TOPICS = 5

# 重点领域 → keywords. Keep every key one of KEY_AREAS.
AREA_KEYWORDS: dict[str, tuple[str, ...]] = {
    "市场监管": (
        "市场监管",
        "市场监督管理",
        "食品安全",
        "产品质量",
        "质量标准",
        "知识产权",
        "反垄断",
        "不正当竞争",
        "认证",
        "计量",
        "特种设备",
        "内外贸",
        "消费者",
    ),
    "财政预决算": ("预算", "决算", "财政资金", "专项资金", "三公经费", "政府债务"),
    "重大建设项目批准和实施": (
        "重大项目",
        "建设项目",
        "项目建设",
        "工程建设",
        "开工",
        "竣工",
        "施工许可",
        "立项",
        "投资强度",
    ),
    "公共资源配置": (
        "公共资源交易",
        "土地出让",
        "出让合同",
        "政府采购",
        "招标",
        "拍卖",
        "矿产资源",
        "采矿",
        "排污权",
        "用能权",
        "用水权",
        "国有产权",
    ),
    "社会公益事业建设": (
        "教育",
        "医疗",
        "卫生",
        "养老",
        "社会救助",
        "文化",
        "非物质文化遗产",
        "体育",
        "扶贫",
        "就业",
        "残疾人",
        "公共服务",
        "消防",
        "火灾",
    ),
    "乡村振兴": (
        "乡村振兴",
        "农业农村",
        "农村",
        "农民",
        "村庄",
        "农田",
        "种植",
        "灌溉",
        "宅基地",
        "土地承包",
        "秸秆",
        "畜禽",
        "森林乡村",
    ),
}

# Topics a resident may look for: label → words that signal it (the label itself counts too).
TOPIC_KEYWORDS: dict[str, tuple[str, ...]] = {
    "节能减排": ("节能", "减排", "能耗", "碳达峰", "碳中和"),
    "生态环境": ("生态环境", "污染", "环保", "挥发性有机物"),
    "国土绿化": ("植树", "造林", "绿化", "森林城市"),
    "非物质文化遗产": ("非遗", "传统技艺"),
    "不动产登记": ("交房即交证", "不动产", "产权证"),
    "住房": ("商品房", "购房", "住宅", "物业"),
    "老旧小区改造": ("老旧小区",),
    "工业企业": ("规上企业", "规模以上工业", "工业企业"),
    "制造业": ("制造业", "智能制造", "专精特新"),
    "节约型社会": ("节约型", "节水", "节粮", "反对浪费", "光盘行动"),
    "冷链物流": ("冷链", "冷库", "冷藏"),
    "物流": ("物流", "快递", "运输"),
    "重大行政决策": ("公众参与", "行政决策"),
    "政务公开": ("政务公开", "政府信息公开", "公开专区"),
    "矿产资源": ("非法采矿", "采砂", "盗采", "地热"),
    "地下水": ("地下水", "超采", "压采", "水源置换"),
    "消防安全": ("火灾", "消防"),
    "外贸": ("外贸", "进出口", "跨境电商", "内外贸"),
    "土地": ("用地", "供地", "土地使用权"),
    "营商环境": ("营商环境", "放管服", "审批"),
    "就业": ("就业", "职业技能"),
    "养老": ("养老",),
    "社会保障": ("社会保险", "社保", "医疗保险", "医保", "最低生活保障", "低保", "社会救助", "救助"),
    "农业农村": ("农业", "农村", "乡村"),
    "交通": ("交通", "公路", "新能源汽车", "氢能"),
}

# What a resident browses by (住房, 就业, 社保 …): each gathers topics of TOPIC_KEYWORDS under a plain name.
BROWSE_TOPICS: dict[str, tuple[str, ...]] = {
    "住房": ("住房", "老旧小区改造", "不动产登记"),
    "就业创业": ("就业",),
    "社保养老": ("社会保障", "养老"),
    "农业农村": ("农业农村",),
    "生态环境": ("生态环境", "国土绿化", "节能减排", "地下水"),
    "企业和经济": ("工业企业", "制造业", "营商环境", "外贸", "物流", "冷链物流"),
    "文化": ("非物质文化遗产",),
    "安全": ("消防安全", "矿产资源"),
    "交通出行": ("交通",),
    "土地": ("土地",),
    "政府工作": ("政务公开", "重大行政决策", "节约型社会"),
}

assert all(set(t) <= set(TOPIC_KEYWORDS) for t in BROWSE_TOPICS.values()), "BROWSE_TOPICS name known topics"
assert set(AREA_KEYWORDS) <= set(KEY_AREAS), "AREA_KEYWORDS keys must be 重点领域 of content.model.KEY_AREAS"


def _score(words: tuple[str, ...], title: str, body: str) -> int:
    return sum(TITLE_WEIGHT * title.count(w) + body.count(w) for w in words)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def area_scores(title: str, body: str) -> dict[str, float]:
    title, body = _flat(title), _flat(body)
    per_k = 1000 / max(len(body), 1000)
    return {
        area: TITLE_WEIGHT * sum(title.count(w) for w in words) + per_k * sum(body.count(w) for w in words)
        for area, words in AREA_KEYWORDS.items()
    }


def category(title: str, body: str) -> str:
    """The 重点领域 the document belongs to, or '' when no area scores at least MIN_SCORE."""
    scores = area_scores(title, body)
    best = max(scores, key=lambda a: (scores[a], -KEY_AREAS.index(a)))
    return best if scores[best] >= MIN_SCORE else ""


def topics(title: str, body: str, limit: int = MAX_TOPICS) -> list[str]:
    """The topics of the document, best first (ties in table order), those with a title hit or ≥ 3 hits."""
    title, body = _flat(title), _flat(body)
    scored = []
    for order, (label, words) in enumerate(TOPIC_KEYWORDS.items()):
        s = _score((label, *words), title, body)
        if s >= 3:
            scored.append((-s, order, label))
    return [label for _, _, label in sorted(scored)[:limit]]
