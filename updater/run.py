"""One run of the helper: choose the newest update offered, copy it into the helper's own directory, check
the copy, keep the running version, install, and roll back if the kiosk does not become ready.

Checks, in order: a manifest signed by a pinned key or one a pinned key rotated to (updater/trust.py),
package `zwgk-kiosk`, this machine's architecture, a version newer than the installed one and not one that failed before; then,
on the copy (the kiosk user owns the data directory and could swap the file after a check), size,
SHA-256 and the package's own control fields. Every refusal is written to the status file with its
reason; nothing is installed unless all passed and the running version is kept for a rollback."""

from __future__ import annotations

import fcntl
import hashlib
import os
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from updater.manifest import PACKAGE, Manifest, Refused
from updater.offers import Offer, offers_in, usb_folders
from updater.state import failed_versions, make_dir, remember_failed, write_status
from updater.system import CommandFailed, Commands
from updater.trust import trusted_keys, verify_following

STATUS_FILE = "update-status.json"


class NotNewer(Refused):
    """An offer of the installed version or an older one: nothing to do, not a fault."""


class OtherMachine(Refused):
    """A package for another architecture (a USB stick may carry both): listed, not a fault."""


@dataclass
class Settings:
    data_dir: Path = Path("/var/lib/zwgk-kiosk")
    state_dir: Path = Path("/var/lib/zwgk-kiosk-updater")
    usb: list[Path] | None = None  # None: the sticks mounted now
    ready_timeout: float = 120.0


@dataclass
class Outcome:
    result: str  # installed, up-to-date, refused, rolled-back, failed
    en: str
    zh: str
    offered: str | None = None
    refusals: list[Refused] = field(default_factory=list)


def run_once(settings: Settings, commands: Commands | None = None) -> dict[str, Any]:
    """One run under the helper's lock; returns (and writes) the status."""
    commands = commands or Commands()
    state_dir = make_dir(settings.state_dir)
    with open(state_dir / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            outcome = _run(settings, commands, state_dir)
        except Refused as exc:
            outcome = Outcome("refused", str(exc), exc.zh)
        except OSError as exc:  # a full disk, an unreadable folder: said, and the next night tries again
            outcome = Outcome(
                "failed", f"{type(exc).__name__}: {exc}", f"更新时读写文件出错（{exc.strerror or exc}）"
            )
    status = {
        "last_run": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "installed": commands.installed_version(PACKAGE),
        "offered": outcome.offered,
        "result": outcome.result,
        "reason_zh": outcome.zh,
        "reason_en": outcome.en,
        "refused": [{"zh": r.zh, "en": str(r)} for r in outcome.refusals],
    }
    write_status(settings.data_dir / STATUS_FILE, status)
    return status


def _run(settings: Settings, commands: Commands, state_dir: Path) -> Outcome:
    keys = trusted_keys(state_dir, settings.data_dir)
    arch = commands.architecture()
    installed = commands.installed_version(PACKAGE)
    if installed is None:
        raise Refused(f"{PACKAGE} is not installed", f"本机未安装 {PACKAGE}，不自动更新")
    failed = failed_versions(state_dir)
    folders = [(settings.data_dir / "updates", "channel")]
    folders += [(folder, "usb") for folder in (usb_folders() if settings.usb is None else settings.usb)]
    candidates: list[Offer] = []
    refusals: list[Refused] = []
    for folder, source in folders:
        offers, bad = offers_in(folder, source) if folder.is_dir() else ([], [])
        refusals += bad
        for offer in offers:
            try:
                keys = verify_following(state_dir, keys, offer.manifest)
                check_offer(offer.manifest, arch, installed, failed, commands)
                candidates.append(offer)
            except NotNewer:
                pass
            except Refused as exc:
                refusals.append(exc)
    for offer in [o for o in candidates if o.manifest.key_id not in keys]:  # checked before a rotation
        refusals.append(
            Refused(
                f"{offer.manifest.deb_name} is signed by key {offer.manifest.key_id}, which a rotation replaced",
                f"{offer.manifest.deb_name} 由已轮换停用的密钥签名，已拒绝",
            )
        )
    candidates = [o for o in candidates if o.manifest.key_id in keys]
    for offer in newest_first(candidates, commands):
        try:
            copy = copy_and_check(offer, make_dir(state_dir / "incoming"), commands)
        except Refused as exc:
            refusals.append(exc)
            continue
        outcome = install(offer.manifest, copy, installed, arch, settings, commands, state_dir)
        outcome.refusals = refusals
        return outcome
    if any(not isinstance(r, OtherMachine) for r in refusals):
        return Outcome(
            "refused",
            "; ".join(map(str, refusals)),
            "；".join(r.zh for r in refusals),
            refusals=refusals,
        )
    return Outcome(
        "up-to-date",
        f"{installed} is the newest offered",
        f"当前版本 {installed} 已是最新",
        refusals=refusals,
    )


def check_offer(manifest: Manifest, arch: str, installed: str, failed: set[str], commands: Commands) -> None:
    if manifest.architecture != arch:
        raise OtherMachine(
            f"{manifest.deb_name} is for {manifest.architecture}, this machine is {arch}",
            f"{manifest.deb_name} 适用于 {manifest.architecture}，本机是 {arch}，已拒绝",
        )
    if not commands.newer(manifest.version, installed):
        raise NotNewer(f"{manifest.version} is not newer than {installed}", "不比已安装版本新")
    if manifest.version in failed:
        raise Refused(
            f"{manifest.version} failed to become ready before and is not tried again",
            f"版本 {manifest.version} 此前安装后未能正常启动，已回退，不再重试",
        )


def newest_first(offers: list[Offer], commands: Commands) -> list[Offer]:
    ordered: list[Offer] = []
    for offer in offers:
        at = next(
            (i for i, o in enumerate(ordered) if commands.newer(offer.manifest.version, o.manifest.version)),
            len(ordered),
        )
        ordered.insert(at, offer)
    return ordered


def copy_and_check(offer: Offer, incoming: Path, commands: Commands) -> Path:
    """The package copied into the helper's own directory, then checked there (never the original again)."""
    manifest = offer.manifest
    for old in incoming.iterdir():
        old.unlink()
    target = incoming / manifest.deb_name
    digest, copied = hashlib.sha256(), 0
    try:
        fd = os.open(offer.deb, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise Refused(
            f"{offer.deb} cannot be opened: {exc.strerror}", f"{manifest.deb_name} 缺失或无法读取，未安装"
        ) from None
    with os.fdopen(fd, "rb") as src, open(target, "wb") as out:
        if not stat.S_ISREG(os.fstat(src.fileno()).st_mode):
            raise Refused(f"{offer.deb} is not a regular file", f"{manifest.deb_name} 不是普通文件，已拒绝")
        while chunk := src.read(min(2**20, manifest.size + 1 - copied)):
            digest.update(chunk)
            out.write(chunk)
            copied += len(chunk)
    if copied != manifest.size or digest.hexdigest() != manifest.sha256:
        target.unlink()
        raise Refused(
            f"{offer.deb} ({offer.source}) does not match its manifest's SHA-256/size",
            f"{manifest.deb_name}（来自{'U 盘' if offer.source == 'usb' else '市级频道'}）与更新清单的校验值不符，"
            "可能被篡改或损坏，已拒绝",
        )
    fields = commands.deb_fields(target)
    expected = {"Package": PACKAGE, "Version": manifest.version, "Architecture": manifest.architecture}
    if fields != expected:
        target.unlink()
        raise Refused(
            f"{manifest.deb_name}'s control fields {fields} differ from its manifest",
            f"{manifest.deb_name} 的包信息与更新清单不符，已拒绝",
        )
    return target


def install(
    manifest: Manifest,
    copy: Path,
    installed: str,
    arch: str,
    settings: Settings,
    commands: Commands,
    state_dir: Path,
) -> Outcome:
    """Keep the running version, install the copy, and keep it only if the kiosk becomes ready."""
    kept_dir = make_dir(state_dir / "kept")
    kept = kept_dir / f"{PACKAGE}_{installed}_{arch}.deb"
    if not kept.exists():
        try:
            kept.with_name(kept.name + ".part").unlink(missing_ok=True)
            commands.repack(PACKAGE, kept_dir).rename(kept)
        except (Refused, OSError) as exc:
            copy.unlink()
            raise Refused(
                f"the running version {installed} could not be kept for a rollback ({exc}); nothing installed",
                f"未能备份当前版本 {installed}（无法回退），本次未安装更新",
            ) from None
    new = manifest.version
    try:
        commands.install(copy)
        ready = _restart(settings, commands)
        why, zh_why = "did not become ready", "安装后未能正常启动"
    except CommandFailed as exc:
        ready, why, zh_why = False, f"dpkg failed ({exc})", "安装失败"
    if ready:
        for old in kept_dir.glob("*.deb"):
            old.unlink()
        copy.rename(kept_dir / copy.name)  # now the running version's copy for the next rollback
        return Outcome(
            "installed", f"installed {new} (was {installed})", f"已更新到 {new}（原 {installed}）", new
        )
    remember_failed(state_dir, new)
    copy.unlink(missing_ok=True)
    try:
        commands.install(kept)
        back = _restart(settings, commands)
    except CommandFailed:
        back = False
    if back:
        return Outcome(
            "rolled-back",
            f"{new} {why}: rolled back to {installed}; {new} will not be tried again",
            f"新版本 {new} {zh_why}，已回退到 {installed}，不再重试该版本",
            new,
        )
    return Outcome(
        "failed",
        f"{new} {why}, and {installed} reinstalled did not become ready either",
        f"新版本 {new} {zh_why}，回退到 {installed} 后仍未正常启动，请联系技术人员",
        new,
    )


def _restart(settings: Settings, commands: Commands) -> bool:
    """Restart the kiosk and wait (up to the ready timeout) for the start job: a Type=notify unit's job ends
    only at READY=1, or fails when the process dies first. Ready means that, and still active after it."""
    try:
        commands.restart(timeout=settings.ready_timeout)
    except CommandFailed:
        return False
    return commands.state() == "active"
