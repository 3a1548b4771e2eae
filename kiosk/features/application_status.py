"""查询申请进度: by the application number (typed, or scanned from the receipt's QR code) and the last four
digits of the phone given, what became of an application: received with its deadline (when this kiosk
took it), then the city's 补正, 延期 and 答复 records that came back in the channel (`kiosk.applications.status`).

Offered where 信息公开申请 is (the city's application key is installed); the screen is
`ApplicationStatusScreen.qml`, its view-model `ui.applications.ApplicationStatus`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk.features.applications import key_present
from kiosk.features.feature import Availability, Feature

if TYPE_CHECKING:
    from kiosk.features.applications import ApplicationDesk

FEATURE = Feature(
    key="application_status",
    title="查询申请进度",
    icon="询",
    subtitle=lambda facts: "凭申请编号查询答复",
    screen="ApplicationStatusScreen.qml",
    available=Availability(content=key_present),
    stat="application_status",
    view_models=("ui.applications",),
)

STATES = {"补正": "需要补正", "延期": "已延期答复", "答复": "已答复"}


def status(desk: ApplicationDesk, number_text: str, last4: str) -> dict[str, Any]:
    """What the status screen shows for the number and phone digits typed (`ApplicationError` when either
    is not one)."""
    from content.application_status import REPLY
    from kiosk.applications import receipt
    from kiosk.applications.status import REPLY_MEANINGS, lookup

    number, events = lookup(desk.data_dir, number_text, last4)
    entry = desk.applications().store.get(number)
    rows = []
    if entry is not None and entry.status == "received":
        due = receipt.day_text(entry.deadline) + ("（预估）" if entry.deadline_estimated else "")
        rows.append({"title": f"{receipt.day_text(entry.received_on)} 已受理", "text": f"答复期限 {due}"})
    for event in events or []:
        title = f"{receipt.day_text(event.on)} {STATES[event.kind]}"
        if event.kind == REPLY:
            title += f"：{event.reply}"
        text = REPLY_MEANINGS[event.reply] if event.kind == REPLY else ""
        if event.deadline:
            text = f"答复期限延长至 {receipt.day_text(event.deadline)}"
        rows.append({"title": title, "text": "。".join(t for t in (text, event.text) if t)})
    state = STATES[events[-1].kind] if events else ("已受理，等待答复" if rows else "")
    return {"number": number, "state": state, "rows": rows}
