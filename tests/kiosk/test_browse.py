"""The resident reading services: home tiles, browse lists, TOC links, reader view, notices, search."""

from datetime import date

import pytest

from content.model import GazetteIssue, GuideFields, Item, TocEntry
from content.store import Library
from kiosk.browse import Browse, chinese_date
from kiosk.config import defaults
from kiosk.services import build
from kiosk.session import Session


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "library.db", blobs_dir=tmp_path / "blobs") as lib:
        issue = GazetteIssue(
            "dz-2022-2",
            "定州市人民政府公报",
            2022,
            2,
            "2022-04-30",
            [
                TocEntry("●市政府文件", "定州市人民政府关于印发《定州市2022年国土绿化实施方案》的通知", 14),
                TocEntry("●政策解读", "《定州市2022年国土绿化实施方案》解读", 97),
                TocEntry("●市政府文件", "不在库里的文件", 120),
            ],
        )
        lib.replace_issue(
            issue,
            [
                Item(
                    "doc-1",
                    "document",
                    "定州市人民政府关于印发《定州市 2022 年国土绿化实施方案》的通知",
                    body_md="# 方案\n\n秸秆禁烧。详见 https://www.dzs.gov.cn/a.html",
                    doc_number="定政发〔2022〕3号",
                    date="2022-03-01",
                    section="市政府文件",
                    category="乡村振兴",
                    issue_id="dz-2022-2",
                    page=14,
                ),
                Item(
                    "int-1",
                    "interpretation",
                    "《定州市2022年国土绿化实施方案》解读",
                    body_md="解读正文",
                    date="2022-03-02",
                    section="政策解读",
                    interprets_id="doc-1",
                    issue_id="dz-2022-2",
                    page=97,
                ),
            ],
        )
        lib.upsert_items(
            [
                Item(
                    "n-old", "notice", "过期公告", valid_from="2020-01-01", valid_to="2020-02-01", level="市"
                ),
                Item("n-1", "notice", "低保公示", valid_from="2024-05-01", valid_to="2024-05-30", level="村"),
                Item("n-2", "notice", "征地公告", valid_from="2024-05-05", level="乡镇"),
            ]
        )
        yield lib


def test_home_offers_only_functions_with_content(library):
    browse = Browse(library, Session())
    assert [t["key"] for t in browse.functions()] == ["library", "interpretations", "notices"]
    library.upsert_items([Item("g-1", "guide", "低保申请", guide=GuideFields(subject="民政局"))])
    assert [t["key"] for t in browse.functions()][-1] == "guides"


def test_toc_entries_link_to_their_documents(library):
    toc = Browse(library, Session()).issue_toc("dz-2022-2")
    assert toc["title"] == "定州市人民政府公报 2022年第2号"
    assert [(e["section"], e["id"]) for e in toc["entries"]] == [
        ("市政府文件", "doc-1"),
        ("政策解读", "int-1"),
        ("市政府文件", ""),
    ]


def test_sections_categories_and_date_listing(library):
    browse = Browse(library, Session())
    assert {s["name"] for s in browse.sections()} == {"市政府文件", "政策解读"}
    assert browse.categories() == [
        {
            "name": "乡村振兴",
            "count": 1,
            "examples": ["定州市人民政府关于印发《定州市 2022 年国土绿化实施方案》的通知"],
        }
    ]
    assert [r["id"] for r in browse.listing(category="乡村振兴")] == ["doc-1"]
    rows = browse.by_date()
    assert [(r["id"], r["month"]) for r in rows] == [("doc-1", "2022年3月")]


def test_document_links_its_interpretation_and_back_and_is_remembered(library):
    session = Session()
    browse = Browse(library, session)
    doc = browse.document("doc-1")
    assert doc["related"] == [
        {"id": "int-1", "title": "《定州市2022年国土绿化实施方案》解读", "role": "interpretation"}
    ]
    assert doc["url"] == "https://www.dzs.gov.cn/a.html" and doc["qr"].startswith("data:image/png;base64,")
    assert "秸秆禁烧" in doc["text"] and any("秸秆禁烧" in b.get("html", "") for b in doc["blocks"])
    interp = browse.document("int-1")
    assert interp["related"][0]["role"] == "original" and interp["docNumber"] == "定政发〔2022〕3号"
    assert interp["qr"] == ""
    assert session.opened == ["doc-1", "int-1"]


def test_notices_are_current_newest_first_with_level_and_validity(library):
    rows = Browse(library, Session()).notices(date(2024, 5, 10))
    assert [(r["id"], r["level"], r["validTo"]) for r in rows] == [
        ("n-2", "乡镇", "长期有效"),
        ("n-1", "村", "2024年5月30日"),
    ]


def test_search_records_text_and_offers_suggestions_when_empty(library):
    session = Session()
    result = Browse(library, session).search("  不存在的词  ")
    assert result["hits"] == [] and isinstance(result["suggestions"], list)
    assert session.search_text == "不存在的词"
    assert Browse(library, session).search("")["hits"] == []


def test_chinese_date():
    assert chinese_date("2022-04-30") == "2022年4月30日"
    assert chinese_date("") == ""


def test_services_report_a_corrupt_database_as_maintenance(tmp_path):
    (tmp_path / "library.db").write_bytes(b"this is not sqlite" * 100)
    services = build(defaults(), tmp_path)
    services.library.open()
    assert services.library.store is None and services.library.browse is None
    assert "资料库" in services.library.maintenance
    assert services.staff.compliance().tier == "市"


def test_plain_language_topics_gather_their_documents_with_counts_and_examples(library):
    library.upsert_items(
        [
            Item("h-1", "document", "关于老旧小区改造的通知", date="2022-05-01", topics=["老旧小区改造"]),
            Item(
                "h-2",
                "document",
                "关于不动产登记交房即交证的通知",
                date="2022-06-01",
                topics=["不动产登记", "住房"],
            ),
            Item("j-1", "document", "关于稳就业的通知", date="2022-04-01", topics=["就业"]),
        ]
    )
    browse = Browse(library, Session())
    topics = {t["name"]: t for t in browse.topics()}
    assert set(topics) == {"住房", "就业创业"}  # topics with nothing are not offered
    assert topics["住房"]["count"] == 2  # an item under two of its topics counts once
    assert topics["住房"]["examples"] == ["关于不动产登记交房即交证的通知", "关于老旧小区改造的通知"]
    assert [r["id"] for r in browse.listing(topic="住房")] == ["h-2", "h-1"]
    assert [r["id"] for r in browse.listing(topic="就业创业")] == ["j-1"]
