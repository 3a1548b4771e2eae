"""查询申请进度 on the kiosk: the status record the city sent back for an application number and the last
four digits of the phone (the format is `content.application_status`; the sync writes the records into
`application_status/` in the data directory), and what each of Art. 36's kinds of reply means.
"""

from __future__ import annotations

import re
from pathlib import Path

from content.application_status import FOLDER, Event, StatusInvalid, key, parse
from kiosk.applications import numbering
from kiosk.applications.errors import ApplicationError
from kiosk.i18n import N_, tr

REPLY_MEANINGS = {
    "已公开": N_("所申请的信息已经主动公开，答复中告知了获取方式和途径"),
    "予以公开": N_("予以公开，答复中告知了获取信息的方式、途径和时间"),
    "不予公开": N_("依法不予公开，答复中说明了理由"),
    "信息不存在": N_("经检索没有所申请公开的信息"),
    "非本机关": N_("所申请的信息不属于本机关负责公开，答复中告知了负责公开的机关"),
    "重复申请": N_("本机关已就您的申请作出过答复，此次为重复申请"),
    "其他法律规定": N_("所申请的信息依照有关法律、行政法规的规定办理（如不动产登记资料查询）"),
}
_LAST4 = re.compile(r"[0-9]{4}")


def lookup(data_dir: Path, number_text: str, last4: str) -> tuple[str, list[Event] | None]:
    """(the number, its events) for what the resident typed; None when the city sent nothing for that
    number and phone yet. Raises `ApplicationError` (Chinese) for a number or phone digits that are not."""
    try:
        number = numbering.from_scan(number_text)
    except numbering.NumberInvalid as exc:
        raise ApplicationError(f"not an application number: {number_text[:30]!r}", str(exc)) from None
    if not _LAST4.fullmatch(last4.strip()):
        raise ApplicationError("phone digits must be four", tr("请输入申请时所留电话号码的后4位数字"))
    wanted = key(number, last4.strip())
    path = data_dir / FOLDER / f"{wanted}.json"
    if not path.is_file():
        return number, None
    try:
        found, events = parse(path.read_bytes())
    except (OSError, StatusInvalid) as exc:
        raise ApplicationError(
            f"status record {path.name} unreadable: {exc}", tr("答复记录暂时无法读取，请到服务窗口查询")
        ) from None
    if found != wanted:
        raise ApplicationError(
            f"status record {path.name} names another key", tr("答复记录有误，请到服务窗口查询")
        )
    return number, events
