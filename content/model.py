"""The library's value types: what a gazette issue, a document, a 解读, a notice and a service guide are.

Plain dataclasses, no I/O. The store (`content.store`) persists them; the gazette parser
(`content.gazette`) produces them; the UI and CLI read them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("document", "interpretation", "notice", "guide")
KIND_NAMES = {"document": "政策文件", "interpretation": "政策解读", "notice": "公示公告", "guide": "办事指南"}
NOTICE_LEVELS = ("省", "市", "县", "乡镇", "村")
GUIDE_AUDIENCES = ("公民类", "企业类")
# 重点领域 of DB 13/T 5480—2022 §5.4.1.2.
KEY_AREAS = (
    "市场监管",
    "财政预决算",
    "重大建设项目批准和实施",
    "公共资源配置",
    "社会公益事业建设",
    "乡村振兴",
)
ORIGINS = ("gazette", "city", "local")


# 服务对象 of the 实施清单 and the two audiences a resident browses by (DB 13/T 5480: 公民类 / 企业类).
GUIDE_SERVED = {"自然人": "公民类", "法人": "企业类", "非法人组织": "企业类"}
_LIST_MARKER = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.、)）]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]+、)\s*")
_FREE = re.compile(r"^(?:免费|不收费|无|否|不收取任何费用)[。.]?$")


@dataclass
class FileRef:
    """A file a guide shows (空白表格, 示例样表, 大厅平面图): stored once as an attachment, named by its SHA-256."""

    name: str = ""  # 文件名
    sha256: str = ""
    mime: str = ""  # 类型


@dataclass
class Basis:
    """One 设定依据: a law, regulation or rule, with the article that sets the service."""

    name: str  # 名称: 《社会救助暂行办法》
    number: str = ""  # 文号: 国务院令第649号
    article: str = ""  # 条款: 第九条
    text: str = ""  # 内容


@dataclass
class Material:
    """One 申请材料 of the 实施清单."""

    name: str  # 材料名称
    necessity: str = "必要"  # 必要性: 必要 / 非必要 / 容缺后补
    form: str = "原件"  # 材料形式: 原件 / 复印件 / 原件和复印件 / 电子
    copies: int = 1  # 份数
    source: str = "申请人自备"  # 来源渠道: 申请人自备 / 政府部门核发 / 其他
    blank_form: FileRef | None = None  # 空白表格
    sample: FileRef | None = None  # 示例样表
    notes: str = ""  # 填报须知


@dataclass
class Step:
    """One step of the 办理流程."""

    name: str  # 环节: 申请 / 受理 / 审核 / 审批 / 办结
    description: str = ""  # 办理内容
    actor: str = ""  # 办理机构
    duration: str = ""  # 时限


@dataclass
class TimeLimit:
    """法定办结时限 or 承诺办结时限: an amount in a unit, or 即办."""

    amount: int | None = None  # 时限
    unit: str = "工作日"  # 单位: 工作日 / 自然日 / 小时 / 即办 / 其他
    note: str = ""  # 说明

    def text(self) -> str:
        if self.unit == "即办":
            said = "即时办结"
        elif self.amount is not None and self.unit != "其他":
            said = f"{self.amount}个{self.unit}"
        else:
            said = ""
        if said and self.note:
            return f"{said}（{self.note}）"
        return said or self.note


@dataclass
class Fee:
    """One 收费项目."""

    name: str  # 项目
    standard: str  # 标准
    basis: str = ""  # 依据
    reduction: str = ""  # 减免


@dataclass
class Question:
    """One of the 常见问题."""

    question: str  # 问题
    answer: str  # 回答


@dataclass
class Guide:
    """A 办事指南 with the fields of the national 政务服务事项 实施清单 (GB/T 39554 family). The guide's
    name (事项名称) is its item's title and its 实施主体 the item's issuer."""

    item_type: str = ""  # 事项类型: 行政给付, 行政确认, 公共服务, …
    basic_code: str = ""  # 基本编码
    implementation_code: str = ""  # 实施编码
    basis: list[Basis] = field(default_factory=list)  # 设定依据
    authority: str = ""  # 实施主体
    department: str = ""  # 部门 (for browsing: 民政局, 人力资源和社会保障局, …)
    served: list[str] = field(default_factory=list)  # 服务对象: 自然人 / 法人 / 非法人组织
    themes: list[str] = field(default_factory=list)  # 主题 (life events)
    conditions: list[str] = field(default_factory=list)  # 受理条件
    forms: list[str] = field(default_factory=list)  # 办理形式: 窗口办理 / 网上办理 / 快递申请 / 代办
    materials: list[Material] = field(default_factory=list)  # 申请材料
    steps: list[Step] = field(default_factory=list)  # 办理流程
    legal_limit: TimeLimit | None = None  # 法定办结时限
    promised_limit: TimeLimit | None = None  # 承诺办结时限
    visits: int | None = None  # 到办事现场次数
    charged: bool = False  # 是否收费
    fees: list[Fee] = field(default_factory=list)  # 收费项目
    place: str = ""  # 办理地点
    window: str = ""  # 窗口
    hall_map: FileRef | None = None  # 大厅平面图 with the window marked (窗口指示)
    hours: str = ""  # 办理时间
    phone: str = ""  # 咨询电话
    complaint: str = ""  # 监督投诉方式
    result: str = ""  # 结果名称
    faq: list[Question] = field(default_factory=list)  # 常见问题
    demo: bool = False  # demo content, marked as such on screen in demo mode

    def audiences(self) -> list[str]:
        """公民类 / 企业类, in that order, as the 服务对象 give them."""
        found = {GUIDE_SERVED[s] for s in self.served if s in GUIDE_SERVED}
        return [a for a in GUIDE_AUDIENCES if a in found]

    def text_fields(self) -> GuideFields:
        """The guide flattened to the GB/T 36114 text fields: the `guides` table the search index reads."""
        fees = "；".join(f"{f.name}：{f.standard}" for f in self.fees) if self.charged else "免费"
        return GuideFields(
            audience=(self.audiences() or ["公民类"])[0],
            subject=self.authority,
            basis="；".join(b.name for b in self.basis),
            materials="、".join(m.name for m in self.materials),
            process="—".join(s.name for s in self.steps),
            fees=fees,
            time_limit=self.promised_limit.text() if self.promised_limit else "",
            consultation=self.phone,
            complaint=self.complaint,
            window="，".join(p for p in (self.place, self.window) if p),
        )


@dataclass
class GuideFields:
    """The 办事指南 text fields of GB/T 36114: the first guide format (older channel records and callers
    still give it; `Item` turns it into a `Guide`), and the flattened text the search index reads."""

    audience: str = "公民类"  # 企业类 / 公民类
    subject: str = ""  # 办理主体
    basis: str = ""  # 办理依据
    materials: str = ""  # 申报材料
    process: str = ""  # 工作流程
    fees: str = ""  # 收费标准
    time_limit: str = ""  # 办理时限
    consultation: str = ""  # 咨询渠道
    complaint: str = ""  # 投诉渠道
    window: str = ""  # 窗口指示

    def to_guide(self) -> Guide:
        """The same guide in the 实施清单 fields: one material or step per line, 免费 when the fee says so."""
        fees = self.fees.strip()
        charged = bool(fees) and not _FREE.match(fees)
        return Guide(
            basis=[Basis(line) for line in _lines(self.basis)],
            authority=self.subject,
            department=self.subject,
            served=["法人" if self.audience == "企业类" else "自然人"],
            materials=[Material(line) for line in _lines(self.materials)],
            steps=[Step(line) for line in _lines(self.process)],
            promised_limit=_time_limit(self.time_limit),
            charged=charged,
            fees=[Fee("收费标准", fees)] if charged else [],
            window=self.window,
            phone=self.consultation,
            complaint=self.complaint,
        )


def _lines(text: str) -> list[str]:
    return [stripped for line in text.splitlines() if (stripped := _LIST_MARKER.sub("", line).strip())]


def _time_limit(text: str) -> TimeLimit | None:
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"即时办结|即办|当场办结|即时办理|当场办理", text):
        return TimeLimit(None, "即办")
    match = re.fullmatch(r"(\d{1,4})\s*个?(工作日|自然日|小时)", text)
    if match:
        return TimeLimit(int(match.group(1)), match.group(2))
    return TimeLimit(None, "其他", text)


@dataclass
class Item:
    """One entry of the library: a document, a 解读, a notice or a service guide."""

    id: str
    kind: str
    title: str
    body_md: str = ""
    doc_number: str = ""  # 文号, printed form without spaces: 定政发字〔2022〕3号
    issuer: str = ""
    date: str = ""  # ISO date of issue
    section: str = ""  # 市政府文件 / 市政府办公室文件 / 政策解读 / ...
    category: str = ""  # 重点领域
    topics: list[str] = field(default_factory=list)
    annexes: list[str] = field(default_factory=list)  # annex titles (their text is in body_md)
    interprets_id: str = ""  # for a 解读: the document it interprets
    issue_id: str = ""  # the gazette issue it was printed in
    page: int | None = None
    valid_from: str = ""  # notices
    valid_to: str = ""
    level: str = ""  # notices: the level that issued it
    url: str = ""  # online version, if known
    origin: str = "gazette"  # gazette / city / local (authored by staff)
    source: str = ""  # where it came from (file name, channel)
    version: int = 1
    guide: Guide | None = None

    def __post_init__(self) -> None:
        if isinstance(self.guide, GuideFields):
            self.guide = self.guide.to_guide()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class TocEntry:
    section: str
    title: str
    page: int | None


@dataclass
class GazetteIssue:
    id: str
    name: str  # 定州市人民政府公报
    year: int
    number: int  # 第 N 号
    date: str  # ISO publication date
    toc: list[TocEntry] = field(default_factory=list)
    source: str = ""
    content_hash: str = ""


@dataclass
class Attachment:
    sha256: str
    mime: str
    size: int
    name: str = ""
