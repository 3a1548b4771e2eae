"""Installing the city's voice pack: what the channel brought (`DATA/voice_pack/`) becomes `DATA/voice/city`.

After each sync the received files are checked whole (`content.voice_pack.check_pack`, then the caller's own
`VoicePack.load`); a pack that passes is copied into `voice/city-packs/<digest>/` and `voice/city` is
switched to it by replacing one symlink, so the caller (`PackSource`, which follows the manifest) reads the
old pack or the new one, never a mix, from its next call. A pack that fails is refused and logged: the pack
in use (an earlier city pack, or the built-in espeak-ng one) stays. A pack the city withdrew (no manifest
received any more) is uninstalled and the built-in pack speaks again. The outcome is returned for
`kiosk sync status` (`kiosk/city_channel.py`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path

from content.voice_pack import FOLDER, MANIFEST, VoicePackRefused, check_pack
from kiosk.i18n import tr, translate
from kiosk.voice.pack import VoicePack, VoicePackError

log = logging.getLogger(__name__)

PACKS = "city-packs"


def apply(data_dir: Path, kiosk_id: str = "") -> tuple[str, str]:
    """Bring `voice/city` in line with the received pack (one for every hall: `kiosk_id` is not needed):
    (state, Chinese line for staff), state "none", "installed", "unchanged", "withdrawn" or "refused"."""
    received = data_dir / FOLDER
    voice = data_dir / "voice"
    city = voice / "city"
    if not (received / MANIFEST).exists():
        if city.is_symlink():
            city.unlink()
            log.info("voice: the city withdrew its voice pack; the built-in pack speaks")
            return "withdrawn", tr("市级语音包已撤回，使用内置语音包")
        return "none", ""
    files = {path.name: path.read_bytes() for path in sorted(received.iterdir()) if path.is_file()}
    digest = hashlib.sha256(
        b"".join(f"{n}\0{hashlib.sha256(d).hexdigest()}\n".encode() for n, d in sorted(files.items()))
    ).hexdigest()[:16]
    target = voice / PACKS / digest
    if city.is_symlink() and os.readlink(city) == f"{PACKS}/{digest}":
        return "unchanged", tr("市级语音包（{digest}）使用中", digest=digest)
    try:
        check_pack(files)
        staged = voice / PACKS / f".{digest}.part"
        shutil.rmtree(staged, ignore_errors=True)
        staged.mkdir(parents=True)
        for name, data in files.items():
            (staged / name).write_bytes(data)
        VoicePack.load(staged)
    except (VoicePackRefused, VoicePackError) as exc:
        shutil.rmtree(voice / PACKS / f".{digest}.part", ignore_errors=True)
        log.error("voice: the city's voice pack %s refused, the pack in use stays: %s", digest, exc)
        return "refused", tr("市级语音包未安装，仍使用原语音包：{reason}", reason=translate(exc.zh))
    _sync_dir(staged)
    shutil.rmtree(target, ignore_errors=True)
    staged.rename(target)
    _switch(city, f"{PACKS}/{digest}")
    _remove_old(voice / PACKS, keep=digest)
    log.info("voice: the city's voice pack %s installed", digest)
    return "installed", tr("市级语音包（{digest}）已安装，下次叫号起使用", digest=digest)


def _switch(city: Path, relative: str) -> None:
    """Point `city` at `relative` in one rename (a directory staff put there by hand is set aside)."""
    if city.exists() and not city.is_symlink():
        city.rename(city.with_name(f"city.before-{os.getpid()}"))
    link = city.with_name(".city.link")
    link.unlink(missing_ok=True)
    link.symlink_to(relative)
    os.replace(link, city)


def _remove_old(packs: Path, keep: str) -> None:
    for old in packs.iterdir():
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def _sync_dir(path: Path) -> None:
    for file in path.iterdir():
        with open(file, "rb") as fh:
            os.fsync(fh.fileno())
