"""`kiosk run`: the production kiosk, full screen without window decorations."""

from __future__ import annotations

import threading

ORDER = 5


def register(subparsers) -> None:
    parser = subparsers.add_parser("run", help="启动一体机（全屏）run the kiosk full screen")
    parser.add_argument("--window", action="store_true", help="在窗口中运行（调试用）run in a window")
    parser.set_defaults(handler=_run)


def _run(args, ctx) -> int:
    from kiosk.cli.hall_services import start_hall_services
    from kiosk.crash_loop import STABLE_SECONDS, StartLog
    from kiosk.services import build
    from ui import app  # the composition root: the GUI is imported only here

    starts = StartLog(ctx.data_dir)
    hold = starts.record()  # one more start after several that died at once: 系统维护中
    if not hold:
        lasted = threading.Timer(STABLE_SECONDS, starts.stable)
        lasted.daemon = True  # never keeps a quitting kiosk alive
        lasted.start()
    # the background sync starts once the library is open, off the GUI thread (sync.enabled)
    services = build(ctx.config, ctx.data_dir, background_sync=True, hold=hold)
    stop_hall_services, _ = start_hall_services(services)  # the local API and the voice
    return app.run(services, fullscreen=not args.window, on_quit=stop_hall_services)
