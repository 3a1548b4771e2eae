"""A pytest plugin that runs every test in a forked child process: one QML engine per process, as the
kiosk and the display run, for the PySide6 6.8.0.2 pass (`-p tests.helpers.fork_each_test`).

Qt 6.8.0 cannot tear one QQmlEngine down and build another in the same process reliably: after a few
engines, a singleton lookup in a fresh engine (AppState from Main.qml's StackView handler) reads a QQmlType
whose private data was freed and the process segfaults in QQmlEnginePrivate::singletonInstance (seen on
6.8.0.2, never on 6.12; the product builds one engine per process). So on 6.8 each test gets its own
process. pytest-forked would do this but fails every test on pytest 9 (exit status 3 before the test
runs), so this is the few lines it takes: the child runs the test's whole protocol and sends its reports
back as pytest's own serialized reports; a child that dies (a segfault) is reported as the test failing.

Session fixtures are made again in each child; the bundled gazette, the costly one, is shared through
`ZWGK_SHARED_GAZETTE` (a directory this plugin makes, see tests/ui/conftest.py)."""

from __future__ import annotations

import marshal
import os
import shutil
import signal
import tempfile

import pytest
from _pytest.runner import runtestprotocol

SHARED_GAZETTE = "ZWGK_SHARED_GAZETTE"


def pytest_sessionstart(session: pytest.Session) -> None:
    os.environ[SHARED_GAZETTE] = tempfile.mkdtemp(prefix="zwgk-shared-gazette-")


def pytest_sessionfinish(session: pytest.Session) -> None:
    shutil.rmtree(os.environ.pop(SHARED_GAZETTE, ""), ignore_errors=True)


def how_it_ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        return f"killed by signal {number} ({signal.Signals(number).name})"
    return f"exited with status {os.WEXITSTATUS(status)} without reporting"


def run_in_child(item: pytest.Item, write_end: int) -> None:
    """The child: run the test, every fixture torn down after it, and write its reports."""
    code = 0
    try:
        reports = runtestprotocol(item, nextitem=None, log=False)
        hook = item.config.hook
        serialized = [hook.pytest_report_to_serializable(config=item.config, report=r) for r in reports]
        with os.fdopen(write_end, "wb") as out:
            out.write(marshal.dumps(serialized))  # marshal, not JSON: a skip's location is a tuple
    except BaseException:  # noqa: BLE001 - whatever it was, the parent reports the child's death
        code = 70
    os._exit(code)  # no atexit handlers, no Qt teardown of the parent's copies


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool:
    hook = item.ihook
    hook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        run_in_child(item, write_end)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as incoming:
        payload = incoming.read()
    _, status = os.waitpid(pid, 0)
    if payload:
        config = item.config
        reports = [
            config.hook.pytest_report_from_serializable(config=config, data=d) for d in marshal.loads(payload)
        ]
    else:
        reports = [
            pytest.TestReport(
                nodeid=item.nodeid,
                location=item.location,
                keywords={k: 1 for k in item.keywords},
                outcome="failed",
                longrepr=f"{item.nodeid}: the test's process {how_it_ended(status)}",
                when="call",
            )
        ]
    for report in reports:
        hook.pytest_runtest_logreport(report=report)
    hook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True
