"""Runs the local HTTP API with uvicorn on a thread of `kiosk run` (or of a test) and stops it.

`ApiRunner.start(wait=False)` returns at once: uvicorn and Starlette are imported and the socket bound on
the API's own thread, so the touch screen's first frame never waits for them. A port that cannot be
bound is logged (and, with `wait=True`, raised as `ApiError`); the touch screen runs on without the API.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable

from kiosk.i18n import tr

log = logging.getLogger(__name__)


class ApiError(Exception):
    """The API could not start; `zh` says why for staff."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


class ApiRunner:
    """The API over `services` on `host`:`port` (0: any free port), from `start()` until `stop()`."""

    def __init__(
        self,
        services,
        host: str,
        port: int,
        *,
        modules: tuple[str, ...] | None = None,
        feed=None,
        limits: dict[str, float] | None = None,
    ):
        self.services = services
        self.host = host
        self.port = port
        self.modules = modules
        self.feed = feed  # a kiosk.api.feed.FeedHub; made on start when None
        # kiosk.api.request_limits': header_timeout, body_timeout, body_cap, max_connections (tests lower them)
        self.limits = limits or {}
        self.error: ApiError | None = None
        self._server = None
        self._socket: socket.socket | None = None
        self._undo: list[Callable[[], None]] = []
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()  # started, or failed to

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self, *, wait: bool = True, timeout: float = 20.0) -> None:
        self._thread = threading.Thread(target=self._serve, name="kiosk-api", daemon=True)
        self._thread.start()
        if not wait:
            return
        if not self.wait_ready(timeout):
            raise ApiError("API did not start in time", tr("本机接口未能及时启动"))
        if self.error is not None:
            raise self.error

    def wait_ready(self, timeout: float) -> bool:
        """Wait until the server listens or failed to start (`error`); False if neither came in time."""
        return self._ready.wait(timeout)

    def _serve(self) -> None:
        try:
            import uvicorn

            from kiosk.api import request_limits, server
            from kiosk.api.feed import FeedHub

            self.feed = self.feed or FeedHub()
            modules = self.modules or server.ROUTE_MODULES
            limits = {
                "header_timeout": request_limits.HEADER_TIMEOUT,
                "body_timeout": request_limits.BODY_TIMEOUT,
                "max_connections": request_limits.MAX_CONNECTIONS,
                "body_cap": request_limits.DEFAULT_CAP,
            } | self.limits
            app = request_limits.BodyLimits(
                server.create_app(self.services, self.feed, modules),
                body_timeout=limits["body_timeout"],
                default_cap=int(limits["body_cap"]),
            )
            self._socket = self._bind()
            self._server = uvicorn.Server(
                uvicorn.Config(
                    app,
                    log_level="warning",
                    access_log=False,  # actions are logged by the routes, with the window and no resident data
                    lifespan="off",
                    timeout_graceful_shutdown=2,
                    timeout_keep_alive=5,
                    http=request_limits.protocol(limits["header_timeout"]),
                    limit_concurrency=int(
                        limits["max_connections"]
                    ),  # beyond: 503, a flood cannot exhaust it
                )
            )
            self._undo = server.connect_all(self.services, self.feed, modules)
            watcher = threading.Thread(target=self._announce, name="kiosk-api-ready", daemon=True)
            watcher.start()
            self._server.run(sockets=[self._socket])
        except ApiError as exc:
            self.error = exc
            log.error("api: %s", exc)
        except Exception as exc:  # noqa: BLE001 - the touch screen runs on without its API
            self.error = ApiError(f"API failed: {exc}", tr("本机接口运行出错"))
            log.exception("api: failed")
        finally:
            self._ready.set()

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP, and
        # without it every small response waits ~40 ms for a delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError as exc:
            sock.close()
            raise ApiError(
                f"cannot listen on {self.host}:{self.port}: {exc.strerror}",
                tr(
                    "本机接口无法在 {host}:{port} 上监听（{strerror}），请检查配置项 api.listen 和 api.port",
                    host=self.host,
                    port=self.port,
                    strerror=exc.strerror,
                ),
            ) from None
        self.port = sock.getsockname()[1]
        return sock

    def _announce(self) -> None:
        while not (self._server.started or self._ready.is_set()):
            time.sleep(0.01)
        if self._server.started:
            log.info("api: listening on %s", self.url)
        self._ready.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Close the feed's streams, stop serving and wait for the thread (idempotent)."""
        self.wait_ready(timeout)  # a server still starting would miss should_exit
        for undo in self._undo:
            undo()
        self._undo = []
        if self.feed is not None:
            self.feed.close()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive() and self._server is not None:
                self._server.force_exit = True
                self._thread.join(timeout)
        if self._socket is not None:
            self._socket.close()


def start_api(services) -> ApiRunner | None:
    """Start the API `api.*` configures, off the caller's thread; None when `api.enabled` is off."""
    config = services.config
    if not config["api.enabled"]:
        return None
    runner = ApiRunner(services, config["api.listen"], config["api.port"])
    runner.start(wait=False)
    return runner
