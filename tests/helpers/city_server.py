"""`background(app)`: an ASGI app (the city's server) served by uvicorn on a thread, on an ephemeral loopback
port, for the tests that talk to a real city over HTTP; the server stops when the block ends."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from city.limits import HEADER_TIMEOUT, protocol


@contextmanager
def background(
    app,
    host: str = "127.0.0.1",
    log_level: str = "error",
    *,
    certfile: str | None = None,
    keyfile: str | None = None,
    header_timeout: float = HEADER_TIMEOUT,
) -> Iterator[str]:
    """Run an ASGI app with uvicorn in a thread on an ephemeral loopback port; yields its base URL."""
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP, and without
    # it every small response waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level=log_level,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
            ssl_certfile=certfile,
            ssl_keyfile=keyfile,
            http=protocol(header_timeout),
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("server did not start")
        time.sleep(0.01)
    try:
        yield f"{'https' if certfile else 'http'}://{host}:{port}"
    finally:
        server.should_exit = server.force_exit = True
        thread.join(timeout=10)
        sock.close()
