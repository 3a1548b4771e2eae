"""Local notices: posted, edited, withdrawn by staff; shown under 公示公告 only while valid."""

from datetime import date

import pytest

from content.model import Item
from content.store import Library
from kiosk import notices
from kiosk.notices import NoticeDraft, NoticeError

TODAY = date(2024, 5, 10)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "library.db", blobs_dir=tmp_path / "blobs") as lib:
        yield lib


def test_posted_notice_is_a_current_local_notice_with_photo(library, tmp_path):
    photo = tmp_path / "公示照片.png"
    photo.write_bytes(PNG)
    item = notices.post(
        library,
        NoticeDraft(
            "  2024年  低保名单公示 ", "以下人员拟纳入低保。", "2024-05-01", "2024-05-20", "村", photo=photo
        ),
        today=TODAY,
    )
    assert item.kind == "notice" and item.origin == "local"
    assert item.title == "2024年 低保名单公示"
    assert [n.id for n in library.current_notices(TODAY)] == [item.id]
    assert library.current_notices(date(2024, 5, 21)) == []
    paths = notices.photos(library, item.id)
    assert len(paths) == 1 and paths[0].read_bytes() == PNG


def test_empty_valid_from_means_today(library):
    item = notices.post(library, NoticeDraft("通知", "内容"), today=TODAY)
    assert item.valid_from == "2024-05-10" and item.valid_to == ""


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (NoticeDraft("", "内容"), "标题"),
        (NoticeDraft("标题", "  "), "内容"),
        (NoticeDraft("标题", "内容", "2024-13-01"), "开始日期"),
        (NoticeDraft("标题", "内容", "明天"), "开始日期"),
        (NoticeDraft("标题", "内容", "2024-05-10", "2024-05-01"), "结束日期"),
        (NoticeDraft("标题", "内容", level="国"), "层级"),
        (NoticeDraft("标" * 81, "内容"), "标题"),
    ],
)
def test_invalid_drafts_are_refused_with_a_chinese_reason(library, draft, message):
    with pytest.raises(NoticeError) as info:
        notices.post(library, draft, today=TODAY)
    assert message in info.value.zh
    assert library.items("notice") == []


def test_photo_must_be_an_image(library, tmp_path):
    bad = tmp_path / "x.png"
    bad.write_text("not an image")
    with pytest.raises(NoticeError, match="PNG"):
        notices.post(library, NoticeDraft("标题", "内容", photo=bad), today=TODAY)
    with pytest.raises(NoticeError):
        notices.post(library, NoticeDraft("标题", "内容", photo=tmp_path / "missing.jpg"), today=TODAY)
    assert library.items("notice") == []


def test_edit_changes_text_and_keeps_id(library):
    item = notices.post(library, NoticeDraft("标题", "旧内容"), today=TODAY)
    edited = notices.edit(
        library, item.id, NoticeDraft("新标题", "新内容", "2024-05-10", "2024-06-01"), today=TODAY
    )
    assert edited.id == item.id and edited.title == "新标题" and edited.body_md == "新内容"
    assert edited.version == item.version + 1
    assert [n.id for n in notices.local_notices(library)] == [item.id]


def test_withdraw_removes_and_only_local_notices_can_be_changed(library):
    item = notices.post(library, NoticeDraft("标题", "内容"), today=TODAY)
    library.upsert_items([Item("city-1", "notice", "市里的公告", origin="city")])
    with pytest.raises(NoticeError):
        notices.withdraw(library, "city-1")
    with pytest.raises(NoticeError):
        notices.edit(library, "city-1", NoticeDraft("改", "改"), today=TODAY)
    notices.withdraw(library, item.id)
    assert [n.id for n in library.items("notice")] == ["city-1"]
    with pytest.raises(NoticeError):
        notices.withdraw(library, item.id)
