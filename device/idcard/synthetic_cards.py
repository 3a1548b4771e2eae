"""Invented ID cards of every type, with valid GB 11643 check digits, for simulators, demos and tests.

Names, addresses and numbers are made up; none belongs to a real person. The photo is random bytes of
the WLT size (it is opaque anyway) and must never be shown as a face.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from device.idcard import gb11643
from device.idcard.identity_card import CardType, IdentityCard

CARD_KINDS = ("resident", "resident-longterm", "hmt", "foreigner-2017", "foreigner-2023")
PHOTO_LEN = 1024
FINGER_LEN = 512


def id_number(prefix6: str, birth: date, sequence: int) -> str:
    first17 = f"{prefix6}{birth:%Y%m%d}{sequence:03d}"
    return first17 + gb11643.check_char(first17)


def _blob(seed: str, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def synthetic_card(kind: str = "resident", *, seed: int = 0, fingerprints: int = 0) -> IdentityCard:
    """One invented card. `kind` is one of `CARD_KINDS`; `seed` varies names and numbers."""
    rng = random.Random(f"{kind}/{seed}")
    given = rng.choice(["试明", "样华", "演芳", "例军", "模丽", "虚强"])
    surname = rng.choice(["测", "样", "演", "例"])
    birth = date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
    sequence = rng.randint(1, 998)
    gender = "1" if sequence % 2 else "2"
    start = date(rng.randint(2015, 2023), rng.randint(1, 12), rng.randint(1, 28))
    extras = {
        "photo_wlt": _blob(f"photo/{kind}/{seed}", PHOTO_LEN),
        "fingerprint": _blob(f"fp/{kind}/{seed}", FINGER_LEN * fingerprints),
    }
    if kind in ("resident", "resident-longterm"):
        card = IdentityCard(
            card_type=CardType.RESIDENT,
            name=surname + given,
            gender_code=gender,
            nation_code=rng.choice(["01", "03", "08", "11", "56"]),
            birth_date=birth,
            address=f"示例省样本市虚构区测试路{rng.randint(1, 200)}号",
            id_number=id_number("130682", birth, sequence),
            issuer="样本市公安局虚构分局",
            valid_from=start,
            valid_until=None
            if kind == "resident-longterm"
            else date(start.year + 20, start.month, start.day),
            long_term=kind == "resident-longterm",
            **extras,
        )
        return card
    if kind == "hmt":
        return IdentityCard(
            card_type=CardType.HMT_PERMIT,
            name=surname + given,
            gender_code=gender,
            birth_date=birth,
            address="示例省样本市虚构区港湾路8号",
            id_number=id_number(rng.choice(["810000", "820000", "830000"]), birth, sequence),
            issuer="样本市公安局",
            valid_from=start,
            valid_until=date(start.year + 5, start.month, start.day),
            pass_number=f"H{rng.randint(10**7, 10**8 - 1)}",
            issue_count=f"{rng.randint(1, 9):02d}",
            **extras,
        )
    if kind == "foreigner-2017":
        return IdentityCard(
            card_type=CardType.FOREIGN_2017,
            name="样例" + given,
            name_en=f"SAMPLE, TESTER {rng.choice(['ALPHA', 'BRAVO', 'DELTA'])}",
            gender_code=gender,
            id_number=f"CAN{rng.randint(10**11, 10**12 - 1)}",
            nationality="CAN",
            birth_date=birth,
            valid_from=start,
            valid_until=date(start.year + 10, start.month, start.day),
            card_version="1",
            authority_code="1100",
            **extras,
        )
    if kind == "foreigner-2023":
        return IdentityCard(
            card_type=CardType.FOREIGN_2023,
            name="演示" + given,
            name_en=f"EXAMPLE, PERSON {rng.choice(['ONE', 'TWO', 'THREE'])} LONGNAMEFORSPLIT",
            gender_code=gender,
            renewal_count="00",
            birth_date=birth,
            # 9 + province of application (11) + nationality (124) + birth date + sequence + check
            id_number=id_number("911124", birth, sequence),
            nationality="124",
            valid_from=start,
            valid_until=date(start.year + 10, start.month, start.day),
            **extras,
        )
    raise ValueError(f"unknown card kind {kind!r}; choose one of {', '.join(CARD_KINDS)}")


def all_cards() -> dict[str, IdentityCard]:
    return {kind: synthetic_card(kind) for kind in CARD_KINDS}


def with_addresses(card: IdentityCard, *addresses: str) -> IdentityCard:
    return replace(card, new_addresses=tuple(addresses))
