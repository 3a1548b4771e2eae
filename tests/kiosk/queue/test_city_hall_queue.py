"""A hall's queue from the city: `city queue publish KIOSK FILE` checks the `kiosk queue import` file with the
same code before signing, the kiosk it is addressed to applies it to `queue.db` after its next sync (one
configuration, by the merge rule of kiosk/queue/channel.py), a ticket being served when its service goes
finishes, a record that is not right is refused with the old configuration kept and shown in `kiosk sync
status`, and a withdrawal removes only the city's services."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from city_hall import KIOSK, make_hall, sync
from city_server import background
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from city import cli as city_cli
from city import fleet
from city.home import CityHome
from city.publish import Collection, publish
from city.server import create_app
from content.channel import Entry
from content.queue_config import QueueConfig, QueueConfigError
from kiosk import city_files, enrolment
from kiosk.cli import main as kiosk_main
from kiosk.config import defaults
from kiosk.health import DeviceHealth
from kiosk.queue import Queue, parse_config
from kiosk.queue.channel import received
from kiosk.services import build

CITY_FILE = """
[queue]
priority_every = 4

[[service]]
key = "shebao"
name = "社保医保"
prefix = "A"
hours = ["00:00-24:00"]

[[service]]
key = "hukou"
name = "户籍办理"
prefix = "B"
hours = ["00:00-24:00"]

[[window]]
number = 1
name = "1号窗口"
services = ["shebao", "hukou"]

[[window]]
number = 2
name = "2号窗口"
services = ["hukou"]
"""
OWN = {
    "service": [{"key": "minzheng", "name": "民政救助", "prefix": "C"}],
    "window": [{"number": 1, "name": "综合窗口", "services": ["minzheng"]}],
}
# Today at 10:00, in opening hours: the sync applies the city's configuration on the real clock, and a
# fixed date made the tickets of this test yesterday's from the day after it was written.
TODAY_10 = datetime.now().astimezone().replace(hour=10, minute=0, second=0, microsecond=0)
CLOCK = lambda: TODAY_10  # noqa: E731


def city(home, *args) -> int:
    return city_cli.main(["--home", str(home.path), *args])


def in_force(data_dir):
    queue = Queue.open(data_dir, clock=CLOCK)
    try:
        return queue.config
    finally:
        queue.close()


def test_the_city_configures_the_hall_and_staff_windows_stay(tmp_path, monkeypatch, capsys):
    home, data_dir = make_hall(tmp_path)
    queue = Queue.open(data_dir, clock=CLOCK)
    queue.configure(parse_config(OWN))  # staff set up their own service and window 1 before
    queue.take("minzheng")
    queue.call_next(1)
    queue.close()
    (tmp_path / "hall.toml").write_text(CITY_FILE, encoding="utf-8")
    assert city(home, "queue", "publish", KIOSK, str(tmp_path / "hall.toml")) == 0
    sync(home, data_dir)

    config = in_force(data_dir)
    assert [s.key for s in config.services] == ["shebao", "hukou", "minzheng"]
    assert config.window(1).name == "综合窗口"  # staff's name stays, the city's services join it
    assert config.window(1).services == ("minzheng", "shebao", "hukou")
    assert config.window(2).services == ("hukou",)  # a window the hall lacked: added as the city wrote it
    assert config.rules.priority_every == 4
    assert city_files.status(data_dir)["queue"]["state"] == "applied"

    # the same publication again changes nothing (a staff edit in between stands)
    queue = Queue.open(data_dir, clock=CLOCK)
    queue.configure(
        parse_config(
            {
                **config.to_dict(),
                "window": [{"number": 1, "services": ["shebao"]}, {"number": 2, "services": ["hukou"]}],
            }
        )
    )
    queue.close()
    sync(home, data_dir)
    assert in_force(data_dir).window(1).services == ("shebao",)
    assert city_files.status(data_dir)["queue"]["state"] == "unchanged"

    # the city drops hukou while a hukou ticket is being served at window 2: it finishes there
    queue = Queue.open(data_dir, clock=CLOCK)
    ticket = queue.take("hukou")
    queue.call_next(2)
    queue.start(2)
    queue.close()
    (tmp_path / "hall.toml").write_text(
        CITY_FILE.split('[[service]]\nkey = "hukou"')[0]
        + '[[window]]\nnumber = 1\nname = "1号窗口"\nservices = ["shebao"]\n',
        encoding="utf-8",
    )
    assert city(home, "queue", "publish", KIOSK, str(tmp_path / "hall.toml")) == 0
    sync(home, data_dir)
    config = in_force(data_dir)
    assert [s.key for s in config.services] == ["shebao", "minzheng"]
    assert config.window(2).services == ()
    queue = Queue.open(data_dir, clock=CLOCK)
    try:
        done = queue.finish(2)
    finally:
        queue.close()
    assert (done.number, done.status) == (ticket.number, "done")

    # withdrawn: the city's services go, the hall's own stays
    assert city(home, "queue", "withdraw", KIOSK) == 0
    sync(home, data_dir)
    assert [s.key for s in in_force(data_dir).services] == ["minzheng"]
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data_dir))
    capsys.readouterr()
    assert kiosk_main(["sync", "status"]) == 0
    assert "市级排队业务已撤回" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "zh"),
    [
        (CITY_FILE.replace('prefix = "B"', 'prefix = "A"'), "service[2].prefix：与 service[1] 重复"),
        (CITY_FILE.replace('services = ["hukou"]', 'services = ["lvyou"]'), "没有业务 “lvyou”"),
        (
            CITY_FILE.replace('name = "2号窗口"', 'name = "2号窗口"\npin = "246810"'),
            "窗口密码不随市级配置下发",
        ),
        ("[[service]\n", "TOML 格式错误"),
    ],
)
def test_the_city_refuses_a_bad_file_before_signing(tmp_path, text, zh, capsys):
    home, _ = make_hall(tmp_path)
    (tmp_path / "hall.toml").write_text(text, encoding="utf-8")
    assert city(home, "queue", "publish", KIOSK, str(tmp_path / "hall.toml")) != 0
    assert zh in capsys.readouterr().err
    assert home.repo.current_root() is None  # nothing was signed


def test_the_city_publishes_only_to_an_enrolled_kiosk(tmp_path, capsys):
    home, _ = make_hall(tmp_path)
    (tmp_path / "hall.toml").write_text(CITY_FILE, encoding="utf-8")
    assert city(home, "queue", "publish", "xian-99", str(tmp_path / "hall.toml")) != 0
    assert "没有已登记的一体机 xian-99" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("record", "zh"),
    [
        ({"type": "zwgk-hall-queue", "format": 1, "kiosk": "xian-10", "config": {}}, "不是发给本机的"),
        ({"type": "zwgk-hall-queue", "format": 1, "kiosk": KIOSK, "config": {"service": 3}}, "应为列表"),
        ("{", "不是有效的 JSON"),
    ],
)
def test_a_bad_record_on_the_kiosk_is_refused_and_the_old_configuration_kept(tmp_path, record, zh):
    home, data_dir = make_hall(tmp_path)
    (tmp_path / "hall.toml").write_text(CITY_FILE, encoding="utf-8")
    assert city(home, "queue", "publish", KIOSK, str(tmp_path / "hall.toml")) == 0
    sync(home, data_dir)
    before = in_force(data_dir)
    data = (
        record if isinstance(record, str) else json.dumps(record)
    ).encode()  # signed past the city's check
    entry = Entry("file", f"file:city_queue/{KIOSK}.json", home.repo.add_blob(data), len(data))
    publish(home, Collection(f"city_queue:{KIOSK}", [entry]))
    sync(home, data_dir)
    assert in_force(data_dir) == before
    outcome = city_files.status(data_dir)["queue"]
    assert outcome["state"] == "refused" and zh in outcome["zh"]


def test_another_kiosks_publication_is_not_applied(tmp_path):
    home, data_dir = make_hall(tmp_path)
    fleet.enrol(home, "xian-10", channel_url="http://city/channel/", upload_url="http://city/v1/outbox")
    (tmp_path / "hall.toml").write_text(CITY_FILE, encoding="utf-8")
    assert city(home, "queue", "publish", "xian-10", str(tmp_path / "hall.toml")) == 0
    sync(home, data_dir)
    assert not (data_dir / "queue.db").exists()
    assert city_files.status(data_dir)["queue"]["state"] == "none"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=200)
    | st.builds(
        lambda config, kiosk: json.dumps(
            {"type": "zwgk-hall-queue", "format": 1, "kiosk": kiosk, "config": config}
        ).encode(),
        st.dictionaries(
            st.sampled_from(["queue", "service", "window", "x"]),
            st.integers() | st.lists(st.integers(), max_size=2),
        ),
        st.sampled_from([KIOSK, "xian-10"]),
    )
)
def test_any_received_record_is_a_configuration_or_a_clear_refusal(tmp_path, data):
    (tmp_path / "city_queue").mkdir(exist_ok=True)
    (tmp_path / "city_queue" / f"{KIOSK}.json").write_bytes(data)
    try:
        digest, config = received(tmp_path, KIOSK)
    except QueueConfigError as exc:
        assert exc.zh
        return
    assert len(digest) == 64 and isinstance(config, QueueConfig)


def test_a_running_kiosk_offers_the_citys_services_after_staffs_sync_now(tmp_path, monkeypatch):
    monkeypatch.setattr(DeviceHealth, "faults", lambda self: [])
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="test")
    home.keygen()
    (tmp_path / "hall.toml").write_text(CITY_FILE, encoding="utf-8")
    with background(create_app(home)) as url:
        document = fleet.enrol(home, KIOSK, channel_url=url + "/channel/", upload_url=url + "/v1/outbox")
        data_dir = tmp_path / "kiosk"
        data_dir.mkdir()
        (tmp_path / "enrol.json").write_text(json.dumps(document), encoding="utf-8")
        enrolment.install(tmp_path / "enrol.json", data_dir)
        services = build(defaults().with_values(sync__retries=0), data_dir, bundled=False)
        try:
            services.library.open()
            assert not services.queue_desk.board()["configured"]
            assert city(home, "queue", "publish", KIOSK, str(tmp_path / "hall.toml")) == 0
            services.sync.now()  # staff's 立即同步, the background sync's own path
            board = services.queue_desk.board()
            assert board["configured"] and [s["name"] for s in board["services"]] == ["社保医保", "户籍办理"]
            assert services.queue.take("hukou").number == "B001"
            # the staff screen's 同步 section says it
            assert "市级排队配置已生效（2 项业务）" in services.sync.overview()["lines"]
        finally:
            services.close()
