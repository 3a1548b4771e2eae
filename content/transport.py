"""Where a channel's files come from: an HTTP(S) server (or CDN) or a directory (a USB stick).

Both sources write into a partial file and never past the size a manifest declared, so a hostile or
broken server cannot fill the disk; the sync client verifies the hash afterwards. The HTTP source:

- verifies TLS (a configurable CA bundle for a city's own CA), honours a proxy (`proxy_url`: one
  written without a scheme is HTTP; a dead proxy is named in the error);
- retries connection errors, timeouts and 5xx with exponential backoff (with jitter);
- resumes a partial file with an HTTP Range request, also after the kiosk restarted;
- gives up on a server that trickles bytes (below a minimum rate over a window) and resumes later;
- caps its bandwidth with a token bucket so that a village's shared link stays usable.

httpx does the HTTP; the retry/resume loop is hand-written because httpx's transport retries cover
connection setup only, and a download must resume from what is already on disk.
"""

from __future__ import annotations

import hashlib
import logging
import random
import ssl
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from content import media
from content.ca_bundle import BadCaBundle, tls_context
from content.channel import ROOT_FILE, ChannelError, SizeExceeded
from content.disk import is_full
from translatable import Message

log = logging.getLogger(__name__)
USER_AGENT = "zwgk-kiosk-sync/1"


class TransferFailed(ChannelError):
    """A file could not be fetched (after retries). Worth trying again later."""


class NotOnSource(TransferFailed):
    """The source does not have the file (404, or missing on the stick)."""


class _Retry(Exception):
    """A failed attempt worth repeating."""

    def __init__(self, reason: str, *, stalled: bool = False):
        super().__init__(reason)
        self.stalled = stalled


@dataclass(frozen=True)
class TransportSettings:
    timeout: float = 30.0
    retries: int = 5
    backoff: float = 1.0
    backoff_max: float = 60.0
    bandwidth: int = 0  # bytes per second; 0 = no cap
    stall_window: float = 60.0  # seconds over which ...
    min_rate: int = 64  # ... fewer bytes per second than this count as a stalled transfer
    ca_bundle: str = ""
    proxy: str = ""
    chunk: int = 64 * 1024
    # Files fetched at once. Each file costs the server a little work and the link a round trip; on one
    # connection the kiosk waits through both for every file (4,096 shards and 4,096 packs make a 200,000
    # document channel). A few connections keep the link busy meanwhile; more would crowd a shared link.
    connections: int = 4


def proxy_url(settings: TransportSettings) -> str | None:
    """`sync.proxy` as httpx takes it, or None for no proxy.

    A proxy written without a scheme ("10.0.0.1:3128", as curl and requests accept it) is an HTTP proxy.
    Only http:// and https:// proxies work (SOCKS would need the socksio package); anything else is
    refused here with the setting's name, where httpx would fail with a bare ValueError or ImportError."""
    value = settings.proxy.strip()
    if not value:
        return None
    if "://" not in value:
        value = "http://" + value
    shown = proxy_label(value)

    def unusable(en: str, zh: str) -> TransferFailed:
        return TransferFailed(
            f"sync.proxy {shown} is not usable: {en}",
            Message("代理设置 sync.proxy（{shown}）无法使用：{problem}", shown=shown, problem=zh),
        )

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise unusable(
            f"{parts.scheme}:// proxies are not supported, use http://",
            Message("不支持 {scheme} 代理，请填写 http:// 代理", scheme=parts.scheme),
        )
    if not parts.hostname:
        raise unusable("it names no host", Message("缺少代理服务器的主机地址"))
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when asked
    except ValueError:
        raise unusable(
            "its port is not a number from 0 to 65535", Message("端口不是 0–65535 之间的数字")
        ) from None
    return value


def proxy_label(url: str) -> str:
    """A proxy URL without its user name and password, for messages and logs."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


class Source(Protocol):
    label: str
    uses_packs: bool
    bytes_transferred: int
    connections: int  # how many files the sync client may fetch at once (the methods are thread-safe)

    def get_root(self, cap: int, etag: str | None = None) -> tuple[bytes | None, str | None]: ...

    def read(self, path: str, size: int) -> bytes: ...

    def fetch(self, path: str, part: Path, size: int) -> str: ...

    def close(self) -> None: ...


def _prefix_digest(part: Path, offset: int):
    """A SHA-256 already fed with the first `offset` bytes of a partial file (hashing as we download
    saves reading every file twice)."""
    digest = hashlib.sha256()
    if offset:
        with open(part, "rb") as fh:
            remaining = offset
            while remaining and (chunk := fh.read(min(1 << 20, remaining))):
                digest.update(chunk)
                remaining -= len(chunk)
    return digest


def _failure_zh(exc: Exception) -> str:
    """What went wrong with the last attempt, for staff."""
    if isinstance(exc, _Retry):
        if str(exc).startswith("HTTP "):
            return Message("服务器暂时无法提供（{error}），稍后再试", error=exc)
        return Message("连接中断（{error}），已下载部分下次续传", error=exc)
    if isinstance(exc, httpx.TimeoutException):
        return Message("网络超时（{error}）", error=type(exc).__name__)
    if isinstance(exc, httpx.ConnectError):
        return Message("无法连接服务器，请检查网络")
    return Message("网络错误（{error}）", error=type(exc).__name__)


def _too_big(path: str, size: int) -> SizeExceeded:
    return SizeExceeded(
        f"{path} is larger than its declared {size} bytes",
        Message("文件 {path} 超过声明的 {size} 字节，已拒绝（可能被篡改）", path=path, size=size),
    )


class DirectorySource:
    """A channel copied to a folder (USB stick): the same files, the same verification. Only regular
    files are read, each read with a timeout (content.media)."""

    uses_packs = False
    connections = 1  # a USB stick reads no faster in parallel

    def __init__(self, path: Path):
        self.path = Path(path)
        self.label = str(self.path)
        self.bytes_transferred = 0

    def get_root(self, cap: int, etag: str | None = None) -> tuple[bytes | None, str | None]:
        target = self.path / ROOT_FILE
        try:
            data = media.read_file(target, cap + 1)
        except media.MediaError as exc:
            raise TransferFailed(str(exc), exc.zh) from None
        except FileNotFoundError:
            raise NotOnSource(
                f"{target} does not exist: not a channel folder",
                Message("{path} 中没有 root.json，不是频道文件夹", path=self.path),
            ) from None
        except OSError as exc:
            raise TransferFailed(
                f"cannot read {target}: {exc}",
                Message("无法读取 {target}：{error}", target=target, error=exc),
            ) from exc
        if len(data) > cap:
            raise SizeExceeded(
                f"root.json is over the cap of {cap} bytes",
                Message("root.json 超过 {cap} 字节上限，已拒绝", cap=cap),
            )
        self.bytes_transferred += len(data)
        return data, None

    def read(self, path: str, size: int) -> bytes:
        source = self.path / path
        try:
            data = media.read_file(source, size + 1)
        except media.MediaError as exc:
            raise TransferFailed(str(exc), exc.zh) from None
        except FileNotFoundError:
            raise NotOnSource(f"{source} is missing", Message("文件夹中缺少文件 {path}", path=path)) from None
        except OSError as exc:
            raise TransferFailed(
                f"cannot read {source}: {exc}",
                Message("无法读取 {source}：{error}", source=source, error=exc),
            ) from exc
        if len(data) > size:
            raise _too_big(path, size)
        self.bytes_transferred += len(data)
        return data

    def fetch(self, path: str, part: Path, size: int) -> str:
        source = self.path / path
        offset = part.stat().st_size if part.exists() else 0
        if offset > size:
            part.unlink()
            offset = 0
        digest = _prefix_digest(part, offset)
        try:
            with media.open_regular(source) as src, open(part, "ab") as dst:
                src.seek(offset)
                while True:
                    chunk = media.read(src, min(1 << 20, size + 1 - offset), source)
                    if not chunk:
                        break
                    if offset + len(chunk) > size:
                        raise _too_big(path, size)
                    dst.write(chunk)
                    digest.update(chunk)
                    offset += len(chunk)
                    self.bytes_transferred += len(chunk)
        except media.MediaError as exc:
            raise TransferFailed(str(exc), exc.zh) from None
        except FileNotFoundError:
            raise NotOnSource(f"{source} is missing", Message("文件夹中缺少文件 {path}", path=path)) from None
        except OSError as exc:
            if is_full(exc, part.parent):  # the kiosk's disk, not the stick: the sync says so
                raise
            raise TransferFailed(
                f"cannot read {source}: {exc}",
                Message("无法读取 {source}：{error}", source=source, error=exc),
            ) from exc
        return digest.hexdigest()

    def close(self) -> None:
        pass


# With a proxy configured, these mean the proxy itself could not be reached (or refused the tunnel).
_PROXY_UNREACHABLE = (httpx.ConnectError, httpx.ConnectTimeout, httpx.ProxyError)


def tls_verify(settings: TransportSettings) -> ssl.SSLContext | bool:
    """What httpx verifies the city's certificate with: the configured `sync.ca_bundle`, or the system's
    trust (True). A bundle that is not one is a TransferFailed naming the option."""
    if not settings.ca_bundle:
        return True
    try:
        return tls_context(settings.ca_bundle)
    except BadCaBundle as exc:
        en, zh = exc.args
        raise TransferFailed(
            f"option 'sync.ca_bundle': {en}", Message("配置项“sync.ca_bundle”：{problem}", problem=zh)
        ) from None


class HttpSource:
    """A channel on a web server, CDN or object store."""

    uses_packs = True

    def __init__(self, base_url: str, settings: TransportSettings | None = None):
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.label = self.base_url
        self.settings = settings = settings or TransportSettings()
        self.connections = max(1, settings.connections)
        self.bytes_transferred = 0
        self._lock = threading.Lock()  # the byte count and the token bucket, across fetching threads
        self.client = httpx.Client(
            base_url=self.base_url,
            verify=tls_verify(settings),
            proxy=proxy_url(settings),
            timeout=httpx.Timeout(settings.timeout),
            # identity: a Range must count the bytes of the file itself, not of a compressed stream
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
            follow_redirects=True,
        )
        self._tokens = float(settings.bandwidth)
        self._last = time.monotonic()

    def close(self) -> None:
        self.client.close()

    # --- public ----------------------------------------------------------------------------------

    def get_root(self, cap: int, etag: str | None = None) -> tuple[bytes | None, str | None]:
        """root.json (never from a cache), or None when it still matches `etag`."""

        def attempt() -> tuple[bytes | None, str | None]:
            headers = {"Cache-Control": "no-cache"}
            if etag:
                headers["If-None-Match"] = etag
            with self.client.stream("GET", ROOT_FILE, headers=headers) as response:
                if response.status_code == 304:
                    return None, etag
                self._check_status(response, ROOT_FILE)
                body = bytearray()
                for chunk in self._chunks(response):
                    body += chunk
                    if len(body) > cap:
                        raise SizeExceeded(
                            f"root.json is over the cap of {cap} bytes",
                            Message("root.json 超过 {cap} 字节上限，已拒绝", cap=cap),
                        )
                return bytes(body), response.headers.get("etag")

        return self._with_retries(ROOT_FILE, attempt)

    def read(self, path: str, size: int) -> bytes:
        """A small file (a shard manifest) into memory: never more than `size` bytes."""

        def attempt() -> bytes:
            with self.client.stream("GET", path) as response:
                self._check_status(response, path)
                body = bytearray()
                for chunk in self._chunks(response):
                    body += chunk
                    if len(body) > size:
                        raise _too_big(path, size)
            if len(body) < size:
                raise _Retry(f"connection closed after {len(body)} of {size} bytes")
            return bytes(body)

        return self._with_retries(path, attempt)

    def fetch(self, path: str, part: Path, size: int) -> str:
        """Bring `part` to `size` bytes of `path`, resuming from what it holds; returns its SHA-256."""
        result: list[str] = []

        def attempt() -> None:
            offset = part.stat().st_size if part.exists() else 0
            if offset > size:
                part.unlink()
                offset = 0
            digest = _prefix_digest(part, offset)
            if offset == size:
                result.append(digest.hexdigest())
                return
            headers = {"Range": f"bytes={offset}-{size - 1}"} if offset else {}
            with self.client.stream("GET", path, headers=headers) as response:
                if response.status_code == 416:
                    part.unlink(missing_ok=True)
                    raise _Retry("range not satisfiable")
                self._check_status(response, path)
                if offset and response.status_code != 206:
                    offset = 0  # the server ignored Range: start over
                    digest = hashlib.sha256()
                    part.unlink(missing_ok=True)
                elif offset and not response.headers.get("content-range", "").startswith(f"bytes {offset}-"):
                    part.unlink(missing_ok=True)
                    raise _Retry("unexpected Content-Range")
                with open(part, "ab") as fh:
                    try:
                        for chunk in self._chunks(response):
                            if offset + len(chunk) > size:
                                raise _too_big(path, size)
                            fh.write(chunk)
                            digest.update(chunk)
                            offset += len(chunk)
                    finally:
                        fh.flush()
            if offset < size:
                raise _Retry(f"connection closed after {offset} of {size} bytes")
            result.append(digest.hexdigest())

        def on_disk() -> int:
            return part.stat().st_size if part.exists() else 0

        self._with_retries(path, attempt, progress=on_disk, start=on_disk())
        return result[-1]

    # --- internals -------------------------------------------------------------------------------

    def _with_retries(self, path: str, attempt, progress=None, start: int = 0):
        failures = 0
        last = start
        while True:
            try:
                return attempt()
            except (httpx.TransportError, _Retry) as exc:
                stalled = isinstance(exc, _Retry) and exc.stalled
                now = progress() if progress else 0
                if now > last and not stalled:
                    failures = 0  # it moved forward: a flaky link, not a dead one
                last = now
                failures += 1
                if failures > self.settings.retries:
                    reason = "too slow" if stalled else f"{type(exc).__name__}: {exc}"
                    zh = Message("下载过慢，已暂停，稍后续传") if stalled else _failure_zh(exc)
                    if self.settings.proxy and isinstance(exc, _PROXY_UNREACHABLE):
                        # through a proxy every connection goes to the proxy: it is the one down
                        shown = proxy_label(proxy_url(self.settings) or "")
                        reason += f" (through the proxy {shown}: is it running? see sync.proxy)"
                        zh = Message(
                            "无法连接代理服务器 {shown}（{error}），请检查代理或 sync.proxy 设置",
                            shown=shown,
                            error=type(exc).__name__,
                        )
                    raise TransferFailed(
                        f"could not fetch {path} after {failures} attempts: {reason}",
                        Message("多次尝试后仍无法下载 {path}：{problem}", path=path, problem=zh),
                    ) from None
                delay = min(self.settings.backoff_max, self.settings.backoff * 2 ** (failures - 1))
                delay *= random.uniform(0.5, 1.0)
                log.info("retrying %s in %.1fs after %s", path, delay, exc)
                time.sleep(delay)

    def _check_status(self, response: httpx.Response, path: str) -> None:
        status = response.status_code
        if status >= 500 or status in (408, 429):
            raise _Retry(f"HTTP {status}")
        if status in (404, 410):
            raise NotOnSource(
                f"{path} not found on the server (HTTP {status})",
                Message("服务器上没有 {path}（HTTP {status}）", path=path, status=status),
            )
        if status not in (200, 206):
            raise TransferFailed(
                f"{path}: HTTP {status}", Message("下载 {path} 失败：HTTP {status}", path=path, status=status)
            )

    def _chunks(self, response: httpx.Response):
        window_start = time.monotonic()
        window_bytes = 0
        for chunk in response.iter_raw():  # as received: a fixed chunk size would hide a trickle
            self._throttle(len(chunk))
            yield chunk
            window_bytes += len(chunk)
            elapsed = time.monotonic() - window_start
            if elapsed >= self.settings.stall_window:
                if window_bytes < self.settings.min_rate * elapsed:
                    raise _Retry(f"stalled: {window_bytes} bytes in {elapsed:.1f}s", stalled=True)
                window_start, window_bytes = time.monotonic(), 0

    def _throttle(self, n: int) -> None:
        """Count `n` received bytes and, under a bandwidth cap, wait until the shared bucket allows them."""
        rate = self.settings.bandwidth
        with self._lock:
            self.bytes_transferred += n
            if not rate:
                return
            now = time.monotonic()
            self._tokens = min(float(rate), self._tokens + (now - self._last) * rate) - n
            self._last = now
            wait = -self._tokens / rate
        if wait > 0:
            time.sleep(wait)
