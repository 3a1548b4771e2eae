"""`city import-outbox DIR`: take in the records that kiosks without network bring on a USB stick.

Every `zwgk-outbox-*.json` in DIR (written by `kiosk outbox export`, format in content/outbox_file.py) is
read strictly; its kiosk must be enrolled with an ed25519 key and not revoked, and the kiosk's signature
over the whole file must verify, so a file with a record changed, added or removed is refused as a whole
and nothing from it is stored. Each request in it then goes through the upload API's own handler
(POST /v1/outbox of the app `city serve` runs, called in process), so a record is checked and stored
exactly as an upload over the network would be: its own signature, the record's declared schema
(content/record_schema.py; a record that does not fit is counted as refused, with the reason), and at most
once per kiosk and Idempotency-Key, which makes importing a file twice, or two exports holding the same
rows, harmless.

A corrupt, truncated or refused file is reported with its reason and the other files are still imported;
so is a name that is not a regular file (a FIFO, a device: content.media refuses it without waiting).
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from city import fleet
from city.home import CityError, CityHome
from city.server import create_app
from content import media
from content.outbox_file import FILE_GLOB, MAX_FILE, ExportFile, OutboxFileError, parse_file


@dataclass
class FileResult:
    file: str
    kiosk_id: str | None = None
    records: int = 0
    new: int = 0
    duplicate: int = 0
    refused: int = 0  # records the upload API refused, although the file's signature verified
    error: dict[str, str] | None = None  # {"en": …, "zh": …} when the file or some of its records failed


@dataclass
class ImportReport:
    folder: str
    files: list[FileResult] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.files if f.error)

    def kiosks(self) -> dict[str, dict[str, int]]:
        """New and duplicate records per kiosk, over all files."""
        result: dict[str, dict[str, int]] = {}
        for f in self.files:
            if f.kiosk_id and (f.new or f.duplicate):
                counts = result.setdefault(f.kiosk_id, {"new": 0, "duplicate": 0})
                counts["new"] += f.new
                counts["duplicate"] += f.duplicate
        return dict(sorted(result.items()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "files": [asdict(f) for f in self.files],
            "kiosks": self.kiosks(),
            "new": sum(f.new for f in self.files),
            "duplicate": sum(f.duplicate for f in self.files),
            "errors": self.errors,
        }


def import_outbox(home: CityHome, folder: Path) -> ImportReport:
    folder = Path(folder)
    if not folder.is_dir():
        raise CityError(f"{folder} is not a folder", f"{folder} 不是文件夹")
    # Every name that matches, files or not: a FIFO or device on the stick is reported, not skipped.
    paths = sorted(folder.glob(FILE_GLOB))
    if not paths:
        raise CityError(
            f"no kiosk export files ({FILE_GLOB}) in {folder}",
            f"{folder} 中没有一体机导出文件（{FILE_GLOB}）",
        )
    report = ImportReport(str(folder))
    asyncio.run(_import(home, paths, report))
    return report


async def _import(home: CityHome, paths: list[Path], report: ImportReport) -> None:
    transport = httpx.ASGITransport(app=create_app(home))
    conn = home.db()
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://city-import") as client:
            for path in paths:
                result = FileResult(path.name)
                report.files.append(result)
                try:
                    export = _open(conn, path)
                except (OutboxFileError, CityError) as exc:
                    result.error = {"en": str(exc), "zh": exc.zh}
                    continue
                result.kiosk_id, result.records = export.kiosk_id, len(export.requests)
                await _replay(client, export, result)
    finally:
        conn.close()


def _open(conn, path: Path) -> ExportFile:
    """Read, parse and authenticate one file (nothing is stored yet)."""
    try:
        data = media.read_file(path, MAX_FILE + 1)  # a regular file, read with a timeout
    except media.MediaError as exc:
        raise OutboxFileError(str(exc), exc.zh) from None
    except OSError as exc:
        raise OutboxFileError(
            f"cannot read {path.name}: {exc.strerror}", f"无法读取 {path.name}：{exc.strerror}"
        ) from None
    if len(data) > MAX_FILE:
        raise OutboxFileError(
            f"{path.name} is larger than {MAX_FILE} bytes", f"{path.name} 超过 {MAX_FILE} 字节，未导入"
        )
    export = parse_file(data, path.name)
    public = fleet.kiosk_key(conn, export.kiosk_id)
    if public is None:
        raise OutboxFileError(
            f"{path.name}: kiosk {export.kiosk_id} is unknown, revoked or not enrolled with an ed25519 key; "
            "nothing from the file was stored",
            f"{path.name}：一体机 {export.kiosk_id} 未登记、已被吊销或不是用 ed25519 密钥登记的，文件未导入",
        )
    export.verify(public, path.name)
    return export


async def _replay(client: httpx.AsyncClient, export: ExportFile, result: FileResult) -> None:
    """Each request through POST /v1/outbox, as the kiosk would have sent it."""
    first_refusal = None
    for number, request in enumerate(export.requests, 1):
        response = await client.post("/v1/outbox", content=request.body, headers=request.headers)
        if response.status_code == 201:
            result.new += 1
        elif response.status_code == 200:
            result.duplicate += 1
        else:
            result.refused += 1
            first_refusal = first_refusal or (number, response.status_code, *_reasons(response))
            if response.status_code == 403:  # the kiosk itself is refused: the rest would be too
                result.refused += len(export.requests) - number
                break
    if first_refusal:
        number, status, reason, reason_zh = first_refusal
        result.error = {
            "en": f"{result.file}: the upload API refused {result.refused} records (first: record {number}, "
            f"HTTP {status} {reason})",
            "zh": f"{result.file}：上传接口拒绝了 {result.refused} 条记录（第一条为第 {number} 条，"
            f"HTTP {status} {reason_zh or reason}），其余记录已导入",
        }


def _reasons(response: httpx.Response) -> tuple[str, str]:
    """The upload API's reason for a refusal: English and, for a record that does not fit, Chinese."""
    try:
        data = response.json()
        return str(data.get("error", ""))[:200], str(data.get("error_zh", ""))[:200]
    except (ValueError, AttributeError):
        return response.text[:200], ""
