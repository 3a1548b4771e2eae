"""What `kiosk run` starts beside the touch screen: the API and the voice together, a call made on the
calling API said by the voice (into WAV files with `voice.player = file:DIR`), both stopped on quit."""

from __future__ import annotations

import shutil
import socket
import time
import wave

import httpx
import pytest
from api_hall import HALL

from kiosk.cli.hall_services import start_hall_services
from kiosk.config import defaults
from kiosk.queue import parse_config
from kiosk.services import build


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_call_on_the_api_is_said_and_quitting_stops_both(tmp_path):
    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng is not installed (python3 quickstart.py test installs it)")
    port = free_port()
    played = tmp_path / "played"
    config = defaults().with_values(api__port=port, voice__player=f"file:{played}")
    services = build(config, tmp_path / "data", bundled=False)
    queue = services.queue
    queue.configure(parse_config(HALL))
    stop, url = start_hall_services(services)
    try:
        assert url == f"http://127.0.0.1:{port}"
        queue.take("hukou")
        headers = {"Authorization": f"Bearer {queue.issue_token(3)}"}
        deadline = time.monotonic() + 20
        while True:  # the API starts on its own thread
            try:
                reply = httpx.post(f"{url}/api/windows/3/call-next", headers=headers, json={}, timeout=5)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert reply.json()["ticket"]["number"] == "B001"
        while not list(played.glob("call-*.wav")):  # the default pack is built first (espeak-ng)
            assert time.monotonic() < deadline + 20, "the call was not said"
            time.sleep(0.05)
        with wave.open(str(next(played.glob("call-*.wav")))) as said:
            assert said.getnframes() / said.getframerate() > 5  # chime and the call twice
    finally:
        stop()
        services.close()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/api/health", timeout=2)
