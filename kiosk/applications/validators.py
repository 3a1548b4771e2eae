"""Checks of identity and contact values: each returns the normalised value or raises `Invalid` with the
Chinese message shown next to the field.

ID numbers use the GB 11643 check character (`device.idcard.gb11643`), 统一社会信用代码 the GB 32100 one.
"""

from __future__ import annotations

import re
import unicodedata

from device.idcard import gb11643
from kiosk.i18n import tr


class Invalid(ValueError):
    """A value refused; the message is Chinese, for the resident."""


# GB 32100-2015: 18 characters from 31 (no I, O, Z, S, V), weights 3^i mod 31, check = 31 - sum mod 31.
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_CODE = re.compile(r"[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}")

_SEPARATORS = re.compile(r"[\s\-－—()（）]")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# Area codes: 010 and 020–029 have three digits, every other one four (03xx–09xx).
_LANDLINE = re.compile(r"(0(?:10|2[0-9])|0[3-9][0-9]{2})([2-9][0-9]{6,7})")
_EXTENSION = re.compile(r"\s*(?:转|ext\.?|x|#)\s*([0-9]{1,6})\s*$", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(\.[A-Za-z0-9\-]{1,63})+")


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def credit_code(value: str) -> str:
    code = _SEPARATORS.sub("", value).upper()
    if not code:
        raise Invalid(tr("请填写统一社会信用代码"))
    if len(code) != 18 or not _CREDIT_CODE.fullmatch(code):
        raise Invalid(tr("统一社会信用代码应为18位数字或大写字母（不含 I、O、Z、S、V）"))
    if credit_code_check_char(code[:17]) != code[17]:
        raise Invalid(tr("统一社会信用代码校验位不对，请核对后重新填写"))
    return code


def id_number(value: str) -> str:
    number = _SEPARATORS.sub("", value).upper()
    if not number:
        raise Invalid(tr("请填写身份证号码"))
    if len(number) != 18 or not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise Invalid(tr("身份证号码应为18位（最后一位可以是 X）"))
    if not gb11643.is_valid(number):
        raise Invalid(tr("身份证号码校验位不对，请核对后重新填写"))
    return number


def phone(value: str) -> str:
    """A mobile number (11 digits, optionally +86) or a landline with its area code and an optional
    extension; returned as digits, a landline as 区号-号码[-分机]."""
    text = value.strip()
    extension = ""
    if match := _EXTENSION.search(text):
        extension, text = match.group(1), text[: match.start()]
    digits = _SEPARATORS.sub("", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not digits:
        raise Invalid(tr("请填写联系电话"))
    if not digits.isascii() or not digits.isdigit():
        raise Invalid(tr("联系电话只能包含数字"))
    if _MOBILE.fullmatch(digits) and not extension:
        return digits
    if digits.startswith("1"):
        raise Invalid(tr("手机号码应为11位，现在是{digits}位", digits=len(digits)))
    if match := _LANDLINE.fullmatch(digits):
        return f"{match.group(1)}-{match.group(2)}" + (f"-{extension}" if extension else "")
    raise Invalid(tr("请填写11位手机号码，或带区号的固定电话（如 0312-2345678）"))


def email(value: str) -> str:
    text = value.strip()
    if len(text) > 254 or not _EMAIL.fullmatch(text):
        raise Invalid(tr("电子邮箱格式不对（如 name@example.com）"))
    return text


def _unprintable(ch: str) -> bool:
    """Control characters, emoji and other symbols, private-use and unassigned code points: what a
    receipt printer's font has no glyph for and a form should not carry."""
    return unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "So", "Sk"} and ch not in "\n"


def text(value: str, *, label: str, max_chars: int, required: bool = True, lines: bool = False) -> str:
    """Free text: stripped, within `max_chars`, without emoji or control characters (newlines only where
    `lines`)."""
    cleaned = value.strip()
    if not cleaned:
        if required:
            raise Invalid(tr("请填写{label}", label=label))
        return ""
    if len(cleaned) > max_chars:
        raise Invalid(
            tr(
                "{label}不能超过 {max_chars} 个字，现在是 {chars} 个字",
                label=label,
                max_chars=max_chars,
                chars=len(cleaned),
            )
        )
    bad = next((ch for ch in cleaned if _unprintable(ch) or (ch == "\n" and not lines)), None)
    if bad is not None:
        raise Invalid(tr("{label}含有表情符号或无法打印的字符，请删除", label=label))
    return cleaned
