"""The .deb files as a kiosk PC gets them: built by packaging/build.py, unpacked into a fresh root and
checked there; the relocated venv run from /opt (the unpacked tree bind-mounted there in a private
mount namespace); every unit passes `systemd-analyze verify`; the arm64 requirements install on
Debian 12 aarch64 (glibc 2.36) as binary wheels."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import build  # packaging/build.py, on the path from tests/packaging/conftest.py

ROOT = Path(__file__).resolve().parents[2]

UNITS = ROOT / "packaging" / "systemd"
KIOSK_UNITS = ("zwgk-kiosk.service", "zwgk-kiosk-weston.service", "zwgk-kiosk-display.service")


def field(deb: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True
    ).stdout.strip()


def unpack(deb: Path, root: Path) -> Path:
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    control = root / "DEBIAN"
    subprocess.run(["dpkg-deb", "-e", str(deb), str(control)], check=True)
    return root


def run_from_opt(root: Path, package: str, *command: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `command` with `root`/opt/`package` mounted at /opt/`package`, as dpkg would have put it."""
    script = f'mkdir -p /opt/{package} && mount --bind "$0/opt/{package}" /opt/{package} && exec "$@"'
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, str(root), *command],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **env},
    )


@pytest.mark.slow
def test_the_kiosk_package_unpacks_whole_and_runs_from_opt(debs, tmp_path):
    deb = debs["zwgk-kiosk"]
    assert field(deb, "Architecture") == "amd64"
    depends = field(deb, "Depends")
    for needed in (
        "fonts-noto-cjk",
        "weston",
        "seatd",
        "libegl1",
        "libxkbcommon0",
        "libpulse0",
        "python3 (>= 3.11)",
    ):
        assert needed in depends
    assert "espeak-ng" in field(deb, "Recommends")
    root = unpack(deb, tmp_path / "root")
    control = root / "DEBIAN"
    assert (control / "conffiles").read_text().split() == [
        "/etc/zwgk-kiosk/kiosk.toml",
        "/etc/zwgk-kiosk/weston.ini",
        "/etc/logrotate.d/zwgk-kiosk",
    ]
    from kiosk import config

    assert (root / "etc/zwgk-kiosk/kiosk.toml").read_text() == config.render_example()
    for name in ("postinst", "prerm", "postrm"):
        subprocess.run(["sh", "-n", str(control / name)], check=True)
    assert "rm -rf /var/lib/zwgk-kiosk" in (control / "postrm").read_text().split('"purge" ]; then')[1]
    assert "/var/lib/zwgk-kiosk" not in (control / "prerm").read_text()
    for unit in KIOSK_UNITS:
        assert (root / "lib/systemd/system" / unit).read_text() == (UNITS / unit).read_text()
    assert (root / "lib/udev/rules.d/60-zwgk-kiosk.rules").exists()
    assert (root / "etc/logrotate.d/zwgk-kiosk").exists()
    venv = root / "opt/zwgk-kiosk/venv"
    site = venv / "lib/python3.11/site-packages"
    for packaged in (
        "display/Display.qml",
        "systemd_notify/__init__.py",
        "kiosk/api/pages/window.html",
        "ui/Main.qml",
        "content/data/guides",
    ):
        assert (site / packaged).exists(), f"{packaged} is missing from the package (pyproject package-data)"
    assert (venv / "bin/python3").resolve() == Path("/usr/bin/python3").resolve()
    assert (venv / "bin/kiosk").read_text().startswith("#!/opt/zwgk-kiosk/venv/bin/python3\n")
    assert "command = /usr/bin/python3 -m venv /opt/zwgk-kiosk/venv" in (venv / "pyvenv.cfg").read_text()
    leftovers = subprocess.run(
        ["grep", "-rlI", "zwgk-deb-", str(venv)], capture_output=True, text=True
    ).stdout
    assert leftovers == "", leftovers  # nothing names the build directory

    units = [str(root / "lib/systemd/system" / unit) for unit in KIOSK_UNITS]
    verify = run_from_opt(root, "zwgk-kiosk", "systemd-analyze", "verify", "--man=no", *units)
    assert verify.returncode == 0 and verify.stderr == "", verify.stderr

    version = run_from_opt(root, "zwgk-kiosk", "/opt/zwgk-kiosk/venv/bin/kiosk", "--version")
    assert version.returncode == 0 and version.stdout.strip() == "zwgk-kiosk 0.1.0", version
    pyside = run_from_opt(
        root,
        "zwgk-kiosk",
        "/opt/zwgk-kiosk/venv/bin/python3",
        "-c",
        "import PySide6, sys; print(PySide6.__version__, sys.prefix)",
    )
    assert pyside.stdout.split() == ["6.12.0", "/opt/zwgk-kiosk/venv"], pyside
    diag = run_from_opt(
        root,
        "zwgk-kiosk",
        "/opt/zwgk-kiosk/venv/bin/kiosk",
        "diag",
        "--sim",
        KIOSK_DATA_DIR=str(tmp_path / "data"),
    )
    assert diag.returncode == 0 and "[正常 OK] 身份证阅读器" in diag.stdout, diag


@pytest.mark.slow
def test_the_city_package_has_no_qt_and_runs_from_opt(debs, tmp_path):
    deb = debs["zwgk-city"]
    assert field(deb, "Architecture") == "amd64"
    root = unpack(deb, tmp_path / "root")
    site = root / "opt/zwgk-city/venv/lib/python3.11/site-packages"
    assert not list(site.glob("PySide6*")) and list(site.glob("starlette*"))
    result = run_from_opt(root, "zwgk-city", "/opt/zwgk-city/venv/bin/city", "--help")
    assert result.returncode == 0 and "serve" in result.stdout, result
    unit = str(root / "lib/systemd/system/zwgk-city.service")
    verify = run_from_opt(root, "zwgk-city", "systemd-analyze", "verify", "--man=no", unit)
    assert verify.returncode == 0 and verify.stderr == "", verify.stderr


@pytest.mark.parametrize("arch", ["amd64", "arm64"])
def test_every_dependency_in_pyproject_is_pinned_for_the_packages(arch):
    """A dependency added to pyproject.toml without `python3 packaging/build.py --lock` would be missing
    from the installed kiosk (its venv is built from the requirements file alone)."""
    import re
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower() for requirement in declared}
    pinned = {line.split("==")[0].lower() for line in build.pinned(arch)}
    assert names - pinned == set(), f"run: python3 packaging/build.py --lock ({arch})"


def test_the_arm64_requirements_are_binary_wheels_for_debian_12_aarch64(tmp_path):
    pins = dict(line.split("==") for line in build.pinned("arm64"))
    assert pins["pyside6-essentials"] == pins["pyside6-addons"] == pins["shiboken6"] == "6.8.0.2"
    assert set(pins) == set(dict(line.split("==") for line in build.pinned("amd64")))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-deps", "--quiet",
         "--target", str(tmp_path / "t"), "--report", str(tmp_path / "r.json"), *build.platform_args("arm64"),
         "-r", str(build.requirements_file("arm64"))],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    import json

    wheels = [
        item["download_info"]["url"].rsplit("/", 1)[-1]
        for item in json.loads((tmp_path / "r.json").read_text())["install"]
    ]
    assert len(wheels) == len(pins)
    assert all(w.endswith(("-any.whl", "_aarch64.whl")) for w in wheels), wheels


def test_pyside_later_than_6_8_0_2_does_not_install_on_debian_12_aarch64(tmp_path):
    """Why the arm64 package pins 6.8.0.2: the next release's aarch64 wheels need glibc 2.39."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--quiet", "--target", str(tmp_path / "t"),
         *build.platform_args("arm64"), "pyside6-essentials==6.8.1"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0 and "No matching distribution" in result.stderr
