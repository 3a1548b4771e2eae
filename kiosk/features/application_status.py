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
from kiosk.i18n import N_, tr, translate

if TYPE_CHECKING:
    from kiosk.features.applications import ApplicationDesk

FEATURE = Feature(
    key="application_status",
    title=N_("查询申请进度"),
    icon=N_("询"),
    subtitle=lambda facts: tr("凭申请编号查询答复"),
    screen="ApplicationStatusScreen.qml",
    available=Availability(content=key_present),
    stat="application_status",
    view_models=("ui.applications",),
)

STATES = {"补正": N_("需要补正"), "延期": N_("已延期答复"), "答复": N_("已答复")}


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
        due = receipt.day_text(entry.deadline)
        if entry.deadline_estimated:
            due = tr("{day}（预估）", day=due)
        rows.append(
            {
                "title": tr("{day} 已受理", day=receipt.day_text(entry.received_on)),
                "text": tr("答复期限 {day}", day=due),
            }
        )
    for event in events or []:
        day, state = receipt.day_text(event.on), translate(STATES[event.kind])
        if event.kind == REPLY:
            title = tr("{day} {state}：{reply}", day=day, state=state, reply=event.reply)
        else:
            title = tr("{day} {state}", day=day, state=state)
        text = translate(REPLY_MEANINGS[event.reply]) if event.kind == REPLY else ""
        if event.deadline:
            text = tr("答复期限延长至 {day}", day=receipt.day_text(event.deadline))
        rows.append({"title": title, "text": "。".join(t for t in (text, event.text) if t)})
    state = translate(STATES[events[-1].kind]) if events else (tr("已受理，等待答复") if rows else "")
    return {"number": number, "state": state, "rows": rows}
