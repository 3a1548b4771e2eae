"""Library markdown → Qt rich text: headings, lists, tables (pipe and tab), escapes, snippets, URLs."""

import re

from hypothesis import given
from hypothesis import strategies as st

from kiosk.richtext import Style, first_url, snippet_html, to_html


def test_headings_paragraphs_bold_and_breaks():
    out = to_html("# 标题\n\n第一段  \n续行\n\n**投资强度：**项目", Style(body_px=30))
    assert "font-size:44px; font-weight:bold" in out and "标题" in out
    assert "第一段<br/>续行" in out
    assert "<b>投资强度：</b>项目" in out


def test_tab_separated_annex_becomes_a_table_with_spanning_group_rows():
    md = "序号\t编号\t项目名称\t项目属地\n一、传统美术（1项）\t\t\t\n5\tVII-1\t面塑\t东亭镇东庞村\n\n后文"
    out = to_html(md)
    assert out.count("<table") == 1 and out.count("<tr") == 3
    assert '<td colspan="4">一、传统美术（1项）</td>' in out
    assert "<td>面塑</td>" in out
    assert out.endswith("后文</p>")


def test_pipe_table_with_header():
    out = to_html("| 指标 | 数值 |\n| --- | ---: |\n| 投资强度 | 300 |\n")
    assert "<b>指标</b>" in out and "<td>300</td>" in out


def test_lists_keep_numbers_and_continuations():
    out = to_html("1. 第一\n2. 第二\n\n- 附件：1. 名单  \n2. 进度表")
    assert "<ol" in out and '<li value="2">第二</li>' in out
    assert "<li>附件：1. 名单<br/>2. 进度表</li>" in out


def test_markup_is_escaped_not_passed_through():
    out = to_html('<script>alert(1)</script> 80厘米\\*80厘米 <a href="x">')
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "80厘米*80厘米" in out


@given(st.text(max_size=300))
def test_any_text_gives_balanced_html_without_raw_tags(text):
    out = to_html(text)
    for tag in ("p", "table", "tr", "td", "ul", "ol", "li", "b", "span"):
        assert len(re.findall(rf"<{tag}[ >]", out)) == out.count(f"</{tag}>"), tag


def test_snippet_marks_become_styled_spans_and_the_rest_is_escaped():
    out = snippet_html("推进<mark>秸秆</mark>综合利用 <b>x</b>", Style(mark_bg="#123456"))
    assert "background-color:#123456" in out and ">秸秆</span>" in out
    assert "&lt;b&gt;x&lt;/b&gt;" in out


def test_first_url():
    assert first_url("无", "详见 https://www.dzs.gov.cn/col/a.html。") == "https://www.dzs.gov.cn/col/a.html"
    assert first_url("邮箱 gtjdds163@.com") == ""
