"""The update helper as installed, with the real dpkg, in a copy-on-write copy of this Debian 12 system
(test_deb_install's `InstallRoot`): 0.1.0-1 installed by hand, a signed 0.1.0-2 on a USB stick installed
by the helper (the running version repacked by Debian's dpkg-repack first), then a signed 0.1.0-3 that
never becomes ready (an empty package; systemd played by a stand-in `systemctl`, the only part that is
not real, since the copy runs no systemd) rolled back to 0.1.0-2 and not tried again."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from test_deb_install import InstallRoot, with_version

from city.software import manifest_bytes
from content.channel import SigningKey

SYSTEMCTL = """#!/bin/sh
# systemd for this test: zwgk-kiosk 0.1.0-3 never sends READY=1 (its start job fails, the unit is failed)
version=$(dpkg-query -W -f='${Version}' zwgk-kiosk)
case "$1" in
    restart) echo "$version" >> /var/log/kiosk-restarts
        if [ "$version" = 0.1.0-3 ]; then echo "Job for zwgk-kiosk.service failed." >&2; exit 1; fi ;;
    is-active) if [ "$version" = 0.1.0-3 ]; then echo failed; exit 3; fi; echo active ;;
esac
exit 0
"""
PATH = "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; "
UPDATE = PATH + "zwgk-kiosk-update --ready-timeout 10 --usb /mnt/debs"


def offer(deb, key: SigningKey) -> None:
    """A signed manifest beside the package: the folder is the test's USB stick (no copy of 250 MB)."""
    data = deb.read_bytes()
    version = deb.name.split("_")[1]
    manifest = manifest_bytes(key, version, "amd64", hashlib.sha256(data).hexdigest(), len(data))
    deb.with_suffix(".json").write_bytes(manifest)


def broken_package(folder) -> Path:
    """zwgk-kiosk 0.1.0-3 without a file: installing it takes the venv away, the helper's own included (it
    has imported everything it uses by then), and the kiosk cannot start."""
    tree = folder / "tree-broken"
    (tree / "DEBIAN").mkdir(parents=True)
    (tree / "DEBIAN/control").write_text(
        "Package: zwgk-kiosk\nVersion: 0.1.0-3\nArchitecture: amd64\nMaintainer: t <t@localhost>\n"
        "Description: a broken update\n an update that cannot start\n"
    )
    deb = folder / "zwgk-kiosk_0.1.0-3_amd64.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-b", str(tree), str(deb)], check=True, capture_output=True
    )
    return deb


def status(root: InstallRoot) -> dict:
    return json.loads(root.ok("cat /var/lib/zwgk-kiosk/update-status.json"))


@pytest.mark.slow
def test_the_installed_helper_installs_a_signed_update_and_rolls_back_one_that_never_becomes_ready(
    debs, tmp_path
):
    root = InstallRoot(tmp_path / "root")
    first = root.add_deb(debs["zwgk-kiosk"])
    second = with_version(debs["zwgk-kiosk"], "0.1.0-2", tmp_path / "root" / "debs")
    third = broken_package(tmp_path / "root" / "debs")
    (tmp_path / "root/debs/systemctl").write_text(SYSTEMCTL)
    key = SigningKey.generate()
    (tmp_path / "root/debs/enrolment.json").write_text(
        json.dumps({"trusted_keys": {key.key_id: key.public_hex}})
    )

    installed = root.ok(
        f"dpkg -i {first} && install -m 0755 /mnt/debs/systemctl /usr/local/sbin/systemctl && "
        "install -o kiosk -g kiosk -m 0600 /mnt/debs/enrolment.json /var/lib/zwgk-kiosk/ && "
        "systemd-analyze verify --man=no /lib/systemd/system/zwgk-kiosk-update.service "
        "/lib/systemd/system/zwgk-kiosk-update.timer && "
        "test -L /etc/systemd/system/timers.target.wants/zwgk-kiosk-update.timer && "
        "stat -c '%U %a' /var/lib/zwgk-kiosk-updater"
    )
    assert installed.endswith("root 700\n"), installed

    offer(second, key)
    root.ok(UPDATE)
    facts = root.ok(
        "dpkg-query -W -f='${Version}\\n' zwgk-kiosk; ls /var/lib/zwgk-kiosk-updater/kept; "
        "stat -c '%U %a' /var/lib/zwgk-kiosk/update-status.json /var/lib/zwgk-kiosk-updater; "
        "cat /var/log/kiosk-restarts"
    )
    assert facts == "0.1.0-2\nzwgk-kiosk_0.1.0-2_amd64.deb\nroot 644\nroot 700\n0.1.0-2\n", facts
    assert status(root)["result"] == "installed"

    offer(third, key)
    rolled = root.run(UPDATE)
    assert rolled.returncode == 3, rolled.stderr
    facts = root.ok(
        "dpkg-query -W -f='${Version} ${db:Status-Status}\\n' zwgk-kiosk; cat /var/log/kiosk-restarts; "
        "cat /var/lib/zwgk-kiosk-updater/failed.json"
    )
    assert facts == '0.1.0-2 installed\n0.1.0-2\n0.1.0-3\n0.1.0-2\n["0.1.0-3"]', facts
    assert root.ok("kiosk --version").strip() == "zwgk-kiosk 0.1.0"  # the venv is whole again
    said = status(root)
    assert said["result"] == "rolled-back" and said["installed"] == "0.1.0-2" and said["offered"] == "0.1.0-3"
    assert "已回退到 0.1.0-2" in said["reason_zh"]

    again = root.run(UPDATE)
    assert again.returncode == 1 and "不再重试" in status(root)["reason_zh"]
    assert root.ok("dpkg-query -W -f='${Version}' zwgk-kiosk") == "0.1.0-2"
