"""`kiosk diag` as a technician runs it: overview, JSON, masked card reading, test page, preview, faults."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import zxingcpp
from PIL import Image

from device.idcard.synthetic_cards import synthetic_card


def run_kiosk(tmp_path, *args, config: str | None = None):
    command = [sys.executable, "-m", "kiosk"]
    if config is not None:
        path = tmp_path / "kiosk.toml"
        path.write_text(config, encoding="utf-8")
        command += ["--config", str(path)]
    env = {"KIOSK_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    return subprocess.run(
        command + list(args),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_overview_with_simulators_is_ok(tmp_path):
    result = run_kiosk(tmp_path, "diag", "--sim")
    assert result.returncode == 0, result.stderr
    assert "串口 serial ports" in result.stdout
    assert result.stdout.count("[正常 OK]") == 2 and "SAM 编号" in result.stdout
    assert "全部正常" in result.stdout and result.stderr == ""


def test_unconfigured_devices_are_not_faults(tmp_path):
    result = run_kiosk(tmp_path, "diag", "--json", config="")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True and isinstance(report["ports"], list)
    assert [(d["device"], d["state"], d["summary"]) for d in report["devices"]] == [
        ("idcard", "unconfigured", "未配置"),
        ("printer", "unconfigured", "未配置"),
    ]


def test_faults_give_chinese_hints_and_nonzero_exit(tmp_path):
    config = '[devices]\nidcard = "sim://?fault=silent"\nprinter = "sim://?paper=out"\n'
    result = run_kiosk(tmp_path, "diag", config=config)
    assert result.returncode == 1
    assert "打印机缺纸，请更换纸卷" in result.stdout
    assert "读卡器无响应，请检查串口线和波特率" in result.stdout
    assert result.stdout.count("[故障 FAULT]") == 2
    as_json = json.loads(run_kiosk(tmp_path, "diag", "--json", config=config).stdout)
    assert as_json["ok"] is False and {d["state"] for d in as_json["devices"]} == {"fault"}


def test_missing_serial_port_is_a_fault_with_a_hint(tmp_path):
    config = f'[devices]\nidcard = "serial://{tmp_path}/ttyUSB9?baudrate=115200"\n'
    result = run_kiosk(tmp_path, "diag", "idcard", config=config)
    assert result.returncode == 1
    assert "无法打开身份证阅读器串口" in result.stdout and "dialout" in result.stdout


@pytest.mark.parametrize("kind", ["resident", "hmt", "foreigner-2023"])
def test_read_card_prints_masked_fields_and_logs_nothing_unmasked(tmp_path, kind):
    card = synthetic_card(kind)
    result = run_kiosk(tmp_path, "diag", "idcard", "--read", "--sim", "--card", kind)
    assert result.returncode == 0, result.stderr
    assert card.card_type.label in result.stdout
    assert card.id_number[:4] + "**********" + card.id_number[-4:] in result.stdout
    assert "校验位：正确" in result.stdout
    logs = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "data" / "logs").glob("*.jsonl"))
    assert "card read" in logs  # the read was logged...
    for secret in (card.id_number, card.name, card.name[1:], card.address or card.name, card.id_number[4:14]):
        assert secret not in result.stdout + result.stderr + logs  # ...masked


def test_test_page_on_the_simulator_writes_a_png(tmp_path):
    result = run_kiosk(tmp_path, "diag", "printer", "--test-page", "--sim", "--json")
    assert result.returncode == 0, result.stderr
    files = json.loads(result.stdout)["files"]
    assert len(files) == 1 and files[0].startswith(str(tmp_path / "data" / "printer"))
    with Image.open(files[0]) as image:
        assert "https://zwfw.example.gov.cn/diag" in [
            r.text for r in zxingcpp.read_barcodes(image.convert("L"))
        ]


def test_preview_uses_the_configured_profile(tmp_path):
    out = tmp_path / "preview.png"
    config = '[devices]\nprinter_profile = "58mm"\nprinter_raster = true\n'
    result = run_kiosk(tmp_path, "diag", "printer", "--preview", str(out), config=config)
    assert result.returncode == 0, result.stderr
    with Image.open(out) as image:
        assert image.width == 384 + 32  # 58 mm paper plus the preview margin
        assert "https://zwfw.example.gov.cn/diag" in [
            r.text for r in zxingcpp.read_barcodes(image.convert("L"))
        ]


def test_nothing_configured_is_said_not_called_all_ok(tmp_path):
    result = run_kiosk(tmp_path, "diag", config="")
    assert result.returncode == 0, result.stderr
    assert "未配置任何设备" in result.stdout and "全部正常" not in result.stdout
    assert json.loads(run_kiosk(tmp_path, "diag", "--json", config="").stdout)["configured"] == 0


def test_one_device_configured_says_the_other_is_not(tmp_path):
    result = run_kiosk(tmp_path, "diag", config='[devices]\nprinter = "sim://"\n')
    assert result.returncode == 0, result.stderr
    assert "另有 1 台未配置" in result.stdout and "全部正常" not in result.stdout


def test_diag_on_the_demo_library_diagnoses_the_demo_simulators(tmp_path):
    demo = run_kiosk(tmp_path, "demo", "--headless", config="")  # no stdin: the prompt ends at once
    assert demo.returncode == 0, demo.stderr
    result = run_kiosk(tmp_path, "diag", config="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("[正常 OK]") == 2 and "未配置" not in result.stdout
    assert "演示资料库" in result.stderr and "sim://" in result.stderr
