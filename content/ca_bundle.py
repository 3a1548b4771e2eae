"""The CA bundle for HTTPS to the city (option ``sync.ca_bundle``): a readable regular file of PEM certificates.

Checked when the configuration is loaded and again when a connection is set up, so a wrong path
(``/etc/shadow``, ``/dev/zero``, a missing file) is an error naming the option, not a hang or an
internal error halfway through a sync. The file is read once, with a size cap and a timeout
(content.media), and the certificates are handed to ``ssl`` as text.
"""

from __future__ import annotations

import re
import ssl
from pathlib import Path

from content import media
from translatable import Message

MAX_BYTES = 4 << 20  # a full system bundle is about 0.2 MB
_BEGIN = "-----BEGIN CERTIFICATE-----"
_PEM_BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]*-----END CERTIFICATE-----")


class BadCaBundle(ValueError):
    """``args`` are (English, Chinese), as the configuration's validators raise them."""

    def __init__(self, en: str, zh: str):
        super().__init__(en, zh)


def load_ca_bundle(path: str) -> str:
    """The PEM certificates in the file at ``path``; BadCaBundle when it is not a CA bundle."""
    try:
        data = media.read_file(Path(path), MAX_BYTES + 1, timeout=10.0)
    except FileNotFoundError:
        raise BadCaBundle(f"{path} does not exist", Message("证书文件 {path} 不存在", path=path)) from None
    except media.MediaError as exc:
        raise BadCaBundle(str(exc), exc.zh) from None
    except OSError as exc:
        raise BadCaBundle(
            f"cannot read {path}: {exc.strerror}",
            Message("无法读取证书文件 {path}：{strerror}", path=path, strerror=exc.strerror),
        ) from None
    if len(data) > MAX_BYTES:
        raise BadCaBundle(
            f"{path} is larger than {MAX_BYTES >> 20} MiB: not a CA bundle",
            Message("{path} 超过 {megabytes} MB，不是证书文件", path=path, megabytes=MAX_BYTES >> 20),
        )
    text = data.decode("utf-8", errors="replace")
    blocks = _PEM_BLOCK.findall(text)
    if not blocks:
        raise BadCaBundle(
            f"{path} holds no PEM certificate ({_BEGIN} … -----END CERTIFICATE-----)",
            Message("{path} 不是 PEM 格式的证书文件（没有 {begin} 证书段）", path=path, begin=_BEGIN),
        )
    pem = "\n".join(blocks) + "\n"
    if text.count(_BEGIN) != len(blocks):
        raise BadCaBundle(
            f"{path}: a certificate in it is cut or damaged",
            Message("{path} 中有证书不完整或已损坏", path=path),
        )
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cadata=pem)
    except (ssl.SSLError, ValueError) as exc:
        raise BadCaBundle(
            f"{path}: a certificate in it does not parse ({exc})",
            Message("{path} 中有证书无法解析，文件可能已损坏", path=path),
        ) from None
    return pem


def tls_context(path: str) -> ssl.SSLContext:
    """A client context that trusts only the certificates of the bundle at ``path``."""
    return ssl.create_default_context(cadata=load_ca_bundle(path))
