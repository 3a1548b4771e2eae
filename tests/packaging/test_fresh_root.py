"""Both packages installed with apt into a fresh Debian 12 root (debootstrap minbase from Debian's own
mirror), so every dependency is resolved from the packages' Depends and nothing from this machine: the
kiosk user with its groups (dialout lp video input render: input and render come with udev, a dependency),
the data directory, the units verified by systemd-analyze, `kiosk --version` and `kiosk diag --sim` as the
kiosk user, `city --help`, and a purge removing the data. The root lives in a temporary directory; it is
entered with chroot in a private mount namespace, so this machine is not changed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

MIRROR = "http://deb.debian.org/debian"
KIOSK_UNITS = ("zwgk-kiosk.service", "zwgk-kiosk-weston.service", "zwgk-kiosk-display.service")

# $0: the root, $1: the folder of the .deb files, $2: the script to run inside
ENTER = """set -e
for fs in proc sys dev; do mount --rbind "/$fs" "$0/$fs"; done
mount -t tmpfs tmpfs "$0/run"
mkdir -p "$0/mnt/debs" && mount --bind "$1" "$0/mnt/debs"
cp /etc/resolv.conf "$0/etc/resolv.conf"
exec chroot "$0" /bin/sh -ec "$2"
"""

INSTALL = """export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends /mnt/debs/zwgk-kiosk_*.deb /mnt/debs/zwgk-city_*.deb >/dev/null
"""

AS_KIOSK = "cd /tmp && setpriv --reuid=kiosk --regid=kiosk --init-groups env HOME=/var/lib/zwgk-kiosk KIOSK_DATA_DIR=/var/lib/zwgk-kiosk"


def enter(root: Path, debs: Path, script: str) -> str:
    result = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", ENTER, str(root), str(debs), script],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, (
        f"{script}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr[-4000:]}"
    )
    return result.stdout


@pytest.mark.slow
def test_installed_into_a_fresh_debian_12_root_from_its_depends_alone(debs, tmp_path):
    if shutil.which("debootstrap") is None:
        pytest.fail("debootstrap is missing: `python3 quickstart.py test` installs it")
    root, folder = tmp_path / "root", tmp_path / "debs"
    folder.mkdir()
    for deb in debs.values():
        (folder / deb.name).hardlink_to(deb)
    made = subprocess.run(
        ["debootstrap", "--variant=minbase", "bookworm", str(root), MIRROR],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    assert not (root / "opt/zwgk-kiosk").exists() and not (root / "usr/bin/weston").exists()

    enter(root, folder, INSTALL)
    status = enter(
        root, folder, "dpkg-query -W -f '${Package} ${Status}\\n' zwgk-kiosk zwgk-city weston systemd"
    )
    assert status.count("install ok installed") == 4, status
    groups = set(enter(root, folder, "id -nG kiosk").split())
    assert {"kiosk", "dialout", "lp", "video", "input", "render"} <= groups
    assert enter(root, folder, "stat -c '%U %G %a' /var/lib/zwgk-kiosk").split() == ["kiosk", "kiosk", "750"]
    units = " ".join(f"/lib/systemd/system/{unit}" for unit in (*KIOSK_UNITS, "zwgk-city.service"))
    enter(root, folder, f"systemd-analyze verify --man=no {units}")
    assert enter(root, folder, "/opt/zwgk-kiosk/venv/bin/kiosk --version").strip().startswith("zwgk-kiosk ")
    diagnosis = enter(root, folder, f"{AS_KIOSK} /opt/zwgk-kiosk/venv/bin/kiosk diag --sim")
    assert "全部正常" in diagnosis, diagnosis
    assert "usage" in enter(root, folder, "/opt/zwgk-city/venv/bin/city --help")

    enter(root, folder, "DEBIAN_FRONTEND=noninteractive apt-get purge -y -q zwgk-kiosk >/dev/null")
    assert not (root / "var/lib/zwgk-kiosk").exists() and not (root / "opt/zwgk-kiosk").exists()
