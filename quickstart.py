#!/usr/bin/env python3
"""Quick start for zwgk-kiosk on a fresh Debian 12/13 or Ubuntu 24.04 machine with only python3.

    python3 quickstart.py demo   # install what is needed, start the demo kiosk
    python3 quickstart.py test   # install the same plus test tools, run the whole test suite
    python3 quickstart.py test tests/ui -x   # only the pytest arguments given, on the current PySide6

It checks the system packages Qt and the kiosk need, installs the missing ones with apt-get when run as
root (otherwise prints the exact apt-get line and stops), makes a virtual environment in .venv, installs
the project into it (again only when pyproject.toml changed), and runs the command. Standard library only:
it must work before anything is installed.

`test` without arguments then runs the UI, end-to-end and qmllint tests a second time on PySide6 6.8.0.2
(in .venv-pyside68), the last version whose aarch64 wheels install on Debian 12 (glibc 2.36), each test in
a process of its own (tests/helpers/fork_each_test.py); its failure fails the command.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
# The second test environment: the PySide6 of Debian 12 ARM boards, where pip stops at 6.8.0.2 because
# the aarch64 wheels of 6.8.1 and later need glibc 2.39.
VENV_PYSIDE68 = ROOT / ".venv-pyside68"
PYSIDE68_PINS = ["pyside6-essentials==6.8.0.2", "pyside6-addons==6.8.0.2"]
# One pytest run per group: tests/ui and tests/display each import their own `conftest` by that name, which
# only works when their folders are collected one after the other (as `pytest tests` does), not when both
# are named on one command line (pytest then loads every named folder's conftest first).
PYSIDE68_TESTS = [["tests/ui", "tests/e2e"], ["tests/display"]]  # the qmllint test is in tests/ui
# One QML engine per process, as the kiosk runs: Qt 6.8.0 segfaults once an engine was torn down and
# another built in the same process (see tests/helpers/fork_each_test.py).
PYSIDE68_PLUGINS = ["-p", "tests.helpers.fork_each_test"]
# Whether a failure on 6.8.0.2 fails the test command.
PYSIDE68_REQUIRED = True

# Debian package names; "a|b" means either (Debian 13 and Ubuntu 24.04 renamed some libraries to *t64).
# Qt's offscreen and xcb platforms need the GL/EGL/xkb/fontconfig libraries; the Qt Virtual Keyboard
# plugin needs libpulse0 and (for its multimedia plugin) libpipewire; Chinese text needs a CJK font;
# usb:// printers need libusb.
COMMON_PACKAGES = [
    "fonts-noto-cjk",
    "libpulse0",
    "libpipewire-0.3-0t64|libpipewire-0.3-0",
    "libegl1",
    "libgl1",
    "libopengl0",
    "libxkbcommon0",
    "libfontconfig1",
    "libfreetype6",
    "libdbus-1-3",
    "libglib2.0-0t64|libglib2.0-0",
    "libusb-1.0-0",
    # 语音叫号: espeak-ng makes the default voice pack (cmn-latn-pinyin), aplay plays the calls
    "espeak-ng",
    "alsa-utils",
]
# A real window on an X11 desktop (the demo) needs Qt's xcb platform plugin dependencies.
DESKTOP_PACKAGES = [
    "libxkbcommon-x11-0",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-shape0",
    "libxcb-xinerama0",
    "libx11-xcb1",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-image0",
]
# The tests also drive the real window on a virtual X display (Xvfb) with Qt's default threaded render
# loop, where offscreen rendering once hid a crash, touching it through the X server's XTEST extension.
TEST_PACKAGES = [*DESKTOP_PACKAGES, "xvfb", "xauth", "libxtst6"]
# The packaging tests build the .deb files (dpkg-deb, Debian's own python3 and venv for the skeleton)
# and run `systemd-analyze verify` on the units, which needs the programs they start (weston, seatd).
TEST_PACKAGES += ["dpkg", "python3", "python3-venv", "systemd", "weston", "seatd", "util-linux"]
# tests/packaging/test_deb_install.py installs the kiosk package with dpkg into a copy of this system,
# so every package it depends on must be here (the rest of its Depends are in the lists above).
TEST_PACKAGES += ["adduser", "logrotate", "udev"]
# The kiosk package depends on dpkg-repack (the update helper keeps the running version with it), and
# tests/packaging/test_update_deb.py runs it in that copy of this system.
TEST_PACKAGES += ["dpkg-repack"]
# tests/packaging/test_fresh_root.py installs both packages with apt into a fresh Debian 12 root it makes.
TEST_PACKAGES += ["debootstrap"]
# tests/packaging/test_nginx_example.py checks the city's nginx example with `nginx -t`.
TEST_PACKAGES += ["nginx", "openssl"]
# The city server's tests run every database test on SQLite and on a throwaway PostgreSQL cluster
# (tests/helpers/postgres.py: initdb + pg_ctl as a non-root user, `runuser` from util-linux).
TEST_PACKAGES += ["postgresql"]
# The calling page and the city dashboard are driven in a real headless browser (tests/helpers/browser.py:
# Selenium with Debian's Chromium and its driver).
TEST_PACKAGES += ["chromium", "chromium-driver"]
# The voice tests decode what was played with sox's soxi as well as Python's wave module.
TEST_PACKAGES += ["sox"]


def say(message: str) -> None:
    print(f"[quickstart] {message}", flush=True)


def fail(message: str) -> None:
    print(f"[quickstart] 错误 error: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def installed(package: str) -> bool:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
    )
    return "install ok installed" in result.stdout


def installable(package: str) -> bool:
    result = subprocess.run(["apt-cache", "show", package], capture_output=True, text=True, check=False)
    return result.returncode == 0 and bool(result.stdout.strip())


def missing_requirements(requirements: list[str]) -> list[list[str]]:
    """The requirements (each a list of alternative package names) of which no alternative is installed."""
    return [alts for alts in (r.split("|") for r in requirements) if not any(installed(p) for p in alts)]


def ensure_system_packages(requirements: list[str]) -> None:
    if not shutil.which("dpkg-query"):
        say(
            "not a Debian-based system: make sure a CJK font, libpulse and Qt's GL/EGL/xkb libraries are installed"
        )
        return
    missing = missing_requirements(requirements)
    if not missing:
        return
    chosen = [next((p for p in alts if installable(p)), alts[-1]) for alts in missing]
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        fail(
            "需要先安装系统软件包 missing system packages: " + " ".join("|".join(a) for a in missing) + "\n"
            f"  run as root:  apt-get update && apt-get install -y --no-install-recommends {' '.join(chosen)}\n"
            "  then run this command again."
        )
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    say("installing system packages: " + " ".join("|".join(a) for a in missing))
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
    chosen = [next((p for p in alts if installable(p)), alts[-1]) for alts in missing]
    subprocess.run(
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", *chosen], check=True, env=env
    )


def venv_python(venv_dir: Path = VENV) -> Path:
    return venv_dir / "bin" / "python"


def ensure_venv(venv_dir: Path = VENV) -> None:
    if venv_python(venv_dir).exists():
        return
    try:
        import ensurepip  # noqa: F401
    except ImportError:
        version = f"python3.{sys.version_info.minor}-venv"
        ensure_system_packages(["python3-venv", version])
    say(f"creating virtual environment {venv_dir}")
    venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)


def ensure_installed(extras: str, venv_dir: Path = VENV, pins: tuple[str, ...] = ()) -> None:
    """Install the project (with `extras`) and the `pins` into `venv_dir`, unless already done for this
    pyproject.toml and these pins."""
    stamp_file = venv_dir / f".zwgk-installed{extras}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + " ".join(pins).encode()).hexdigest()
    if stamp_file.exists() and stamp_file.read_text() == digest:
        return
    python = str(venv_python(venv_dir))
    say(
        f"installing zwgk-kiosk and its Python dependencies into {venv_dir.name} (first run takes a few minutes)"
    )
    subprocess.run([python, "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    # setuptools' "Editable installation … !!" banner warns that folders named like the packages in the
    # working directory take precedence on import; here they are the packages themselves, as intended.
    env = dict(os.environ, PYTHONWARNINGS="ignore:Editable installation")
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "-e", f"{ROOT}{extras}", *pins], check=True, env=env
    )
    stamp_file.write_text(digest)


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - quickstart runs on whatever python3 the machine has
        fail(f"Python 3.11 or newer is needed, this is {sys.version.split()[0]}")
    if len(argv) < 1 or argv[0] not in ("demo", "test"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    os.chdir(ROOT)
    if command == "demo":
        ensure_system_packages(COMMON_PACKAGES + DESKTOP_PACKAGES)
        ensure_venv()
        ensure_installed("")
        env = dict(os.environ)
        env.setdefault("KIOSK_DATA_DIR", str(ROOT / "data" / "demo"))
        if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY") and "--headless" not in rest:
            say(
                "no graphical display found: starting the headless demo (search prompt) instead of the window"
            )
            rest = ["--headless", *rest]
        return subprocess.call([str(VENV / "bin" / "kiosk"), "demo", *rest], env=env)
    ensure_system_packages(COMMON_PACKAGES + TEST_PACKAGES)
    ensure_venv()
    ensure_installed("[test]")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    code = subprocess.call([str(venv_python()), "-m", "pytest", *rest], env=env)
    if rest:
        return code
    ensure_venv(VENV_PYSIDE68)
    ensure_installed("[test]", VENV_PYSIDE68, tuple(PYSIDE68_PINS))
    say("the UI and end-to-end tests again on PySide6 6.8.0.2 (Debian 12 ARM boards)")
    code68 = 0
    for group in PYSIDE68_TESTS:
        python68 = str(venv_python(VENV_PYSIDE68))
        command = [python68, "-m", "pytest", "-q", "-p", "no:cacheprovider", *PYSIDE68_PLUGINS, *group]
        code68 = subprocess.call(command, env=env) or code68
    if code68:
        say(f"警告 warning: the PySide6 6.8.0.2 run failed (pytest exit {code68})")
    return code or (code68 if PYSIDE68_REQUIRED else 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
