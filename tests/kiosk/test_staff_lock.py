"""The staff lock under attack and bad luck: many processes at once, the clock set back, damaged or deleted
state, a full disk, and the escalation up to the recovery code. Each case counts in the README's
reliability table ("staff lock")."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.staff import LOCK_STEPS, MAX_TRIES, StaffAuth, StaffError, hash_pin

PIN, WRONG = "246810", "000000"
YEAR = 365 * 24 * 3600
ROOT = Path(__file__).resolve().parents[2]


class Clocks:
    """A wall clock and a monotonic clock that tests move separately."""

    def __init__(self) -> None:
        self.wall = 1_700_000_000.0
        self.mono = 5_000.0

    def advance(self, seconds: float) -> None:
        self.wall += seconds
        self.mono += seconds


@pytest.fixture
def clocks():
    return Clocks()


def auth_at(path: Path, clocks: Clocks, config_hash: str = "") -> StaffAuth:
    return StaffAuth(path, config_hash, clock=lambda: clocks.wall, monotonic=lambda: clocks.mono)


def lock_once(auth: StaffAuth) -> int:
    results = [auth.attempt(WRONG) for _ in range(MAX_TRIES)]
    return results[-1].locked_for


# --- many processes -------------------------------------------------------------------------------

WORKER = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    from kiosk.staff import StaffAuth
    data, go = Path(sys.argv[1]), Path(sys.argv[2])
    while not go.exists():
        time.sleep(0.001)
    auth = StaffAuth(data)
    print(json.dumps([auth.attempt(sys.argv[3]).checked for _ in range(5)]))
    """
)


def test_twenty_processes_at_once_get_no_more_than_the_limit_of_checks(tmp_path):
    data, go = tmp_path / "data", tmp_path / "go"
    StaffAuth(data).set_pin(PIN)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(data), str(go), WRONG],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(20)
    ]
    go.touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 20, [err for _, err in outputs if err]
    checked = sum(sum(json.loads(out)) for out, _ in outputs)
    assert checked == MAX_TRIES  # the first lock stops every other process's tries
    assert StaffAuth(data).lockouts()["total"] == 1
    assert not list(data.glob("*.tmp")) and not list(data.glob(".staff.json.*"))


# --- the clocks -----------------------------------------------------------------------------------


def test_setting_the_clock_back_a_year_never_locks_longer_than_the_step(tmp_path, clocks):
    auth = auth_at(tmp_path, clocks)
    auth.set_pin(PIN)
    assert lock_once(auth) == LOCK_STEPS[0]
    clocks.wall -= YEAR
    assert 0 < auth.locked_for() <= LOCK_STEPS[0]
    clocks.mono += LOCK_STEPS[0]
    assert auth.locked_for() == 0 and auth.attempt(PIN).ok


def test_after_a_reboot_with_the_clock_back_the_lock_still_ends(tmp_path, clocks):
    auth = auth_at(tmp_path, clocks)
    auth.set_pin(PIN)
    lock_once(auth)
    state = json.loads((tmp_path / "staff.json").read_text())
    state.update(boot="an-earlier-boot", mono_until=1.0)  # its monotonic clock means nothing now
    (tmp_path / "staff.json").write_text(json.dumps(state))
    clocks.wall -= YEAR
    assert auth.locked_for() == LOCK_STEPS[0]  # from now, not a year
    clocks.mono += LOCK_STEPS[0] - 1
    assert auth.locked_for() == 1
    clocks.mono += 1
    assert auth.attempt(PIN).ok


def test_setting_the_clock_forward_alone_ends_the_lock_no_later(tmp_path, clocks):
    auth = auth_at(tmp_path, clocks)
    auth.set_pin(PIN)
    lock_once(auth)
    clocks.wall += LOCK_STEPS[0]
    assert auth.locked_for() == 0


# --- damaged and deleted state --------------------------------------------------------------------

DAMAGED_FIELDS = [
    ("locked_until", "NaN"),
    ("locked_until", "1e309"),
    ("locked_until", "-1e309"),
    ("locked_until", "[1, 2]"),
    ("locked_until", '"soon"'),
    ("locked_until", "true"),
    ("locked_until", "{}"),
    ("lock_seconds", "NaN"),
    ("lock_seconds", "-5"),
    ("lock_seconds", "1e12"),
    ("mono_until", "NaN"),
    ("mono_until", '"x"'),
    ("failures", '"x"'),
    ("failures", "1e309"),
    ("failures", "-3"),
    ("step", "[0]"),
    ("step", "99"),
    ("recovery_needed", '"yes"'),
]


@pytest.mark.parametrize(("field", "raw"), DAMAGED_FIELDS)
def test_a_damaged_field_never_raises_and_never_unlocks_early(tmp_path, clocks, field, raw):
    auth = auth_at(tmp_path, clocks)
    auth.set_pin(PIN)
    lock_once(auth)
    path = tmp_path / "staff.json"
    text = path.read_text()
    text, n = re.subn(rf'"{field}": [^,\n]+', f'"{field}": {raw}', text)
    if not n:
        text = text.replace("{", f'{{"{field}": {raw},', 1)
    path.write_text(text)
    first = auth.attempt(PIN)
    assert not first.ok  # still locked (or waiting for recovery), and no exception
    assert auth.locked_for() <= LOCK_STEPS[-1]  # never longer than the longest step from now
    clocks.advance(LOCK_STEPS[-1])
    again = auth.attempt(PIN)
    if not again.ok:  # the damage read as "locked until recovery": the technician's unlock ends it
        assert again.recovery or again.tries_left < MAX_TRIES
        auth.unlock()
        assert auth.attempt(PIN).ok


@pytest.mark.parametrize("text", ["", "not json", "[]", '"x"', "null", "[" * 100000])
def test_a_damaged_file_is_locked_until_unlocked_not_reset(tmp_path, clocks, text):
    auth = auth_at(tmp_path, clocks, config_hash=hash_pin(PIN))
    auth.unlock()
    (tmp_path / "staff.json").write_text(text)
    result = auth.attempt(PIN)
    assert not result.ok and result.recovery
    auth.unlock()
    assert auth.attempt(PIN).ok


def test_deleting_the_state_while_the_pin_is_in_the_config_does_not_reset_the_lock(tmp_path, clocks):
    auth = auth_at(tmp_path, clocks, config_hash=hash_pin(PIN))
    auth.unlock()
    assert lock_once(auth) == LOCK_STEPS[0]
    (tmp_path / "staff.json").unlink()
    result = auth.attempt(PIN)
    assert not result.ok and result.recovery
    assert auth.lockouts()["locked"]
    auth.unlock()  # the technician
    assert auth.attempt(PIN).ok


def test_deleting_the_state_that_holds_the_pin_leaves_no_way_in(tmp_path, clocks):
    auth = auth_at(tmp_path, clocks)
    auth.set_pin(PIN)
    (tmp_path / "staff.json").unlink()
    assert not auth.has_pin() and not auth.attempt(PIN).ok


# --- escalation and the recovery code -------------------------------------------------------------


def test_locks_escalate_then_wait_for_the_recovery_code(tmp_path, clocks):
    auth = auth_at(tmp_path, clocks)
    code = auth.set_pin_with_recovery(PIN).recovery_code
    assert re.fullmatch(r"\d{8}", code)
    for seconds in LOCK_STEPS:
        assert lock_once(auth) == seconds
        assert not auth.attempt(PIN).checked
        clocks.advance(seconds)
    last = [auth.attempt(WRONG) for _ in range(MAX_TRIES)][-1]
    assert last.recovery and not last.ok
    clocks.advance(YEAR)  # time alone does not lift it
    assert not auth.attempt(PIN).ok  # the PIN is no recovery code: one wrong code
    # wrong codes are limited too: MAX_TRIES an hour
    tries = [auth.attempt("99999999") for _ in range(MAX_TRIES - 2)]
    assert [t.tries_left for t in tries] == [3, 2, 1] and all(t.recovery for t in tries)
    assert auth.attempt("99999999").locked_for == LOCK_STEPS[-1]
    assert not auth.attempt(code).checked
    clocks.advance(LOCK_STEPS[-1])
    assert auth.attempt(code).ok
    assert auth.attempt(PIN).ok
    assert lock_once(auth) == LOCK_STEPS[0]  # the right PIN started the escalation again
    seen = auth.lockouts()
    # the timed steps, the one that asked for the code, the wrong codes, and the last
    assert seen["total"] == len(LOCK_STEPS) + 3 and seen["last_at"].startswith("2024-11-")


def test_the_right_pin_resets_the_escalation(tmp_path, clocks):
    auth = auth_at(tmp_path, clocks)
    auth.set_pin(PIN)
    lock_once(auth)
    clocks.advance(LOCK_STEPS[0])
    assert auth.attempt(PIN).ok
    assert lock_once(auth) == LOCK_STEPS[0]


# --- a full disk ----------------------------------------------------------------------------------

FULL_DISK = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from kiosk.staff import StaffAuth, StaffError
    data, right, wrong = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    auth = StaffAuth(data)
    auth.set_pin(right)
    fd = os.open(data / "fill", os.O_WRONLY | os.O_CREAT)
    for size in (65536, 4096, 1):  # fill the file system to the last byte
        try:
            while True:
                os.write(fd, b"x" * size)
        except OSError:
            pass
    os.close(fd)
    out = {"wrong": [auth.attempt(wrong).tries_left for _ in range(2)], "right": auth.attempt(right).ok}
    out["locked"] = [auth.attempt(wrong).locked_for for _ in range(5)][-1]
    out["right_while_locked"] = auth.attempt(right).ok
    try:
        auth.set_pin("135790")
    except StaffError as exc:
        out["set_pin"] = exc.zh
    print(json.dumps(out, ensure_ascii=False))
    """
)


def test_a_full_disk_never_refuses_the_right_pin_and_still_counts_wrong_ones(tmp_path):
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare to mount a small file system of its own")
    data = tmp_path / "data"
    data.mkdir()
    command = (
        f'mount -t tmpfs -o size=256k tmpfs {data} && exec {sys.executable} -c "$0" {data} {PIN} {WRONG}'
    )
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", command, FULL_DISK],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if "mount" in result.stderr and result.returncode != 0 and not result.stdout:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["wrong"] == [MAX_TRIES - 1, MAX_TRIES - 2]
    assert out["right"] is True
    assert out["locked"] == LOCK_STEPS[0] and out["right_while_locked"] is False
    assert "磁盘空间已满" in out["set_pin"] and "PIN 未保存" in out["set_pin"]


# --- the command line -----------------------------------------------------------------------------


def test_set_pin_prints_a_recovery_code_and_status_counts_lockouts(cli_env, capsys):
    assert main(["staff", "set-pin", "--pin", "2468"]) != 0
    assert "PIN 必须是 6 到 8 位数字" in capsys.readouterr().err
    assert main(["staff", "set-pin", "--pin", PIN]) == 0
    code = re.search(r"恢复码：(\d{4} \d{4})", capsys.readouterr().out).group(1).replace(" ", "")
    auth = StaffAuth(cli_env / "kiosk")
    for _ in LOCK_STEPS:
        lock_once(auth)
        state = json.loads((cli_env / "kiosk" / "staff.json").read_text())
        state.update(locked_until=1, mono_until=0)  # the lock's time has passed
        (cli_env / "kiosk" / "staff.json").write_text(json.dumps(state))
    lock_once(auth)
    assert main(["staff", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["total"], status["needs_recovery"], status["locked"]) == (4, True, True)
    assert auth.attempt(code).ok
    lock_once(auth)
    assert main(["staff", "unlock"]) == 0
    assert "恢复码" in capsys.readouterr().out and auth.attempt(PIN).ok


def test_a_wrong_pin_is_never_an_internal_error(tmp_path):
    with pytest.raises(StaffError):
        StaffAuth(tmp_path).set_pin("12345")
