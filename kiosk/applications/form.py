"""An application for government information (《政府信息公开条例》 Art. 29) and its checks.

Art. 29 asks for (一) the applicant's name or organisation's name, proof of identity and contact; (二) the
name, 文号 or other features of the information sought; (三) the form (纸质 / 电子数据) and the route
(自行领取 / 邮寄 / 电子邮件). There is no 用途 field since the 2019 revision. `parse` turns the raw values
of the form into an `Application` or raises `ApplicationInvalid` with one Chinese message per field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from kiosk.applications import validators
from kiosk.applications.validators import Invalid
from kiosk.i18n import tr


class ApplicantKind(StrEnum):
    CITIZEN = "公民"
    ORGANISATION = "法人或其他组织"


class Medium(StrEnum):
    PAPER = "纸质"
    ELECTRONIC = "电子数据"


class Route(StrEnum):
    COLLECT = "自行领取"
    POST = "邮寄"
    EMAIL = "电子邮件"


MAX_DESCRIPTION = 2000  # a longer request is better split; the receipt prints a summary of it

# Field names (the keys `parse` reads, `ApplicationInvalid.errors` uses and the screens will bind).
FIELDS = (
    "kind",
    "name",
    "id_number",
    "credit_code",
    "legal_representative",
    "contact_person",
    "phone",
    "address",
    "email",
    "description",
    "doc_number",
    "doc_title",
    "item_id",
    "medium",
    "route",
    "agency",
    "filled_by_staff",
)


class ApplicationInvalid(ValueError):
    """The form has errors: `errors` maps each field to its Chinese message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("application form has errors in: " + ", ".join(sorted(errors)))
        self.errors = errors


@dataclass(frozen=True, kw_only=True)
class Application:
    kind: ApplicantKind
    name: str  # the citizen's name, or the organisation's
    id_number: str = ""  # a citizen's (GB 11643)
    credit_code: str = ""  # an organisation's 统一社会信用代码 (GB 32100)
    legal_representative: str = ""
    contact_person: str = ""
    phone: str
    address: str
    email: str = ""
    description: str  # the information sought, in the applicant's words
    doc_number: str = ""  # 文号, when known or picked from the library
    doc_title: str = ""
    item_id: str = ""  # the library item the resident applied from, if any
    medium: Medium
    route: Route
    agency: str
    filled_by_staff: bool = False  # 代为填写 (Art. 29): staff filled the form on the applicant's behalf

    def to_dict(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, StrEnum) else v) for k, v in asdict(self).items()}

    def summary(self, limit: int = 60) -> str:
        """What was asked, short enough for a receipt: the title and 文号 picked, else the description."""
        picked = " ".join(
            part for part in (f"《{self.doc_title}》" if self.doc_title else "", self.doc_number) if part
        )
        text = picked or " ".join(self.description.split())
        return text if len(text) <= limit else text[: limit - 1] + "…"


def _choice(enum: type[StrEnum], value: Any, label: str) -> StrEnum:
    try:
        return enum(value)
    except ValueError:
        raise Invalid(tr("请选择{label}", label=label)) from None


def parse(values: Mapping[str, Any]) -> Application:
    """The checked, normalised application of the form's raw `values` (strings; enums by their Chinese
    value). Every field is checked, so the resident sees all messages at once."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}

    def check(field: str, how) -> None:
        try:
            out[field] = how(str(values.get(field) or ""))
        except Invalid as exc:
            errors[field] = str(exc)

    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown application fields: {', '.join(sorted(unknown))}")
    check("kind", lambda v: _choice(ApplicantKind, v, tr("申请人类型（公民或法人/其他组织）")))
    kind = out.get("kind")
    organisation = kind is ApplicantKind.ORGANISATION
    check(
        "name",
        lambda v: validators.text(
            v,
            label=tr("法人或其他组织名称") if organisation else tr("姓名"),
            max_chars=100 if organisation else 50,
        ),
    )
    if kind is ApplicantKind.CITIZEN:
        check("id_number", validators.id_number)
    elif organisation:
        check("credit_code", validators.credit_code)
        check("legal_representative", lambda v: validators.text(v, label=tr("法定代表人"), max_chars=50))
        check("contact_person", lambda v: validators.text(v, label=tr("联系人姓名"), max_chars=50))
    check("phone", validators.phone)
    check("address", lambda v: validators.text(v, label=tr("通信地址"), max_chars=200))
    check("email", lambda v: validators.email(v) if v.strip() else "")
    check(
        "description",
        lambda v: validators.text(v, label=tr("所需信息的描述"), max_chars=MAX_DESCRIPTION, lines=True),
    )
    check("doc_number", lambda v: validators.text(v, label=tr("文号"), max_chars=100, required=False))
    check("doc_title", lambda v: validators.text(v, label=tr("文件名称"), max_chars=300, required=False))
    check("item_id", lambda v: validators.text(v, label=tr("文件编号"), max_chars=200, required=False))
    check("medium", lambda v: _choice(Medium, v, tr("信息的提供形式（纸质或电子数据）")))
    check("route", lambda v: _choice(Route, v, tr("获取方式（自行领取、邮寄或电子邮件）")))
    check("agency", lambda v: validators.text(v, label=tr("受理机关"), max_chars=100))
    route = out.get("route")
    if route is Route.EMAIL and not out.get("email") and "email" not in errors:
        errors["email"] = tr("选择“电子邮件”获取时，请填写电子邮箱")
    if route is Route.EMAIL and out.get("medium") is Medium.PAPER and "medium" not in errors:
        errors["medium"] = tr("纸质信息无法通过电子邮件提供，请选择“电子数据”或其他获取方式")
    if errors:
        raise ApplicationInvalid(errors)
    out["filled_by_staff"] = values.get("filled_by_staff") is True
    return Application(**out)
