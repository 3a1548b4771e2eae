"""Masking of ID numbers and names wherever they could reach a log.

Same rules as the kiosk's log module (``1301**********123X``, ``张*``); `device` cannot import `kiosk`, so
the device layer carries its own copy and only ever logs masked values.
"""

from __future__ import annotations


def mask_id_number(number: str) -> str:
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_name(name: str) -> str:
    return name[:1] + "*" * (len(name) - 1) if name else name
