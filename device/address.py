"""Device addresses are URLs: serial://, tcp://, usb://VID:PID, file://, sim:// and ``auto``.

serial:///dev/ttyUSB0?baudrate=115200    tcp://192.0.2.10:9100    usb://0416:5011
file:///dev/usb/lp0                      sim://?paper=out         sim://?card=foreigner-2023
auto                                     (ID-card reader only: probe the serial ports)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from device.errors import AddressError
from translatable import Message

SCHEMES = ("serial", "tcp", "usb", "file", "sim", "auto")


@dataclass(frozen=True)
class DeviceAddress:
    url: str
    scheme: str
    path: str = ""
    host: str = ""
    port: int = 0
    vendor: int = 0
    product: int = 0
    options: dict[str, str] = field(default_factory=dict)

    def option(self, name: str, default: str = "") -> str:
        return self.options.get(name, default)

    def int_option(self, name: str, default: int) -> int:
        value = self.options.get(name)
        if value is None:
            return default
        try:
            return int(value)
        except ValueError:
            raise _bad(
                self.url,
                f"option {name}={value!r} is not a number",
                Message("参数 {name}={value} 不是数字", name=name, value=value),
            ) from None


def _bad(url: str, en: str, zh: str) -> AddressError:
    return AddressError(
        f"bad device address {url!r}: {en}", Message("设备地址 {url} 有误：{zh}", url=url, zh=zh)
    )


def parse(url: str) -> DeviceAddress:
    url = url.strip()
    if url == "auto":
        return DeviceAddress(url, "auto")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or not url.startswith(f"{parts.scheme}://"):
        raise _bad(
            url, "unknown scheme", Message("只支持 serial://、tcp://、usb://、file://、sim:// 或 auto")
        )
    options = dict(parse_qsl(parts.query))
    path = unquote(parts.path)
    if scheme in ("serial", "file"):
        if not path:
            raise _bad(url, "missing device path", Message("缺少设备路径，例如 serial:///dev/ttyUSB0"))
        return DeviceAddress(url, scheme, path=path, options=options)
    if scheme == "tcp":
        try:
            port = parts.port or 9100
        except ValueError:
            raise _bad(url, "bad port", Message("端口号无效")) from None
        if not parts.hostname:
            raise _bad(url, "missing host", Message("缺少主机地址，例如 tcp://192.0.2.10:9100"))
        return DeviceAddress(url, scheme, host=parts.hostname, port=port, options=options)
    if scheme == "usb":
        ids = parts.netloc.split(":")
        try:
            vendor, product = (int(x, 16) for x in ids)
        except ValueError:
            raise _bad(
                url, "expected usb://VID:PID in hex", Message("应为 usb://厂商ID:产品ID（十六进制）")
            ) from None
        return DeviceAddress(url, scheme, vendor=vendor, product=product, options=options)
    return DeviceAddress(url, scheme, path=parts.netloc + path, options=options)
