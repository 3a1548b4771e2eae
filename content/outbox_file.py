"""The outbox on a USB stick, for a village without network: `kiosk outbox export` writes the pending rows
as files, `city import-outbox` feeds them to the city's upload API.

Each file holds exactly the requests the Uploader would have sent: per record the headers
(`Idempotency-Key` = the row's UUID, `X-Kiosk-Id`, `X-Kiosk-Signature` = the same per-record ed25519
signature) and the body, byte for byte. The city replays them through POST /v1/outbox, so it checks them
exactly as uploads and drops any Idempotency-Key it has already stored. The whole file is also signed by
the kiosk, so a file with a record changed, added or removed is refused as a whole.

    zwgk-outbox-<kiosk-id>-<YYYYMMDDTHHMMSSZ>-<8 hex>.json
    {"type": "zwgk-outbox-export", "format": 1, "kiosk_id": "…", "exported": "2024-05-01T10:15:00Z",
     "requests": [{"headers": {"Content-Type": "application/json", "Idempotency-Key": "…",
                               "X-Kiosk-Id": "…", "X-Kiosk-Signature": "…"},
                   "body": "{\\"created_at\\":…}"}, …],
     "signature": "<base64 ed25519 over FILE_CONTEXT, kiosk id and the SHA-256 of the rest, canonical>"}

Crash safety: a file is written to a temporary name, fsynced, renamed and its folder fsynced; only then
are its rows taken out of the backlog (one transaction). A crash in between leaves them pending, the next
export writes them again, and the city stores each once. Files hold at most `PER_FILE` records and about
`FILE_BYTES` bytes, so an interrupted export loses no more than one file's work.

Only an ed25519 kiosk can export: a token kiosk cannot sign the file, and its token must not travel on
a stick.
"""

from __future__ import annotations

import base64
import os
import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from content.channel import ChannelError, canonical_json, format_time, sha256_hex, strict_loads
from content.credential import SignatureCredential
from content.errors import ContentError
from content.outbox import Outbox, upload_request
from translatable import Message

FILE_TYPE = "zwgk-outbox-export"
FORMAT = 1
FILE_CONTEXT = "zwgk-outbox-file-v1"
FILE_GLOB = "zwgk-outbox-*.json"
PER_FILE = 1000
FILE_BYTES = 16 * 2**20  # a file is closed once it passes this (one record may take it past)
MAX_FILE = 64 * 2**20  # what the city reads at most: PER_FILE records of up to MAX_BODY fit
MAX_BODY = 1 << 20  # the upload API's limit per record (city/limits.py MAX_UPLOAD)
HEADERS = ("Content-Type", "Idempotency-Key", "X-Kiosk-Id", "X-Kiosk-Signature")
_KIOSK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_BASE64 = re.compile(r"[A-Za-z0-9+/]{1,200}={0,2}")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


class OutboxFileError(ContentError):
    """An outbox export file that cannot be written, read or trusted."""


@dataclass(frozen=True)
class Request:
    """One upload as the kiosk would have sent it."""

    headers: dict[str, str]
    body: bytes

    @property
    def idempotency_key(self) -> str:
        return self.headers["Idempotency-Key"]


@dataclass(frozen=True)
class ExportFile:
    kiosk_id: str
    exported: str
    requests: tuple[Request, ...]
    signature: str
    signed: bytes  # the canonical bytes whose SHA-256 the file signature covers

    def verify(self, public_key: Ed25519PublicKey, source: str = "") -> None:
        """Raise OutboxFileError unless the kiosk's key signed this file as it is."""
        try:
            public_key.verify(base64.b64decode(self.signature, validate=True), _file_message(self))
        except (InvalidSignature, ValueError):
            raise OutboxFileError(
                f"{source or 'outbox file'}: the kiosk's signature does not verify (changed after export?)",
                Message(
                    "{source}：一体机 {kiosk_id} 的签名验证失败（文件可能被改动），整个文件未导入",
                    source=source or Message("导出文件"),
                    kiosk_id=self.kiosk_id,
                ),
            ) from None


def _file_message(export: ExportFile) -> bytes:
    return "\n".join((FILE_CONTEXT, export.kiosk_id, sha256_hex(export.signed))).encode("utf-8")


def _signed_part(kiosk_id: str, exported: str, requests: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": FILE_TYPE,
        "format": FORMAT,
        "kiosk_id": kiosk_id,
        "exported": exported,
        "requests": requests,
    }


def make_file(
    kiosk_id: str, private_key: Ed25519PrivateKey, requests: list[tuple[bytes, dict[str, str]]], exported: str
) -> bytes:
    """The bytes of one export file holding `requests` (body, headers)."""
    raw = [{"headers": dict(headers), "body": body.decode("utf-8")} for body, headers in requests]
    signed = _signed_part(kiosk_id, exported, raw)
    message = "\n".join((FILE_CONTEXT, kiosk_id, sha256_hex(canonical_json(signed)))).encode("utf-8")
    document = {**signed, "signature": base64.b64encode(private_key.sign(message)).decode()}
    return canonical_json(document) + b"\n"


def parse_file(data: bytes, source: str = "") -> ExportFile:
    """Parse an export file strictly (its signature is checked by `ExportFile.verify`, with the key the
    city holds for its kiosk). Anything wrong raises OutboxFileError naming `source`."""
    where = source or "outbox file"
    where_zh = source or Message("导出文件")

    def bad(why: str, zh: str) -> OutboxFileError:
        return OutboxFileError(
            f"{where} is not a valid outbox export: {why}",
            Message("{where} 不是有效的一体机导出文件：{problem}", where=where_zh, problem=zh),
        )

    if len(data) > MAX_FILE:
        raise bad(
            f"{len(data)} bytes, over the limit of {MAX_FILE}",
            Message("文件大小 {size} 字节，超过上限", size=len(data)),
        )
    try:
        document = strict_loads(data, Message("导出文件"))
    except ChannelError as exc:
        raise bad(
            f"not JSON (truncated or damaged?): {exc}", Message("不是完整的 JSON（文件被截断或损坏？）")
        ) from None
    if not isinstance(document, dict):
        raise bad("not an object", Message("顶层应为对象"))
    expected = {"type", "format", "kiosk_id", "exported", "requests", "signature"}
    if set(document) != expected:
        raise bad(f"fields must be {sorted(expected)}", Message("字段不符"))
    if document["type"] != FILE_TYPE or document["format"] != FORMAT:
        raise bad("wrong type or format version", Message("类型或格式版本不符"))
    kiosk_id, exported, signature = document["kiosk_id"], document["exported"], document["signature"]
    if not isinstance(kiosk_id, str) or not _KIOSK_ID.fullmatch(kiosk_id):
        raise bad("invalid kiosk id", Message("一体机编号无效"))
    if not isinstance(exported, str) or not _TIME.fullmatch(exported):
        raise bad("invalid export time", Message("导出时间无效"))
    if not isinstance(signature, str) or not _BASE64.fullmatch(signature):
        raise bad("invalid signature field", Message("签名字段无效"))
    raw_requests = document["requests"]
    if not isinstance(raw_requests, list) or not raw_requests or len(raw_requests) > PER_FILE:
        raise bad(
            f"requests must be a list of 1 to {PER_FILE}",
            Message("记录应为 1 至 {per_file} 条的列表", per_file=PER_FILE),
        )
    requests, keys = [], set()
    for number, raw in enumerate(raw_requests, 1):
        requests.append(
            _request(
                raw,
                kiosk_id,
                lambda why, zh, n=number: bad(
                    f"record {n}: {why}", Message("第 {n} 条记录：{problem}", n=n, problem=zh)
                ),
            )
        )
        key = requests[-1].idempotency_key
        if key in keys:
            raise bad(
                f"record {number}: Idempotency-Key {key} repeats",
                Message("第 {number} 条记录的幂等键重复", number=number),
            )
        keys.add(key)
    return ExportFile(
        kiosk_id,
        exported,
        tuple(requests),
        signature,
        canonical_json(_signed_part(kiosk_id, exported, raw_requests)),
    )


def _request(raw: Any, kiosk_id: str, bad) -> Request:
    if not isinstance(raw, dict) or set(raw) != {"headers", "body"}:
        raise bad("must be {headers, body}", Message("应为 {shape}", shape="{headers, body}"))
    headers, body = raw["headers"], raw["body"]
    if not isinstance(headers, dict) or set(headers) != set(HEADERS):
        raise bad(
            f"headers must be exactly {', '.join(HEADERS)}",
            Message("请求头应恰为 {headers}", headers="、".join(HEADERS)),
        )
    if not all(isinstance(v, str) for v in headers.values()):
        raise bad("header values must be strings", Message("请求头的值应为字符串"))
    if headers["Content-Type"] != "application/json" or headers["X-Kiosk-Id"] != kiosk_id:
        raise bad(
            "Content-Type or X-Kiosk-Id differs from the file's",
            Message("Content-Type 或一体机编号与文件不符"),
        )
    try:
        if str(uuid.UUID(headers["Idempotency-Key"])) != headers["Idempotency-Key"]:
            raise ValueError
    except ValueError:
        raise bad("Idempotency-Key is not a UUID", Message("幂等键不是 UUID")) from None
    if not _BASE64.fullmatch(headers["X-Kiosk-Signature"]):
        raise bad("X-Kiosk-Signature is not base64", Message("签名不是 base64"))
    if not isinstance(body, str):
        raise bad("body must be a string", Message("正文应为字符串"))
    try:
        data = body.encode("utf-8")
    except UnicodeEncodeError:
        raise bad("body is not valid text", Message("正文不是有效文本")) from None
    if len(data) > MAX_BODY:
        raise bad(f"body over {MAX_BODY} bytes", Message("正文超过 {max_body} 字节", max_body=MAX_BODY))
    return Request(dict(headers), data)


# --- the kiosk side: export ---------------------------------------------------------------------------


@dataclass
class ExportReport:
    folder: str
    files: list[str] = field(default_factory=list)
    records: int = 0
    bytes: int = 0
    pending: int = 0  # what is left in the backlog afterwards (rows added meanwhile, rows too large)
    too_large: int = 0  # rows over MAX_BODY, left in the backlog: no upload could deliver them either

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def export_outbox(
    outbox: Outbox,
    kiosk_id: str,
    private_key: Ed25519PrivateKey,
    folder: Path,
    *,
    now: datetime | None = None,
    per_file: int = PER_FILE,
    file_bytes: int = FILE_BYTES,
) -> ExportReport:
    """Write every row pending now into files in `folder` and take each file's rows out of the backlog
    once the file is on disk (see the module docstring). Rows added meanwhile wait for the next export."""
    folder = Path(folder)
    report = ExportReport(str(folder))
    credential = SignatureCredential(private_key)
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    try:
        folder.mkdir(exist_ok=True)  # one level only: a stick that is not mounted is not silently replaced
    except OSError as exc:
        raise _unwritable(folder, exc) from None
    with outbox.library.transaction() as db:
        (last,) = db.execute("SELECT coalesce(max(rowid), 0) FROM outbox").fetchone()
    batch: list[tuple[str, bytes, dict[str, str]]] = []
    size, after = 0, 0
    while rows := [(rowid, row) for rowid, row in outbox.pending_after(after, 200) if rowid <= last]:
        for rowid, row in rows:
            after = rowid
            body, headers = upload_request(row, kiosk_id, credential)
            if len(body) > MAX_BODY:  # the city would refuse it (HTTP 413) and the file with it: it stays
                report.too_large += 1
                continue
            batch.append((row.id, body, headers))
            size += len(body) + 300  # about what the headers add
            if len(batch) >= per_file or size >= file_bytes:
                _hand_over(outbox, folder, kiosk_id, private_key, batch, stamp, report)
                batch, size = [], 0
    if batch:
        _hand_over(outbox, folder, kiosk_id, private_key, batch, stamp, report)
    report.pending = outbox.status().pending
    return report


def _hand_over(
    outbox: Outbox,
    folder: Path,
    kiosk_id: str,
    private_key: Ed25519PrivateKey,
    batch: list[tuple[str, bytes, dict[str, str]]],
    stamp: datetime,
    report: ExportReport,
) -> None:
    """One file: on disk first, then its rows out of the backlog."""
    name = f"zwgk-outbox-{kiosk_id}-{stamp.strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:8]}.json"
    data = make_file(
        kiosk_id, private_key, [(body, headers) for _, body, headers in batch], format_time(stamp)
    )
    _write_durably(folder / name, data)
    outbox.mark_handed_over([row_id for row_id, _, _ in batch])
    report.files.append(name)
    report.records += len(batch)
    report.bytes += len(data)


def _unwritable(folder: Path, exc: OSError) -> OutboxFileError:
    why = exc.strerror or type(exc).__name__
    return OutboxFileError(
        f"cannot write to {folder}: {why}; the records stay in the outbox",
        Message(
            "无法写入 {folder}：{why}（U 盘是否已插好？）；待上传记录仍保留在本机", folder=folder, why=why
        ),
    )


def _write_durably(target: Path, data: bytes) -> None:
    """Temporary name, fsync, rename, fsync the folder: after this returns the file survives a power cut
    (and a half-written one never carries the final name)."""
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(target)
        fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _unwritable(target.parent, exc) from None
