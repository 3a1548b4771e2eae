"""`IdentityCard`: one value for every card the SAM reader returns, and its 256-byte text block.

The text block is UTF-16LE, space-padded. Byte 248 tells the card type: space = resident ID card,
``J`` = HK/Macao/Taiwan residence permit, ``I`` = 2017 foreign permanent resident card, ``Y`` = 2023
version. Layouts follow shared/reference/devices.md §1.8–1.10. `decode_text` and `encode_text` are exact
inverses for valid cards (the simulator uses `encode_text`).

Privacy: the value's ``repr`` masks the name and the ID number, so logging a card by accident leaks
nothing; the photo and fingerprint bytes never appear in it either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from device.errors import ProtocolError
from device.idcard import gb11643
from device.masking import mask_id_number, mask_name
from translatable import Message

TEXT_LEN = 256
LONG_TERM = "长期"
UNKNOWN_GENDER = "未知"


class CardType(Enum):
    RESIDENT = "resident"
    HMT_PERMIT = "hmt"  # 'J'
    FOREIGN_2017 = "foreigner-2017"  # 'I'
    FOREIGN_2023 = "foreigner-2023"  # 'Y'

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self]

    @property
    def flag(self) -> str:
        return _TYPE_FLAGS[self]


_TYPE_LABELS = {
    CardType.RESIDENT: "居民身份证",
    CardType.HMT_PERMIT: "港澳台居民居住证",
    CardType.FOREIGN_2017: "外国人永久居留身份证（2017版）",
    CardType.FOREIGN_2023: "外国人永久居留身份证（2023版）",
}
_TYPE_FLAGS = {
    CardType.RESIDENT: " ",
    CardType.HMT_PERMIT: "J",
    CardType.FOREIGN_2017: "I",
    CardType.FOREIGN_2023: "Y",
}
_FLAG_TYPES = {flag: kind for kind, flag in _TYPE_FLAGS.items()}

GENDERS = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}

# GB 3304 nation codes as printed on resident cards.
NATIONS = {
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝", "08": "壮",
    "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白", "15": "土家", "16": "哈尼",
    "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤", "22": "畲", "23": "高山", "24": "拉祜",
    "25": "水", "26": "东乡", "27": "纳西", "28": "景颇", "29": "柯尔克孜", "30": "土", "31": "达斡尔",
    "32": "仫佬", "33": "羌", "34": "布朗", "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯", "39": "阿昌",
    "40": "普米", "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克", "46": "德昂",
    "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春", "53": "赫哲",
    "54": "门巴", "55": "珞巴", "56": "基诺", "97": "其他", "98": "外国血统中国籍人士",
}  # fmt: skip


@dataclass(frozen=True, repr=False)
class IdentityCard:
    """A card as read. Dates are None when the card holds no valid date; ``long_term`` means "长期"."""

    card_type: CardType
    name: str
    gender_code: str
    birth_date: date | None
    id_number: str
    valid_from: date | None
    valid_until: date | None
    long_term: bool = False
    address: str = ""
    issuer: str = ""
    nation_code: str = ""
    name_en: str = ""
    nationality: str = ""  # ISO 3166 alpha-3 (2017) or numeric (2023) code, as on the card
    pass_number: str = ""  # J: 通行证号码
    issue_count: str = ""  # J: 签发次数
    renewal_count: str = ""  # Y: 换证次数
    card_version: str = ""  # I: 证件版本号
    authority_code: str = ""  # I: 当次申请受理机关代码
    previous_link: str = ""  # Y: 既往版本证件号码关联项
    photo_wlt: bytes = b""  # 1024 bytes of WLT; no open decoder exists, kept opaque
    fingerprint: bytes = b""
    new_addresses: tuple[str, ...] = field(default=())

    @property
    def gender(self) -> str:
        return GENDERS.get(self.gender_code, UNKNOWN_GENDER)

    @property
    def nation(self) -> str:
        return NATIONS.get(self.nation_code, "") if self.card_type is CardType.RESIDENT else ""

    @property
    def check_digit_valid(self) -> bool | None:
        """GB 11643 check of the number; None where it does not apply (15-character 2017 foreign cards)."""
        if self.card_type is CardType.FOREIGN_2017 and len(self.id_number) != 18:
            return None
        return gb11643.is_valid(self.id_number)

    @property
    def validity_text(self) -> str:
        start = self.valid_from.strftime("%Y.%m.%d") if self.valid_from else "?"
        end = (
            LONG_TERM
            if self.long_term
            else (self.valid_until.strftime("%Y.%m.%d") if self.valid_until else "?")
        )
        return f"{start}-{end}"

    @property
    def current_address(self) -> str:
        """The newest appended address if the card has one, else the printed address."""
        return self.new_addresses[-1] if self.new_addresses else self.address

    def __repr__(self) -> str:
        return (
            f"IdentityCard({self.card_type.value}, name={mask_name(self.name)!r}, "
            f"id_number={mask_id_number(self.id_number)!r})"
        )

    __str__ = __repr__


def _get(text: bytes, offset: int, size: int) -> str:
    return text[offset : offset + size].decode("utf-16-le", errors="replace").rstrip(" \x00")


def _put(buffer: bytearray, offset: int, size: int, value: str) -> None:
    encoded = value.encode("utf-16-le")
    if len(encoded) > size:
        raise ValueError(f"{value!r} does not fit in {size // 2} characters")
    buffer[offset : offset + size] = encoded + b" \x00" * ((size - len(encoded)) // 2)


def _date(value: str) -> date | None:
    if len(value) != 8 or not value.isdigit():
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def _date_text(value: date | None) -> str:
    return value.strftime("%Y%m%d") if value else ""


def card_type_of(text: bytes) -> CardType:
    if len(text) != TEXT_LEN:
        raise ProtocolError(
            f"card text block has {len(text)} bytes, expected 256", Message("身份证文字信息长度错误")
        )
    return _FLAG_TYPES.get(_get(text, 248, 2) or " ", CardType.RESIDENT)


def decode_text(
    text: bytes, photo: bytes = b"", fingerprint: bytes = b"", new_addresses: tuple[str, ...] = ()
) -> IdentityCard:
    """The card held in a 256-byte text block (plus the opaque photo and fingerprint)."""
    kind = card_type_of(text)
    extra = {"photo_wlt": photo, "fingerprint": fingerprint, "new_addresses": tuple(new_addresses)}
    end = _get(text, 204, 16)
    validity = {
        "valid_from": _date(_get(text, 188, 16)),
        "valid_until": _date(end),
        "long_term": end == LONG_TERM,
    }
    if kind is CardType.FOREIGN_2017:
        return IdentityCard(
            card_type=kind,
            name=_get(text, 158, 30),
            name_en=_get(text, 0, 120),
            gender_code=_get(text, 120, 2),
            id_number=_get(text, 122, 30),
            nationality=_get(text, 152, 6),
            birth_date=_date(_get(text, 220, 16)),
            card_version=_get(text, 236, 4),
            authority_code=_get(text, 240, 8),
            **validity,
            **extra,
        )
    if kind is CardType.FOREIGN_2023:
        return IdentityCard(
            card_type=kind,
            name=_get(text, 0, 30),
            gender_code=_get(text, 30, 2),
            renewal_count=_get(text, 32, 4),
            birth_date=_date(_get(text, 36, 16)),
            name_en=(text[52:122] + text[220:242]).decode("utf-16-le", errors="replace").rstrip(" \x00"),
            id_number=_get(text, 122, 36),
            nationality=_get(text, 242, 6),
            previous_link=_get(text, 250, 6),
            **validity,
            **extra,
        )
    common = {
        "card_type": kind,
        "name": _get(text, 0, 30),
        "gender_code": _get(text, 30, 2),
        "birth_date": _date(_get(text, 36, 16)),
        "address": _get(text, 52, 70),
        "id_number": _get(text, 122, 36),
        "issuer": _get(text, 158, 30),
    }
    if kind is CardType.HMT_PERMIT:
        return IdentityCard(
            **common, pass_number=_get(text, 220, 18), issue_count=_get(text, 238, 4), **validity, **extra
        )
    return IdentityCard(**common, nation_code=_get(text, 32, 4), **validity, **extra)


def encode_text(card: IdentityCard) -> bytes:
    """The 256-byte text block for `card` (used by the simulator; inverse of `decode_text`)."""
    buf = bytearray(b" \x00" * (TEXT_LEN // 2))
    end = LONG_TERM if card.long_term else _date_text(card.valid_until)
    _put(buf, 188, 16, _date_text(card.valid_from))
    _put(buf, 204, 16, end)
    _put(buf, 248, 2, card.card_type.flag)
    if card.card_type is CardType.FOREIGN_2017:
        _put(buf, 0, 120, card.name_en)
        _put(buf, 120, 2, card.gender_code)
        _put(buf, 122, 30, card.id_number)
        _put(buf, 152, 6, card.nationality)
        _put(buf, 158, 30, card.name)
        _put(buf, 220, 16, _date_text(card.birth_date))
        _put(buf, 236, 4, card.card_version)
        _put(buf, 240, 8, card.authority_code)
    elif card.card_type is CardType.FOREIGN_2023:
        _put(buf, 0, 30, card.name)
        _put(buf, 30, 2, card.gender_code)
        _put(buf, 32, 4, card.renewal_count)
        _put(buf, 36, 16, _date_text(card.birth_date))
        english = card.name_en.encode("utf-16-le")
        if len(english) > 70 + 22:
            raise ValueError("English name longer than 46 characters")
        english += b" \x00" * ((92 - len(english)) // 2)
        buf[52:122] = english[:70]
        buf[220:242] = english[70:]
        _put(buf, 122, 36, card.id_number)
        _put(buf, 242, 6, card.nationality)
        _put(buf, 250, 6, card.previous_link)
    else:
        _put(buf, 0, 30, card.name)
        _put(buf, 30, 2, card.gender_code)
        _put(buf, 36, 16, _date_text(card.birth_date))
        _put(buf, 52, 70, card.address)
        _put(buf, 122, 36, card.id_number)
        _put(buf, 158, 30, card.issuer)
        if card.card_type is CardType.HMT_PERMIT:
            _put(buf, 220, 18, card.pass_number)
            _put(buf, 238, 4, card.issue_count)
        else:
            _put(buf, 32, 4, card.nation_code)
    return bytes(buf)
