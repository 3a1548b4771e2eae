"""The library's value types: what a gazette issue, a document, a 解读, a notice and a service guide are.

Plain dataclasses, no I/O. The store (`content.store`) persists them; the gazette parser
(`content.gazette`) produces them; the UI and CLI read them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("document", "interpretation", "notice", "guide")
KIND_NAMES = {"document": "政策文件", "interpretation": "政策解读", "notice": "公示公告", "guide": "办事指南"}
NOTICE_LEVELS = ("省", "市", "县", "乡镇", "村")
GUIDE_AUDIENCES = ("企业类", "公民类")
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


@dataclass
class GuideFields:
    """The 办事指南 fields of GB/T 36114."""

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
    guide: GuideFields | None = None

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
