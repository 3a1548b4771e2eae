"""Local notices (村务公开): staff post, edit and withdraw them on the kiosk.

A local notice is a library item of kind 'notice' with origin 'local', so it appears under 公示公告 with
the city's notices and is searchable like them. A photo (from a file, e.g. a USB stick) is stored once
as an attachment and linked to the notice. Only local notices can be changed here; the city's come
down by sync.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from content.errors import NotFound
from content.model import NOTICE_LEVELS, Attachment, Item
from content.store import Library
from kiosk.i18n import tr

MAX_TITLE = 80
MAX_TEXT = 20_000
MAX_PHOTO_BYTES = 10 * 2**20
SECTION = "村务公开"
PHOTO_ROLE = "photo"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF8", "image/gif"))


class NoticeError(Exception):
    """A notice that cannot be posted as given (Chinese message in `zh` for the staff screen)."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


@dataclass
class NoticeDraft:
    title: str
    text: str
    valid_from: str = ""  # ISO date; '' means from today
    valid_to: str = ""  # ISO date; '' means open-ended
    level: str = "村"
    issuer: str = ""
    photo: Path | None = None


def _check_date(value: str, name_zh: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if not _ISO_DATE.match(value):
        raise NoticeError(
            f"{value!r} is not a date (YYYY-MM-DD)",
            tr("{field}“{value}”不是有效日期（年-月-日）", field=name_zh, value=value),
        )
    try:
        date.fromisoformat(value)
    except ValueError:
        raise NoticeError(
            f"{value!r} is not a date", tr("{field}“{value}”不是有效日期", field=name_zh, value=value)
        ) from None
    return value


def validate(draft: NoticeDraft, today: date) -> NoticeDraft:
    title = " ".join(draft.title.split())
    text = draft.text.strip()
    if not title:
        raise NoticeError("a notice needs a title", tr("请填写公告标题"))
    if len(title) > MAX_TITLE:
        raise NoticeError("the title is too long", tr("标题不能超过 {most} 个字", most=MAX_TITLE))
    if not text:
        raise NoticeError("a notice needs text", tr("请填写公告内容"))
    if len(text) > MAX_TEXT:
        raise NoticeError("the text is too long", tr("内容不能超过 {most} 个字", most=MAX_TEXT))
    if draft.level not in NOTICE_LEVELS:
        raise NoticeError(f"unknown level {draft.level!r}", tr("发布层级“{level}”无效", level=draft.level))
    valid_from = _check_date(draft.valid_from, tr("开始日期")) or today.isoformat()
    valid_to = _check_date(draft.valid_to, tr("结束日期"))
    if valid_to and valid_to < valid_from:
        raise NoticeError("valid-to is before valid-from", tr("结束日期不能早于开始日期"))
    return NoticeDraft(title, text, valid_from, valid_to, draft.level, draft.issuer.strip(), draft.photo)


def _read_photo(path: Path) -> tuple[bytes, str]:
    try:
        size = path.stat().st_size
        if size > MAX_PHOTO_BYTES:
            raise NoticeError(
                "the photo is too large", tr("照片不能超过 {size} MB", size=MAX_PHOTO_BYTES // 2**20)
            )
        data = path.read_bytes()
    except OSError as exc:
        raise NoticeError(
            f"cannot read the photo: {exc.strerror}", tr("无法读取照片文件：{error}", error=exc.strerror)
        ) from exc
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return data, mime
    raise NoticeError("the photo is not a PNG, JPEG or GIF image", tr("照片必须是 PNG、JPEG 或 GIF 图片"))


def _to_item(item_id: str, draft: NoticeDraft, today: date) -> Item:
    return Item(
        id=item_id,
        kind="notice",
        title=draft.title,
        body_md=draft.text,
        issuer=draft.issuer,
        date=today.isoformat(),
        section=SECTION,
        valid_from=draft.valid_from,
        valid_to=draft.valid_to,
        level=draft.level,
        origin="local",
        source="staff",
    )


def post(library: Library, draft: NoticeDraft, today: date | None = None) -> Item:
    """Validate and store a new local notice (with its photo); return it."""
    today = today or date.today()
    draft = validate(draft, today)
    photo = _read_photo(draft.photo) if draft.photo else None
    item = _to_item(f"local-notice-{uuid.uuid4().hex[:12]}", draft, today)
    with library.transaction():
        library.upsert_items([item])
        if photo:
            _attach(library, item.id, photo, draft.photo)
    return library.get(item.id)


def edit(library: Library, item_id: str, draft: NoticeDraft, today: date | None = None) -> Item:
    """Change a local notice; a new photo replaces nothing but is added (the newest is shown)."""
    today = today or date.today()
    current = get_local(library, item_id)
    draft = validate(draft, today)
    photo = _read_photo(draft.photo) if draft.photo else None
    item = _to_item(item_id, draft, date.fromisoformat(current.date) if current.date else today)
    item.version = current.version
    with library.transaction():
        library.upsert_items([item])
        if photo:
            _attach(library, item_id, photo, draft.photo)
    return library.get(item_id)


def withdraw(library: Library, item_id: str) -> None:
    """Remove a local notice from the kiosk."""
    get_local(library, item_id)
    library.delete_items([item_id])


def get_local(library: Library, item_id: str) -> Item:
    try:
        item = library.get(item_id)
    except NotFound:
        raise NoticeError(f"no notice {item_id}", tr("找不到这条公告（可能已撤回）")) from None
    if item.kind != "notice" or item.origin != "local":
        raise NoticeError(f"{item_id} is not a local notice", tr("只能修改本地发布的公告"))
    return item


def local_notices(library: Library) -> list[Item]:
    """All local notices, current or not, newest first (for the staff screen)."""
    return library.items("notice", origin="local")


def photos(library: Library, item_id: str) -> list[Path]:
    """Paths of a notice's photos, newest last."""
    return [
        library.blob_path(a.sha256) for a in library.attachments_of(item_id) if a.mime.startswith("image/")
    ]


def _attach(library: Library, item_id: str, photo: tuple[bytes, str], path: Path | None) -> Attachment:
    data, mime = photo
    attachment = library.add_attachment(data, mime)
    library.link_attachment(item_id, attachment.sha256, name=path.name if path else "", role=PHOTO_ROLE)
    return attachment
