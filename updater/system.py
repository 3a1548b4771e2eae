"""The system commands one run uses: dpkg, dpkg-deb, dpkg-repack and systemctl (tests pass a subclass)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from updater.manifest import Refused

UNIT = "zwgk-kiosk.service"


class CommandFailed(Refused):
    """A command exited with an error."""


class Commands:
    def call(self, *args: str, cwd: Path | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive", "LC_ALL": "C.UTF-8"}
        try:
            return subprocess.run(
                args, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise CommandFailed(f"{args[0]} failed: {exc}", f"命令 {args[0]} 无法执行") from None

    def run(self, *args: str, cwd: Path | None = None, timeout: float = 900) -> str:
        done = self.call(*args, cwd=cwd, timeout=timeout)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip()[-400:]
            raise CommandFailed(
                f"{' '.join(args[:2])} exited with {done.returncode}: {tail}",
                f"命令 {args[0]} 执行失败（退出码 {done.returncode}）",
            )
        return done.stdout

    def architecture(self) -> str:
        return self.run("dpkg", "--print-architecture").strip()

    def installed_version(self, package: str) -> str | None:
        try:
            out = self.run("dpkg-query", "-W", "-f=${db:Status-Status} ${Version}", package)
        except CommandFailed:
            return None
        status, _, version = out.partition(" ")
        return version if status == "installed" else None

    def newer(self, version: str, than: str) -> bool:
        try:
            self.run("dpkg", "--compare-versions", version, "gt", than)
        except CommandFailed:
            return False
        return True

    def deb_fields(self, deb: Path) -> dict[str, str]:
        out = self.run("dpkg-deb", "--field", str(deb), "Package", "Version", "Architecture")
        return dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)

    def repack(self, package: str, folder: Path) -> Path:
        """The installed package rebuilt as a .deb (Debian's dpkg-repack; uncompressed: it is kept only for
        a rollback on this machine)."""
        before = set(folder.glob("*.deb"))
        self.run("dpkg-repack", "--deb-option=-Znone", package, cwd=folder)
        made = sorted(set(folder.glob("*.deb")) - before)
        if len(made) != 1:
            raise CommandFailed("dpkg-repack made no package", "未能备份当前版本（dpkg-repack 未生成安装包）")
        return made[0]

    def install(self, deb: Path) -> None:
        self.run("dpkg", "-i", "--force-confold", str(deb))

    def restart(self, unit: str = UNIT, timeout: float = 120) -> None:
        """Waits for the start job: for a Type=notify unit, until READY=1 or the start failed."""
        self.run("systemctl", "restart", unit, timeout=timeout)

    def state(self, unit: str = UNIT) -> str:
        """`systemctl is-active`: active, activating, failed, inactive… (a Type=notify unit is active only
        after READY=1)."""
        return self.call("systemctl", "is-active", unit, timeout=60).stdout.strip() or "unknown"
