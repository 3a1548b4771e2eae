"""What staff and technicians read about sync (kiosk/sync_text.py), for each state a kiosk can be in:
never synced, synced, stale, failed, not enrolled, library unavailable; a run that updated, found nothing
new, failed, or could not upload."""

from __future__ import annotations

from content.errors import ContentError
from content.outbox import UploadReport
from content.sync import SyncReport, SyncStatus
from kiosk.sync_service import RunResult
from kiosk.sync_text import describe_run, local_time, not_enrolled, run_lines, staff_view, status_lines


def status(**changes) -> SyncStatus:
    values = dict(
        channel=None,
        version=None,
        applied_at=None,
        created=None,
        expires=None,
        stale_since=None,
        last_attempt=None,
        last_success=None,
        last_error=None,
        last_error_zh=None,
        bytes_last=0,
        bytes_total=0,
        source=None,
    )
    return SyncStatus(**{**values, **changes})


def test_status_lines_for_a_kiosk_never_synced_then_synced_and_stale():
    assert status_lines(status()) == ["尚未从市级平台同步过内容", "上次传输 0 字节，累计 0 字节"]
    lines = status_lines(
        status(
            channel="dingzhou",
            version=7,
            applied_at="2024-05-01T00:30:00Z",
            stale_since="2024-05-08T00:30:00Z",
            last_success="2024-05-01T00:30:00Z",
            last_attempt="2024-06-01T00:30:00Z",
            last_error_zh="多次尝试后仍无法下载 root.json",
            bytes_last=10,
            bytes_total=99,
        )
    )
    applied, since = local_time("2024-05-01T00:30:00Z"), local_time("2024-05-08T00:30:00Z")
    assert lines == [
        f"频道 dingzhou，版本 7（应用于 {applied}）",
        f"内容已过期，自 {since} 起未更新",
        f"上次成功同步：{applied}",
        f"上次错误（{local_time('2024-06-01T00:30:00Z')}）：多次尝试后仍无法下载 root.json",
        "上次传输 10 字节，累计 99 字节",
    ]


def test_the_staff_view_writes_each_state_as_whole_sentences():
    assert staff_view({"enrolled": False})["lines"] == [not_enrolled()]
    assert staff_view({"enrolled": True, "available": False})["lines"] == ["资料库暂时无法使用"]
    figures = {
        "enrolled": True,
        "available": True,
        "background": False,
        "enabled": False,
        "channel": "",
        "version": "",
        "lastSuccess": "",
        "lastAttempt": "2024-06-01 08:30",
        "lastError": "磁盘空间不足",
        "staleSince": "",
        "pending": 3,
        "capacity": 100,
    }
    view = staff_view(figures)
    assert view["lines"] == [
        "尚未从市级平台同步过内容",
        "上次成功同步：无",
        "待上传记录：3 / 100 条",
        "后台定时同步：已关闭（sync.enabled）",
    ]
    assert view["errorText"] == "上次错误（2024-06-01 08:30）：磁盘空间不足" and view["staleText"] == ""


def test_a_run_is_described_for_staff_and_in_full_for_the_command_line():
    report = SyncReport("usb", "dingzhou", 6, 7, added=2, updated=1, removed=0, unchanged=5, bytes=2048)
    run = RunResult(sync=report, upload=UploadReport(sent=4))
    assert describe_run(run) == "已更新到版本 7：新增 2，更新 1，删除 0；上传记录 4 条"
    assert run_lines(run)[:2] == ["已更新到版本 7（原版本 6）", "新增 2，更新 1，删除 0，未变 5"]
    failed = RunResult(sync_error=ContentError("disk full", "磁盘空间已满"), upload_error="ConnectError: x")
    assert describe_run(failed) == "同步失败：磁盘空间已满；记录上传失败，稍后自动重试"
    assert run_lines(failed) == ["同步失败：磁盘空间已满", "error: disk full", "上传失败：ConnectError: x"]
    same = RunResult(sync=SyncReport("usb", "dingzhou", 7, 7, up_to_date=True))
    assert describe_run(same) == "内容已是最新（版本 7）"
