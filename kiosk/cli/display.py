"""`kiosk display`: the hall's display screen (公示牌 · 电子阅报栏 · 叫号屏) as its own process, reading the
kiosk's local API (`display/`, imported only here, like the touch UI in `kiosk run`)."""

from __future__ import annotations

import re

ORDER = 6
_SIZE = re.compile(r"^(\d{3,5})[x×](\d{3,5})$")


class DisplayArgError(Exception):
    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "display", help="公示屏（公示牌、电子阅报栏、叫号）run the hall's display screen"
    )
    parser.add_argument("--output", default="", metavar="NAME", help="显示输出名（如 HDMI-A-2；默认主屏）")
    parser.add_argument(
        "--size", default="", metavar="WxH", help="画面大小，如 1920x1080（默认为输出的大小）"
    )
    parser.add_argument("--rotate", type=int, default=0, choices=(0, 90, 180, 270), help="画面旋转角度")
    parser.add_argument(
        "--api", default="", metavar="URL", help="一体机接口地址（默认 display.api_url 或本机）"
    )
    parser.set_defaults(handler=_display)


def parse_size(text: str) -> tuple[int, int] | None:
    if not text:
        return None
    match = _SIZE.match(text.strip())
    if not match:
        raise DisplayArgError(f"--size {text!r} is not WxH", f"画面大小“{text}”无效，应如 1920x1080")
    return int(match.group(1)), int(match.group(2))


def api_url(config) -> str:
    if config["display.api_url"]:
        return config["display.api_url"]
    host = config["api.listen"]
    host = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{host}:{config['api.port']}"


def _display(args, ctx) -> int:
    from display import app  # the composition root of the display process
    from display.player import Settings

    config = ctx.config
    settings = Settings(
        display_id=config["display.id"],
        rotate=args.rotate,
        screenshot_minutes=config["display.screenshot_minutes"],
        backlight_on=config["display.backlight_on_command"],
        backlight_off=config["display.backlight_off_command"],
    )
    cache = ctx.data_dir / "display-cache" / settings.display_id
    return app.run(
        args.api or api_url(config), cache, settings, output=args.output, size=parse_size(args.size)
    )
