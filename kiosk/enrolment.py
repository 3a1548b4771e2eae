"""A kiosk's enrolment with its city: which channel keys it trusts, where the channel is, who it is.

`city enrol KIOSK-ID --out FILE [--token]` writes the file; `kiosk enrol FILE` checks it and installs it
as `enrolment.json` (mode 0600: it holds the kiosk's credential, an ed25519 private key or a bearer
token, see content/credential.py) in the data directory. The trusted keys are the anchor of everything
the kiosk accepts from the city; rotations later extend them (recorded by the sync client in the
library). `Enrolment.credential` is what the Uploader authenticates with; `describe()` is what may be
shown (the credential's kind, never its secret).
"""

from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from content import credential as credentials
from content import sealed
from content.channel import ChannelError, Trust
from kiosk.i18n import N_, tr, translate

ENROLMENT_TYPE = "zwgk-enrolment"
FILE_NAME = "enrolment.json"


class EnrolmentError(Exception):
    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


@dataclass(frozen=True)
class Enrolment:
    kiosk_id: str
    channel: str
    channel_url: str
    upload_url: str
    trusted_keys: dict[str, str]
    credential_type: str  # "ed25519" or "token"
    secret: str = field(repr=False)  # the base64 private key or the token: never shown, never logged
    issued: str
    application_key: str = ""  # the city's X25519 key for sealing applications (base64), if it sent one

    @property
    def credential(self) -> credentials.Credential:
        """What the Uploader authenticates with (either kind)."""
        if self.credential_type == credentials.TOKEN:
            return credentials.TokenCredential(self.secret)
        return credentials.SignatureCredential(self.private_key)

    @property
    def application_public(self) -> X25519PublicKey | None:
        """What applications are sealed to (content/sealed.py); None: this kiosk takes no application."""
        return sealed.load_public(self.application_key) if self.application_key else None

    @property
    def private_key(self) -> Ed25519PrivateKey:
        if self.credential_type != credentials.ED25519:
            raise EnrolmentError(
                f"kiosk {self.kiosk_id} is enrolled with a {self.credential_type}, not an ed25519 key",
                tr(
                    "本机登记的凭据是{credential_label}，不是 ed25519 密钥",
                    credential_label=credential_label(self.credential_type),
                ),
            )
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(self.secret))

    def describe(self) -> dict[str, Any]:
        """What may be shown to staff or printed as JSON: everything but the secret."""
        return {
            "kiosk_id": self.kiosk_id,
            "channel": self.channel,
            "channel_url": self.channel_url,
            "upload_url": self.upload_url,
            "trusted_keys": sorted(self.trusted_keys),
            "credential": self.credential_type,
            "issued": self.issued,
            "application_key": sealed.key_id(self.application_public) if self.application_public else None,
        }


def credential_label(kind: str) -> str:
    """The credential's kind in Chinese, for staff."""
    return {credentials.ED25519: tr("ed25519 密钥"), credentials.TOKEN: tr("访问令牌（token）")}.get(
        kind, kind
    )


def parse(data: bytes, source: str = N_("登记文件")) -> Enrolment:
    def bad(why: str, zh: str) -> EnrolmentError:
        return EnrolmentError(
            f"{source} is not a valid enrolment file: {why}",
            tr("{source} 不是有效的登记文件：{problem}", source=translate(source), problem=zh),
        )

    try:
        doc: Any = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad("not JSON", tr("不是 JSON 文件")) from None
    if not isinstance(doc, dict) or doc.get("type") != ENROLMENT_TYPE or doc.get("format") != 1:
        raise bad("wrong type", tr("类型不符"))
    fields = ("kiosk_id", "channel", "channel_url", "upload_url", "issued")
    if not all(isinstance(doc.get(f), str) and doc[f] for f in fields):
        raise bad(f"needs {', '.join(fields)}", tr("缺少必要字段"))
    if not re.fullmatch(r"https?://\S+", doc["channel_url"]) or not re.fullmatch(
        r"https?://\S+", doc["upload_url"]
    ):
        raise bad("URLs must be http(s)", tr("地址应为 http:// 或 https://"))
    keys = doc.get("trusted_keys")
    if not isinstance(keys, dict) or not keys:
        raise bad("no trusted keys", tr("没有受信任的频道密钥"))
    try:
        Trust.from_hex(keys)
    except ChannelError as exc:
        raise bad(str(exc), translate(exc.zh)) from None
    credential = doc.get("credential")
    kind = credential.get("type") if isinstance(credential, dict) else None
    if kind == credentials.ED25519:
        secret = credential.get("private_key", "")
        try:
            Ed25519PrivateKey.from_private_bytes(base64.b64decode(secret, validate=True))
        except (ValueError, TypeError):
            raise bad("credential is not a valid ed25519 key", tr("本机凭据（ed25519 密钥）无效")) from None
    elif kind == credentials.TOKEN:
        secret = credential.get("token", "")
        try:
            credentials.TokenCredential(secret)
        except ValueError:
            raise bad("credential is not a valid token", tr("本机凭据（访问令牌）无效")) from None
    else:
        raise bad(
            "credential must be an ed25519 key or a token", tr("缺少本机的凭据（ed25519 密钥或访问令牌）")
        )
    application = doc.get("application_key")
    application_key = ""
    if application is not None:
        try:
            application_key = application["public_key"]
            if sealed.key_id(sealed.load_public(application_key)) != application["key_id"]:
                raise ValueError("key id")
        except (TypeError, KeyError, ValueError, sealed.SealedError):
            raise bad(
                "application_key must be {key_id, public_key} of an X25519 key", tr("申请加密公钥无效")
            ) from None
    return Enrolment(
        doc["kiosk_id"],
        doc["channel"],
        doc["channel_url"],
        doc["upload_url"],
        dict(keys),
        kind,
        secret,
        doc["issued"],
        application_key,
    )


def install(source: Path, data_dir: Path) -> Enrolment:
    """Check the file and install it in the data directory (replacing any earlier enrolment)."""
    try:
        data = Path(source).read_bytes()
    except OSError as exc:
        raise EnrolmentError(
            f"cannot read {source}: {exc.strerror}",
            tr("无法读取 {source}：{strerror}", source=source, strerror=exc.strerror),
        ) from exc
    enrolment = parse(data, str(source))
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / FILE_NAME
    tmp = target.with_name(FILE_NAME + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(target)
    return enrolment


def load(data_dir: Path) -> Enrolment | None:
    target = data_dir / FILE_NAME
    if not target.exists():
        return None
    return parse(target.read_bytes(), str(target))
