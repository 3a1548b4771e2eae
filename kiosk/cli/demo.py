"""`kiosk demo`: the kiosk in a window on the bundled gazette, with simulated devices and a demo PIN.

The window is scaled to fit the desktop. ``--headless`` keeps the old interactive search prompt for
machines without a display.
"""

from __future__ import annotations

import sys

from kiosk import demo
from kiosk import library as library_service
from kiosk.i18n import N_, tr, translate

ORDER = 10
DEMO_PIN = "246810"  # 6 digits, as every new PIN (kiosk.staff.PIN_LENGTHS)

CORNERS = {
    "top-left": N_("左上角"),
    "top-right": N_("右上角"),
    "bottom-left": N_("左下角"),
    "bottom-right": N_("右下角"),
}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo", help="演示模式（内置公报、模拟设备）demo kiosk on the bundled gazette"
    )
    parser.add_argument(
        "--headless", action="store_true", help="无界面：命令行检索 search prompt without a GUI"
    )
    parser.add_argument("--landscape", action="store_true", help="横屏 1920x1080（默认竖屏 1080x1920）")
    parser.set_defaults(handler=_demo)


def _demo(args, ctx) -> int:
    config = ctx.config.with_values(devices__idcard="sim://", devices__printer="sim://")
    demo.write_marker(ctx.data_dir)
    demo.configure_queue(ctx.data_dir)
    if args.headless:
        return _headless(config, ctx)
    from kiosk.cli.hall_services import start_hall_services
    from kiosk.services import build
    from ui import app  # the composition root: the GUI is imported only here

    # the background sync runs only on an enrolled kiosk with sync.enabled
    services = build(config, ctx.data_dir, bundled=True, background_sync=True)
    corner = translate(CORNERS[config["ui.staff_corner"]])
    seconds = config["ui.staff_hold_seconds"]
    print(tr("政务公开专区 · {hall}（演示）", hall=config["kiosk.hall_name"]))
    if not services.staff.auth.has_pin():
        services.staff.auth.set_pin(DEMO_PIN)
        print(
            tr(
                "演示工作人员 PIN：{pin}；长按屏幕{corner} {seconds} 秒进入工作人员模式。",
                pin=DEMO_PIN,
                corner=corner,
                seconds=seconds,
            )
        )
    else:
        print(
            tr(
                "工作人员 PIN：已设置（沿用现有 PIN）；长按屏幕{corner} {seconds} 秒进入工作人员模式。",
                corner=corner,
                seconds=seconds,
            )
        )
    print(tr("身份证阅读器、小票打印机：模拟设备（sim://）。"))
    print(tr("信息公开申请：演示密钥，申请加密后留在本机待上传队列（未登记市级平台，不会发送）。"))
    sys.stdout.flush()
    size = (1920, 1080) if args.landscape else (1080, 1920)
    stop_hall_services, api_url = start_hall_services(services)  # the local API and the voice
    if api_url:
        print(tr("本机接口（窗口叫号页面 {url}/w）：{url}", url=api_url))
    return app.run(services, fullscreen=False, size=size, on_quit=stop_hall_services)


def _headless(config, ctx) -> int:
    from kiosk.cli.content import print_hits

    with library_service.open_library(config, ctx.data_dir, bundled=True) as library:
        stats = library.stats()
        print(tr("政务公开专区 · {hall}（演示）", hall=config["kiosk.hall_name"]))
        print(
            tr(
                "资料库：{documents} 篇政策文件，{interpretations} 篇政策解读",
                documents=stats["by_kind"]["document"],
                interpretations=stats["by_kind"]["interpretation"],
            )
        )
        print(tr("输入关键词检索（汉字、拼音全拼或首字母、文号均可），输入 q 退出。"))
        while True:
            try:
                query = input(tr("检索> "))
            except EOFError:
                print()
                return 0
            if query.strip().lower() in ("q", "quit", "exit"):
                return 0
            if not query.strip():
                continue
            print_hits(library.search(query, limit=10))
            sys.stdout.flush()
