"""The low-level clean-up: spaces, brackets, 文号 and dates as printed."""

from __future__ import annotations

import pytest

from content.gazette_text import (
    clean_inline,
    clean_title,
    is_date_line,
    normalise_doc_number,
    parse_cn_date,
    squeeze_list_spaces,
)


@pytest.mark.parametrize(
    "raw,printed",
    [
        ("定政发字〔2022〕3 号", "定政发字〔2022〕3号"),
        ("定政办〔2022〕4 号", "定政办〔2022〕4号"),
        (" 定政办字 〔 2022 〕 41 号 ", "定政办字〔2022〕41号"),
        ("冀政办字[2020]174号", "冀政办字[2020]174号"),  # brackets kept as printed
    ],
)
def test_doc_number(raw, printed):
    assert normalise_doc_number(raw) == printed


@pytest.mark.parametrize("raw", ["2022 年 4 月 22 日", "第一条 定政发", "〔2022〕3号", "ABC〔2022〕3号", ""])
def test_not_a_doc_number(raw):
    assert normalise_doc_number(raw) is None


def test_dates():
    assert parse_cn_date("2022 年 4 月 22 日") == "2022-04-22"
    assert parse_cn_date("于2022年3月1日起") == "2022-03-01"
    assert parse_cn_date("2022 年 2 月 30 日") is None
    assert is_date_line("2022 年 4 月 1 日") and not is_date_line("2022 年 4 月 1 日起施行")


def test_spaces_and_brackets():
    assert clean_title("## 定州市人民政府 关于印发《定州市火灾事故通报处理工作办法 (试行)》的通知") == (
        "定州市人民政府关于印发《定州市火灾事故通报处理工作办法（试行）》的通知"
    )
    assert (
        clean_title("《定州市“十四五”节能减排综合实施方案》 解 读")
        == "《定州市“十四五”节能减排综合实施方案》解读"
    )
    assert clean_inline("和省 委、省政府,不足 50%的") == "和省委、省政府，不足50%的"
    assert clean_inline("符合 GB/T 37342-2019 标准") == "符合GB/T 37342-2019标准"
    assert clean_inline("2022 - 02 - 28 发布") == "2022-02-28发布"
    assert clean_inline("化学需氧量(COD)、(市科技局)") == "化学需氧量（COD）、（市科技局）"
    assert clean_inline("NH(3) f(x)") == "NH(3) f(x)"


def test_name_lists_keep_their_columns():
    assert squeeze_list_spaces("成 员：李 硕 政府办四级主任科员") == "成员：李硕 政府办四级主任科员"
    assert squeeze_list_spaces("组 长：张才芳 市委副书记、市长") == "组长：张才芳 市委副书记、市长"
