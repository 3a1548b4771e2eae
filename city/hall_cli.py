"""`city queue …` and `city signage …`: what the city hands one hall's queue and every hall's displays.

city queue publish KIOSK FILE     the hall's services and windows (the `kiosk queue import` file)
city queue withdraw KIOSK         take the city's services off that kiosk
city signage playlist FILE|--withdraw      the displays' playlist (the `content/playlist.py` format)
city signage emergency --title T [--text …] [--hours 4]   an emergency notice on every display
city signage withdraw ID          take an emergency notice down
"""

from __future__ import annotations

from pathlib import Path

from city.home import CityError, CityHome


def _done(result, what: str) -> int:
    print(f"已发布版本 {result.version}：{what}（下次同步后生效）")
    return 0


def _queue_publish(args, home: CityHome) -> int:
    from city.queue_publish import publish_queue

    return _done(publish_queue(home, args.kiosk_id, args.file), f"一体机 {args.kiosk_id} 的排队业务与窗口")


def _queue_withdraw(args, home: CityHome) -> int:
    from city.queue_publish import withdraw_queue

    return _done(withdraw_queue(home, args.kiosk_id), f"撤回一体机 {args.kiosk_id} 的市级排队业务")


def _playlist(args, home: CityHome) -> int:
    from city.signage_publish import publish_playlist

    if (args.file is None) == (not args.withdraw):
        raise CityError("give FILE or --withdraw", "请给出播放列表文件，或用 --withdraw 撤回")
    result = publish_playlist(home, None if args.withdraw else args.file)
    return _done(result, "撤回市级播放列表" if args.withdraw else "公示屏播放列表")


def _emergency(args, home: CityHome) -> int:
    from city.signage_publish import post_emergency

    notice_id = post_emergency(home, args.title, args.text, args.hours)
    print(f"已发布紧急通知 {notice_id}，各一体机下次同步后插播（撤回：city signage withdraw {notice_id}）")
    return 0


def _withdraw(args, home: CityHome) -> int:
    from city.signage_publish import withdraw_emergency

    return _done(withdraw_emergency(home, args.notice_id), f"撤回紧急通知 {args.notice_id}")


def add_parser(sub) -> None:
    p = sub.add_parser("queue", help="下发大厅排队业务与窗口 a hall's queue services and windows")
    commands = p.add_subparsers(dest="queue_command", metavar="publish|withdraw", required=True)
    q = commands.add_parser("publish", help="发布（kiosk queue import 的同一文件）publish a hall's file")
    q.add_argument("kiosk_id", metavar="KIOSK")
    q.add_argument("file", type=Path, metavar="FILE")
    q.set_defaults(handler=_queue_publish)
    q = commands.add_parser("withdraw", help="撤回市级下发的业务 withdraw the city's services")
    q.add_argument("kiosk_id", metavar="KIOSK")
    q.set_defaults(handler=_queue_withdraw)

    p = sub.add_parser("signage", help="下发公示屏播放列表与紧急通知 the displays' playlist and emergencies")
    commands = p.add_subparsers(dest="signage_command", metavar="playlist|emergency|withdraw", required=True)
    q = commands.add_parser("playlist", help="发布或撤回播放列表（JSON）publish or withdraw the playlist")
    q.add_argument("file", type=Path, metavar="FILE", nargs="?")
    q.add_argument("--withdraw", action="store_true")
    q.set_defaults(handler=_playlist)
    q = commands.add_parser("emergency", help="发布紧急通知 publish an emergency notice to every display")
    q.add_argument("--title", required=True)
    q.add_argument("--text", default="")
    q.add_argument("--hours", type=int, default=4, help="插播小时数，0 为直到撤回 (default 4)")
    q.set_defaults(handler=_emergency)
    q = commands.add_parser("withdraw", help="撤回紧急通知 withdraw an emergency notice")
    q.add_argument("notice_id", metavar="ID")
    q.set_defaults(handler=_withdraw)
