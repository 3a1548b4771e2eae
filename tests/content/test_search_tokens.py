"""The bigram tokenizer, the 文号 normaliser, pinyin spellings and the alias file."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content.search import aliases, docnum, pinyin
from content.search.tokens import reference_tokens, tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("秸秆禁烧，光伏。", "秸秆 秆禁 禁烧 烧 光伏 伏"),
        ("税", "税"),
        ("定政发字〔2022〕3 号", "定政 政发 发字 字 2022 3 号"),
        ("ＰＭ２.５浓度", "pm2 5 浓度 度"),
        ("APP 下载", "app 下载 载"),
        ("", ""),
        ("，。！", ""),
        ("😀秸秆😀", "秸秆 秆"),
        ("秸\U0002fa1e秆", "秸 秆"),  # an unassigned code point separates, as in FTS5
        ("a_b", "a b"),
        ("２０２２年", "2022 年"),
    ],
)
def test_tokens_examples(text, expected):
    assert tokens(text) == expected


text_strategy = st.text(
    alphabet=st.sampled_from(
        list('秸秆禁烧光伏快递国土绿化 ，。、《》〔〕abcXYZ0123456789ＡＢ１２_-"*()😀\u3000\n')
    ),
    max_size=60,
) | st.text(max_size=40)


@settings(max_examples=300, deadline=None)
@given(text_strategy)
def test_fast_tokens_equal_reference(text):
    assert tokens(text) == reference_tokens(text)


@settings(max_examples=200, deadline=None)
@given(text_strategy)
def test_tokens_are_plain_words(text):
    for token in tokens(text).split():
        assert all(ch.isalnum() for ch in token), token
        assert token == token.lower()


@pytest.mark.parametrize(
    "typed",
    [
        "定政发〔2022〕7号",
        "定政发[2022]7号",
        "定政发［２０２２］７号",
        "定政发2022 7号",
        "定政发 2022 7",
        "定政发（2022）7号",
        "定政发(2022)第7号",
        " 定政发 〔 2022 〕 7 号 ",
    ],
)
def test_doc_number_forms_normalise(typed):
    found = docnum.find_in_query(typed)
    assert found is not None
    assert found.exact == "定政发〔2022〕7号"


def test_doc_number_zi_and_loose_key():
    with_zi = docnum.parse("定政办字〔2022〕28 号")
    assert with_zi.exact == "定政办字〔2022〕28号"
    assert with_zi.loose == "定政办〔2022〕28号"
    assert docnum.parse("定政办〔2022〕28号").loose == with_zi.loose


@pytest.mark.parametrize("typed", ["2022 7", "秸秆", "", "2022", "〔2022〕", "abc"])
def test_not_doc_numbers(typed):
    assert docnum.find_in_query(typed) is None


def test_doc_number_candidates_strip_leading_words():
    found = docnum.find_in_query("关于定政发〔2022〕7号的解读")
    assert "定政发〔2022〕7号" in [c.exact for c in docnum.candidates(found)]


def test_pinyin_full_and_initials():
    full, initials = pinyin.spell("定州市2022年国土绿化实施方案")
    assert "guotulvhua" in full
    assert "gtlh" in initials
    assert "2022" not in full  # only Han runs are spelled


def test_pinyin_heteronym_variant_added():
    full, _ = pinyin.spell("银行行长")
    assert "yinhanghangzhang" in full  # pypinyin's reading from context
    assert "xing" in full  # another reading of 行 that occurs in words is indexed too


def test_pinyin_query_letters():
    assert pinyin.query_letters("Guo Tu Lv Hua") == "guotulvhua"
    assert pinyin.query_letters("ＧＴＬＨ") == "gtlh"
    assert pinyin.query_letters("pm2.5") == ""
    assert pinyin.query_letters("秸秆") == ""


def test_bundled_aliases_are_well_formed():
    pairs = aliases.bundled()
    assert 40 <= len(pairs) <= 120
    assert ("社保", "社会保险") in pairs
    assert ("低保", "最低生活保障") in pairs
    assert len(set(pairs)) == len(pairs)


def test_alias_alternatives_both_ways():
    table = aliases._pairs_cached((("社保", "社会保险"), ("低保", "最低生活保障")))
    assert aliases.alternatives("社保", table) == ["社会保险"]
    assert aliases.alternatives("最低生活保障", table) == ["低保"]
    assert aliases.alternatives("社保卡", table) == ["社会保险卡"]
    assert aliases.alternatives("秸秆", table) == []
