"""`kiosk display`: the hall's display screen (公示牌 · 电子阅报栏 · 叫号屏) as its own process, reading the
kiosk's local API (`display/`, imported only here, like the touch UI in `kiosk run`).

With `--set-playlist FILE`, `--emergency TITLE`, `--withdraw ID` or `--emergencies` it changes or shows
what the kiosk's displays play (`kiosk.signage`) instead, and exits; the displays see it within a minute.
With `--pair CODE` (from staff mode's 公示屏 page) a display on another PC exchanges the code for its display
token, kept in its data directory, and then runs; the display on the kiosk's own PC reads the kiosk's
local token file from the shared data directory (`kiosk.signage.tokens`)."""

from __future__ import annotations

import re

from kiosk.i18n import tr

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
    parser.add_argument(
        "--pair", default="", metavar="CODE", help="用工作人员模式“公示屏”页面上的配对码配对本公示屏"
    )
    staff = parser.add_argument_group("工作人员 staff (change what the displays play, then exit)")
    staff.add_argument("--set-playlist", metavar="FILE", help="检查并启用播放列表（JSON）")
    staff.add_argument("--emergency", metavar="TITLE", help="发布紧急通知（插播到撤回或结束时间）")
    staff.add_argument("--text", default="", help="紧急通知的内容")
    staff.add_argument("--until", default="", metavar="TIME", help="紧急通知的结束时间，如 2026-12-04T18:00")
    staff.add_argument("--withdraw", metavar="ID", help="撤回一条紧急通知")
    staff.add_argument("--emergencies", action="store_true", help="列出正在插播的紧急通知")
    parser.set_defaults(handler=_display)


def parse_size(text: str) -> tuple[int, int] | None:
    if not text:
        return None
    match = _SIZE.match(text.strip())
    if not match:
        raise DisplayArgError(
            f"--size {text!r} is not WxH", tr("画面大小“{text}”无效，应如 1920x1080", text=text)
        )
    return int(match.group(1)), int(match.group(2))


def api_url(config) -> str:
    if config["display.api_url"]:
        return config["display.api_url"]
    host = config["api.listen"]
    host = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{host}:{config['api.port']}"


def set_playlist(data_dir, path: str) -> int:
    import json
    from pathlib import Path

    from kiosk.signage import playlist
    from kiosk.signage.files import signage_dir, write_json

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise DisplayArgError(
            f"cannot read {path}: {exc.strerror}",
            tr("无法读取播放列表文件 {path}：{strerror}", path=path, strerror=exc.strerror),
        ) from None
    except ValueError as exc:
        line = getattr(exc, "lineno", "?")
        raise DisplayArgError(
            f"{path} is not JSON: {exc}",
            tr("播放列表文件 {path} 第 {line} 行不是有效的 JSON", path=path, line=line),
        ) from None
    plan = playlist.parse(data)  # PlaylistInvalid names every problem; nothing is kept
    write_json(signage_dir(data_dir) / "playlist.json", plan.to_json())
    print(tr("已启用播放列表：{entries} 个播放项", entries=len(plan.entries)))
    return 0


def emergencies(args, data_dir) -> int:
    from datetime import datetime

    from kiosk.signage.emergency import Emergencies

    board, now = Emergencies(data_dir), datetime.now()
    if args.emergency:
        notice = board.post(args.emergency, args.text, args.until, now=now)
        print(
            tr(
                "已发布紧急通知 {id} {title}（{until}）",
                id=notice.id,
                title=notice.title,
                until=notice.until or tr("撤回前一直插播"),
            )
        )
    elif args.withdraw:
        if not board.withdraw(args.withdraw):
            raise DisplayArgError(
                f"no emergency notice {args.withdraw}",
                tr("没有编号为 {withdraw} 的紧急通知", withdraw=args.withdraw),
            )
        print(tr("已撤回紧急通知 {withdraw}", withdraw=args.withdraw))
    else:
        for notice in board.current(now):
            print(f"{notice.id}\t{notice.issued_at}\t{notice.until or tr('撤回前')}\t{notice.title}")
    return 0


def pair(api: str, code: str, display_id: str, data_dir) -> str:
    """Exchange a pairing code for this display's token and keep it in `data_dir`; the token."""
    import httpx

    from kiosk.signage.tokens import write_token

    try:
        response = httpx.post(
            f"{api}/api/display/pair", json={"code": code, "display": display_id}, timeout=10
        )
    except httpx.HTTPError as exc:
        raise DisplayArgError(
            f"cannot reach {api}: {exc}", tr("连不上一体机 {api}，请检查地址和网络", api=api)
        ) from None
    if response.status_code != 200:
        try:
            message = response.json().get("message", "")
        except ValueError:
            message = ""
        raise DisplayArgError(
            f"pairing refused ({response.status_code})",
            message or tr("一体机拒绝了配对（{status_code}）", status_code=response.status_code),
        )
    write_token(data_dir, response.json()["token"])
    print(tr("公示屏 {display_id} 已与一体机配对", display_id=display_id))
    return response.json()["token"]


def _display(args, ctx) -> int:
    if args.set_playlist:
        return set_playlist(ctx.data_dir, args.set_playlist)
    if args.emergency or args.withdraw or args.emergencies:
        return emergencies(args, ctx.data_dir)
    from display import app  # the composition root of the display process
    from display.player import Settings
    from kiosk.signage.tokens import token_path

    config = ctx.config
    api = args.api or api_url(config)
    if args.pair:
        pair(api, args.pair, config["display.id"], ctx.data_dir)
    settings = Settings(
        display_id=config["display.id"],
        rotate=args.rotate,
        screenshot_minutes=config["display.screenshot_minutes"],
        backlight_on=config["display.backlight_on_command"],
        backlight_off=config["display.backlight_off_command"],
        token_file=token_path(ctx.data_dir),
    )
    cache = ctx.data_dir / "display-cache" / settings.display_id
    return app.run(api, cache, settings, output=args.output, size=parse_size(args.size))
