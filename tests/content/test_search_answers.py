"""Search as residents ask: pinyin of words found only in bodies, initials of body words when unambiguous,
questions (guides first), traditional characters and full-width letters, suggestions that share a real
word, and the 拼音首字母 example taken from the library. Each case with its expected top hit."""

from __future__ import annotations

import pytest
from test_search_kit import make_library

import content.search.engine as engine
from content.model import Item
from content.search import Suggestion, index, search, suggestions, vocab
from content.search.example import initials_example
from content.search.fold import fold
from content.search.question import read

FILLER = "为进一步做好相关工作，结合我市实际，现就有关事项通知如下。" * 4


def answer_items() -> list[Item]:
    """Guides and items whose answers are known by construction."""
    return [
        Item(
            "g-dibao",
            "guide",
            "城乡居民最低生活保障申请",
            "共同生活的家庭成员人均收入低于当地最低生活保障标准的，可以申请最低生活保障。",
            section="公民类",
        ),
        Item(
            "n-dibao-raise",
            "document",
            "关于提高城乡居民最低生活保障标准的通知",
            FILLER + "自2022年7月起提高最低生活保障标准。",
            date="2022-07-05",
        ),
        Item(
            "g-elderly",
            "guide",
            "高龄津贴申领",
            "年满80周岁的老年人可以申领高龄津贴，到乡镇便民服务中心窗口办理。",
            section="公民类",
        ),
        Item(
            "d-elderly",
            "document",
            "关于调整高龄津贴发放标准的通知",
            FILLER + "高龄津贴按月发放到老年人的社会保障卡。",
            date="2022-08-01",
        ),
        Item(
            "g-birth",
            "guide",
            "生育登记",
            "夫妻双方可以到户籍所在地乡镇办理生育登记。",
            section="公民类",
        ),
        Item(
            "n-alfalfa",
            "notice",
            "关于做好春季牧草种植工作的通知",
            FILLER + "各村要推广苜蓿种植，扩大优质牧草面积。" + FILLER,
            date="2022-03-01",
        ),
        Item(
            "n-traditional",
            "notice",
            "關於舊城區改造工程的說明",
            "本次舊城區改造涉及三個社區。",
            date="2022-03-02",
        ),
    ]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    lib = make_library(tmp_path_factory.mktemp("answers") / "library.db")
    lib.upsert_items(answer_items())
    yield lib
    lib.close()


@pytest.fixture(autouse=True)
def strict(monkeypatch):
    monkeypatch.setattr(engine, "STRICT", True)


def top(library, text: str) -> str:
    hits = search(library.db, text, limit=10)
    assert hits, text
    return hits[0].id


# --- pinyin of words that appear only in bodies --------------------------------------------------------


def test_full_pinyin_of_a_body_word_finds_it_and_says_what_it_was_read_as(library):
    hits = search(library.db, "muxu", limit=10)
    assert hits[0].id == "n-alfalfa"  # 苜蓿 is only in the body
    assert hits[0].meant == "苜蓿"
    assert "<mark>苜蓿</mark>" in hits[0].snippet


def test_jiegan_finds_every_item_with_straw_in_title_or_body(library):
    hits = search(library.db, "jiegan", limit=50)
    holding = {i.id for i in library.items() if "秸秆" in i.title + i.body_md}
    assert {"doc-08", "t-straw-body"} <= holding  # body-only mentions
    assert holding <= {h.id for h in hits}
    assert hits[0].id == "t-straw-title"
    assert {h.meant for h in hits} == {"秸秆"}


def test_pinyin_typed_apart_is_read_as_one_word(library):
    assert top(library, "mu xu") == "n-alfalfa"


def test_initials_of_a_body_phrase_when_only_one_fits(library):
    hits = search(library.db, "mxzz", limit=5)  # 苜蓿种植: no title spells it
    assert hits[0].id == "n-alfalfa"
    assert hits[0].meant == "苜蓿种植"


def test_pinyin_of_an_alias_word_is_read_as_it_and_its_expansion(library):
    hits = search(library.db, "dibao", limit=5)  # 低保: no item writes it, they write 最低生活保障
    assert hits[0].meant == "低保"
    assert "最低生活保障" in hits[0].title
    assert search(library.db, "sb", limit=5)[0].id == "t-social"  # 社保 → 社会保险


def test_a_spelling_found_in_a_title_is_the_one_meant(library):
    assert vocab.spelled_words(library.db, "shengyu") == ["剩余"]  # in more bodies than 生育
    assert vocab.spelled_words(library.db, "shengyu", ["生育登记"]) == ["生育"]
    hits = search(library.db, "shengyu", limit=5)  # 生育 is also an alias word (生孩子)
    assert hits[0].id == "g-birth"
    assert hits[0].meant == "生育"


def test_initials_of_a_title_are_not_read_again_as_body_words(library):
    hits = search(library.db, "ljxq", limit=5)
    assert "老旧小区" in hits[0].title and hits[0].match == "pinyin"
    assert hits[0].meant == ""


def test_initials_that_fit_many_words_are_left_alone(library):
    assert vocab.initial_words(library.db, "gz") == []  # 工作, 规则, 公正, …: ambiguous
    assert vocab.initial_words(library.db, "mx") == []  # two letters: only alias words are read so


def test_the_vocabulary_holds_body_bigrams_with_their_pinyin(library):
    rows = library.db.execute("SELECT full, initials FROM search_vocab WHERE word = '苜蓿'").fetchall()
    assert ("muxu", "mx") in rows
    # Polyphones are spelled in their other in-word readings too (行 xing / hang).
    assert {r[0] for r in library.db.execute("SELECT full FROM search_vocab WHERE word = '银行'")} >= {
        "yinhang"
    }


def test_the_vocabulary_is_rebuilt_with_the_index(library):
    with library.db.atomic():
        count = index.rebuild(library.db)
    assert count == len(library.items())
    assert vocab.spelled_words(library.db, "muxu") == ["苜蓿"]


# --- questions ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("怎么办低保", "g-dibao"),
        ("低保需要什么材料", "g-dibao"),
        ("低保怎么申请？", "g-dibao"),
        ("老人补贴去哪领", "g-elderly"),
        ("高龄津贴在哪里办理", "g-elderly"),
        ("生孩子怎么登记", "g-birth"),  # 生孩子: an alias of 生育
    ],
)
def test_questions_find_the_guide_first(library, question, expected):
    hits = search(library.db, question, limit=10)
    assert hits[0].id == expected
    assert hits[0].match.startswith("guide")


def test_without_a_question_the_guide_competes_on_equal_terms(library):
    hits = search(library.db, "最低生活保障标准", limit=10)
    assert hits[0].id == "n-dibao-raise"  # the phrase is in its title, not in the guide's


def test_question_words_are_taken_out_and_words_inside_other_words_stay():
    assert read("怎么办低保") == read("怎么办低保")
    assert read("怎么办低保").text.strip() == "低保" and read("怎么办低保").guide
    assert read("低保需要什么材料").text.strip() == "低保"
    assert read("老人补贴去哪领").text.strip() == "老人补贴"
    assert read("请问低保是什么？").text.split() == ["低保"] and not read("请问低保是什么？").guide
    for plain in ("办公室", "领导讲话", "哪些", "怎么办"):  # nothing else would remain, or no question
        assert read(plain).text == plain and not read(plain).guide


# --- traditional characters and full-width letters ------------------------------------------------------


def test_traditional_query_finds_simplified_text(library):
    assert top(library, "舊小區") == top(library, "旧小区")
    assert "老旧小区" in search(library.db, "舊小區")[0].title


def test_simplified_query_finds_traditional_text_and_marks_it(library):
    hits = search(library.db, "旧城区改造", limit=5)
    assert hits[0].id == "n-traditional"
    assert "<mark>舊城區改造</mark>" in hits[0].snippet


def test_full_width_letters_are_folded(library):
    assert [h.id for h in search(library.db, "ＬＪＸＱ")] == [h.id for h in search(library.db, "ljxq")]


def test_folding_keeps_simplified_characters_that_are_also_traditional():
    assert fold("舊城區發展後") == "旧城区发展后"
    assert fold("著作乾坤") == "著作乾坤"  # 著 and 乾 are simplified characters too
    assert len(fold("臺灣")) == 2


# --- suggestions ----------------------------------------------------------------------------------------


def test_suggestions_say_what_a_touch_does(library):
    found = suggestions(library.db, "老旧小区改选")
    documents = [s for s in found if s.kind == "document"]
    assert documents and all(s.item_id and "老旧小区" in s.text for s in documents)
    titles = {i.id: i.title for i in library.items()}
    assert all(titles[s.item_id] == s.text for s in documents)
    assert Suggestion("query", "老旧", why="word") in found


def test_a_typo_spelled_alike_suggests_the_word_first(library):
    assert suggestions(library.db, "秸杆")[0] == Suggestion("query", "秸秆", why="spelling")
    assert suggestions(library.db, "苜蓄")[0] == Suggestion("query", "苜蓿", why="spelling")  # 蓄 xu


def test_no_suggestion_shares_only_one_character(library):
    # 养老金: titles about 老旧小区 or 地下水 share only 老 or 金.
    for s in suggestions(library.db, "养老金"):
        assert "养老" in s.text or s.why == "alias", s
    assert all(s.kind == "query" for s in suggestions(library.db, "养老金"))


def test_every_query_suggestion_finds_something(library):
    for text in ("秸杆禁烧", "社保", "养老金", "老旧小区改选", "低保户申请书"):
        for s in suggestions(library.db, text):
            if s.kind == "query":
                assert search(library.db, s.text, limit=1), (text, s)


# --- the 拼音首字母 example -----------------------------------------------------------------------------


def test_the_initials_example_finds_its_word_first(library):
    example = initials_example(library.db)
    assert example is not None
    hits = search(library.db, example.letters, limit=1)
    assert example.word in hits[0].title
    assert len(example.letters) == len(example.word)


def test_an_empty_library_has_no_example(tmp_path):
    from content.store import Library

    lib = Library(tmp_path / "empty.db")
    try:
        assert initials_example(lib.db) is None
    finally:
        lib.close()
