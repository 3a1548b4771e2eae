"""`kiosk sync [--from URL|DIR] [--once]` and `kiosk sync status [--json]`: content from the city, records to it.

Without `--once` the command keeps running and syncs on the configured schedule (as the running app
does in the background). `--from DIR` imports a channel from a USB stick with the same verification.
"""

from __future__ import annotations

import time

from content.outbox import Outbox
from content.sync import sync_status
from kiosk import city_files, enrolment, sync_service, sync_text
from kiosk import library as library_service
from kiosk.cli import print_json
from kiosk.devices import DeviceService
from kiosk.i18n import tr, translate

ORDER = 50


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "sync", help="与市级平台同步（或从 U 盘导入）sync with the city, or from a USB folder"
    )
    parser.add_argument(
        "--from", dest="location", metavar="URL|DIR", help="频道地址或 U 盘文件夹 channel URL or folder"
    )
    parser.add_argument("--once", action="store_true", help="只同步一次 sync once and exit")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=_sync)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    status = actions.add_parser("status", help="同步状态 channel, version, last success/error, staleness")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)


def _sync(args, ctx) -> int:
    with library_service.open_library(ctx.config, ctx.data_dir) as library:
        once = args.once or args.location and not args.location.startswith(("http://", "https://"))
        # Run as a loop (a kiosk without the touch UI), each sync also reports the devices' health.
        service = sync_service.SyncService(
            library, ctx.config, ctx.data_dir, faults=DeviceService(ctx.config, ctx.data_dir).faults
        )
        while True:
            result = sync_service.run_once(
                library,
                ctx.config,
                ctx.data_dir,
                args.location,
                before_upload=None if once else service.heartbeat,
            )
            _print(result, args.json)
            if once:
                return 0 if result.sync_error is None else 2
            time.sleep(service.next_delay())


def _print(result: sync_service.RunResult, as_json: bool) -> None:
    if as_json:
        print_json(result.to_dict())
        return
    for line in sync_text.run_lines(result):
        print(line)


def _status(args, ctx) -> int:
    with library_service.open_library(ctx.config, ctx.data_dir) as library:
        status = sync_status(library)
        outbox = Outbox(library, capacity=ctx.config["sync.outbox_max"]).status()
    try:
        enrolled, enrol_error = enrolment.load(ctx.data_dir), None
    except enrolment.EnrolmentError as exc:  # status still shows what it can
        enrolled, enrol_error = None, exc
    credential = enrolled.credential_type if enrolled else None
    if args.json:
        city = city_files.status(ctx.data_dir)
        print_json(
            {**status.to_dict(), "credential": credential, "outbox": outbox.to_dict(), "city_files": city}
        )
        return 0
    for line in sync_text.status_lines(status):
        print(line)
    if enrol_error is not None:
        print(tr("登记文件有误：{problem}", problem=translate(enrol_error.zh)))
    elif enrolled is None:
        print(tr("本机尚未登记（kiosk enrol 登记文件）"))
    else:
        label = enrolment.credential_label(credential)
        print(tr("本机 {kiosk}，凭据：{credential}", kiosk=enrolled.kiosk_id, credential=label))
    print(tr("待上传记录 {pending} 条（已上传 {sent} 条）", pending=outbox.pending, sent=outbox.sent_total))
    if outbox.warning_zh:
        print(tr("注意：{warning}", warning=translate(outbox.warning_zh)))
    for line in city_files.status_lines(ctx.data_dir):
        print(line)
    return 0
