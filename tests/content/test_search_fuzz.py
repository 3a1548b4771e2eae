"""Never crash, whatever is typed: hypothesis on the query parser (every expression it builds is valid FTS5)
and on search() end to end, plus the inputs the issue names."""

from __future__ import annotations

import re
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_search_kit import make_library

import content.search.engine as engine
from content.search import aliases, search, suggestions
from content.search.fold import fold
from content.search.query import parse
from content.search.question import read
from content.store import Library

NASTY = [
    "",
    " ",
    "\u3000\t\n",
    "，。！？",
    '"',
    '"秸秆',
    "*",
    "秸*",
    "NEAR",
    "NEAR(秸秆 禁烧)",
    "秸秆 AND 禁烧",
    "秸秆 OR",
    "NOT 秸秆",
    "-秸秆",
    "(",
    ")",
    "秸秆)",
    "{title}: 秸秆",
    "title:秸秆",
    "^秸秆",
    "秸秆" * 5000,
    "a" * 10000,
    "定政发〔2022〕" * 1000,
    "😀",
    "秸秆😀禁烧",
    "ＡＢＣ　秸秆（禁烧）",
    "Ｇｔｌｈ",
    "定政发［２０２２］７号",
    "\x00秸秆\x00",
    "\ud800秸秆",
    "<script>alert(1)</script>",
    "'; DROP TABLE items; --",
    "0",
    "〔2022〕",
    "2022 7",
    "a b c d e f g h i j k l m n o p",
]

query_text = st.one_of(
    st.text(max_size=80),
    st.text(
        alphabet=st.sampled_from(
            list(
                '秸秆禁烧光伏快递社保低保定政发办字〔〕[]()（）号年 "*-:^{}NEARANDORNOTgtlh0123456789ＡＢ１😀\u3000'
                "怎么办需要什么材料去哪里领舊區後？jiegnmuxdbao"
            )
        ),
        max_size=40,
    ),
    st.lists(
        st.sampled_from(
            [
                "秸秆",
                "禁烧",
                "NEAR",
                "AND",
                '"',
                "*",
                "(",
                "定政发",
                "2022",
                "7号",
                "gtlh",
                " ",
                "怎么办",
                "需要什么材料",
            ]
            + ["去哪领", "jiegan", "muxu", "mxzz", "dibao", "舊小區", "？"]
        )
    ).map("".join),
)


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    lib = make_library(tmp_path_factory.mktemp("fuzz") / "library.db")
    yield lib
    lib.close()


@pytest.fixture(autouse=True)
def strict(monkeypatch):
    monkeypatch.setattr(engine, "STRICT", True)


@pytest.fixture(scope="module")
def empty_fts():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(a, b, content='', detail=full, columnsize=0)")
    conn.execute("INSERT INTO t(rowid, a, b) VALUES (1, '秸秆 秆禁 禁烧 烧', 'x')")
    return conn


def _check_query(text: str, conn: sqlite3.Connection) -> None:
    table = aliases._pairs_cached((("社保", "社会保险"), ("低保", "最低生活保障")))
    query = parse(text, table)
    for _tier, expression in query.tiers():
        conn.execute("SELECT rowid FROM t WHERE t MATCH ?", [expression]).fetchall()  # valid FTS5
        assert len(expression) < 20000
    assert len(query.terms) <= 8
    for needle in query.highlights():
        assert needle


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query_text)
def test_parser_builds_valid_expressions(empty_fts, text):
    _check_query(text, empty_fts)


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_parser_nasty_inputs(empty_fts, text):
    _check_query(text, empty_fts)


_TAGS = re.compile(r"</?mark>")


def _check_search(library: Library, text: str, limit: int = 10) -> None:
    hits = search(library.db, text, limit=limit)
    assert len(hits) <= max(1, limit)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for hit in hits:
        assert "<" not in _TAGS.sub("", hit.snippet)
        assert "<" not in _TAGS.sub("", hit.title_html)
    if not hits:
        for suggestion in suggestions(library.db, text):
            assert suggestion.kind in ("query", "document") and suggestion.text
            assert bool(suggestion.item_id) == (suggestion.kind == "document")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query_text)
def test_search_never_crashes(library, text):
    _check_search(library, text)


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_search_nasty_inputs(library, text):
    _check_search(library, text)


@settings(max_examples=400, deadline=None)
@given(query_text)
def test_question_words_come_out_and_nothing_else_does(text):
    asked = read(text)
    kept = asked.text.replace(" ", "")
    assert len(asked.text) <= len(text)
    it = iter(text)
    assert all(c in it for c in kept)  # what is left is the typed text with pieces taken out
    if asked.guide:
        assert asked.text != text and asked.text.strip()


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200))
def test_folding_keeps_length_and_is_stable(text):
    folded = fold(text)
    assert len(folded) == len(text)
    assert fold(folded) == folded


@pytest.mark.parametrize("limit", [-5, 0, 1, 3, 10_000])
def test_odd_limits(library, limit):
    hits = search(library.db, "发展", limit=limit)
    assert 1 <= len(hits) <= engine.MAX_LIMIT


def test_fts_syntax_is_taken_literally(library):
    # Quotes, operators and brackets around a word find the word, not an error or everything.
    plain = [h.id for h in search(library.db, "秸秆禁烧")]
    for typed in ('"秸秆禁烧"', "(秸秆禁烧)", "秸秆禁烧*", "-秸秆禁烧", "“秸秆禁烧”"):
        assert [h.id for h in search(library.db, typed)] == plain, typed
    assert search(library.db, "NEAR") == search(library.db, "near")
