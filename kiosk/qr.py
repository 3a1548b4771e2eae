"""QR codes for the online version of a document, as PNG data URLs the reader can show directly."""

from __future__ import annotations

import base64
import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def png_bytes(url: str, box_size: int = 8) -> bytes:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=2)
    code.add_data(url)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def data_url(url: str) -> str:
    """'data:image/png;base64,…' for `url`, or '' when there is no URL."""
    if not url:
        return ""
    return "data:image/png;base64," + base64.b64encode(png_bytes(url)).decode("ascii")
