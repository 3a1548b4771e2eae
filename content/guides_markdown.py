"""A service guide as markdown for the reader (`kiosk.richtext` turns it into blocks) and `kiosk content show`:
conditions as a list, materials as a table, steps numbered, time limits, 免费 said plainly, where, when,
whom to ask, the legal basis and the common questions.

The record's values stay as written; the headings, labels and the words around them are `Message`s inside
a `Joined` document, so the kiosk shows it with `kiosk.i18n.translate`."""

from __future__ import annotations

from content.model import Guide, Material
from translatable import Joined, Message

_AUDIENCE_SERVED = {"公民类": Message("公民类（个人）"), "企业类": Message("企业类（企业和组织）")}


def guide_markdown(guide: Guide) -> str:
    parts: list[str] = []
    audiences = Joined("、", [_AUDIENCE_SERVED[a] for a in guide.audiences()])
    forms = Joined("、", guide.forms)
    for value, line in (
        (audiences, Message("**服务对象：**{audiences}", audiences=audiences)),
        (guide.item_type, Message("**事项类型：**{item_type}", item_type=_cell(guide.item_type))),
        (guide.authority, Message("**实施主体：**{authority}", authority=_cell(guide.authority))),
        (forms, Message("**办理形式：**{forms}", forms=_cell(forms))),
    ):
        if value:
            parts.append(line)
    if guide.conditions:
        conditions = "\n".join(f"- {_line(c)}" for c in guide.conditions)
        parts.append(Message("## 受理条件\n\n{conditions}", conditions=conditions))
    if guide.materials:
        parts.append(Message("## 申请材料\n\n{materials}", materials=_materials(guide.materials)))
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
        parts.append(Message("## 办理流程\n\n{steps}", steps="\n".join(steps)))
    limits = []
    promised, legal = (x.text() if x is not None else "" for x in (guide.promised_limit, guide.legal_limit))
    if promised:
        limits.append(Message("**承诺办结时限：**{limit}", limit=_line(promised)))
    if legal:
        limits.append(Message("**法定办结时限：**{limit}", limit=_line(legal)))
    if guide.visits:
        limits.append(Message("**到办事现场次数：**{visits} 次", visits=guide.visits))
    elif guide.visits is not None:
        limits.append(Message("**到办事现场次数：**不用到现场"))
    if limits:
        parts.append(Message("## 办理时限\n\n{limits}", limits=Joined("\n\n", limits)))
    parts.append(Message("## 收费\n\n{fees}", fees=_fees(guide)))
    where = []
    if guide.place:
        where.append(Message("**办理地点：**{place}", place=_line(guide.place)))
    if guide.hall_map:
        where.append(Message("**窗口：**{window}（见大厅平面图）", window=_lead(guide.window)))
    elif guide.window:
        where.append(Message("**窗口：**{window}", window=_line(guide.window)))
    if guide.hours:
        where.append(Message("**办理时间：**{hours}", hours=_line(guide.hours)))
    if where:
        parts.append(Message("## 办理地点和时间\n\n{where}", where=Joined("\n\n", where)))
    ask = []
    if guide.phone:
        ask.append(Message("**咨询电话：**{phone}", phone=_line(guide.phone)))
    if guide.complaint:
        ask.append(Message("**监督投诉：**{complaint}", complaint=_line(guide.complaint)))
    if ask:
        parts.append(Message("## 咨询和投诉\n\n{ask}", ask=Joined("\n\n", ask)))
    if guide.result:
        parts.append(Message("## 办理结果\n\n{result}", result=_line(guide.result)))
    if guide.basis:
        lines = []
        for basis in guide.basis:
            text = basis.name + (f"（{basis.number}）" if basis.number else "") + basis.article
            if basis.text:
                text += f"：{basis.text}"
            lines.append(f"- {_line(text)}")
        parts.append(Message("## 设定依据\n\n{basis}", basis="\n".join(lines)))
    if guide.faq:
        faq = [
            Message("**问：{question}**\n\n答：{answer}", question=_line(q.question), answer=_line(q.answer))
            for q in guide.faq
        ]
        parts.append(Message("## 常见问题\n\n{faq}", faq=Joined("\n\n", faq)))
    return Joined("\n\n", parts)


def _materials(materials: list[Material]) -> str:
    rows: list[str] = [
        Message("| 序号 | 材料名称 | 原件/复印件 | 份数 | 是否必须 | 来源 |"),
        "|---|---|---|---|---|---|",
    ]
    notes = []
    for n, m in enumerate(materials, 1):
        attached = [
            attachment
            for attachment, ref in (
                (Message("（附空白表格）"), m.blank_form),
                (Message("（附示例样表）"), m.sample),
            )
            if ref
        ]
        name = Joined("", [_lead(m.name).replace("|", "｜"), *attached]) if attached else _cell(m.name)
        copies = "" if m.copies is None else Message("{copies} 份", copies=m.copies)
        cells = [str(n), name, _cell(m.form), copies, _cell(m.necessity), _cell(m.source)]
        rows.append(Joined("", ["| ", Joined(" | ", cells), " |"]))
        if m.notes:
            notes.append(f"- **{_line(m.name)}：**{_line(m.notes)}")
    table = Joined("\n", rows)
    if not notes:
        return table
    return Message("{table}\n\n**填报须知**\n\n{notes}", table=table, notes="\n".join(notes))


def _fees(guide: Guide) -> str:
    if not guide.charged:
        return Message("**免费**（不收取任何费用）")
    rows: list[str] = [Message("| 收费项目 | 标准 | 依据 | 减免 |"), "|---|---|---|---|"]
    rows += [
        f"| {_cell(f.name)} | {_cell(f.standard)} | {_cell(f.basis)} | {_cell(f.reduction)} |"
        for f in guide.fees
    ]
    return Joined("\n", rows)


def _line(text: str) -> str:
    """One paragraph's worth of text: no line breaks that would end the list or start a heading."""
    return " ".join(text.split())


def _lead(text: str) -> str:
    """`_line` of a text that words follow: a space it ends with stays, as one."""
    return _line(text) + (" " if text[-1:].isspace() and text.strip() else "")


def _cell(text: str) -> str:
    return _line(text).replace("|", "｜")
