"""What staff and technicians read about sync, written once (through `kiosk.i18n.tr`).

The staff screen's 同步 section (`SyncControl.overview` → `staff_view`) and the command line (`kiosk sync`,
`kiosk sync status`) show these lines; QML and the CLI only print them. Times are the kiosk's local time.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.i18n import tr, translate

if TYPE_CHECKING:
    from content.sync import SyncStatus
    from kiosk.sync_service import RunResult


def local_time(text: str | None) -> str:
    """'2024-05-01T00:30:00Z' → '2024-05-01 08:30' in the kiosk's local time ('' stays '')."""
    if not text:
        return ""
    try:
        return datetime.fromisoformat(text).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return text


def version_line(channel: str | None, version: object) -> str:
    if version is None or version == "":
        return tr("尚未从市级平台同步过内容")
    return tr("频道 {channel}，版本 {version}", channel=channel, version=version)


def stale_line(since: str | None) -> str:
    return tr("内容已过期，自 {time} 起未更新", time=local_time(since)) if since else ""


def error_line(attempt: str, error: str) -> str:
    if not error:
        return ""
    if attempt:
        return tr("上次错误（{time}）：{error}", time=attempt, error=error)
    return tr("上次错误：{error}", error=error)


def not_enrolled() -> str:
    return tr(
        "本机还没有登记到市级平台，暂时不能同步新内容，现有内容照常使用。请联系县（市）信息化工作人员为本机办理登记。"
    )


def staff_view(data: dict[str, Any]) -> dict[str, Any]:
    """The staff screen's 同步 section: `data` (SyncControl.overview's figures) with its text added:
    `lines` (the state), `staleText`, `errorText`."""
    if not data.get("enrolled"):
        return {**data, "lines": [not_enrolled()]}
    if not data.get("available"):
        return {**data, "lines": [tr("资料库暂时无法使用")]}
    if data["background"]:
        background = tr("后台定时同步：已开启")
    elif data["enabled"]:
        background = tr("后台定时同步：未运行")
    else:
        background = tr("后台定时同步：已关闭（sync.enabled）")
    lines = [
        version_line(data["channel"], data["version"]),
        tr("上次成功同步：{time}", time=data["lastSuccess"] or tr("无")),
        tr("待上传记录：{pending} / {capacity} 条", pending=data["pending"], capacity=data["capacity"]),
        background,
        *data.get("cityFiles", []),  # what the city handed this hall, put in force or refused
    ]
    return {
        **data,
        "lines": lines,
        "staleText": stale_line(data.get("staleSince")),
        "errorText": error_line(data["lastAttempt"], data["lastError"]),
    }


def status_lines(status: SyncStatus) -> list[str]:
    """`kiosk sync status`: channel and version, staleness, last success and error, bytes moved."""
    lines = [version_line(status.channel, status.version)]
    if status.version is not None:
        lines[0] += tr("（应用于 {time}）", time=local_time(status.applied_at))
    if status.stale_since:
        lines.append(stale_line(status.stale_since))
    if status.last_success:
        lines.append(tr("上次成功同步：{time}", time=local_time(status.last_success)))
    if status.last_error_zh:
        lines.append(error_line(local_time(status.last_attempt), status.last_error_zh))
    lines.append(
        tr("上次传输 {last} 字节，累计 {total} 字节", last=status.bytes_last, total=status.bytes_total)
    )
    return lines


def describe_run(result: RunResult) -> str:
    """One line for staff about a sync run (立即同步)."""
    parts = [_pull(result)]
    upload = result.upload
    if upload is not None:
        if upload.refused:
            parts.append(tr("记录上传被拒绝：{reason}", reason=translate(upload.refused)))
        elif upload.sent or not upload.failed:
            parts.append(tr("上传记录 {sent} 条", sent=upload.sent))
        if upload.failed and not upload.refused:
            parts.append(tr("{failed} 条记录暂未上传，稍后自动重试", failed=upload.failed))
    elif result.upload_error:
        parts.append(tr("记录上传失败，稍后自动重试"))
    return tr("；").join(parts)


def _pull(result: RunResult) -> str:
    report = result.sync
    if result.sync_error is not None:
        return tr("同步失败：{error}", error=translate(result.sync_error.zh))
    if report is None:
        return tr("未同步")
    if report.up_to_date:
        return tr("内容已是最新（版本 {version}）", version=report.to_version)
    return tr(
        "已更新到版本 {version}：新增 {added}，更新 {updated}，删除 {removed}",
        version=report.to_version,
        added=report.added,
        updated=report.updated,
        removed=report.removed,
    )


def run_lines(result: RunResult) -> list[str]:
    """`kiosk sync`: what one run did, in full (the English error after the Chinese)."""
    lines = []
    report = result.sync
    if report and report.up_to_date:
        lines.append(
            tr(
                "内容已是最新：频道 {channel} 版本 {version}",
                channel=report.channel,
                version=report.to_version,
            )
        )
    elif report:
        lines += [
            tr(
                "已更新到版本 {version}（原版本 {previous}）",
                version=report.to_version,
                previous=report.from_version or tr("无"),
            ),
            tr(
                "新增 {added}，更新 {updated}，删除 {removed}，未变 {unchanged}",
                added=report.added,
                updated=report.updated,
                removed=report.removed,
                unchanged=report.unchanged,
            ),
            tr(
                "下载 {bytes} 字节（分片 {shards}，打包 {packs}，文件 {blobs}），用时 {seconds} 秒",
                bytes=report.bytes,
                shards=report.shards_fetched,
                packs=report.packs_fetched,
                blobs=report.blobs_fetched,
                seconds=f"{report.seconds:.1f}",
            ),
        ]
        if report.kept_local:
            lines.append(
                tr(
                    "本地发布的 {count} 条内容保持不变：{ids}",
                    count=len(report.kept_local),
                    ids="、".join(report.kept_local[:5]),
                )
            )
    if result.sync_error:
        lines += [
            tr("同步失败：{error}", error=translate(result.sync_error.zh)),
            f"error: {result.sync_error}",
        ]
    if result.upload:
        upload = result.upload
        lines.append(
            tr(
                "上传记录 {sent} 条（重复 {duplicates}，失败 {failed}）",
                sent=upload.sent,
                duplicates=upload.duplicates,
                failed=upload.failed,
            )
        )
        if upload.refused:
            lines.append(translate(upload.refused))
    if result.upload_error:
        lines.append(tr("上传失败：{error}", error=result.upload_error))
    return lines
