"""The kiosk package installed by dpkg the way a county technician installs it, with its maintainer
scripts run: into a throwaway copy of this Debian 12 system (an overlay over / in a private mount
namespace, entered with chroot), so the test machine itself is never changed. Checks the system user
and the data directory, the conffile, the units, `kiosk --version` and `kiosk diag --sim` as the
kiosk user, that an upgrade and a removal keep the library and the staff's configuration, and that a
purge removes them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

# $0: the InstallRoot's directory, $1: the script to run inside
SETUP = """set -e
mount -t overlay overlay -o "lowerdir=/,upperdir=$0/upper,workdir=$0/work" "$0/merged"
for fs in proc sys dev; do mount --rbind "/$fs" "$0/merged/$fs"; done
mount -t tmpfs tmpfs "$0/merged/run"
mount -t tmpfs tmpfs "$0/merged/tmp"
mkdir -p "$0/merged/mnt/debs" && mount --bind "$0/debs" "$0/merged/mnt/debs"
exec chroot "$0/merged" /bin/sh -ec "$1"
"""


class InstallRoot:
    """A copy-on-write root over the running system; `run` executes a shell script inside it."""

    def __init__(self, base: Path):
        self.base = base
        for name in ("upper", "work", "merged", "debs"):
            (base / name).mkdir(parents=True)

    def add_deb(self, deb: Path) -> str:
        """The package's path inside the root."""
        if deb.parent != self.base / "debs":
            (self.base / "debs" / deb.name).hardlink_to(deb)
        return f"/mnt/debs/{deb.name}"

    def run(self, script: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", SETUP, str(self.base), script],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def ok(self, script: str) -> str:
        result = self.run(script)
        assert result.returncode == 0, f"{script}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        return result.stdout


def with_version(deb: Path, version: str, out: Path) -> Path:
    """The same package under another version (an upgrade without building the venv again)."""
    tree = out / f"tree-{version}"
    subprocess.run(["dpkg-deb", "-R", str(deb), str(tree)], check=True)
    control = tree / "DEBIAN" / "control"
    lines = [
        f"Version: {version}" if line.startswith("Version:") else line
        for line in control.read_text().splitlines()
    ]
    control.write_text("\n".join(lines) + "\n")
    target = out / f"zwgk-kiosk_{version}_amd64.deb"
    subprocess.run(
        ["dpkg-deb", "-Znone", "--root-owner-group", "-b", str(tree), str(target)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return target


@pytest.mark.slow
def test_install_upgrade_remove_and_purge_of_the_kiosk_package(debs, tmp_path):
    root = InstallRoot(tmp_path / "root")
    first = root.add_deb(debs["zwgk-kiosk"])
    second = root.add_deb(with_version(debs["zwgk-kiosk"], "0.1.0-2", tmp_path / "root" / "debs"))

    root.ok(f"dpkg -i {first}")
    facts = root.ok(
        "getent passwd kiosk | cut -d: -f6; stat -c '%U %a' /var/lib/zwgk-kiosk; "
        "dpkg-query -W -f='${Conffiles}\\n' zwgk-kiosk; readlink /usr/bin/kiosk"
    )
    assert "/var/lib/zwgk-kiosk\nkiosk 750\n" in facts, facts
    assert "/etc/zwgk-kiosk/kiosk.toml" in facts and "/usr/bin/kiosk" not in facts.split("\n")[2]
    assert facts.rstrip().endswith("/opt/zwgk-kiosk/venv/bin/kiosk"), facts
    units = " ".join(
        f"/lib/systemd/system/{unit}"
        for unit in ("zwgk-kiosk.service", "zwgk-kiosk-weston.service", "zwgk-kiosk-display.service")
    )
    root.ok(f"systemd-analyze verify --man=no {units}")
    assert root.ok("kiosk --version").strip() == "zwgk-kiosk 0.1.0"
    diag = root.ok(
        "cd /var/lib/zwgk-kiosk && runuser -u kiosk -- env HOME=/var/lib/zwgk-kiosk "
        "KIOSK_CONFIG=/etc/zwgk-kiosk/kiosk.toml KIOSK_DATA_DIR=/var/lib/zwgk-kiosk kiosk diag --sim"
    )
    assert "[正常 OK] 身份证阅读器" in diag, diag

    # what a hall has by now: its library and staff's edit of the configuration
    root.ok(
        "echo library > /var/lib/zwgk-kiosk/library-marker && "
        "echo '# 大厅：某某镇便民服务中心' >> /etc/zwgk-kiosk/kiosk.toml"
    )
    root.ok(f"dpkg -i {second}")
    kept = root.ok(
        "cat /var/lib/zwgk-kiosk/library-marker; tail -1 /etc/zwgk-kiosk/kiosk.toml; "
        "dpkg-query -W -f='${Version}' zwgk-kiosk"
    )
    assert kept == "library\n# 大厅：某某镇便民服务中心\n0.1.0-2", kept

    root.ok("dpkg -r zwgk-kiosk")
    removed = root.ok(
        "test ! -e /opt/zwgk-kiosk/venv/bin/kiosk && cat /var/lib/zwgk-kiosk/library-marker "
        "&& test -f /etc/zwgk-kiosk/kiosk.toml && echo config-kept"
    )
    assert removed == "library\nconfig-kept\n", removed

    root.ok("dpkg -P zwgk-kiosk")
    purged = root.ok(
        "for path in /var/lib/zwgk-kiosk /var/log/zwgk-kiosk /etc/zwgk-kiosk/kiosk.toml; do "
        "test -e $path && echo left: $path; done; echo done"
    )
    assert purged == "done\n", purged
    # the system user stays after purge (see postrm): files it owned elsewhere keep a valid owner
    assert root.ok("getent passwd kiosk >/dev/null && echo user-kept") == "user-kept\n"
