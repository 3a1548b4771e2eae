"""The ID-card gate's two questions, without keeping the number: its salted hash for the day (one live
ticket per ID per service) and whether its holder is old enough to be offered 绿色通道."""

from __future__ import annotations

import hashlib
from datetime import date

from device.idcard.gb11643 import is_valid
from kiosk.i18n import tr
from kiosk.queue.errors import QueueError


def checked(id_number: str) -> str:
    """The number in its canonical form (upper-case X); `QueueError` if it is not a valid GB 11643 number."""
    number = id_number.strip().upper()
    if not is_valid(number):
        raise QueueError("invalid ID number", tr("身份证号码无效，请重新刷卡"), "id_invalid")
    return number


def day_hash(id_number: str, salt: bytes) -> str:
    return hashlib.sha256(salt + checked(id_number).encode("ascii")).hexdigest()


def age(id_number: str, today: date) -> int | None:
    """Whole years since the birth date in the number (None if the date is not a real one)."""
    digits = checked(id_number)[6:14]
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    if born > today:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
