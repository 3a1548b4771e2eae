"""The local HTTP API as `kiosk run` starts it: a real uvicorn on loopback over real services."""

from __future__ import annotations

import socket

import httpx
import pytest

from kiosk import config
from kiosk.api.runner import ApiError, ApiRunner, start_api
from kiosk.config import ConfigError, defaults
from kiosk.services import build


@pytest.fixture
def services(tmp_path):
    built = build(defaults(), tmp_path / "data", bundled=False)
    yield built
    built.close()


@pytest.fixture
def api(services):
    runner = ApiRunner(services, "127.0.0.1", 0)
    runner.start()
    yield runner
    runner.stop()


def test_health_answers_json_with_protective_headers(api):
    reply = httpx.get(f"{api.url}/api/health", timeout=5)
    assert reply.status_code == 200
    body = reply.json()
    assert body["status"] == "ok"
    assert body["hall"] == defaults()["kiosk.hall_name"]
    assert body["library"] in ("open", "opening", "maintenance")
    assert body["feed"]["clients"] == 0
    assert reply.headers["cache-control"] == "no-store"
    assert reply.headers["x-frame-options"] == "DENY"
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in reply.headers["content-security-policy"]


def test_unknown_paths_and_methods_answer_in_chinese(api):
    missing = httpx.get(f"{api.url}/api/nothing-here", timeout=5)
    assert missing.status_code == 404
    assert missing.json() == {"error": 404, "message": "没有这个地址"}
    wrong = httpx.post(f"{api.url}/api/health", timeout=5)
    assert wrong.status_code == 405
    assert wrong.json()["message"] == "不支持这种请求方式"
    page = httpx.get(f"{api.url}/no-such-page", timeout=5)
    assert page.status_code == 404
    assert "没有这个地址" in page.text and page.headers["content-type"].startswith("text/html")


def test_a_port_in_use_is_a_clear_error_and_stop_is_harmless(services):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        runner = ApiRunner(services, "127.0.0.1", port)
        with pytest.raises(ApiError) as caught:
            runner.start()
        assert "api.port" in caught.value.zh and str(port) in caught.value.zh
        runner.stop()


def test_stop_frees_the_port(services):
    runner = ApiRunner(services, "127.0.0.1", 0)
    runner.start()
    port = runner.port
    runner.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
    again = ApiRunner(services, "127.0.0.1", port)
    again.start()
    assert httpx.get(f"{again.url}/api/health", timeout=5).status_code == 200
    again.stop()


def test_start_api_follows_the_configuration(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    off = build(defaults().with_values(api__enabled=False), tmp_path / "off")
    assert start_api(off) is None
    off.close()
    on = build(defaults().with_values(api__port=port), tmp_path / "on")
    runner = start_api(on)
    try:
        assert runner is not None and runner.url == f"http://127.0.0.1:{port}"
        assert runner.wait_ready(20) and runner.error is None
        assert httpx.get(f"{runner.url}/api/health", timeout=5).json()["status"] == "ok"
    finally:
        runner.stop()
        on.close()


@pytest.mark.parametrize("value", ["localhost", "192.168.1.300", "", "0.0.0.0:8470"])
def test_a_listen_value_that_is_no_address_names_the_option_and_line(tmp_path, value):
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[api]\nport = 8470\nlisten = "{value}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        config.load(path)
    assert "api.listen" in caught.value.zh and f"{path}:3" in caught.value.zh
    assert "不是 IP 地址" in caught.value.zh


def test_listen_port_and_public_url_load_and_appear_in_the_example(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(
        '[api]\nlisten = "0.0.0.0"\nport = 9000\npublic_url = "http://192.168.1.20:9000"\n', encoding="utf-8"
    )
    loaded = config.load(path)
    assert (loaded["api.listen"], loaded["api.port"]) == ("0.0.0.0", 9000)
    example = config.render_example()
    for line in ("[api]", "# enabled = true", '# listen = "127.0.0.1"', "# port = 8470", '# public_url = ""'):
        assert line in example
