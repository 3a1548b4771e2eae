"""One 办事指南 as the guide page shows it: a column of blocks in the order a resident needs them
(受理条件, the materials checklist, the steps, fees, time limits, where with 窗口指示, hours, phone,
complaints, common questions), each short enough to lay out at the largest type without a table.

Blocks are plain dicts: `heading` (text); `entry` (marker, name, text, facts, big, inline: one condition,
material, step, fee or question; a labelled fact is `inline` with its `line` as styled text); `image` (url, caption: a blank form, a sample, the hall
map). Qt-free.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from kiosk.guides_hall import Hall
from kiosk.i18n import N_, tr, translate

if TYPE_CHECKING:
    from content.model import FileRef, Guide, Item
    from content.store import Library

DEMO_NOTE = N_("示例：本指南是演示用的示例内容，不是本地的正式办事指南，办理前请以窗口告知为准。")


def guide_page(library: Library, item: Item, hall: Hall) -> dict[str, Any]:
    """The page of a guide item: its title, whether it is sample content, its blocks, and what the
    page's buttons need (the window it names)."""
    guide = item.guide
    if guide is None:
        raise ValueError(f"{item.id} is not a service guide")
    window = hall.window_for(guide.window) if guide.window else None
    return {
        "title": item.title,
        "demoNote": translate(DEMO_NOTE) if guide.demo else "",
        "department": guide.department or item.issuer,
        "blocks": blocks(library, guide, hall),
        "window": window.indication() if window else "",
        "materials": len(guide.materials),
    }


def blocks(library: Library, guide: Guide, hall: Hall) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    served = "、".join(guide.audiences())
    for label, value in (
        (tr("实施主体"), guide.authority),
        (tr("服务对象"), served),
        (tr("办理形式"), "、".join(guide.forms)),
    ):
        if value:
            out.append(_fact(label, value))
    if guide.conditions:
        out.append(_heading(tr("受理条件")))
        out += [_entry("", c, marker="•") for c in guide.conditions]
    if guide.materials:
        out.append(_heading(tr("申请材料（共 {count} 项）", count=len(guide.materials))))
        for n, m in enumerate(guide.materials, 1):
            copies = tr("{copies} 份", copies=m.copies) if m.copies else ""
            facts = "　".join(p for p in (m.necessity, m.form, copies, m.source) if p)
            out.append(
                _entry(
                    m.name, facts, marker=f"{n}.", facts=m.notes and tr("填报须知：{notes}", notes=m.notes)
                )
            )
            for label, ref in ((tr("空白表格"), m.blank_form), (tr("示例样表"), m.sample)):
                image = _image(library, ref, f"{m.name}（{label}）")
                if image:
                    out.append(image)
    if guide.steps:
        out.append(_heading(tr("办理流程")))
        for n, step in enumerate(guide.steps, 1):
            facts = "　".join(p for p in (step.actor, step.duration) if p)
            out.append(_entry(step.name, step.description, marker=tr("第{n}步", n=n), facts=facts))
    out.append(_heading(tr("收费")))
    if not guide.charged:
        out.append(_entry(tr("免费"), tr("不收取任何费用"), big=True))
    else:
        for fee in guide.fees:
            facts = "；".join(
                p
                for p in (
                    fee.basis and tr("依据：{basis}", basis=fee.basis),
                    fee.reduction and tr("减免：{reduction}", reduction=fee.reduction),
                )
                if p
            )
            out.append(_entry(fee.name, tr("标准：{standard}", standard=fee.standard), facts=facts))
    limits = [
        _fact(label, limit.text())
        for label, limit in (
            (tr("法定办结时限"), guide.legal_limit),
            (tr("承诺办结时限"), guide.promised_limit),
        )
        if limit is not None and limit.text()
    ]
    if guide.visits is not None:
        limits.append(
            _fact(
                tr("到现场次数"), tr("{visits} 次", visits=guide.visits) if guide.visits else tr("不用到现场")
            )
        )
    if limits:
        out.append(_heading(tr("办理时限")))
        out += limits
    out += _where(library, guide, hall)
    ask = [
        _fact(label, value)
        for label, value in (
            (tr("咨询电话"), guide.phone),
            (tr("监督投诉"), guide.complaint),
            (tr("办理结果"), guide.result),
        )
        if value
    ]
    if ask:
        out.append(_heading(tr("咨询和投诉")))
        out += ask
    if guide.faq:
        out.append(_heading(tr("常见问题")))
        out += [
            _entry(tr("问：{question}", question=q.question), tr("答：{answer}", answer=q.answer))
            for q in guide.faq
        ]
    if guide.basis:
        out.append(_heading(tr("设定依据")))
        for basis in guide.basis:
            name = basis.name + (f"（{basis.number}）" if basis.number else "") + basis.article
            out.append(
                _entry("", basis.text, marker="•", facts=name) if basis.text else _entry("", name, marker="•")
            )
    return out


def _where(library: Library, guide: Guide, hall: Hall) -> list[dict[str, Any]]:
    window = hall.window_for(guide.window) if guide.window else None
    out: list[dict[str, Any]] = []
    if window is not None:
        out.append(
            _entry(window.indication(), "　".join(p for p in (window.name, window.where) if p), big=True)
        )
    elif guide.window:
        out.append(_fact(tr("窗口"), guide.window))
    for label, value in ((tr("办理地点"), guide.place), (tr("办理时间"), guide.hours)):
        if value:
            out.append(_fact(label, value))
    plan = _image(library, guide.hall_map, tr("大厅平面图"))
    if plan is None and window is not None and hall.hall_map is not None:
        plan = {
            "kind": "image",
            "url": hall.hall_map.as_uri(),
            "caption": tr("大厅平面图：{number} 号窗口", number=window.number),
        }
    if plan is not None:
        out.append(plan)
    return [_heading(tr("办理地点和时间")), *out] if out else []


def _heading(text: str) -> dict[str, Any]:
    return {"kind": "heading", "text": text}


def _fact(label: str, value: str) -> dict[str, Any]:
    """A labelled fact on one line where it fits: **实施主体：**定州市民政局 (`line`, styled text)."""
    return {**_entry(label, value), "inline": True, "line": f"<b>{escape(label)}：</b>{escape(value)}"}


def _entry(
    name: str, text: str = "", *, marker: str = "", facts: str = "", big: bool = False
) -> dict[str, Any]:
    return {
        "kind": "entry",
        "marker": marker,
        "name": name,
        "text": text or "",
        "facts": facts,
        "big": big,
        "inline": False,
        "line": "",
    }


def _image(library: Library, ref: FileRef | None, caption: str) -> dict[str, Any] | None:
    """A file a guide shows, when it is an image the library holds (a PDF form is asked for at the window)."""
    if ref is None or not ref.sha256 or not ref.mime.startswith("image/"):
        return None
    path = library.blob_path(ref.sha256)
    return {"kind": "image", "url": path.as_uri(), "caption": caption} if path.exists() else None
