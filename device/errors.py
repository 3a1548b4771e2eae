"""Typed device errors: an English ``str()`` for logs, a Chinese ``.zh`` and a Chinese remedy ``.hint``.

Every failure a technician or resident can meet (unplugged reader, silent printer, paper out…) is one of
these, so callers never see a bare pyserial or socket exception.

`device/` may not import `kiosk`, so a message staff read is a `Message`: the Chinese sentence itself,
keeping its template and values; `kiosk.i18n.translate` puts it into the kiosk's language where it is
shown (`translatable.Message`, shared with `content/`).
"""

from __future__ import annotations

from translatable import Joined as Joined  # re-exported: the package's messages are made here
from translatable import Message as Message


class DeviceError(Exception):
    """Base of every device error. ``zh`` is the message for staff, ``hint`` what to do about it."""

    default_hint = Message("请检查设备连接后重试")

    def __init__(self, en: str, zh: str, hint: str | None = None):
        super().__init__(en)
        self.zh = zh
        self.hint = hint if hint is not None else self.default_hint


class AddressError(DeviceError):
    """A device URL that cannot be used."""

    default_hint = Message("请检查配置中的设备地址，例如 serial:///dev/ttyUSB0?baudrate=115200")


class DeviceUnavailable(DeviceError):
    """The device could not be opened (missing port, permission, refused connection)."""

    default_hint = Message("请检查设备电源和连接线，确认设备地址正确且有访问权限（dialout 组）")


class DeviceDisconnected(DeviceError):
    """The device went away while in use (unplugged mid-read). The next use reconnects."""

    default_hint = Message("设备连接已断开，请检查连接线后重试")


class DeviceTimeout(DeviceError):
    """The device did not answer (or did not accept data) in time."""

    default_hint = Message("设备无响应，请检查串口线和波特率")


class ProtocolError(DeviceError):
    """Bytes that do not follow the protocol: bad preamble, length, checksum or layout.

    This is the only exception the SAM frame decoder raises for bad input.
    """

    default_hint = Message("通信数据错误，请检查波特率设置和连接线是否受干扰")


class GarbledReply(ProtocolError):
    """Bytes arrived but never formed a frame: typically a wrong baud rate."""

    default_hint = Message("读卡器应答无法识别，请检查波特率设置（通常为 115200）")


class CjkFontMissing(DeviceError):
    """No font with Chinese glyphs is installed (needed for raster printing and previews)."""

    default_hint = Message("请安装中文字体：apt-get install fonts-noto-cjk（或 fonts-wqy-microhei）")


class PrinterError(DeviceError):
    """The printer refused or could not take a job."""

    default_hint = Message("请检查打印机电源、纸卷和连接线")
