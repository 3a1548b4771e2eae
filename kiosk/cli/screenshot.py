"""`kiosk screenshot --screen NAME --out FILE.png [--size 1080x1920]`: render one screen offscreen."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from kiosk.i18n import tr

ORDER = 14

SCREENS = [
    "home", "contrast", "library", "toc", "reader", "interpretation", "search", "search-initials",
    "no-results", "notices", "guides", "guide-letters", "guide", "pin", "staff", "idle", "maintenance",
]  # fmt: skip


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError("size must look like 1080x1920") from None
    if not (320 <= width <= 7680 and 320 <= height <= 7680):
        raise argparse.ArgumentTypeError("size out of range")
    return width, height


def register(subparsers) -> None:
    parser = subparsers.add_parser("screenshot", help="离屏截取一个界面 render one screen to a PNG")
    parser.add_argument("--screen", required=True, choices=SCREENS)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument(
        "--size", type=_size, default=(1080, 1920), help="宽x高，默认 1080x1920（竖屏一体机）"
    )
    parser.set_defaults(handler=_screenshot)


def _screenshot(args, ctx) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.screenshot import render

    out = render(ctx.config, args.screen, args.out, args.size)
    print(tr("已保存 {file}（{width}x{height}）", file=out, width=args.size[0], height=args.size[1]))
    return 0
