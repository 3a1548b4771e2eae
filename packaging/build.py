#!/usr/bin/env python3
"""`python3 packaging/build.py [--arch amd64|arm64] [--out dist]`: the zwgk-kiosk and zwgk-city .deb files.

Each package carries its Python environment in /opt/<package>/venv, packed with `dpkg-deb` (not
dh-virtualenv): a venv skeleton made by Debian's /usr/bin/python3 (so `bin/python` points at the
system's Python 3.11 on the kiosk), then the project's wheel and the exact versions of
`requirements-<arch>.txt` installed as binary wheels for Debian 12's glibc (2.36) and the target
architecture. The same command builds the arm64 package on an amd64 machine, because nothing is
compiled; dh-virtualenv would need a full debian/ source tree, debhelper and a native (or emulated)
build per architecture. The launchers are written for /opt/<package>/venv and pyvenv.cfg is rewritten
to name that path, so nothing in the package refers to the build directory.

`--lock` resolves the dependencies in pyproject.toml again for both architectures (as pip would
on a Debian 12 machine of that architecture) and rewrites the requirements files: on arm64 that is
where PySide6 stops at 6.8.0.2 (its later aarch64 wheels need glibc 2.39).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEBIAN_PYTHON = "/usr/bin/python3"  # Debian 12: Python 3.11
PY_VERSION = "3.11"
GLIBC_MINOR = 36  # Debian 12
MACHINES = {"amd64": "x86_64", "arm64": "aarch64"}
PYSIDE = {"pyside6-essentials", "pyside6-addons", "shiboken6"}
MAINTAINER = "zwgk-kiosk contributors <zwgk-kiosk@localhost>"


def say(message: str) -> None:
    print(f"[build] {message}", flush=True)


def platform_args(arch: str) -> list[str]:
    """pip's options for binary wheels that install on Debian 12 of `arch` (manylinux up to glibc 2.36)."""
    machine = MACHINES[arch]
    platforms = [f"manylinux_2_{minor}_{machine}" for minor in range(17, GLIBC_MINOR + 1)]
    args = [f"--platform={p}" for p in ["manylinux2014_" + machine, *platforms]]
    return [
        *args,
        f"--python-version={PY_VERSION}",
        "--implementation=cp",
        "--abi=cp311",
        "--only-binary=:all:",
    ]


def requirements_file(arch: str) -> Path:
    return HERE / f"requirements-{arch}.txt"


def pinned(arch: str, without: set[str] = frozenset()) -> list[str]:
    """The `name==version` lines of the architecture's requirements file, less the names in `without`."""
    lines = [line.split("#")[0].strip() for line in requirements_file(arch).read_text().splitlines()]
    return [line for line in lines if line and line.split("==")[0].lower() not in without]


def lock(arch: str) -> None:
    """Resolve pyproject.toml's dependencies for `arch` and write them pinned."""
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
             "--target", str(Path(tmp) / "t"), "--report", str(report), *platform_args(arch), *dependencies],
            check=True,
        )  # fmt: skip
        chosen = json.loads(report.read_text())["install"]
    lines = sorted(
        f"{re.sub(r'[-_.]+', '-', item['metadata']['name']).lower()}=={item['metadata']['version']}"
        for item in chosen
    )
    header = (
        f"# Exact versions in the {arch} package ({MACHINES[arch]}, Debian 12: glibc 2.{GLIBC_MINOR}, "
        f"Python {PY_VERSION}).\n# Written by `python3 packaging/build.py --lock`; do not edit by hand.\n"
    )
    requirements_file(arch).write_text(header + "\n".join(lines) + "\n")
    say(f"wrote {requirements_file(arch).relative_to(ROOT)} ({len(lines)} packages)")


def project_wheel(out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)], check=True
    )
    return next(out.glob("zwgk_kiosk-*.whl"))


def make_venv(stage: Path, prefix: str, arch: str, wheel: Path, requirements: list[str]) -> None:
    """A venv for `prefix` (e.g. /opt/zwgk-kiosk/venv) under `stage`, with `requirements` and the project."""
    venv = stage / prefix.lstrip("/")
    subprocess.run([DEBIAN_PYTHON, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = venv / "lib" / f"python{PY_VERSION}" / "site-packages"
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as reqs:
        reqs.write("\n".join(requirements) + "\n")
        reqs.flush()
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile", "--target", str(site),
             *platform_args(arch), "-r", reqs.name, str(wheel)],
            check=True,
            env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_ROOT_USER_ACTION="ignore"),
        )  # fmt: skip
    shutil.rmtree(site / "bin", ignore_errors=True)  # pip's own launchers name the build machine's Python
    for direct_url in site.glob("*.dist-info/direct_url.json"):  # names the wheel's build directory
        record = direct_url.parent / "RECORD"
        lines = record.read_text().splitlines(keepends=True)
        record.write_text(
            "".join(
                line for line in lines if not line.startswith(f"{direct_url.parent.name}/direct_url.json,")
            )
        )
        direct_url.unlink()
    # PySide6's wheel ships a __pycache__; postinst compiles on the target instead.
    for cache in list(site.rglob("__pycache__")):
        shutil.rmtree(cache)
    for path in site.rglob("*"):
        if path.name in (".gitignore", ".gitattributes", ".git"):
            path.unlink()  # version-control leftovers some wheels carry
        elif path.suffix == ".so" or ".so." in path.name:
            path.chmod(0o644)  # shared libraries are not programs (pip installs them 0755)
    for module, name in (("kiosk.cli", "kiosk"), ("city.cli", "city"), ("updater.cli", "zwgk-kiosk-update")):
        if (site / module.split(".")[0]).is_dir():
            script = venv / "bin" / name
            script.write_text(
                f"#!{prefix}/bin/python3\nimport sys\n\nfrom {module} import main\n\nsys.exit(main())\n"
            )
            script.chmod(0o755)
    for path in venv.glob("bin/activate*"):
        path.unlink()  # an interactive convenience naming the build directory; not used by the units
    cfg = venv / "pyvenv.cfg"
    cfg.write_text(
        re.sub(r"(?m)^command = .*$", f"command = {DEBIAN_PYTHON} -m venv {prefix}", cfg.read_text())
    )


def installed_size_kib(stage: Path) -> int:
    return sum(p.lstat().st_size for p in stage.rglob("*") if not p.is_dir()) // 1024 + 1


def changelog(package: str, version: str) -> bytes:
    import gzip

    text = (
        f"{package} ({version}) unstable; urgency=medium\n\n"
        "  * Built from the zwgk-kiosk repository by packaging/build.py.\n\n"
        f" -- {MAINTAINER}  Fri, 04 Dec 2026 00:00:00 +0000\n"
    )
    return gzip.compress(text.encode(), mtime=0, compresslevel=9)


COPYRIGHT = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: zwgk-kiosk
Source: https://github.com/zwgk-kiosk/zwgk-kiosk

Files: *
Copyright: 2026 zwgk-kiosk contributors
License: GPL-3+
 The Python environment in /opt/{package}/venv holds third-party wheels under their own licences
 (Qt for Python under LGPL-3 / GPL-3, Qt Virtual Keyboard under GPL-3); each wheel's licence is in its
 .dist-info directory.
 .
 On Debian systems, the complete text of the GNU General Public License version 3 can be found in
 /usr/share/common-licenses/GPL-3.
"""


def common_files(stage: Path, package: str, version: str) -> None:
    doc = stage / "usr/share/doc" / package
    doc.mkdir(parents=True, exist_ok=True)
    (doc / "copyright").write_text(COPYRIGHT.format(package=package))
    (doc / "changelog.Debian.gz").write_bytes(changelog(package, version))
    shutil.copy(ROOT / "README.md", doc / "README.md")
    overrides = HERE / "debian" / f"{package}.lintian-overrides"
    if overrides.exists():
        target = stage / "usr/share/lintian/overrides" / package
        target.parent.mkdir(parents=True)
        shutil.copy(overrides, target)


def install(source: Path, target: Path, mode: int = 0o644) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    target.chmod(mode)


def control(stage: Path, fields: dict[str, str], scripts: str, conffiles: list[str]) -> None:
    debian = stage / "DEBIAN"
    debian.mkdir()
    fields = {**fields, "Installed-Size": str(installed_size_kib(stage))}
    (debian / "control").write_text("".join(f"{k}: {v}\n" for k, v in fields.items()))
    for name in ("postinst", "prerm", "postrm"):
        install(HERE / "debian" / f"{scripts}.{name}", debian / name, 0o755)
    if conffiles:
        (debian / "conffiles").write_text("".join(f"{c}\n" for c in conffiles))
    sums = [
        f"{subprocess.run(['md5sum', str(p)], capture_output=True, text=True, check=True).stdout.split()[0]}  "
        f"{p.relative_to(stage)}\n"
        for p in sorted(stage.rglob("*"))
        if p.is_file() and not p.is_symlink() and "DEBIAN" not in p.relative_to(stage).parts
    ]
    (debian / "md5sums").write_text("".join(sums))


def dpkg_deb(stage: Path, out: Path) -> Path:
    for path in stage.rglob("*"):  # no group/other write bits, whatever the build machine's umask
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~0o022)
    result = subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zgzip", "-z1", "--build", str(stage), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(re.search(r"in '([^']+)'", result.stdout).group(1))  # type: ignore[union-attr]


def kiosk_example_config() -> str:
    """What `kiosk config example` prints: every option, commented out, with its default."""
    result = subprocess.run(
        [sys.executable, "-c", "from kiosk import config; print(config.render_example(), end='')"],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    return result.stdout


def build_kiosk(arch: str, version: str, wheel: Path, work: Path, out: Path) -> Path:
    stage = work / "zwgk-kiosk"
    make_venv(stage, "/opt/zwgk-kiosk/venv", arch, wheel, pinned(arch))
    (stage / "usr/bin").mkdir(parents=True)
    (stage / "usr/bin/kiosk").symlink_to("/opt/zwgk-kiosk/venv/bin/kiosk")
    # root's command: the update helper (updater/; zwgk-kiosk-update.service runs it, --trust-enrolment by hand)
    (stage / "usr/sbin").mkdir(parents=True)
    (stage / "usr/sbin/zwgk-kiosk-update").symlink_to("/opt/zwgk-kiosk/venv/bin/zwgk-kiosk-update")
    etc = stage / "etc/zwgk-kiosk"
    etc.mkdir(parents=True)
    (etc / "kiosk.toml").write_text(kiosk_example_config())
    install(HERE / "weston/weston.ini", etc / "weston.ini")
    units = ("zwgk-kiosk.service", "zwgk-kiosk-weston.service", "zwgk-kiosk-display.service")
    units += ("zwgk-kiosk-update.service", "zwgk-kiosk-update.timer")
    for unit in units:
        install(HERE / "systemd" / unit, stage / "lib/systemd/system" / unit)
    install(HERE / "udev/99-zwgk-kiosk.rules", stage / "lib/udev/rules.d/60-zwgk-kiosk.rules")
    install(HERE / "debian/kiosk.logrotate", stage / "etc/logrotate.d/zwgk-kiosk")
    common_files(stage, "zwgk-kiosk", version)
    control(
        stage,
        {
            "Package": "zwgk-kiosk",
            "Version": version,
            "Architecture": arch,
            "Maintainer": MAINTAINER,
            "Section": "misc",
            "Priority": "optional",
            "Depends": ", ".join(KIOSK_DEPENDS),
            "Recommends": "espeak-ng, speech-dispatcher-espeak-ng",
            "Conflicts": "brltty",
            "Homepage": "https://github.com/zwgk-kiosk/zwgk-kiosk",
            "Description": "government information disclosure zone touch kiosk (政务公开专区一体机)\n"
            " Offline library of the government gazette, policy documents and their\n"
            " interpretations with Chinese search, the hall's devices (ID-card reader,\n"
            " receipt printer) and sync with the city server, shown full screen by\n"
            " weston's kiosk shell and supervised by systemd with a watchdog.",
        },
        "kiosk",
        ["/etc/zwgk-kiosk/kiosk.toml", "/etc/zwgk-kiosk/weston.ini", "/etc/logrotate.d/zwgk-kiosk"],
    )
    return dpkg_deb(stage, out)


def build_city(arch: str, version: str, wheel: Path, work: Path, out: Path) -> Path:
    stage = work / "zwgk-city"
    make_venv(stage, "/opt/zwgk-city/venv", arch, wheel, pinned(arch, without=PYSIDE))
    (stage / "usr/bin").mkdir(parents=True)
    (stage / "usr/bin/city").symlink_to("/opt/zwgk-city/venv/bin/city")
    install(HERE / "systemd/zwgk-city.service", stage / "lib/systemd/system/zwgk-city.service")
    install(HERE / "nginx/zwgk-city.conf", stage / "usr/share/doc/zwgk-city/examples/nginx-zwgk-city.conf")
    common_files(stage, "zwgk-city", version)
    control(
        stage,
        {
            "Package": "zwgk-city",
            "Version": version,
            "Architecture": arch,
            "Maintainer": MAINTAINER,
            "Section": "net",
            "Priority": "optional",
            "Depends": "python3 (>= 3.11), python3 (<< 3.12), adduser, libc6 (>= 2.17)",
            "Suggests": "nginx",
            "Homepage": "https://github.com/zwgk-kiosk/zwgk-kiosk",
            "Description": "city server for zwgk-kiosk (政务公开专区 city side)\n"
            " Publishes the signed content channel the kiosks sync from, receives their\n"
            " usage records and heartbeats, and shows the fleet.",
        },
        "city",
        [],
    )
    return dpkg_deb(stage, out)


# Debian 12 names. Qt's wheels bring Qt itself but not the system libraries it loads: GL/EGL, xkb,
# fontconfig, Wayland client libraries (the kiosk runs as a Wayland client of weston), libpulse for the
# Virtual Keyboard plugin, a CJK font, libusb for usb:// printers; weston and seatd for the session.
KIOSK_DEPENDS = [
    "python3 (>= 3.11)",
    "python3 (<< 3.12)",
    "adduser",
    "libc6 (>= 2.31)",
    "fonts-noto-cjk",
    "libegl1",
    "libgl1",
    "libopengl0",
    "libxkbcommon0",
    "libfontconfig1",
    "libfreetype6",
    "libdbus-1-3",
    "libglib2.0-0",
    "libwayland-client0",
    "libwayland-cursor0",
    "libwayland-egl1",
    "libpulse0",
    "libusb-1.0-0",
    "dpkg-repack",  # the update helper (updater/) keeps the running version for a rollback
    "weston (>= 10)",
    "seatd",
    "logrotate",
    # Its units run under systemd, and udev applies its rules; both installed before postinst, so the
    # groups the kiosk user joins (input, render) exist (a bare Debian root has neither).
    "systemd",
    "udev",
]


def build(arch: str, out: Path, version: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="zwgk-deb-") as tmp:
        work = Path(tmp)
        wheel = project_wheel(work / "wheel")
        say(f"zwgk-kiosk {version} for {arch}")
        debs = [build_kiosk(arch, version, wheel, work, out)]
        say(f"zwgk-city {version} for {arch}")
        debs.append(build_city(arch, version, wheel, work, out))
    for deb in debs:
        say(f"built {deb} ({deb.stat().st_size / 1e6:.0f} MB)")
    return debs


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", choices=sorted(MACHINES), default="amd64")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--version", default=None, help="Debian version (default: the project's, -1)")
    parser.add_argument("--lock", action="store_true", help="re-resolve requirements-{amd64,arm64}.txt")
    args = parser.parse_args(argv)
    if args.lock:
        for arch in sorted(MACHINES):
            lock(arch)
        return 0
    for tool in ("dpkg-deb", "md5sum"):
        if not shutil.which(tool):
            print(f"错误：缺少 {tool}（apt-get install dpkg）", file=sys.stderr)
            return 1
    if not Path(DEBIAN_PYTHON).exists():
        print(f"错误：缺少 {DEBIAN_PYTHON}（apt-get install python3 python3-venv）", file=sys.stderr)
        return 1
    build(args.arch, args.out, args.version or f"{project_version()}-1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
