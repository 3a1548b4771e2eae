"""The fork-per-test plugin of the PySide6 6.8.0.2 pass (tests/helpers/fork_each_test.py) reports what
pytest would: a pass, a failure with its assertion, a skip, and a test whose process dies (a segfault) as
a failure naming the signal; and each test runs in a process of its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TESTS = """
import os, signal
import pytest

def test_passes():
    assert True

def test_fails():
    assert 1 + 1 == 3, "arithmetic"

def test_skips():
    pytest.skip("not here")

def test_dies():
    os.kill(os.getpid(), signal.SIGSEGV)

def test_sees_a_process_of_its_own(tmp_path_factory):
    marker = tmp_path_factory.getbasetemp().parent / "pids"
    with open(marker, "a") as out:
        out.write(f"{os.getpid()} {os.getppid()}\\n")

def test_sees_a_process_of_its_own_again(tmp_path_factory):
    test_sees_a_process_of_its_own(tmp_path_factory)
"""


def test_reports_pass_fail_skip_and_a_dead_process(tmp_path):
    (tmp_path / "test_sample.py").write_text(TESTS, encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "tests.helpers.fork_each_test",
    ]
    shown = subprocess.run(
        [*command, "-rfs", "--basetemp", str(tmp_path / "base"), "test_sample.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = shown.stdout
    assert shown.returncode == 1, out
    assert "2 failed, 3 passed, 1 skipped" in out, out
    assert "arithmetic" in out
    assert "test_dies" in out and "killed by signal 11 (SIGSEGV)" in out
    (first, parent), (second, same_parent) = (
        line.split() for line in (tmp_path / "pids").read_text().splitlines()
    )
    assert first != second and parent == same_parent  # two children of the one pytest process
