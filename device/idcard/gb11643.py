"""GB 11643-1999 citizen ID numbers: the ISO 7064 MOD 11-2 check character.

The same check applies to resident cards, HK/Macao/Taiwan residence permits (810000/820000/830000) and
the 2023 foreign permanent resident card (18 digits starting with 9). python-stdnum's validator is too
strict for a kiosk (it rejects pre-1997 HK permits and raises KeyError on historic county codes), so this
module does only the checksum.
"""

from __future__ import annotations

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_char(first17: str) -> str:
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("need the first 17 digits of an ID number")
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def is_valid(number: str) -> bool:
    """True if `number` has 18 characters and its last one is the right check character."""
    if len(number) != 18:
        return False
    try:
        return check_char(number[:17]) == number[17].upper()
    except ValueError:
        return False
