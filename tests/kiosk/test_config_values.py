"""Configuration values that used to pass `config check` and fail later (or print a traceback): NaN and
infinite numbers, a `sync.ca_bundle` that is no CA bundle, deep nesting, and a file saved with a UTF-8
BOM, which is accepted. Each case counts in the README's reliability table ("config values")."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import certifi
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from content.outbox import Outbox, Uploader
from content.store import Library
from content.transport import HttpSource, TransferFailed, TransportSettings
from kiosk import config
from kiosk.cli import main

CERTIFI = certifi.where()


def write(tmp_path, text: str, name: str = "kiosk.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path) -> config.ConfigError:
    with pytest.raises(config.ConfigError) as caught:
        config.load(path)
    return caught.value


@pytest.mark.parametrize("value", ["nan", "+nan", "-nan", "inf", "+inf", "-inf"])
def test_nan_and_infinite_numbers_are_refused_naming_the_option(tmp_path, value):
    error = refused(write(tmp_path, f"[kiosk]\nfont_scale = {value}\n"))
    assert error.line == 2
    assert "kiosk.font_scale" in str(error) and "finite" in str(error)
    assert "kiosk.font_scale" in error.zh and "有限" in error.zh


def test_a_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_bytes(b"\xef\xbb\xbf" + '[kiosk]\ntier = "县"\n'.encode())
    loaded = config.load(path)
    assert loaded["kiosk.tier"] == "县" and loaded.sources["kiosk.tier"] == f"{path}:2"


DEEP = [
    "[kiosk]\nfont_scale = " + "[" * 5000 + "1" + "]" * 5000 + "\n",
    "[kiosk]\nfont_scale = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n",
    "x = " + "[" * 100000 + "\n",
]


@pytest.mark.parametrize("text", DEEP, ids=["arrays", "inline-tables", "unclosed"])
def test_deep_nesting_is_a_clear_error(tmp_path, text):
    error = refused(write(tmp_path, text))
    assert "nested too deeply" in str(error) or "not valid TOML" in str(error)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[" + "a." * 5000 + "b]\nc = 1\n", "unknown option 'a.a'"),
        ("[kiosk.hall_name.x.y]\nz = 1\n", "option 'kiosk.hall_name': expected a string, got 表 table"),
        ("[kiosk]\ntier = [1]\n", "option 'kiosk.tier'"),
    ],
)
def test_tables_deeper_than_an_option_are_named(tmp_path, text, fragment):
    assert fragment in str(refused(write(tmp_path, text)))


def test_the_cli_prints_the_nesting_error_not_a_traceback(tmp_path, capsys):
    path = write(tmp_path, DEEP[0])
    assert main(["config", "check", str(path)]) != 0
    err = capsys.readouterr().err
    assert "嵌套层数过多" in err and "Traceback" not in err and "内部错误" not in err


# --- sync.ca_bundle ------------------------------------------------------------------------------


def _bad_bundles(tmp_path):
    """name → (path, what the Chinese message says)."""
    shadow = write(
        tmp_path, "root:$6$Qx9.salt$hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n", "shadow"
    )
    empty = write(tmp_path, "", "empty.pem")
    first = Path(CERTIFI).read_text(encoding="utf-8").split("-----END CERTIFICATE-----")[0]
    cut = write(tmp_path, first, "cut.pem")
    junk = write(tmp_path, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "junk.pem")
    fifo = tmp_path / "fifo.pem"
    os.mkfifo(fifo)
    folder = tmp_path / "dir.pem"
    folder.mkdir()
    big = tmp_path / "big.pem"
    big.write_bytes(b"-" * (5 << 20))
    return {
        "missing": (tmp_path / "absent.pem", "不存在"),
        "dev-zero": ("/dev/zero", "字符设备"),
        "fifo": (fifo, "命名管道"),
        "directory": (folder, "文件夹"),
        "shadow": (shadow, "不是 PEM"),
        "empty": (empty, "不是 PEM"),
        "cut": (cut, "不是 PEM"),
        "half": (write(tmp_path, first + "-----END CERTIFICATE-----\n" + first, "half.pem"), "不完整"),
        "junk": (junk, "无法解析"),
        "too big": (big, "超过"),
    }


BAD = ["missing", "dev-zero", "fifo", "directory", "shadow", "empty", "cut", "half", "junk", "too big"]


@pytest.mark.parametrize("name", BAD)
def test_a_ca_bundle_that_is_not_one_is_refused_naming_the_option(tmp_path, name):
    path, says = _bad_bundles(tmp_path)[name]
    error = refused(write(tmp_path, f'[sync]\nca_bundle = "{path}"\n'))
    assert error.line == 2
    assert "option 'sync.ca_bundle'" in str(error)
    assert "配置项“sync.ca_bundle”" in error.zh and says in error.zh


@pytest.mark.parametrize("name", ["dev-zero", "shadow", "junk"])
def test_the_transport_names_the_option_too(tmp_path, name):
    """The file may change after the configuration was checked: the sync says which option is wrong."""
    path, says = _bad_bundles(tmp_path)[name]
    with pytest.raises(TransferFailed) as caught:
        HttpSource("https://127.0.0.1:9/channel/", TransportSettings(ca_bundle=str(path)))
    assert "sync.ca_bundle" in str(caught.value) and says in caught.value.zh


@pytest.mark.parametrize("name", ["dev-zero", "shadow", "junk"])
def test_the_outbox_upload_names_the_option_too(tmp_path, name):
    """Uploads read the bundle as the channel does (they used to hand the path to ssl unchecked)."""
    path, says = _bad_bundles(tmp_path)[name]
    with Library(tmp_path / "library.db") as library, pytest.raises(TransferFailed) as caught:
        Uploader(
            Outbox(library),
            "https://127.0.0.1:9/v1/outbox",
            "xian-01",
            Ed25519PrivateKey.generate(),
            TransportSettings(ca_bundle=str(path)),
        )
    assert "sync.ca_bundle" in str(caught.value) and says in caught.value.zh


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_ca_bundle_is_refused(tmp_path):
    path = tmp_path / "private.pem"
    shutil.copy(CERTIFI, path)
    path.chmod(0)
    assert "无法读取" in refused(write(tmp_path, f'[sync]\nca_bundle = "{path}"\n')).zh


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "ca.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        assert "套接字" in refused(write(tmp_path, f'[sync]\nca_bundle = "{path}"\n')).zh


def test_a_real_bundle_is_accepted(tmp_path):
    loaded = config.load(write(tmp_path, f'[sync]\nca_bundle = "{CERTIFI}"\n'))
    assert loaded["sync.ca_bundle"] == CERTIFI
