"""IdentityCard: text-block layouts of every card type, GB 11643 check digit, validity, masking."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from device.errors import ProtocolError
from device.idcard import gb11643
from device.idcard.identity_card import (
    NATIONS,
    CardType,
    IdentityCard,
    card_type_of,
    decode_text,
    encode_text,
)
from device.idcard.synthetic_cards import CARD_KINDS, synthetic_card


@pytest.mark.parametrize(
    "number",
    ["11010519491231002X", "34052419800101001X", "360426199101010071", "810000197810272327",
     "830000197810272320", "932682198501010017", "911124198108030024"],
)  # fmt: skip
def test_check_digit_of_reference_samples(number):
    assert gb11643.is_valid(number)
    assert not gb11643.is_valid(number[:17] + ("0" if number[17] != "0" else "1"))


def test_check_digit_rejects_malformed():
    assert not gb11643.is_valid("12345")
    assert not gb11643.is_valid("1101051949123100AX")
    with pytest.raises(ValueError):
        gb11643.check_char("abc")


@pytest.mark.parametrize("kind", CARD_KINDS)
def test_every_card_type_round_trips_through_the_text_block(kind):
    card = synthetic_card(kind, seed=3)
    text = encode_text(card)
    assert len(text) == 256
    assert decode_text(text, card.photo_wlt, card.fingerprint) == card


def test_layout_offsets_of_a_resident_card():
    card = synthetic_card("resident")
    text = encode_text(card)
    assert text[0:30].decode("utf-16-le").rstrip() == card.name
    assert text[30:32] == card.gender_code.encode("utf-16-le")
    assert text[32:36].decode("utf-16-le") == card.nation_code
    assert text[122:158].decode("utf-16-le") == card.id_number
    assert text[248:250] == b" \x00"
    assert card.nation == NATIONS[card.nation_code] and card.gender in ("男", "女")


def test_type_flags_and_type_specific_fields():
    hmt, old, new = (synthetic_card(k) for k in ("hmt", "foreigner-2017", "foreigner-2023"))
    assert card_type_of(encode_text(hmt)) is CardType.HMT_PERMIT
    assert encode_text(hmt)[248:250] == b"J\x00" and hmt.id_number[:6] in ("810000", "820000", "830000")
    assert encode_text(old)[248:250] == b"I\x00" and encode_text(new)[248:250] == b"Y\x00"
    assert card_type_of(encode_text(new)) is CardType.FOREIGN_2023
    assert old.check_digit_valid is None  # 15-character 2017 number: GB 11643 does not apply
    assert new.check_digit_valid is True and new.id_number.startswith("9")
    assert len(new.name_en) > 35  # spans both English-name fields of the 2023 layout
    assert decode_text(encode_text(hmt)).pass_number == hmt.pass_number
    assert hmt.nation == ""


def test_long_term_validity():
    card = synthetic_card("resident-longterm")
    text = encode_text(card)
    assert text[204:208].decode("utf-16-le") == "长期"
    decoded = decode_text(text)
    assert decoded.long_term and decoded.valid_until is None and decoded.validity_text.endswith("-长期")


def test_bad_check_digit_is_reported_not_hidden():
    card = synthetic_card("resident")
    wrong = "0" if card.id_number[-1] != "0" else "1"
    tampered = decode_text(encode_text(replace(card, id_number=card.id_number[:17] + wrong)))
    assert tampered.check_digit_valid is False


def test_repr_is_masked():
    card = synthetic_card("resident")
    for text in (repr(card), str(card), f"{card}"):
        assert card.id_number not in text and card.name not in text
        assert card.id_number[:4] + "**********" + card.id_number[-4:] in text


def test_text_block_of_wrong_size_is_a_protocol_error():
    with pytest.raises(ProtocolError):
        decode_text(b"\x00" * 100)


@given(st.binary(min_size=256, max_size=256))
def test_any_256_bytes_decode_without_crashing(text):
    card = decode_text(text)
    assert isinstance(card, IdentityCard) and isinstance(card.check_digit_valid, bool | None)


def test_invalid_dates_become_none():
    card = replace(synthetic_card("resident"), birth_date=date(2000, 2, 29))
    raw = bytearray(encode_text(card))
    raw[36:52] = "20000230".encode("utf-16-le")
    assert decode_text(bytes(raw)).birth_date is None
