"""The bodies of the seed issue are clean markdown: page-break artefacts gone, tables and headings kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from content.gazette import parse_gazette
from content.gazette_body import build_body, can_join
from content.gazette_text import is_cjk_char

SEED = Path(__file__).resolve().parents[2] / "content" / "data" / "dingzhou-gazette-2022-02.md"


@pytest.fixture(scope="module")
def items():
    parsed = parse_gazette(SEED.read_text(encoding="utf-8"), SEED.name)
    return {int(i.id[-2:]): i for i in parsed.items}


def paragraphs(md: str) -> list[str]:
    return [p for p in md.split("\n\n") if p.strip()]


def test_no_page_headers_or_numbers(items):
    for n, item in items.items():
        lines = item.body_md.splitlines()
        assert not [ln for ln in lines if re.fullmatch(r"\s*[-—]?\s*\d{1,3}\s*[-—]?\s*", ln)], n
        # the standard's number survives once, on its cover; the seven page headers are gone
        assert item.body_md.count("DB 13/T 5480—2022") == (1 if n == 12 else 0), n
        assert not re.search(r"^#+ *DB 13", item.body_md, re.M)


def test_title_not_repeated_and_no_h1(items):
    for item in items.values():
        assert not re.search(r"^# ", item.body_md, re.M)
        first = paragraphs(item.body_md)[0]
        assert item.title not in first


def test_no_sentence_left_cut(items):
    """No paragraph of running text ends mid-sentence while the next one carries on."""
    for n, item in items.items():
        paras = paragraphs(item.body_md)
        for a, b in zip(paras, paras[1:], strict=False):
            if a.startswith(("#", "|", "-")) or b.startswith(("#", "|", "-")):
                continue
            cut = is_cjk_char(a[-1]) and is_cjk_char(b[0]) and len(a) > 20
            assert not cut, (n, a[-30:], b[:30])


@pytest.mark.parametrize(
    "n,joined",
    [
        (1, "新能源产业"),  # ...汽车及零部 ⏎⏎ 件产业...
        (1, "汽车及零部件产业"),
        (1, "在签定投资协议和土地出让合同时"),
        (1, "税收强度控制指标由市财政局牵头评估"),
        (2, "加大低挥发性有机物原辅材料"),  # cut across several empty lines
        (2, "做好相关工作，协调联动"),
        (3, "“保护为主、抢救第一、合理利用、传承发展”的工作方针"),
        (4, "请认真组织实施。"),  # a hard line break inside a word
        (5, "（责任单位：市住建局"),  # cut inside brackets, continuation looks like a label
        (9, "金属3D打印"),
        (9, "“高、精、特、专”产品配套企业群"),
        (28, "《定州市地下水超采综合治理2022年度实施计划》"),
    ],
)
def test_page_breaks_joined(items, n, joined):
    assert joined in items[n].body_md


def test_headings_from_printed_numbering(items):
    md5 = items[5].body_md
    # printed as a plain paragraph, but its numbered siblings are headings
    assert re.search(r"^#+ （一）商品房预售及签订购房合同阶段$", md5, re.M)
    assert re.search(r"^#+ （二）竣工验收及成果审查备案阶段$", md5, re.M)
    md1 = items[1].body_md
    assert re.search(r"^## 一、适用范围$", md1, re.M)
    assert re.search(r"^### （一）投入产出控制指标执行标准$", md1, re.M)
    assert not re.search(r"^#+ （三）税收强度", md1, re.M)  # a short paragraph, not a heading
    # the embedded document's title is the top heading, its sections one level down
    md2 = items[2].body_md
    assert "## 定州市“十四五”节能减排综合实施方案\n" in md2
    assert re.search(r"^### 一、总体要求$", md2, re.M)


def test_tables_are_markdown_tables(items):
    table = [ln for ln in items[3].body_md.splitlines() if ln.startswith("|")]
    assert table[0] == "| 序号 | 编号 | 项目名称 | 项目属地 |"
    assert table[1] == "|---|---|---|---|"
    assert sum(1 for ln in table if re.match(r"^\| \d+ \|", ln)) == 22  # continued across a page
    assert sum(1 for ln in table if "序号" in ln) == 1  # the repeated header is dropped
    assert "| 12 | 大众家属院 | 135 | 15 | 1.84 | 1994 |" in items[6].body_md
    decisions = [ln for ln in items[11].body_md.splitlines() if re.match(r"^\| \d+ \|", ln)]
    assert len(decisions) == 16
    assert "| 西城乡 | 1.00 | 5.00 |" in items[15].body_md


def test_annex_and_name_list(items):
    md = items[6].body_md
    assert "## 附件1 定州市老旧小区改造工作领导小组成员名单" in md
    assert "- 组长：张才芳 市委副书记、市长" in md
    assert "- 王征 市通讯办主任\n\n领导小组下设" in md


def test_standard_stays_with_its_notice(items):
    md = items[12].body_md
    for letter, level in zip("ABCDE", ["省", "市", "县", "乡镇", "村"], strict=True):
        assert re.search(rf"^#+ 附录{letter}（规范性）{level}", md, re.M), letter
    assert re.search(r"^#+ 5\.1 概述$", md, re.M)
    assert "D.4.4.2 设置老弱病残孕区。" in md
    assert "##### D.4.5 其他设施设备" in md or re.search(r"^#+ D\.4\.5 其他设施设备$", md, re.M)


def test_can_join_rules():
    assert can_join(
        "为深入贯彻落实党中央、国务院和省委、省政府关于推进节能减排和碳达峰碳", "中和决策部署，全面完成"
    )
    assert not can_join("牵头市领导：陈凯", "责任单位：市交通局。")
    assert can_join("视为放弃“交房即交证”。（责任", "单位：市住建局）")
    assert not can_join("全面完成目标任务。", "加快推进全市经济社会绿色低碳发展。")
    assert not can_join("本意见自印发之日起施行", "（一）加强组织领导。")
    assert not can_join("2022 - 03 - 31 实施", "河北省市场监督管理局 发布")


def test_build_body_small():
    body = build_body(
        ["## 一、总体要求", "", "为推进工作，制定本方", "", "", "案。", "", "附件：1. 甲名单  ", "2. 乙表"]
    )
    assert body.markdown.startswith("## 一、总体要求\n\n为推进工作，制定本方案。")
    assert body.annexes == ["甲名单", "乙表"]
