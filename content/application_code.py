"""A kiosk's code in its application numbers (`NNA9RF` in NNA9RF-261204-073C): six characters of SHA-256
of the kiosk id in the 统一社会信用代码 alphabet. The kiosk numbers its applications with it
(kiosk/applications/numbering.py) and the city refuses to enrol a kiosk whose code another kiosk holds,
so that numbers stay unique across the fleet without the kiosks asking anyone.
"""

from __future__ import annotations

import hashlib

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100's: no I, O, Z, S, V
LENGTH = 6


def kiosk_code(kiosk_id: str) -> str:
    value = int.from_bytes(hashlib.sha256(kiosk_id.encode()).digest()[:8], "big")
    code = ""
    for _ in range(LENGTH):
        value, digit = divmod(value, 31)
        code += ALPHABET[digit]
    return code
