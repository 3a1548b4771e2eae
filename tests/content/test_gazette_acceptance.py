"""Acceptance: the bundled issue (定州市人民政府公报 2022 年第 2 号) gives exactly 16 documents and 14 解读.

Every 文号 and date below was read by eye from the seed text (the line under each title), and every
解读 from its title; these are the acceptance values of issue 2 §3.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from content.gazette import issue_id, parse_gazette, read_gazette_file

SEED = Path(__file__).resolve().parents[2] / "content" / "data" / "dingzhou-gazette-2022-02.md"
ISSUE = "gz-" + hashlib.sha1("定州市人民政府公报".encode()).hexdigest()[:6] + "-2022-02"
GOV, OFFICE = "定州市人民政府", "定州市人民政府办公室"

# n, title, 文号, date, issuer, section, page
DOCUMENTS = [
    (
        1,
        "定州市人民政府关于定州市重点产业投入与产出控制指标的意见（试行）",
        "定政发字〔2022〕2号",
        "2022-03-16",
        GOV,
        "市政府文件",
        3,
    ),
    (
        2,
        "定州市人民政府关于印发定州市“十四五”节能减排综合实施方案的通知",
        "定政发字〔2022〕3号",
        "2022-04-22",
        GOV,
        "市政府文件",
        5,
    ),
    (
        3,
        "定州市人民政府关于公布第五批市级非物质文化遗产代表性项目名录的通知",
        "定政发字〔2022〕4号",
        "2022-04-24",
        GOV,
        "市政府文件",
        11,
    ),
    (
        4,
        "定州市人民政府关于印发《定州市2022年国土绿化实施方案》的通知",
        "定政发〔2022〕7号",
        "2022-03-10",
        GOV,
        "市政府文件",
        14,
    ),
    (
        5,
        "定州市人民政府关于印发《定州市新建商品房“交房即交证”工作方案（试行）》的通知",
        "定政发〔2022〕8号",
        "2022-03-29",
        GOV,
        "市政府文件",
        18,
    ),
    (
        6,
        "定州市人民政府关于印发《定州市2022年老旧小区改造实施方案》的通知",
        "定政发〔2022〕10号",
        "2022-04-19",
        GOV,
        "市政府文件",
        21,
    ),
    (
        7,
        "定州市人民政府办公室印发《定州市支持规模以上工业企业发展措施（试行）》的通知",
        "定政办〔2022〕4号",
        "2022-04-10",
        OFFICE,
        "市政府办公室文件",
        28,
    ),
    (
        8,
        "定州市人民政府办公室关于印发《定州市建设节约型社会实施方案》的通知",
        "定政办〔2022〕5号",
        "2022-04-25",
        OFFICE,
        "市政府办公室文件",
        29,
    ),
    (
        9,
        "定州市人民政府办公室关于印发《定州市制造业高质量发展“十四五”规划》的通知",
        "定政办〔2022〕6号",
        "2022-04-27",
        OFFICE,
        "市政府办公室文件",
        39,
    ),
    (
        10,
        "定州市人民政府办公室关于印发《定州市“十四五”冷链物流发展实施方案》的通知",
        "定政办字〔2022〕26号",
        "2022-03-13",
        OFFICE,
        "市政府办公室文件",
        53,
    ),
    (
        11,
        "定州市人民政府办公室关于印发定州市2022年重大行政决策公众参与事项目录的通知",
        "定政办字〔2022〕27号",
        "2022-03-16",
        OFFICE,
        "市政府办公室文件",
        58,
    ),
    (
        12,
        "定州市人民政府办公室关于进一步做好政务公开专区建设工作的通知",
        "定政办字〔2022〕28号",
        "2022-03-19",
        OFFICE,
        "市政府办公室文件",
        61,
    ),
    (
        13,
        "定州市人民政府办公室关于印发《定州市2022年打击非法采矿专项行动实施方案》的通知",
        "定政办字〔2022〕32号",
        "2022-04-01",
        OFFICE,
        "市政府办公室文件",
        79,
    ),
    (
        14,
        "定州市人民政府办公室关于印发《定州市地下水超采综合治理2022年度实施计划》的通知",
        "定政办字〔2022〕33号",
        "2022-04-10",
        OFFICE,
        "市政府办公室文件",
        82,
    ),
    (
        15,
        "定州市人民政府办公室关于印发《定州市火灾事故通报处理工作办法（试行）》的通知",
        "定政办字〔2022〕40号",
        "2022-04-24",
        OFFICE,
        "市政府办公室文件",
        87,
    ),
    (
        16,
        "定州市人民政府办公室关于印发《定州市促进内外贸一体化发展的若干措施》的通知",
        "定政办字〔2022〕41号",
        "2022-04-28",
        OFFICE,
        "市政府办公室文件",
        91,
    ),
]

# n, title, interpreted document n, issuer printed in the 解读 ('' when none), page
INTERPRETATIONS = [
    (17, "《关于定州市重点产业投入与产出控制指标的意见（试行）》解读", 1, "", 95),
    (18, "《定州市“十四五”节能减排综合实施方案》解读", 2, "", 96),
    (19, "《定州市2022年国土绿化实施方案》解读", 4, "", 97),
    (20, "《定州市新建商品房“交房即交证”工作方案》解读", 5, "", 98),
    (21, "《定州市2022年老旧小区改造实施方案》解读", 6, "", 99),
    (22, "《定州市支持规模以上工业企业发展措施（试行）》解读", 7, "市科技局", 100),
    (23, "《定州市建设节约型社会实施方案》解读", 8, "", 101),
    (24, "《定州市制造业高质量发展“十四五”规划》解读", 9, "市科技局", 102),
    (25, "《定州市“十四五”冷链物流发展实施方案》解读", 10, "", 104),
    (26, "《关于进一步做好政务公开专区建设工作的通知》解读", 12, "", 105),
    (27, "《定州市2022年打击非法采矿专项行动实施方案》解读", 13, "", 106),
    (28, "《定州市地下水超采综合治理2022年度实施计划》解读", 14, "", 106),
    (29, "《定州市火灾事故通报处理工作办法（试行）》解读", 15, "", 107),
    (30, "《定州市促进内外贸一体化发展的若干措施》解读", 16, "", 108),
]


@pytest.fixture(scope="module")
def parsed():
    text = read_gazette_file(SEED)
    assert text.encoding == "utf-8"
    return parse_gazette(text.text, source=SEED.name)


def test_issue(parsed):
    issue = parsed.issue
    assert (issue.name, issue.year, issue.number, issue.date) == ("定州市人民政府公报", 2022, 2, "2022-04-30")
    assert issue.id == ISSUE == issue_id("定州市人民政府公报", 2022, 2)
    assert issue.source == SEED.name
    assert len(issue.toc) == 30
    assert [e.section for e in issue.toc] == ["市政府文件"] * 6 + ["市政府办公室文件"] * 10 + [
        "政策解读"
    ] * 14
    assert [e.page for e in issue.toc] == [d[6] for d in DOCUMENTS] + [i[4] for i in INTERPRETATIONS]
    assert len(issue.content_hash) == 64


def test_nothing_unmatched(parsed):
    assert parsed.unmatched == []
    assert [i.kind for i in parsed.items].count("document") == 16
    assert [i.kind for i in parsed.items].count("interpretation") == 14


@pytest.mark.parametrize("n,title,doc_number,date,issuer,section,page", DOCUMENTS)
def test_document(parsed, n, title, doc_number, date, issuer, section, page):
    item = parsed.items[n - 1]
    assert item.id == f"{ISSUE}-{n:02d}"
    assert (item.kind, item.title, item.doc_number, item.date) == ("document", title, doc_number, date)
    assert (item.issuer, item.section, item.page) == (issuer, section, page)
    assert (item.issue_id, item.origin, item.source) == (ISSUE, "gazette", SEED.name)
    assert item.interprets_id == ""
    assert item.body_md.strip()


@pytest.mark.parametrize("n,title,doc_n,issuer,page", INTERPRETATIONS)
def test_interpretation(parsed, n, title, doc_n, issuer, page):
    item = parsed.items[n - 1]
    doc = parsed.items[doc_n - 1]
    assert item.id == f"{ISSUE}-{n:02d}"
    assert (item.kind, item.title, item.section, item.page) == ("interpretation", title, "政策解读", page)
    assert item.interprets_id == doc.id == f"{ISSUE}-{doc_n:02d}"
    assert item.doc_number == ""
    assert item.date == doc.date  # no 解读 prints a date of its own
    assert item.issuer == issuer
    assert item.body_md.strip()


def test_every_printed_doc_number_is_found(parsed):
    """Cross-check against the raw text: each 文号 line of the seed is one document's 文号."""
    raw = SEED.read_text(encoding="utf-8")
    printed = sorted(
        line.replace(" ", "")
        for line in raw.splitlines()
        if line.startswith("定政") and line.rstrip().endswith("号")
    )
    assert printed == sorted(i.doc_number for i in parsed.items if i.kind == "document")


def test_annexes_stay_with_their_document(parsed):
    by_n = {int(i.id[-2:]): i for i in parsed.items}
    assert by_n[6].annexes == ["定州市老旧小区改造工作领导小组成员名单", "定州市2022年老旧小区改造明细"]
    assert by_n[11].annexes == ["定州市2022年重大行政决策公众参与事项目录"]
    assert by_n[12].annexes == ["政务公开专区建设指南"]
    assert by_n[14].annexes == ["定州市地下水超采综合治理任务安排表"]
    assert by_n[15].annexes == ["火灾事故统计扣分规则表"]
    standard = by_n[12].body_md
    for appendix in "ABCDE":
        assert f"附录{appendix}" in standard.replace(" ", "")
    assert "政务公开专区建设指南" in standard and "老弱病残孕区" in standard
    # and the standard is nowhere else
    assert all("附录 A" not in i.body_md and "问询台" not in i.body_md for n, i in by_n.items() if n != 12)


def test_deterministic(parsed):
    again = parse_gazette(SEED.read_text(encoding="utf-8"), source=SEED.name)
    assert [i.to_dict() for i in again.items] == [i.to_dict() for i in parsed.items]
    assert again.issue == parsed.issue
