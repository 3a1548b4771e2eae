"""`kiosk config show` and `kiosk config check FILE`."""

from __future__ import annotations

from pathlib import Path

from kiosk import config
from kiosk.cli import print_json
from kiosk.i18n import tr

ORDER = 80


def register(subparsers) -> None:
    parser = subparsers.add_parser("config", help="查看或检查配置 show or validate the configuration")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="显示生效的配置 print the effective configuration")
    show.add_argument("--json", action="store_true", help="JSON output")
    show.set_defaults(handler=_show)
    example = actions.add_parser("example", help="打印配置文件样例 print an example file with every option")
    example.set_defaults(handler=lambda args, ctx: print(config.render_example(), end="") or 0)
    check = actions.add_parser("check", help="检查配置文件 validate a configuration file")
    check.add_argument("file", type=Path)
    check.set_defaults(handler=_check)


def _show(args, ctx) -> int:
    effective = ctx.config
    if args.json:
        print_json(
            {
                key: {"value": value, "source": effective.sources[key]}
                for key, value in effective.values.items()
            }
        )
    else:
        print(config.render_toml(effective), end="")
    return 0


def _check(args, ctx) -> int:
    config.load(args.file)
    print(tr("配置文件有效 configuration OK: {file}", file=args.file))
    return 0
