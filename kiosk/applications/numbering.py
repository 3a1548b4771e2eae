"""Application numbers: unique per kiosk and across the fleet without asking anyone, readable over the phone.

    NNA9RF-261204-073C     (kiosk dz-001, 2026-12-04, its 73rd application that day)
    ^^^^^^ the kiosk's code: six characters of SHA-256(kiosk id) in the GB 32100 alphabet
           ^^^^^^ the date of receipt, YYMMDD (Beijing time, the date printed on the receipt)
                  ^^^ the kiosk's counter for that day, 001–999, kept in applications.db
                     ^ the check character

Two kiosks' numbers differ in the code (`content.application_code`: 31^6 ≈ 887 million codes, and the
city refuses to enrol a kiosk whose code another kiosk holds); one kiosk's numbers differ in date or
counter. The alphabet is the 统一社会信用代码's (digits and letters without I, O, Z, S, V: nothing to
confuse with 1, 0, 2, 5 or U when read aloud), and the check character is GB 32100's weighted sum
modulo 31 over the 15 characters before it, which catches any one wrong character and any two neighbours
swapped. `parse` reads a typed number back (case, spaces and dashes ignored, O read as 0 and I as 1),
`from_scan` the receipt's QR code.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

from content.application_code import ALPHABET, kiosk_code
from kiosk.i18n import tr

MAX_PER_DAY = 999
_WEIGHTS = tuple(pow(3, i, 31) for i in range(15))  # distinct: 3 is a primitive root of 31
_FORM = re.compile(r"([0-9A-HJ-NP-RTUWXY]{6})([0-9]{6})([0-9]{3})([0-9A-HJ-NP-RTUWXY])")


class NumberInvalid(ValueError):
    """Not an application number; the message is Chinese, for the resident."""


def check_char(body: str) -> str:
    return ALPHABET[sum(ALPHABET.index(c) * w for c, w in zip(body, _WEIGHTS, strict=True)) % 31]


def make(kiosk_id: str, day: date, counter: int) -> str:
    if not 1 <= counter <= MAX_PER_DAY:
        raise ValueError(f"counter {counter} out of 1..{MAX_PER_DAY}")
    body = f"{kiosk_code(kiosk_id)}{day:%y%m%d}{counter:03d}"
    return f"{body[:6]}-{body[6:12]}-{body[12:]}{check_char(body)}"


def parse(text: str) -> str:
    """The number in its printed form, or `NumberInvalid` saying what is wrong."""
    compact = re.sub(r"[\s\-－—]", "", text).upper().replace("O", "0").replace("I", "1")
    match = _FORM.fullmatch(compact)
    if not match:
        raise NumberInvalid(tr("申请编号应为16位，如 NNA9RF-261204-073C，请核对凭条"))
    body = "".join(match.groups()[:3])
    if check_char(body) != match.group(4):
        raise NumberInvalid(tr("申请编号有误（校验位不对），请逐位核对凭条上的编号"))
    return f"{body[:6]}-{body[6:12]}-{body[12:]}{match.group(4)}"


def from_scan(text: str) -> str:
    """The number in what the receipt's QR code holds: the number itself, or a status URL with `no=`."""
    if "://" in text:
        found = parse_qs(urlsplit(text.strip()).query).get("no")
        if not found:
            raise NumberInvalid(tr("二维码中没有申请编号，请扫描申请回执上的二维码"))
        return parse(found[0])
    return parse(text)
