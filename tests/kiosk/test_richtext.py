"""Library markdown → reader blocks: headings, lists, tables (pipe and tab), escapes, snippets, URLs."""

import re

from hypothesis import given
from hypothesis import strategies as st

from kiosk.richtext import Style, first_url, plain_text, snippet_html, to_blocks


def kinds(blocks):
    return [b["kind"] for b in blocks]


def test_headings_paragraphs_bold_and_breaks():
    blocks = to_blocks("# 标题\n\n第一段  \n续行\n\n**投资强度：**项目")
    assert blocks[0] == {"kind": "heading", "level": 1, "html": "标题"}
    assert blocks[1] == {"kind": "paragraph", "html": "第一段<br/>续行"}
    assert blocks[2] == {"kind": "paragraph", "html": "<b>投资强度：</b>项目"}


def test_tab_separated_annex_becomes_rows_with_a_spanning_group_row():
    md = "序号\t编号\t项目名称\t项目属地\n一、传统美术（1项）\t\t\t\n5\tVII-1\t面塑\t东亭镇东庞村\n\n后文"
    blocks = to_blocks(md)
    assert kinds(blocks) == ["row", "row", "row", "paragraph"]
    head, group, row = blocks[:3]
    assert head["head"] and head["first"] and not group["head"] and row["last"] and not group["last"]
    assert [c["html"] for c in row["cells"]] == ["5", "VII-1", "面塑", "东亭镇东庞村"]
    (spanning,) = group["cells"]
    assert spanning["html"] == "一、传统美术（1项）" and spanning["x"] == 0 and abs(spanning["w"] - 1) < 1e-9
    # every row's cells tile the table's width, and the columns line up from row to row
    for block in blocks[:3]:
        cells = block["cells"]
        assert abs(cells[-1]["x"] + cells[-1]["w"] - 1) < 1e-9
        assert all(abs(a["x"] + a["w"] - b["x"]) < 1e-9 for a, b in zip(cells, cells[1:], strict=False))
    assert [c["x"] for c in head["cells"]] == [c["x"] for c in row["cells"]]
    # the long 项目名称 column is wider than the 序号 column
    assert row["cells"][2]["w"] > row["cells"][0]["w"]
    assert blocks[3]["html"] == "后文"


def test_pipe_table_with_header():
    blocks = to_blocks("| 指标 | 数值 |\n| --- | ---: |\n| 投资强度 | 300 |\n")
    assert kinds(blocks) == ["row", "row"]
    assert blocks[0]["head"] and [c["html"] for c in blocks[0]["cells"]] == ["指标", "数值"]
    assert [c["html"] for c in blocks[1]["cells"]] == ["投资强度", "300"]


def test_lists_keep_their_printed_numbers_and_continuations():
    blocks = to_blocks("1. 第一\n2. 第二\n\n3. 第三\n\n- 附件：1. 名单  \n2. 进度表")
    assert [(b["marker"], b["html"]) for b in blocks] == [
        ("1.", "第一"),
        ("2.", "第二"),
        ("3.", "第三"),
        ("•", "附件：1. 名单<br/>2. 进度表"),
    ]


def test_markup_is_escaped_not_passed_through():
    (block,) = to_blocks('<script>alert(1)</script> 80厘米\\*80厘米 <a href="x">')
    assert "<script>" not in block["html"] and "&lt;script&gt;" in block["html"]
    assert "80厘米*80厘米" in block["html"]


def test_plain_text_has_no_markup():
    blocks = to_blocks("# 标题\n\n**粗体** &lt; 正文  \n续行\n\n1. 第一\n\n甲\t乙\n丙\t丁")
    assert plain_text(blocks) == "标题\n粗体 &lt; 正文\n续行\n1. 第一\n甲\t乙\n丙\t丁"


@given(st.text(max_size=300))
def test_any_text_gives_blocks_with_only_inline_markup(text):
    for block in to_blocks(text):
        fragments = [c["html"] for c in block.get("cells", [])] + [block.get("html", "")]
        for fragment in fragments:
            assert set(re.findall(r"<(/?\w+)", fragment)) <= {"b", "/b", "br"}, fragment
            assert fragment.count("<b>") == fragment.count("</b>")
        for cell in block.get("cells", []):
            assert 0 <= cell["x"] < 1 and 0 < cell["w"] <= 1


def test_snippet_marks_become_styled_spans_and_the_rest_is_escaped():
    out = snippet_html("推进<mark>秸秆</mark>综合利用 <b>x</b>", Style(mark_bg="#123456"))
    assert "background-color:#123456" in out and ">秸秆</span>" in out
    assert "&lt;b&gt;x&lt;/b&gt;" in out


def test_first_url():
    assert first_url("无", "详见 https://www.dzs.gov.cn/col/a.html。") == "https://www.dzs.gov.cn/col/a.html"
    assert first_url("邮箱 gtjdds163@.com") == ""
