"""The `kiosk` command line as a technician meets it: help, config, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kiosk.cli import build_parser, command_modules, main


def run_kiosk(*args, env_dir, input_text=None, config=None):
    cmd = [sys.executable, "-m", "kiosk"]
    if config:
        cmd += ["--config", str(config)]
    env = {
        "KIOSK_DATA_DIR": str(env_dir),
        "PATH": "/usr/bin:/bin",
        "HOME": str(env_dir),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return subprocess.run(
        cmd + list(args), capture_output=True, text=True, env=env, input=input_text, timeout=120, check=False
    )


def test_help_lists_every_subcommand_with_a_chinese_and_english_line():
    parser = build_parser()
    text = parser.format_help()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    names = list(subparsers.choices)
    assert len(names) == len(command_modules()) >= 3
    for action in subparsers._choices_actions:
        assert action.dest in text
        assert any("\u4e00" <= ch <= "\u9fff" for ch in action.help), action.dest
        assert any(ch.isascii() and ch.isalpha() for ch in action.help), action.dest


def test_config_show_and_check(tmp_path, capsys):
    good = tmp_path / "good.toml"
    good.write_text('[kiosk]\ntier = "村"\n', encoding="utf-8")
    assert main(["--config", str(good), "config", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["kiosk.tier"] == {"value": "村", "source": f"{good}:2"}
    assert main(["config", "check", str(good)]) == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('[kiosk]\n\nidle_timeout = "x"\n', encoding="utf-8")
    assert main(["config", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:3" in err and "kiosk.idle_timeout" in err and "错误" in err


@pytest.mark.parametrize(
    "args", [["content", "show", "no-such-id"], ["config", "check", "/nonexistent.toml"]]
)
def test_domain_errors_are_messages_not_tracebacks(tmp_path, args):
    result = run_kiosk(*args, env_dir=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "错误" in result.stderr
