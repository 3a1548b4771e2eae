"""Sealed boxes: only the city's private key opens one, and any change to it is refused."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from content import sealed
from content.sealed import SealedError

CITY = X25519PrivateKey.generate()


def test_a_box_opens_with_the_city_key_only_and_differs_every_time():
    plaintext = "欧阳翠花 11010519491231002X".encode()
    box, again = sealed.seal(CITY.public_key(), plaintext), sealed.seal(CITY.public_key(), plaintext)
    assert box != again and plaintext not in box
    assert sealed.open_sealed(CITY, box) == sealed.open_sealed(CITY, again) == plaintext
    with pytest.raises(SealedError, match="not sealed to this key"):
        sealed.open_sealed(X25519PrivateKey.generate(), box)


def test_the_public_key_travels_as_text_and_is_named_by_its_id():
    text = sealed.public_text(CITY.public_key())
    assert sealed.key_id(sealed.load_public(text)) == sealed.key_id(CITY.public_key())
    for bad in ("", "abc", "A" * 40 + "==", "not base64!"):
        with pytest.raises(SealedError) as caught:
            sealed.load_public(bad)
        assert "重新登记" in caught.value.zh


@given(st.binary(max_size=200), st.integers(0, 10_000), st.integers(1, 255))
def test_any_flipped_byte_is_refused(plaintext, where, flip):
    box = bytearray(sealed.seal(CITY.public_key(), plaintext))
    box[where % len(box)] ^= flip
    with pytest.raises(SealedError):
        sealed.open_sealed(CITY, bytes(box))


@given(st.binary(max_size=100))
def test_arbitrary_bytes_are_refused_cleanly(data):
    with pytest.raises(SealedError):
        sealed.open_sealed(CITY, data)
