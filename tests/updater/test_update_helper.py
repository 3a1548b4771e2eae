"""The root helper's decisions (updater/run.py) with dpkg's database and systemd played by `Machine`:
real packages (built by dpkg-deb), real manifests signed as the city signs them, real `dpkg-deb --field`
and `dpkg --compare-versions`; only installing, repacking and restarting are the stand-in's."""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
from pathlib import Path

import pytest

from city.software import manifest_bytes
from content.channel import SigningKey, make_rotation
from updater.run import Settings, run_once
from updater.system import CommandFailed, Commands


def make_deb(folder: Path, version: str, arch: str = "amd64", package: str = "zwgk-kiosk") -> Path:
    """A real (tiny) Debian package."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp)
        (tree / "DEBIAN").mkdir()
        (tree / "DEBIAN/control").write_text(
            f"Package: {package}\nVersion: {version}\nArchitecture: {arch}\nMaintainer: t <t@localhost>\n"
            "Description: test\n test package\n"
        )
        (tree / "opt").mkdir()
        (tree / "opt/version").write_text(version)
        deb = folder / f"{package}_{version}_{arch}.deb"
        subprocess.run(["dpkg-deb", "-Znone", "-b", str(tree), str(deb)], check=True, capture_output=True)
    return deb


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Machine(Commands):
    """A kiosk PC: the installed version, and which versions reach READY=1 (`broken` do not)."""

    def __init__(self, installed: str = "0.1.0-1", arch: str = "amd64", broken: tuple[str, ...] = ()):
        self.installed, self.arch, self.broken = installed, arch, broken
        self.installs: list[tuple[str, str]] = []  # (version, sha256 of the file dpkg was given)
        self.after_copy = None  # called once the helper read the package's fields: a swap after the check

    def architecture(self) -> str:
        return self.arch

    def installed_version(self, package: str) -> str | None:
        return self.installed

    def deb_fields(self, deb: Path) -> dict[str, str]:
        fields = super().deb_fields(deb)
        if self.after_copy:
            self.after_copy()
        return fields

    def repack(self, package: str, folder: Path) -> Path:
        return make_deb(folder, self.installed, self.arch)

    def install(self, deb: Path) -> None:
        self.installs.append((super().deb_fields(deb)["Version"], sha(deb)))
        self.installed = super().deb_fields(deb)["Version"]

    def restart(self, unit: str = "", timeout: float = 0) -> None:
        if self.installed in self.broken:
            raise CommandFailed("Job for zwgk-kiosk.service failed", "启动失败")

    def state(self, unit: str = "") -> str:
        return "failed" if self.installed in self.broken else "active"


@pytest.fixture
def kiosk(tmp_path):
    """(settings, the channel's folder, a USB stick's folder, the city's key) with an enrolled data dir."""
    key = SigningKey.generate()
    data = tmp_path / "var-lib-zwgk-kiosk"
    (data / "updates").mkdir(parents=True)
    (data / "enrolment.json").write_text(json.dumps({"trusted_keys": {key.key_id: key.public_hex}}))
    usb = tmp_path / "stick/zwgk-updates"
    usb.mkdir(parents=True)
    settings = Settings(data, tmp_path / "var-lib-zwgk-kiosk-updater", [usb], ready_timeout=1)
    return settings, data / "updates", usb, key


def offer(folder: Path, key: SigningKey, version: str, arch: str = "amd64", rotations=(), **override) -> Path:
    """A package and its signed manifest in `folder`, as the channel or a stick carries them."""
    deb = make_deb(folder / ".build", version, arch)
    target = folder / deb.name
    deb.rename(target)
    fields = {"sha256": sha(target), "size": target.stat().st_size, **override}
    manifest = manifest_bytes(key, version, arch, fields["sha256"], fields["size"], rotations)
    target.with_suffix(".json").write_bytes(manifest)
    return target


def status_of(settings: Settings) -> dict:
    return json.loads((settings.data_dir / "update-status.json").read_text())


def test_a_signed_newer_package_is_installed_from_the_copy_and_kept_for_the_next_rollback(kiosk):
    settings, channel, _, key = kiosk
    deb = offer(channel, key, "0.1.0-2")
    machine = Machine()
    status = run_once(settings, machine)
    assert status["result"] == "installed" and status["installed"] == "0.1.0-2", status
    assert machine.installs == [("0.1.0-2", sha(deb))]
    assert status_of(settings)["reason_zh"] == "已更新到 0.1.0-2（原 0.1.0-1）"
    kept = sorted(p.name for p in (settings.state_dir / "kept").iterdir())
    assert kept == ["zwgk-kiosk_0.1.0-2_amd64.deb"]  # the running version's copy; the older one is gone
    assert oct(settings.state_dir.stat().st_mode & 0o777) == "0o700"
    assert run_once(settings, machine)["result"] == "up-to-date"  # the channel still offers 0.1.0-2


@pytest.mark.parametrize(
    "case, zh",
    [
        ("bad signature", "签名校验失败"),
        ("untrusted key", "未受信任的密钥"),
        ("hash mismatch", "与更新清单的校验值不符"),
        ("name and contents differ", "包信息与更新清单不符"),
        ("package missing", "缺失或无法读取"),
    ],
)
def test_each_refusal_installs_nothing_and_says_why(kiosk, case, zh):
    settings, channel, _, key = kiosk
    if case == "bad signature":
        deb = offer(channel, key, "0.1.0-2")
        manifest = json.loads(deb.with_suffix(".json").read_text())
        deb.with_suffix(".json").write_text(json.dumps({**manifest, "size": manifest["size"] + 1}))
    elif case == "untrusted key":
        offer(channel, SigningKey.generate(), "0.1.0-2")
    elif case == "hash mismatch":
        deb = offer(channel, key, "0.1.0-2")
        data = bytearray(deb.read_bytes())
        data[-1] ^= 1
        deb.write_bytes(bytes(data))
    elif case == "name and contents differ":  # a signed manifest over a package of another version
        deb = offer(channel, key, "0.1.0-2")
        other = make_deb(channel / ".other", "0.1.0-9")
        other.rename(deb)
        deb.with_suffix(".json").write_bytes(
            manifest_bytes(key, "0.1.0-2", "amd64", sha(deb), deb.stat().st_size)
        )
    else:
        offer(channel, key, "0.1.0-2").unlink()
    machine = Machine()
    status = run_once(settings, machine)
    assert status["result"] == "refused" and zh in status["reason_zh"], status
    assert status["installed"] == "0.1.0-1" and machine.installs == []
    assert not list(settings.state_dir.glob("incoming/*"))  # a refused copy is not left behind


@pytest.mark.parametrize("version", ["0.1.0-1", "0.0.9-5", "0.1.0~rc1-1"])
def test_an_older_or_equal_version_is_not_an_update(kiosk, version):
    settings, channel, _, key = kiosk
    offer(channel, key, version)
    machine = Machine()
    status = run_once(settings, machine)
    assert status["result"] == "up-to-date" and machine.installs == [], status


def test_a_package_for_another_architecture_is_listed_and_not_installed(kiosk):
    settings, _, usb, key = kiosk
    offer(usb, key, "0.1.0-2", arch="arm64")  # a stick for both kinds of kiosk
    machine = Machine()
    status = run_once(settings, machine)
    assert status["result"] == "up-to-date" and machine.installs == []
    assert [r["zh"] for r in status["refused"]] == [
        "zwgk-kiosk_0.1.0-2_arm64.deb 适用于 arm64，本机是 amd64，已拒绝"
    ]


def test_a_package_swapped_after_the_copy_changes_nothing_installed(kiosk):
    settings, channel, _, key = kiosk
    deb = offer(channel, key, "0.1.0-2")
    good = sha(deb)
    machine = Machine()
    evil = make_deb(channel / ".evil", "0.1.0-2")
    evil.write_bytes(evil.read_bytes() + b"another program")
    machine.after_copy = lambda: evil.replace(deb)  # the kiosk user swaps the file once it was checked
    status = run_once(settings, machine)
    assert status["result"] == "installed"
    assert machine.installs == [("0.1.0-2", good)] and sha(deb) != good


def test_a_link_in_place_of_the_package_is_refused(kiosk, tmp_path):
    settings, channel, _, key = kiosk
    deb = offer(channel, key, "0.1.0-2")
    deb.rename(tmp_path / "elsewhere.deb")
    deb.symlink_to(tmp_path / "elsewhere.deb")
    status = run_once(settings, Machine())
    assert status["result"] == "refused" and "缺失或无法读取" in status["reason_zh"]


def test_an_update_that_never_becomes_ready_is_rolled_back_and_not_retried(kiosk):
    settings, channel, _, key = kiosk
    offer(channel, key, "0.1.0-2")
    machine = Machine(broken=("0.1.0-2",))
    status = run_once(settings, machine)
    assert status["result"] == "rolled-back" and status["installed"] == "0.1.0-1", status
    assert "已回退到 0.1.0-1" in status["reason_zh"] and status["offered"] == "0.1.0-2"
    assert [v for v, _ in machine.installs] == ["0.1.0-2", "0.1.0-1"]
    again = run_once(settings, machine)
    assert again["result"] == "refused" and "不再重试" in again["reason_zh"]
    assert len(machine.installs) == 2
    offer(channel, key, "0.1.0-3")  # a fixed version is taken
    assert run_once(settings, machine)["installed"] == "0.1.0-3"


def test_when_the_rolled_back_version_fails_too_staff_are_told(kiosk):
    settings, channel, _, key = kiosk
    offer(channel, key, "0.1.0-2")
    status = run_once(settings, Machine(broken=("0.1.0-1", "0.1.0-2")))
    assert status["result"] == "failed" and "请联系技术人员" in status["reason_zh"]


def test_no_rollback_copy_means_no_install(kiosk):
    settings, channel, _, key = kiosk
    offer(channel, key, "0.1.0-2")
    machine = Machine()

    def cannot(package, folder):
        raise CommandFailed("dpkg-repack: not found", "无法执行")

    machine.repack = cannot
    status = run_once(settings, machine)
    assert status["result"] == "refused" and "无法回退" in status["reason_zh"] and machine.installs == []
    assert not list(settings.state_dir.glob("incoming/*"))


def test_usb_and_channel_both_offering_the_newest_wins_and_a_bad_copy_falls_back_to_the_other(kiosk):
    settings, channel, usb, key = kiosk
    offer(channel, key, "0.1.0-2")
    offer(usb, key, "0.1.0-3")
    machine = Machine()
    assert run_once(settings, machine)["installed"] == "0.1.0-3"

    # the same version on both and the channel's copy damaged: the stick's is installed
    settings2 = Settings(settings.data_dir, settings.state_dir.with_name("state2"), [usb], 1)
    machine2 = Machine()
    stick = offer(usb, key, "0.1.0-4")
    damaged = offer(channel, key, "0.1.0-4")
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"x")
    status = run_once(settings2, machine2)
    assert status["result"] == "installed" and machine2.installs == [("0.1.0-4", sha(stick))]
    assert [r["zh"] for r in status["refused"]] == [
        "zwgk-kiosk_0.1.0-4_amd64.deb（来自市级频道）与更新清单的校验值不符，可能被篡改或损坏，已拒绝"
    ]


def test_trust_is_pinned_on_first_use_and_a_later_enrolment_does_not_change_it(kiosk):
    settings, channel, _, key = kiosk
    offer(channel, key, "0.1.0-2")
    assert run_once(settings, Machine())["result"] == "installed"
    # the kiosk user writes an enrolment naming their own key and signs a package with it
    attacker = SigningKey.generate()
    (settings.data_dir / "enrolment.json").write_text(
        json.dumps({"trusted_keys": {attacker.key_id: attacker.public_hex}})
    )
    offer(channel, attacker, "9.9.9-1")
    machine = Machine(installed="0.1.0-2")
    status = run_once(settings, machine)
    assert (
        status["result"] == "refused" and "未受信任的密钥" in status["reason_zh"] and machine.installs == []
    )


def pinned(settings: Settings) -> list[str]:
    return sorted(json.loads((settings.state_dir / "trusted-keys.json").read_text()))


def test_the_helper_follows_a_rotation_then_another_and_drops_the_key_each_replaced(kiosk, tmp_path):
    settings, channel, stick, k1 = kiosk
    offer(channel, k1, "0.1.0-2")
    machine = Machine()
    assert run_once(settings, machine)["result"] == "installed" and pinned(settings) == [k1.key_id]
    k2, k3 = SigningKey.generate(), SigningKey.generate()
    once = [make_rotation("city", k1, k2.public)]  # as `city keygen --rotate` makes it, in every manifest
    offer(channel, k2, "0.1.0-3", rotations=once)
    assert run_once(settings, machine)["result"] == "installed" and pinned(settings) == [k2.key_id]
    offer(stick, k1, "0.1.0-4")  # the replaced key no longer signs an update
    status = run_once(settings, machine)
    assert status["result"] == "refused" and "未受信任的密钥" in status["reason_zh"], status
    (stick / "zwgk-kiosk_0.1.0-4_amd64.json").unlink()
    twice = once + [make_rotation("city", k2, k3.public)]
    offer(channel, k3, "0.1.0-5", rotations=twice)
    assert run_once(settings, machine)["result"] == "installed" and pinned(settings) == [k3.key_id]
    assert [v for v, _ in machine.installs] == ["0.1.0-2", "0.1.0-3", "0.1.0-5"]


def test_a_helper_pinned_before_two_rotations_follows_both_at_once(kiosk):
    settings, channel, _, k1 = kiosk
    assert run_once(settings, Machine())["result"] == "up-to-date" and pinned(settings) == [k1.key_id]
    k2, k3 = SigningKey.generate(), SigningKey.generate()
    chain = [make_rotation("city", k1, k2.public), make_rotation("city", k2, k3.public)]
    deb = offer(channel, k3, "0.1.0-2", rotations=chain)
    machine = Machine()
    assert run_once(settings, machine)["result"] == "installed" and machine.installs == [
        ("0.1.0-2", sha(deb))
    ]
    assert pinned(settings) == [k3.key_id]


def test_an_offer_checked_before_a_rotation_is_dropped_with_the_key_it_replaced(kiosk):
    settings, channel, stick, k1 = kiosk
    k2 = SigningKey.generate()
    offer(channel, k1, "0.1.0-3")  # read first, while k1 is still pinned
    deb = offer(stick, k2, "0.1.0-2", rotations=[make_rotation("city", k1, k2.public)])
    machine = Machine()
    status = run_once(settings, machine)
    assert status["result"] == "installed" and machine.installs == [("0.1.0-2", sha(deb))], status
    assert [r["zh"] for r in status["refused"]] == [
        "zwgk-kiosk_0.1.0-3_amd64.deb 由已轮换停用的密钥签名，已拒绝"
    ]
    assert pinned(settings) == [k2.key_id]


def test_a_forged_rotation_is_refused_and_nothing_is_pinned(kiosk):
    settings, channel, _, k1 = kiosk
    attacker, attacker2 = SigningKey.generate(), SigningKey.generate()
    # a record from a key the helper never pinned: passed over, so the package's key stays untrusted
    offer(channel, attacker2, "0.1.0-2", rotations=[make_rotation("city", attacker, attacker2.public)])
    machine = Machine()
    status = run_once(settings, machine)
    assert status["result"] == "refused" and "未受信任的密钥" in status["reason_zh"], status
    # a record naming the pinned key as the one handing over, signed by the attacker's key
    forged = make_rotation("city", attacker, attacker2.public)
    forged = type(forged)(**{**vars(forged), "previous_key_id": k1.key_id})
    offer(channel, attacker2, "0.1.0-2", rotations=[forged])
    status = run_once(settings, machine)
    assert status["result"] == "refused" and "疑似伪造" in status["reason_zh"], status
    # a genuine rotation carried by a manifest that does not verify pins nothing either
    k2 = SigningKey.generate()
    deb = offer(channel, k2, "0.1.0-2", rotations=[make_rotation("city", k1, k2.public)])
    manifest = json.loads(deb.with_suffix(".json").read_text())
    deb.with_suffix(".json").write_text(json.dumps({**manifest, "size": manifest["size"] + 1}))
    status = run_once(settings, machine)
    assert status["result"] == "refused" and "签名校验失败" in status["reason_zh"], status
    assert machine.installs == [] and pinned(settings) == [k1.key_id]


def test_a_kiosk_not_enrolled_is_told_so(kiosk):
    settings, channel, _, key = kiosk
    (settings.data_dir / "enrolment.json").unlink()
    offer(channel, key, "0.1.0-2")
    status = run_once(settings, Machine())
    assert status["result"] == "refused" and "尚未登记" in status["reason_zh"]


def test_a_link_at_the_status_file_is_replaced_not_written_through(kiosk, tmp_path):
    settings, _, _, _ = kiosk
    victim = tmp_path / "victim"
    victim.write_text("root's file")
    (settings.data_dir / "update-status.json").symlink_to(victim)
    run_once(settings, Machine())
    assert victim.read_text() == "root's file"
    assert status_of(settings)["result"] == "up-to-date"
