"""`kiosk demo`: the demo kiosk on embedded defaults (bundled gazette, simulated devices).

Until the touch UI lands this is a headless demo: it imports the bundled gazette into a demo data
directory and opens an interactive search prompt.
"""

from __future__ import annotations

import sys

from kiosk import library as library_service
from kiosk.cli.content import print_hits

ORDER = 10


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo", help="演示模式（内置公报、模拟设备）demo kiosk on the bundled gazette"
    )
    parser.add_argument(
        "--headless", action="store_true", help="无图形界面：命令行检索 search prompt without a window"
    )
    parser.set_defaults(handler=_demo)


def _demo(args, ctx) -> int:
    with library_service.open_library(ctx.config, ctx.data_dir, bundled=True) as library:
        stats = library.stats()
        print(f"政务公开专区 · {ctx.config['kiosk.hall_name']}（演示）")
        print(
            f"资料库：{stats['by_kind']['document']} 篇政策文件，{stats['by_kind']['interpretation']} 篇政策解读"
        )
        print("输入关键词检索（汉字、拼音全拼或首字母、文号均可），输入 q 退出。")
        while True:
            try:
                query = input("检索> ")
            except EOFError:
                print()
                return 0
            if query.strip().lower() in ("q", "quit", "exit"):
                return 0
            if not query.strip():
                continue
            print_hits(library.search(query, limit=10))
            sys.stdout.flush()
