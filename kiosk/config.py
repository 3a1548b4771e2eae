"""Loading and validating the kiosk's TOML configuration against the declared options.

A wrong value is a `ConfigError` that names the option, the file and the line, so staff can fix it.
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk.i18n import tr, translate
from kiosk.options import OPTIONS, OPTIONS_BY_KEY, Option

PACKAGED_CONFIG = Path("/etc/zwgk-kiosk/kiosk.toml")
DEVICE_SCHEMES = ("serial", "tcp", "usb", "file", "sim")


class ConfigError(Exception):
    """A configuration file or value that cannot be used."""

    def __init__(self, en: str, zh: str, *, path: Path | None = None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line else f"{path}: "
        super().__init__(where + en)
        self.zh = where + zh
        self.path = path
        self.line = line


@dataclass(frozen=True)
class Config:
    """The effective configuration: every declared option with its value and where it came from."""

    values: dict[str, Any]
    sources: dict[str, str]
    path: Path | None = None

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def with_values(self, **overrides: Any) -> Config:
        """A copy with some options replaced (keys use ``__`` for the dot: ``kiosk__tier``)."""
        values = dict(self.values)
        sources = dict(self.sources)
        for name, value in overrides.items():
            key = name.replace("__", ".")
            option = OPTIONS_BY_KEY[key]
            values[key] = coerce(option, value)
            sources[key] = "override"
        return Config(values, sources, self.path)


def defaults() -> Config:
    return Config({o.key: o.default for o in OPTIONS}, {o.key: "default" for o in OPTIONS})


def default_config_path() -> Path | None:
    """The file used when no ``--config`` is given: KIOSK_CONFIG, the packaged path, or the user's."""
    env = os.environ.get("KIOSK_CONFIG")
    if env:
        return Path(env)
    if PACKAGED_CONFIG.exists():
        return PACKAGED_CONFIG
    user = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "zwgk-kiosk" / "kiosk.toml"
    return user if user.exists() else None


def load(path: Path | None) -> Config:
    """Defaults, overlaid with the TOML file at `path` (if any)."""
    config = defaults()
    if path is None:
        return config
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"cannot read configuration file: {exc.strerror}",
            tr("无法读取配置文件：{error}", error=exc.strerror),
            path=path,
        ) from exc
    try:
        text = raw.decode("utf-8-sig")  # a BOM, as Windows editors save it, is not part of the TOML
    except UnicodeDecodeError as exc:
        raise ConfigError(
            "configuration file is not UTF-8",
            tr("配置文件不是 UTF-8 编码"),
            path=path,
            line=_line_of_offset(raw, exc.start),
        ) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        raise ConfigError(
            f"not valid TOML: {exc}", tr("不是有效的 TOML：{error}", error=exc), path=path, line=line
        ) from exc
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise ConfigError(
            "values are nested too deeply (options are section.name = value)",
            tr("配置文件中的值嵌套层数过多（配置项的写法是“[节] 名称 = 值”）"),
            path=path,
        ) from None

    values = dict(config.values)
    sources = dict(config.sources)
    locator = _KeyLocator(text)
    for key, value in _flatten(data):
        line = locator.line_of(key)
        option = OPTIONS_BY_KEY.get(key)
        if option is None:
            raise ConfigError(
                f"unknown option '{key}'", tr("未知的配置项“{key}”", key=key), path=path, line=line
            )
        try:
            values[key] = coerce(option, value)
        except ValueError as exc:
            raise ConfigError(
                f"option '{key}': {exc.args[0]}",
                tr("配置项“{key}”：{problem}", key=key, problem=translate(exc.args[1])),
                path=path,
                line=line,
            ) from None
        sources[key] = f"{path}:{line}" if line else str(path)
    return Config(values, sources, path)


def coerce(option: Option, value: Any) -> Any:
    """Check `value` against the option's type; raise ValueError(en, zh) when it does not fit."""
    kind = option.type
    if kind in ("str", "path"):
        if not isinstance(value, str):
            raise ValueError(
                f"expected a string, got {_toml_type(value)}",
                tr("应为字符串，实际为{type}", type=_toml_type(value)),
            )
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(
                f"expected true or false, got {_toml_type(value)}",
                tr("应为 true 或 false，实际为{type}", type=_toml_type(value)),
            )
        return value
    if kind in ("int", "float"):
        ok = isinstance(value, int) if kind == "int" else isinstance(value, int | float)
        if isinstance(value, bool) or not ok:
            got = _toml_type(value)
            if kind == "int":
                raise ValueError(f"expected an integer, got {got}", tr("应为整数，实际为{type}", type=got))
            raise ValueError(f"expected a number, got {got}", tr("应为数字，实际为{type}", type=got))
        if not math.isfinite(value):  # nan passes every comparison below
            raise ValueError(
                f"must be a finite number, not {value}", tr("必须是有限的数字，不能是 {value}", value=value)
            )
        if option.minimum is not None and value < option.minimum:
            raise ValueError(
                f"must be at least {option.minimum:g}",
                tr("不能小于 {minimum}", minimum=f"{option.minimum:g}"),
            )
        if option.maximum is not None and value > option.maximum:
            raise ValueError(
                f"must be at most {option.maximum:g}", tr("不能大于 {maximum}", maximum=f"{option.maximum:g}")
            )
        return float(value) if kind == "float" else value
    if kind == "choice":
        if value not in option.choices:
            allowed = " / ".join(option.choices)
            raise ValueError(
                f"'{value}' is not one of {allowed}",
                tr("“{value}”不在可选值 {allowed} 之中", value=value, allowed=allowed),
            )
        return value
    if kind == "device":
        if not isinstance(value, str):
            raise ValueError(f"expected a device address, got {_toml_type(value)}", tr("应为设备地址字符串"))
        check_device_address(value)
        return value
    if kind == "cafile":
        if not isinstance(value, str):
            raise ValueError(
                f"expected a file path, got {_toml_type(value)}",
                tr("应为文件路径，实际为{type}", type=_toml_type(value)),
            )
        if value:
            from content.ca_bundle import load_ca_bundle  # ssl: loaded only when a bundle is configured

            load_ca_bundle(value)
        return value
    if kind == "address":
        if not isinstance(value, str):
            raise ValueError(
                f"expected an IP address, got {_toml_type(value)}",
                tr("应为 IP 地址，实际为{type}", type=_toml_type(value)),
            )
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            raise ValueError(
                f"'{value}' is not an IP address (such as 127.0.0.1 or 192.168.1.20)",
                tr("“{value}”不是 IP 地址（例如 127.0.0.1 或 192.168.1.20）", value=value),
            ) from None
    if kind == "url":
        if not isinstance(value, str) or (value and urlsplit(value).scheme not in ("http", "https")):
            raise ValueError("expected an http:// or https:// URL", tr("应为 http:// 或 https:// 地址"))
        return value
    raise AssertionError(f"option {option.key} has unknown type {kind}")


def check_device_address(value: str) -> None:
    """Accept '' (not configured), 'auto', or a URL with a known device scheme."""
    if value in ("", "auto"):
        return
    scheme = urlsplit(value).scheme
    if scheme not in DEVICE_SCHEMES:
        known = ", ".join(f"{s}://" for s in DEVICE_SCHEMES)
        raise ValueError(
            f"'{value}' is not a device address ({known} or auto)",
            tr("“{value}”不是有效的设备地址（{known} 或 auto）", value=value, known=known),
        )


def render_toml(config: Config) -> str:
    """The effective configuration as TOML, each option preceded by its description and source."""
    lines: list[str] = []
    section = None
    for option in OPTIONS:
        if option.section != section:
            section = option.section
            lines.append(f"\n[{section}]")
        value = config[option.key]
        shown = '"********"' if option.secret and value else _toml_value(value)
        lines.append(f"# {translate(option.description)}  ({config.sources[option.key]})")
        lines.append(f"{option.name} = {shown}")
    return "\n".join(lines).lstrip() + "\n"


def render_example() -> str:
    """An example file: every option commented out at its default, under its description."""
    lines = ["# zwgk-kiosk configuration (TOML). Uncomment and change what this kiosk needs."]
    section = None
    for option in OPTIONS:
        if option.section != section:
            section = option.section
            lines += ["", f"[{section}]"]
        described = translate(option.description)
        if option.choices:
            described = tr(
                "{description}（可选：{choices}）", description=described, choices=" / ".join(option.choices)
            )
        lines.append(f"# {described}")
        lines.append(f"# {option.name} = {_toml_value(option.default)}")
    return "\n".join(lines).strip() + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _toml_type(value: Any) -> str:
    names = {
        bool: "布尔值 boolean",
        int: "整数 integer",
        float: "数字 float",
        str: "字符串 string",
        list: "数组 array",
        dict: "表 table",
    }
    return names.get(type(value), type(value).__name__)


def _flatten(data: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """``section.name`` and value; a table deeper than that is the value of an unknown option."""
    for key, value in data.items():
        if isinstance(value, dict):
            for name, inner in value.items():
                yield f"{key}.{name}", inner
        else:
            yield key, value


def _line_of_offset(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


class _KeyLocator:
    """Finds the line of a dotted key in TOML text (tomllib does not report positions)."""

    _table = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-\s]+?)\s*\]\s*(#.*)?$")
    _assign = re.compile(r"^\s*([A-Za-z0-9_.\-\s\"]+?)\s*=")

    def __init__(self, text: str):
        self._lines: dict[str, int] = {}
        table = ""
        for number, line in enumerate(text.splitlines(), start=1):
            if m := self._table.match(line):
                table = m.group(1).replace(" ", "")
                continue
            if m := self._assign.match(line):
                key = m.group(1).replace(" ", "").replace('"', "")
                full = f"{table}.{key}" if table else key
                self._lines.setdefault(full, number)

    def line_of(self, key: str) -> int | None:
        return self._lines.get(key)
