"""A service guide as markdown for the reader (`kiosk.richtext` turns it into blocks) and `kiosk content show`:
conditions as a list, materials as a table, steps numbered, time limits, 免费 said plainly, where, when,
whom to ask, the legal basis and the common questions."""

from __future__ import annotations

from content.model import Guide, Material

_AUDIENCE_SERVED = {"公民类": "个人", "企业类": "企业和组织"}


def guide_markdown(guide: Guide) -> str:
    parts: list[str] = []
    audiences = "、".join(f"{a}（{_AUDIENCE_SERVED[a]}）" for a in guide.audiences())
    for label, value in (
        ("服务对象", audiences),
        ("事项类型", guide.item_type),
        ("实施主体", guide.authority),
        ("办理形式", "、".join(guide.forms)),
    ):
        if value:
            parts.append(f"**{label}：**{_cell(value)}")
    if guide.conditions:
        parts.append("## 受理条件\n\n" + "\n".join(f"- {_line(c)}" for c in guide.conditions))
    if guide.materials:
        parts.append("## 申请材料\n\n" + _materials(guide.materials))
    if guide.steps:
        steps = []
        for n, step in enumerate(guide.steps, 1):
            extra = "，".join(x for x in (step.actor, step.duration) if x)
            text = f"**{_line(step.name)}**"
            if step.description:
                text += f"：{_line(step.description)}"
            if extra:
                text += f"（{_line(extra)}）"
            steps.append(f"{n}. {text}")
        parts.append("## 办理流程\n\n" + "\n".join(steps))
    limits = [
        f"**{label}：**{_line(limit.text())}"
        for label, limit in (("承诺办结时限", guide.promised_limit), ("法定办结时限", guide.legal_limit))
        if limit is not None and limit.text()
    ]
    if guide.visits is not None:
        limits.append(
            f"**到办事现场次数：**{guide.visits} 次" if guide.visits else "**到办事现场次数：**不用到现场"
        )
    if limits:
        parts.append("## 办理时限\n\n" + "\n\n".join(limits))
    parts.append("## 收费\n\n" + _fees(guide))
    where = [
        f"**{label}：**{_line(value)}"
        for label, value in (
            ("办理地点", guide.place),
            ("窗口", guide.window + ("（见大厅平面图）" if guide.hall_map else "")),
            ("办理时间", guide.hours),
        )
        if value
    ]
    if where:
        parts.append("## 办理地点和时间\n\n" + "\n\n".join(where))
    ask = [
        f"**{label}：**{_line(value)}"
        for label, value in (("咨询电话", guide.phone), ("监督投诉", guide.complaint))
        if value
    ]
    if ask:
        parts.append("## 咨询和投诉\n\n" + "\n\n".join(ask))
    if guide.result:
        parts.append(f"## 办理结果\n\n{_line(guide.result)}")
    if guide.basis:
        lines = []
        for basis in guide.basis:
            text = basis.name + (f"（{basis.number}）" if basis.number else "") + basis.article
            if basis.text:
                text += f"：{basis.text}"
            lines.append(f"- {_line(text)}")
        parts.append("## 设定依据\n\n" + "\n".join(lines))
    if guide.faq:
        parts.append(
            "## 常见问题\n\n"
            + "\n\n".join(f"**问：{_line(q.question)}**\n\n答：{_line(q.answer)}" for q in guide.faq)
        )
    return "\n\n".join(parts)


def _materials(materials: list[Material]) -> str:
    rows = ["| 序号 | 材料名称 | 原件/复印件 | 份数 | 是否必须 | 来源 |", "|---|---|---|---|---|---|"]
    notes = []
    for n, m in enumerate(materials, 1):
        name = m.name + "".join(
            f"（附{label}）" for label, ref in (("空白表格", m.blank_form), ("示例样表", m.sample)) if ref
        )
        copies = "" if m.copies is None else f"{m.copies} 份"
        rows.append(
            "| " + " | ".join(_cell(v) for v in (str(n), name, m.form, copies, m.necessity, m.source)) + " |"
        )
        if m.notes:
            notes.append(f"- **{_line(m.name)}：**{_line(m.notes)}")
    table = "\n".join(rows)
    return table + ("\n\n**填报须知**\n\n" + "\n".join(notes) if notes else "")


def _fees(guide: Guide) -> str:
    if not guide.charged:
        return "**免费**（不收取任何费用）"
    rows = ["| 收费项目 | 标准 | 依据 | 减免 |", "|---|---|---|---|"]
    rows += [
        f"| {_cell(f.name)} | {_cell(f.standard)} | {_cell(f.basis)} | {_cell(f.reduction)} |"
        for f in guide.fees
    ]
    return "\n".join(rows)


def _line(text: str) -> str:
    """One paragraph's worth of text: no line breaks that would end the list or start a heading."""
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _line(text).replace("|", "｜")
