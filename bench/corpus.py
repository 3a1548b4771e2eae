"""A synthetic library corpus made from the real vocabulary of the bundled gazette, for benchmarks.

`generate(n)` yields `content.model.Item`s: documents with realistic titles (定州市人民政府关于印发《…》的通知),
unique 文号 (定政发字〔2019〕37号 …), issuers, dates and ~2 KB bodies (UTF-8 bytes) built from sentences of the
seed gazette, plus 解读 linked to documents, notices and service guides. Deterministic for a given seed,
so runs are comparable. Also exposes the vocabulary (`Vocabulary`) so benchmarks can draw queries from
the same words.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from content.model import Item

SEED_FILE = Path(__file__).resolve().parent.parent / "content" / "data" / "dingzhou-gazette-2022-02.md"

# Subjects of policy documents, taken from the seed issue's titles and from what residents ask about.
SUBJECTS = [
    "国土绿化",
    "老旧小区改造",
    "冷链物流发展",
    "节能减排综合",
    "秸秆禁烧",
    "光伏发电",
    "快递物流",
    "打击非法采矿专项行动",
    "地下水超采综合治理",
    "火灾事故通报处理",
    "内外贸一体化发展",
    "建设节约型社会",
    "制造业高质量发展",
    "重点产业投入与产出控制指标",
    "政务公开专区建设",
    "非物质文化遗产保护",
    "新建商品房交房即交证",
    "规模以上工业企业发展",
    "重大行政决策公众参与",
    "城乡居民基本医疗保险",
    "城乡居民基本养老保险",
    "最低生活保障",
    "住房公积金管理",
    "农村危房改造",
    "高标准农田建设",
    "大气污染防治",
    "水污染防治",
    "土壤污染防治",
    "安全生产专项整治",
    "食品安全监督",
    "校园周边环境治理",
    "城市生活垃圾分类",
    "农村人居环境整治",
    "乡村振兴",
    "优化营商环境",
    "招商引资",
    "全民健身",
    "退役军人服务保障",
    "残疾人两项补贴",
    "特困人员救助供养",
    "临时救助",
    "义务教育",
    "学前教育",
    "职业技能培训",
    "就业创业",
    "稳岗补贴",
    "医疗卫生服务",
    "疫情防控",
    "冬季清洁取暖",
    "煤改气",
    "森林防火",
    "防汛抗旱",
    "河长制",
    "耕地保护",
    "粮食安全",
    "畜禽养殖污染治理",
    "新能源汽车推广",
    "电动自行车管理",
    "城市道路交通",
    "公共租赁住房",
    "廉租房管理",
    "独生子女父母奖励",
    "老年人优待",
    "社会保险费征缴",
    "个人所得税专项附加扣除",
    "营业执照办理",
    "一卡通补贴发放",
    "数字经济发展",
]
GENRES = [
    "实施方案",
    "工作方案",
    "管理办法",
    "若干措施",
    "实施意见",
    "专项规划",
    "实施细则",
    "行动计划",
    "工作要点",
    "暂行办法",
]
ISSUERS = {
    "定政发": "定州市人民政府",
    "定政发字": "定州市人民政府",
    "定政办": "定州市人民政府办公室",
    "定政办字": "定州市人民政府办公室",
    "定政函": "定州市人民政府",
    "定财发": "定州市财政局",
    "定农发": "定州市农业农村局",
    "定人社发": "定州市人力资源和社会保障局",
    "定卫健发": "定州市卫生健康局",
    "定住建发": "定州市住房和城乡建设局",
}
NOTICE_SUBJECTS = [
    "城乡低保对象",
    "特困供养人员",
    "高龄津贴发放",
    "耕地地力保护补贴",
    "残疾人两项补贴",
    "公共租赁住房分配",
    "拟任干部",
    "政府采购中标结果",
    "建设项目环境影响评价",
    "征收土地",
    "农村危房改造对象",
    "退役军人优待",
]
GUIDE_SUBJECTS = [
    "社会保障卡申领",
    "城乡居民医疗保险参保登记",
    "最低生活保障申请",
    "住房公积金提取",
    "残疾人证办理",
    "老年人优待证办理",
    "营业执照设立登记",
    "个体工商户注册",
    "独生子女父母光荣证",
    "不动产登记",
    "新生儿落户",
    "居民身份证换领",
    "退役军人优待证",
    "临时救助申请",
    "高龄津贴申领",
    "养老金领取资格认证",
]
NUMERALS = "一二三四五六七八九十"


@dataclass
class Vocabulary:
    """Sentences and words of the seed gazette."""

    sentences: list[str]
    words2: list[str] = field(default_factory=list)  # two-character words found in the seed
    words4: list[str] = field(default_factory=list)  # four-character phrases found in the seed


def _clean(text: str) -> str:
    text = re.sub(r"^#+\s*|^[-*]\s+|\*\*|\|", "", text, flags=re.M)
    return re.sub(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])", "", text)


@cache
def vocabulary(path: Path = SEED_FILE) -> Vocabulary:
    """Split the seed gazette into sentences (8–200 characters, mostly Chinese)."""
    text = _clean(path.read_text(encoding="utf-8"))
    sentences = []
    for raw in re.split(r"(?<=[。！？；])|\n+", text):
        s = raw.strip()
        han = len(re.findall(r"[\u4e00-\u9fff]", s))
        if 8 <= len(s) <= 200 and han >= 0.6 * len(s):
            sentences.append(s)
    # Words: two-character strings that the seed uses often and that real residents would type.
    seed_words2 = [
        "秸秆",
        "光伏",
        "快递",
        "冷链",
        "绿化",
        "造林",
        "养老",
        "医疗",
        "保险",
        "补贴",
        "就业",
        "创业",
        "住房",
        "教育",
        "环保",
        "污染",
        "节能",
        "减排",
        "农业",
        "粮食",
        "耕地",
        "水利",
        "采矿",
        "消防",
        "火灾",
        "安全",
        "交通",
        "税收",
        "财政",
        "预算",
        "招标",
        "采购",
        "物流",
        "企业",
        "产业",
        "投资",
        "土地",
        "用地",
        "能耗",
        "排放",
        "治理",
        "监管",
        "执法",
        "防治",
        "森林",
        "林业",
        "苗木",
        "燃气",
        "供热",
        "清洁",
        "垃圾",
        "污水",
        "小区",
        "改造",
        "物业",
        "商品",
        "房屋",
        "产权",
        "登记",
        "不动",
        "办证",
        "遗产",
        "文化",
        "旅游",
        "体育",
        "卫生",
        "疫情",
        "食品",
        "药品",
        "外贸",
        "出口",
        "电商",
        "农村",
        "乡村",
        "城镇",
        "规划",
        "地下",
        "超采",
        "压采",
        "灌溉",
        "节水",
        "矿产",
        "砂石",
        "河道",
        "扬尘",
        "锅炉",
        "煤炭",
        "电力",
        "新能",
        "氢能",
        "数字",
        "信息",
        "公开",
        "专区",
        "政务",
        "档案",
        "公示",
        "决策",
        "听证",
        "人才",
        "培训",
        "技能",
        "工资",
        "社保",
        "低保",
        "医保",
        "救助",
        "残疾",
    ]
    all_text = "".join(sentences)
    words2 = [w for w in seed_words2 if w in all_text]
    words4 = sorted(
        {m for s in SUBJECTS for m in re.findall(r"[\u4e00-\u9fff]{4}", s) if m in all_text}
        | {p for p in re.findall(r"[\u4e00-\u9fff]{4}", all_text) if all_text.count(p) >= 8}
    )
    return Vocabulary(sentences, words2, words4)


def _doc_numbers(rng: random.Random) -> Iterator[tuple[str, str]]:
    """Unique (文号, issuer) pairs, as printed: 定政办字〔2021〕54号."""
    counters: dict[tuple[str, int], int] = {}
    prefixes = list(ISSUERS)
    while True:
        prefix = rng.choice(prefixes)
        year = rng.randint(2008, 2024)
        counters[(prefix, year)] = counters.get((prefix, year), 0) + 1
        yield f"{prefix}〔{year}〕{counters[(prefix, year)]}号", ISSUERS[prefix]


def _body(rng: random.Random, vocab: Vocabulary, subject: str, target_bytes: int) -> str:
    parts = [f"为深入贯彻落实{subject}工作部署，结合我市实际，制定本方案。"]
    size = len(parts[0].encode())
    section = 0
    while size < target_bytes:
        if rng.random() < 0.12 and section < len(NUMERALS):
            line = f"\n## {NUMERALS[section]}、{rng.choice(vocab.words4 or ['工作要求'])}\n"
            section += 1
        elif rng.random() < 0.05:
            line = f"推进{subject}。"
        else:
            line = rng.choice(vocab.sentences)
        parts.append(line)
        size += len(line.encode())
    return "".join(parts)


def generate(n: int, seed: int = 7, body_bytes: int = 2048) -> Iterator[Item]:
    """`n` items: ~72% documents, ~15% 解读, ~9% notices, ~4% guides; bodies ~`body_bytes` UTF-8 bytes."""
    rng = random.Random(seed)
    vocab = vocabulary()
    numbers = _doc_numbers(rng)
    documents: list[tuple[str, str]] = []  # (id, title) of documents so far, for 解读
    for i in range(n):
        target = int(body_bytes * rng.uniform(0.7, 1.3))
        year = rng.randint(2008, 2024)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        roll = rng.random()
        item_id = f"syn-{i:07d}"
        if roll < 0.72 or not documents:
            doc_number, issuer = next(numbers)
            subject = rng.choice(SUBJECTS)
            inner = f"定州市{year}年{subject}{rng.choice(GENRES)}"
            verb = "印发" if issuer.endswith("办公室") else "关于印发"
            title = f"{issuer}{verb}《{inner}》的通知"
            section = "市政府办公室文件" if issuer.endswith("办公室") else "市政府文件"
            body = _body(rng, vocab, subject, target)
            documents.append((item_id, inner))
            yield Item(
                item_id,
                "document",
                title,
                body,
                doc_number=doc_number,
                issuer=issuer,
                date=date,
                section=section,
                topics=[subject],
                origin="city",
                source="bench",
            )
        elif roll < 0.87:
            doc_id, inner = rng.choice(documents)
            body = _body(rng, vocab, inner, target // 2)
            yield Item(
                item_id,
                "interpretation",
                f"《{inner}》解读",
                body,
                date=date,
                section="政策解读",
                interprets_id=doc_id,
                origin="city",
                source="bench",
            )
        elif roll < 0.96:
            subject = rng.choice(NOTICE_SUBJECTS)
            title = f"关于{year}年第{rng.randint(1, 4)}批{subject}的公示"
            body = _body(rng, vocab, subject, target // 2)
            yield Item(
                item_id,
                "notice",
                title,
                body,
                issuer="定州市人民政府",
                date=date,
                valid_from=date,
                level=rng.choice(["市", "乡镇", "村"]),
                origin="city",
                source="bench",
            )
        else:
            subject = rng.choice(GUIDE_SUBJECTS)
            body = _body(rng, vocab, subject, target // 2)
            yield Item(
                item_id,
                "guide",
                f"{subject}办事指南",
                body,
                date=date,
                section="公民类",
                origin="city",
                source="bench",
            )
