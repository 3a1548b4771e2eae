"""Search behaviour on the real gazette issue (split by a simple test splitter) plus items whose ranking
is known by construction: words, phrases, terms near and far, pinyin, 文号, aliases, kinds, snippets."""

from __future__ import annotations

import json

import pytest
from test_search_kit import gazette_items, make_library

import content.search.engine as engine
from content.search import Hit, search, suggest


@pytest.fixture
def library(tmp_path):
    lib = make_library(tmp_path / "library.db")
    yield lib
    lib.close()


@pytest.fixture(autouse=True)
def strict(monkeypatch):
    monkeypatch.setattr(engine, "STRICT", True)


def ids(hits: list[Hit]) -> list[str]:
    return [h.id for h in hits]


def rank(hits: list[Hit], item_id: str) -> int:
    return ids(hits).index(item_id)


@pytest.mark.parametrize("word", ["秸秆", "光伏", "快递", "冷链", "低保"])
def test_two_character_words_are_found(library, word):
    hits = search(library.db, word, limit=50)
    assert hits
    bodies = {i.id: i.title + i.body_md for i in library.items()}
    # Every hit holds the word (or an alias spelling of it) and every item holding it is found.
    expected = {i for i, text in bodies.items() if word in text}
    assert expected <= set(ids(hits))


def test_every_item_holding_a_word_is_found_and_nothing_else(library):
    bodies = {i.id: i.title + "\n" + i.body_md for i in library.items()}
    for word in ["节能", "采矿", "地下水", "非物质文化遗产", "交房即交证", "营造林"]:
        found = set(ids(search(library.db, word, limit=200)))
        expected = {i for i, text in bodies.items() if word in text.replace(" ", "")}
        phrase_hits = {h.id for h in search(library.db, word, limit=200) if h.match.endswith("-3")}
        assert expected <= found, word
        assert phrase_hits <= expected | {i for i, t in bodies.items() if word in t}, word


def test_title_match_ranks_above_body_only_mentions(library):
    hits = search(library.db, "秸秆")
    assert hits[0].id == "t-straw-title"
    assert hits[0].match.startswith("title")
    for body_only in ("t-straw-body", "t-straw-adjacent", "doc-08"):
        assert rank(hits, "t-straw-title") < rank(hits, body_only)


def test_adjacent_terms_rank_above_near_and_apart(library):
    for query in ("秸秆禁烧", "秸秆 禁烧"):
        hits = search(library.db, query, limit=50)
        adjacent, near, apart = (
            rank(hits, "t-straw-adjacent"),
            rank(hits, "t-straw-body"),
            rank(hits, "t-straw-apart"),
        )
        assert adjacent < near < apart, query
        assert hits[adjacent].score > hits[near].score > hits[apart].score


def test_both_terms_are_required(library):
    hits = search(library.db, "秸秆 快递", limit=50)
    texts = {i.id: i.title + i.body_md for i in library.items()}
    assert all("秸秆" in texts[h.id] and "快递" in texts[h.id] for h in hits)


def test_four_character_phrase_ranks_its_document_first(library):
    hits = search(library.db, "国土绿化")
    assert {hits[0].id, hits[1].id} == {"doc-04", "interp-03"}


@pytest.mark.parametrize("typed", ["gtlh", "guotulvhua", "GTLH", "guo tu lv hua", "ｇｔｌｈ"])
def test_pinyin_finds_the_greening_document(library, typed):
    hits = search(library.db, typed)
    assert "doc-04" in ids(hits)[:2]
    assert hits[0].match == "pinyin"


def test_pinyin_initials_of_another_title(library):
    # 冷链物流 → llwl
    assert "doc-10" in ids(search(library.db, "llwl"))


@pytest.mark.parametrize(
    "typed",
    [
        "定政发〔2022〕7号",
        "定政发[2022]7号",
        "定政发2022 7号",
        "定政发［2022］7号",
        "定政发 (2022) 7 号",
        "定政发2022 7",
    ],
)
def test_doc_number_forms_find_the_document_first(library, typed):
    hits = search(library.db, typed)
    assert hits[0].id == "doc-04"
    assert hits[0].doc_number == "定政发〔2022〕7号"
    assert hits[0].match == "docnum"
    assert hits[1].id == "interp-03"  # its 解读 next


def test_doc_number_with_or_without_zi(library):
    typed_with = search(library.db, "定政办字〔2022〕28号")
    typed_without = search(library.db, "定政办〔2022〕28号")
    assert typed_with[0].id == typed_without[0].id == "doc-12"
    assert typed_with[0].match == "docnum" and typed_without[0].match == "docnum-loose"
    assert typed_with[0].score > typed_without[0].score


def test_doc_number_does_not_confuse_series(library):
    # 定政办〔2022〕4号 and 定政发字〔2022〕4号 are different documents.
    assert search(library.db, "定政办〔2022〕4号")[0].id == "doc-07"
    assert search(library.db, "定政发字〔2022〕4号")[0].id == "doc-03"


def test_every_gazette_doc_number_finds_its_document(library):
    for item in gazette_items():
        if item.kind == "document":
            spaced = item.doc_number.replace("〔", " [").replace("〕", "] ")
            assert search(library.db, spaced)[0].id == item.id, spaced


def test_interpretation_hit_shows_interpreted_doc_number(library):
    hit = next(h for h in search(library.db, "国土绿化") if h.kind == "interpretation")
    assert hit.doc_number == "定政发〔2022〕7号"


def test_alias_expansion(library):
    social = search(library.db, "社保")
    assert social[0].id == "t-social"  # its title says 社会保险
    assert "<mark>社会保险</mark>" in social[0].title_html
    assert search(library.db, "低保")[0].id == "t-dibao"  # 最低生活保障


def test_city_alias_extends_the_table(library):
    assert search(library.db, "存款网点") == []
    with library.transaction() as db:
        db.execute("INSERT INTO aliases(term, expansion, origin) VALUES ('存款网点', '银行网点', 'city')")
    assert search(library.db, "存款网点")[0].id == "t-bank"


def test_notices_and_guides_are_searchable(library):
    assert search(library.db, "快递进村")[0].kind == "notice"
    guide = search(library.db, "光伏发电项目备案")[0]
    assert guide.kind == "guide" and guide.id == "t-pv"
    # Guide fields (申报材料, 窗口) are indexed with the guide.
    assert "t-pv" in ids(search(library.db, "房屋产权证明"))


def test_single_character_query(library):
    hits = search(library.db, "税", limit=100)
    texts = {i.id: i.title + i.body_md for i in library.items()}
    assert hits and all("税" in texts[h.id] for h in hits)
    assert {i for i, t in texts.items() if "税" in t} <= set(ids(hits))


def test_snippet_marks_matches_and_escapes(library):
    from content.model import Item

    library.upsert_items([Item("t-html", "notice", "脚本测试", "前文<script>alert(1)</script>秸秆禁烧&后文")])
    hit = next(h for h in search(library.db, "秸秆禁烧") if h.id == "t-html")
    assert "<mark>秸秆禁烧</mark>" in hit.snippet
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert "&amp;" in hit.snippet


def test_snippet_is_around_the_match(library):
    hit = next(h for h in search(library.db, "秸秆禁烧") if h.id == "t-straw-adjacent")
    plain = hit.snippet.replace("<mark>", "").replace("</mark>", "")
    assert 40 <= len(plain) <= 110
    assert "<mark>秸秆禁烧</mark>" in hit.snippet


def test_hit_json_shape(library):
    hit = search(library.db, "冷链物流")[0]
    data = json.loads(json.dumps(hit.to_dict(), ensure_ascii=False))
    assert {"id", "kind", "title", "doc_number", "date", "snippet", "score"} <= set(data)
    assert isinstance(data["score"], float)


def test_scores_are_descending_and_limit_is_kept(library):
    hits = search(library.db, "发展", limit=7)
    assert len(hits) == 7
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_suggestions_when_nothing_matches(library):
    assert search(library.db, "秸杆") == []  # a typo: 杆 for 秆
    assert suggest(library.db, "秸杆")[0] == "秸秆"  # spelled the same in pinyin
    assert "社会保险" in suggest(library.db, "社保")


def test_deleted_and_updated_items_leave_the_results(library):
    from content.model import Item

    library.delete_items(["t-express"])
    assert "t-express" not in ids(search(library.db, "快递"))
    library.upsert_items(
        [Item("t-dibao", "notice", "关于城乡低收入家庭认定的公示", "经审核，以下家庭符合条件。")]
    )
    assert "t-dibao" not in ids(search(library.db, "最低生活保障"))
    assert search(library.db, "低收入家庭")[0].id == "t-dibao"


def test_rank_window_keeps_results_and_title_order(library, monkeypatch):
    """With the BM25 window smaller than the matches (as for 工作 in 200,000 documents)."""
    full = search(library.db, "秸秆", limit=10)
    monkeypatch.setattr(engine, "RANK_WINDOW", 2)
    windowed = search(library.db, "秸秆", limit=10)
    assert windowed[0].id == "t-straw-title"
    assert len(windowed) == len(full)
    hits = search(library.db, "发展", limit=10)
    assert len(hits) == 10
    newest = max(library.db.execute("SELECT rowid FROM items").fetchall())[0]
    # Body-only hits come from the newest matching rows.
    text_hits = [h for h in hits if h.match.startswith("text")]
    rowids = dict(library.db.execute("SELECT id, rowid FROM items").fetchall())
    assert text_hits and all(rowids[h.id] >= newest - 40 for h in text_hits)
