"""The documents offered beside an application's description (kiosk/related.py), on the bundled gazette: a
description naming a published document finds it and its 解读; one about something unpublished, or made
only of words every title has, finds nothing; any text at all is answered (hypothesis), never more than
asked for, and only documents and 解读."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content.store import Library
from kiosk.config import defaults
from kiosk.related import pairs, related_documents
from kiosk.services import build


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    services = build(defaults(), tmp_path_factory.mktemp("gazette"), bundled=True)
    services.library.open()
    yield services.library.opened_store()
    services.close()


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("2022年打击非法采矿专项行动的实施方案", "定政办字〔2022〕32号"),
        ("请公开地下水超采治理的实施方案", "定政办字〔2022〕33号"),
        ("我想了解节能减排的有关信息", "定政发字〔2022〕3号"),
        ("政务公开专区建设", "定政办字〔2022〕28号"),
    ],
)
def test_a_description_of_a_published_document_finds_it_and_its_interpretation(
    library, description, expected
):
    found = related_documents(library, description)
    assert found[0]["docNumber"] == expected and found[0]["kind"] == "document"
    assert [d["kind"] for d in found[:2]] == ["document", "interpretation"]


@pytest.mark.parametrize(
    "description", ["本村2025年土地征收补偿款的发放名单和标准", "关于印发的通知", "方案", "abc 123", ""]
)
def test_nothing_published_or_nothing_specific_finds_nothing(library, description):
    assert related_documents(library, description) == []


def test_pairs_are_of_chinese_characters_only():
    assert pairs("2022年打击A非法，采矿") == {"年打", "打击", "非法", "采矿"}


@settings(max_examples=200)
@given(text=st.text(max_size=300), limit=st.integers(1, 5))
def test_any_text_is_answered_within_the_limit(library: Library, text, limit):
    found = related_documents(library, text, limit)
    assert len(found) <= limit and all(d["kind"] in ("document", "interpretation") for d in found)
