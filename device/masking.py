"""Masking of ID numbers and names wherever they could reach a log.

The one masking rule of the project (``1301**********123X``, ``张*``): the device layer only ever logs
masked values, and `kiosk.logs` re-exports these for everything else.
"""

from __future__ import annotations


def mask_id_number(number: str) -> str:
    """'130102199003071234' -> '1301**********1234' (first 4 and last 4 kept)."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_name(name: str) -> str:
    """'张三丰' -> '张**'."""
    return name[:1] + "*" * (len(name) - 1) if name else name
