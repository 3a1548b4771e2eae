"""The `kiosk` command line: one subcommand per module in this package.

Every module in this package that defines ``register(subparsers)`` is a command: it adds its parser
and sets ``handler`` to a function ``handler(args, ctx) -> int``. Its ``ORDER`` (an int) places it in
`kiosk --help`. Domain errors carry a Chinese message in ``.zh``; they are
printed for the person at the terminal (Chinese first, English after) and never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from kiosk import __version__, config, i18n, logs, paths
from kiosk.i18n import tr

log = logging.getLogger("kiosk.cli")


class Context:
    """What every command may need, created on first use."""

    def __init__(self, config_path: Path | None):
        self.config_path = config_path

    @cached_property
    def config(self) -> config.Config:
        return config.load(self.config_path if self.config_path else config.default_config_path())

    @cached_property
    def data_dir(self) -> Path:
        return paths.data_dir()


def command_modules() -> list:
    modules = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
    commands = [m for m in modules if hasattr(m, "register")]
    return sorted(commands, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="政务公开专区一体机 zwgk-kiosk：政府信息查询、政策解读、公示公告、设备与同步。",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"zwgk-kiosk {__version__}")
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="配置文件 configuration file (default: /etc/zwgk-kiosk/kiosk.toml)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", title="命令 commands")
    for module in command_modules():
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0 if args.command is None else 2
    ctx = Context(args.config)
    try:
        if args.command != "config":
            logs.setup(paths.logs_dir(), ctx.config["kiosk.log_level"])
            i18n.set_language(ctx.config["kiosk.language"])
        return int(args.handler(args, ctx) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - domain errors are reported, others logged and summarised
        zh = getattr(exc, "zh", None)
        if zh is None:
            log.exception("unexpected error in %s", args.command)
            detail = f"{type(exc).__name__}: {exc}"
            print(tr("错误：内部错误，详情见日志。\nerror: {detail}", detail=detail), file=sys.stderr)
            return 1
        log.warning("%s failed: %s", args.command, exc)
        print(tr("错误：{problem}\nerror: {detail}", problem=i18n.translate(zh), detail=exc), file=sys.stderr)
        return 2


def print_json(value: object) -> None:
    import json

    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


if __name__ == "__main__":
    sys.exit(main())
