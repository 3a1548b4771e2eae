"""`city queue …` and `city signage …`: what the city hands one hall's queue and every hall's displays.

city queue publish KIOSK FILE     the hall's services and windows (the `kiosk queue import` file)
city queue withdraw KIOSK         take the city's services off that kiosk
city signage playlist FILE        the displays' playlist (the `kiosk/signage/playlist.py` format)
city signage emergency --title T [--text …] [--hours 4]   an emergency notice on every display
city signage withdraw ID          take an emergency notice down
"""

from __future__ import annotations

from pathlib import Path

from city.home import CityHome


def _done(result, what: str) -> int:
    print(f"已发布版本 {result.version}：{what}（下次同步后生效）")
    return 0


def _queue_publish(args, home: CityHome) -> int:
    from city.queue_publish import publish_queue

    return _done(publish_queue(home, args.kiosk_id, args.file), f"一体机 {args.kiosk_id} 的排队业务与窗口")


def _queue_withdraw(args, home: CityHome) -> int:
    from city.queue_publish import withdraw_queue

    return _done(withdraw_queue(home, args.kiosk_id), f"撤回一体机 {args.kiosk_id} 的市级排队业务")


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
