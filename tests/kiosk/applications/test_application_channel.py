"""What the city sends kiosks for applications travels in the channel as `file` entries and lands in the
data directory: a year's holiday table (the deadline counts it), the agency list (the form offers it) and
the status records; a name outside those paths is refused by the kiosk's shard parser and by the city,
a file removed from the channel is removed from the kiosk."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest
from test_workdays import TABLE_2027

from city import applications
from city.home import CityError
from content.channel import CHANNEL_FILE, ChannelError, Entry
from content.store import Library
from content.sync import SyncClient
from content.transport import DirectorySource
from kiosk.applications.agencies import agencies
from kiosk.applications.desk import calendar
from kiosk.applications.workdays import DeadlineRule, deadline

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "content"))
from channel_kit import make_city  # noqa: E402

AGENCIES = {"agencies": ["定州市人民政府办公室", "定州市自然资源和规划局", "定州市人力资源和社会保障局"]}


def synced(home, data: Path) -> None:
    usb = data.parent / "usb"
    home.repo.export(usb)
    with Library(data / "library.db") as library:
        SyncClient(library, data / "sync", pinned=home.trusted_keys(), channel=home.channel()).sync(
            DirectorySource(usb)
        )


def test_holidays_and_agencies_reach_the_kiosk_and_count(tmp_path):
    home = make_city(tmp_path / "city")
    data = tmp_path / "kiosk"
    data.mkdir()
    assert agencies(data, "定州市政务服务中心") == ["定州市政务服务中心"]  # nothing from the city yet
    assert deadline(date(2026, 12, 4), DeadlineRule(), calendar(data)).estimated

    applications.publish_file(home, "holidays/2027.json", json.dumps(TABLE_2027).encode())
    applications.publish_file(home, "agencies.json", json.dumps(AGENCIES, ensure_ascii=False).encode())
    synced(home, data)
    assert agencies(data, "定州市政务服务中心") == AGENCIES["agencies"]
    due = deadline(date(2026, 12, 4), DeadlineRule(), calendar(data))
    assert (due.due, due.estimated) == (date(2027, 1, 4), False)

    (home.path / applications.FILES / "agencies.json").unlink()  # the city withdraws its list
    applications.publish_file(home, "holidays/2027.json", json.dumps(TABLE_2027).encode())
    synced(home, data)
    assert not (data / "agencies.json").exists()
    assert agencies(data, "定州市政务服务中心") == ["定州市政务服务中心"]


@pytest.mark.parametrize(
    ("name", "data", "zh"),
    [
        ("holidays/2028.json", json.dumps(TABLE_2027).encode(), "年份与文件相符"),
        ("agencies.json", b'{"agencies": []}', "机关名录"),
        ("agencies.json", b"{", "不是有效的 JSON"),
        ("../enrolment.json", b"{}", "不是节假日表或机关名录"),
        ("application_status/" + "0" * 64 + ".json", b"{}", "不是节假日表或机关名录"),
        ("updates/zwgk-kiosk_0.1.0-2_amd64.json", b"{}", "不是节假日表或机关名录"),  # publish-update's
    ],
)
def test_the_city_refuses_what_is_not_a_holiday_table_or_the_agency_list(tmp_path, name, data, zh):
    home = make_city(tmp_path / "city")
    with pytest.raises(CityError) as caught:
        applications.publish_file(home, name, data)
    assert zh in caught.value.zh


@pytest.mark.parametrize(
    "entry_id",
    [
        "file:../enrolment.json",
        "file:holidays/27.json",
        "file:application_status/abc.json",
        "file:sync/x.json",
    ],
)
def test_the_kiosk_takes_no_file_outside_its_paths(entry_id):
    assert CHANNEL_FILE.fullmatch(entry_id) is None


def test_a_published_file_entry_outside_the_paths_fails_the_sync(tmp_path):
    home = make_city(tmp_path / "city")
    data = tmp_path / "kiosk"
    data.mkdir()
    blob = b"{}"  # a channel signed by hand, past `publish_file`'s check
    entries = [Entry("file", "file:../enrolment.json", home.repo.add_blob(blob), len(blob))]
    home.repo.publish(home.current_key(), home.channel(), entries, home.rotations())
    with pytest.raises(ChannelError, match="invalid entry id"):
        synced(home, data)
    assert not (tmp_path / "enrolment.json").exists()
