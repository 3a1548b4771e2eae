"""systemd_notify speaks the sd_notify protocol to a real socket, and is silent without one."""

from __future__ import annotations

import os

from notify_socket import NotifySocket

from systemd_notify import Notifier, watchdog_interval


def test_ready_watchdog_and_stopping_reach_an_abstract_socket():
    with NotifySocket() as listener:
        notifier = Notifier(listener.name)
        assert notifier.enabled
        assert notifier.ready("home screen shown")
        assert listener.receive(2) == {"READY": "1", "STATUS": "home screen shown"}
        assert notifier.watchdog()
        assert listener.receive(2) == {"WATCHDOG": "1"}
        assert notifier.stopping()
        assert listener.receive(2) == {"STOPPING": "1"}


def test_a_socket_path_in_the_file_system(tmp_path):
    import socket

    path = tmp_path / "n.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        sock.settimeout(2)
        assert Notifier(str(path)).send("READY=1", "STATUS=中文状态")
        assert sock.recv(4096).decode() == "READY=1\nSTATUS=中文状态"


def test_without_a_socket_nothing_is_sent(monkeypatch):
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    notifier = Notifier()
    assert not notifier.enabled
    assert not notifier.ready() and not notifier.watchdog()


def test_a_socket_nobody_listens_on_is_a_failed_send_not_an_error(tmp_path):
    assert not Notifier(str(tmp_path / "gone.sock")).watchdog()


def test_watchdog_interval_is_half_of_watchdogsec_for_this_process(monkeypatch):
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    monkeypatch.delenv("WATCHDOG_USEC", raising=False)
    assert watchdog_interval() is None
    monkeypatch.setenv("WATCHDOG_USEC", "10000000")
    assert watchdog_interval() == 5.0
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    assert watchdog_interval() == 5.0
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid() + 1))  # the watchdog is another process's
    assert watchdog_interval() is None
    monkeypatch.delenv("WATCHDOG_PID")
    for bad in ("", "0", "-5", "ten"):
        monkeypatch.setenv("WATCHDOG_USEC", bad)
        assert watchdog_interval() is None
