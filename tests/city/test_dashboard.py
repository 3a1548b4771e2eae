"""The city dashboard in a real headless Chromium against the real server, on both databases: the login and
its refusal, the fleet (filter, search, sort, pages), the alerts, the usage charts and the exports. The
fleet is made by real uploads over loopback (heartbeats with faults, resident records over 30 days).
Screenshots go to the test's folder (`CITY_SCREENSHOTS` names another)."""

from __future__ import annotations

import base64
import csv
import io
import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from browser import console_errors, screenshot  # tests/helpers, on the path from tests/conftest.py
from city_server import background
from openpyxl import load_workbook
from PIL import Image
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from city import fleet, rollup
from city.home import CityHome
from city.server import create_app
from content.channel import format_time
from content.record_schema import record_body

NOW = datetime.now(UTC)
COUNTIES = {"定州市": ("东亭镇", "开元镇"), "安国市": ("祁州路街道",)}
ACTIVITIES = ("search", "read", "guide_viewed")


def heartbeat(faults=(), stale: str | None = None, version: int = 3, pending: int = 0) -> bytes:
    payload = {"software_version": "0.2.0", "channel_version": version, "faults": list(faults)}
    payload |= {"outbox_pending": pending, "content_stale_since": stale}
    return record_body("heartbeat", format_time(NOW), payload)


def resident(kind: str, days_ago: int, n: int) -> bytes:
    at = format_time(NOW - timedelta(days=days_ago, minutes=n))
    payload = {
        "search": {"query_class": "words", "results": n, "opened": True},
        "read": {"item_kind": "document", "item_id": f"doc-{n}", "seconds": 30},
        "guide_viewed": {"item_id": f"guide-{n}"},
    }[kind]
    return record_body(kind, at, payload)


class City:
    def __init__(self, home: CityHome, url: str, tokens: dict[str, str], http: httpx.Client):
        self.home, self.url, self.tokens, self.http = home, url, tokens, http

    def upload(self, kiosk_id: str, body: bytes) -> None:
        headers = {
            "Idempotency-Key": str(uuid.uuid4()),
            "X-Kiosk-Id": kiosk_id,
            "Authorization": f"Bearer {self.tokens[kiosk_id]}",
        }
        response = self.http.post("/v1/outbox", content=body, headers=headers)
        assert response.status_code == 201, response.text

    def sql(self, statement: str, params=()) -> None:
        with self.home.db() as conn:
            conn.execute(statement, params)


@pytest.fixture
def city(tmp_path):
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="test")
    home.keygen()
    kiosks = [
        (f"{'dz' if county == '定州市' else 'ag'}-{township_no}-{n:02}", county, township)
        for county, townships in COUNTIES.items()
        for township_no, township in enumerate(townships)
        for n in range(24 if county == "定州市" else 12)
    ]
    tokens = fleet.enrol_tokens(home, kiosks)
    with background(create_app(home)) as url, httpx.Client(base_url=url) as http:
        city = City(home, url, tokens, http)
        for kiosk_id in tokens:
            city.upload(kiosk_id, heartbeat())
        city.upload("dz-0-00", heartbeat(["小票打印机：缺纸"]))  # out of paper for two hours (below)
        city.upload("dz-0-01", heartbeat(["小票打印机：缺纸"]))  # out of paper for ten minutes
        city.upload("dz-1-05", heartbeat(["身份证阅读器：无应答"], pending=17))
        city.upload("ag-0-03", heartbeat(stale=format_time(NOW - timedelta(days=3)), version=1))
        for day in range(30):  # a week's worth of residents on a few kiosks, more recently
            for n in range(1 + day % 4):
                city.upload("dz-0-02", resident(ACTIVITIES[n % 3], day, n))
            city.upload("ag-0-04", resident("search", day, 99))
        city.sql(
            "UPDATE kiosk_faults SET since = ? WHERE kiosk_id = 'dz-0-00'",
            [format_time(NOW - timedelta(hours=2))],
        )
        city.sql(
            "UPDATE kiosks SET last_seen = ? WHERE id = 'ag-0-07'", [format_time(NOW - timedelta(days=3))]
        )
        yield city


def shots(tmp_path: Path) -> Path:
    return Path(os.environ.get("CITY_SCREENSHOTS", tmp_path / "shots"))


def sign_in(browser, city: City, token: str | None = None) -> None:
    browser.get(f"{city.url}/dashboard")
    assert browser.current_url.endswith("/dashboard/login")
    browser.find_element(By.NAME, "token").send_keys(token or city.home.admin_token())
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit]"))


def follow(browser, element) -> None:
    """Click a link or button and wait for the page it leads to: the clicked element leaves the document."""
    element.click()

    def left(_) -> bool:
        try:
            element.is_enabled()
        except WebDriverException:  # stale; mid-navigation chromedriver may say its node left the document
            return True
        return False

    WebDriverWait(browser, 10).until(left)


def table_ids(browser) -> list[str]:
    return [
        row.find_element(By.TAG_NAME, "td").text for row in browser.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]


def test_the_login_refuses_a_wrong_token_and_every_page_needs_it(city, browser, tmp_path):
    sign_in(browser, city, "not-the-token")
    assert browser.current_url.endswith("/dashboard/login")
    assert "管理口令不正确" in browser.find_element(By.TAG_NAME, "body").text
    assert browser.get_cookies() == []
    screenshot(browser, shots(tmp_path) / "city-login-refused.png")
    for path in ("/dashboard", "/dashboard/alerts", "/dashboard/usage", "/dashboard/export/fleet.csv"):
        response = httpx.get(city.url + path)
        assert response.status_code == 303 and response.headers["location"] == "/dashboard/login"
        forged = httpx.get(city.url + path, cookies={"zwgk_city_admin": "99999999999.deadbeef"})
        assert forged.status_code == 303
        assert httpx.get(city.url + path, headers={"Authorization": "Basic x"}).status_code == 303
    refused = httpx.post(f"{city.url}/dashboard/login", data={"token": "wrong"})
    assert refused.status_code == 401 and "set-cookie" not in refused.headers
    sign_in(browser, city)
    assert browser.current_url.endswith("/dashboard")
    assert "dz-0-00" in browser.find_element(By.TAG_NAME, "table").text
    follow(browser, browser.find_element(By.XPATH, "//button[text()='退出登录']"))
    browser.get(f"{city.url}/dashboard")
    assert browser.current_url.endswith("/dashboard/login")
    assert console_errors(browser) == []


def test_the_fleet_filters_searches_sorts_and_pages(city, browser, tmp_path):
    sign_in(browser, city)
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "共 60 台，第 1 / 2 页" in body
    cards = {
        c.text.split("\n")[0]: c.text.split("\n")[1] for c in browser.find_elements(By.CLASS_NAME, "card")
    }
    assert cards["一体机"] == "60" and cards["设备故障"] == "3" and cards["内容过期"] == "1"
    assert cards["超过一天未联系"] == "1"
    screenshot(browser, shots(tmp_path) / "city-fleet.png")

    Select(browser.find_element(By.NAME, "county")).select_by_visible_text("安国市")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.filter button"))
    ids = table_ids(browser)
    assert len(ids) == 12 and all(i.startswith("ag-") for i in ids)
    assert "共 12 台，第 1 / 1 页" in browser.find_element(By.TAG_NAME, "body").text

    browser.get(f"{city.url}/dashboard?q=dz-1-0")
    assert table_ids(browser) == [f"dz-1-{n:02}" for n in range(10)]
    browser.get(f"{city.url}/dashboard?problem=faults")
    assert table_ids(browser) == ["dz-0-00", "dz-0-01", "dz-1-05"]
    row = browser.find_elements(By.CSS_SELECTOR, "tbody tr")[2].text
    assert "身份证阅读器：无应答" in row and "17" in row and "设备故障" in row
    browser.get(f"{city.url}/dashboard?problem=stale")
    assert table_ids(browser) == ["ag-0-03"]
    assert "落后 2" not in browser.page_source  # nothing is published, so no version to be behind

    browser.get(f"{city.url}/dashboard")
    follow(browser, browser.find_element(By.LINK_TEXT, "最后联系"))  # ascending: the silent kiosk first
    assert table_ids(browser)[0] == "ag-0-07"
    follow(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "最后联系"))  # again: descending
    assert table_ids(browser)[0] != "ag-0-07" and "▼" in browser.find_element(By.TAG_NAME, "thead").text
    browser.get(f"{city.url}/dashboard")
    first_page = table_ids(browser)
    follow(browser, browser.find_element(By.LINK_TEXT, "下一页"))
    second_page = table_ids(browser)
    assert len(first_page) == 50 and len(second_page) == 10 and not set(first_page) & set(second_page)
    assert console_errors(browser) == []


def test_alerts_name_paper_out_for_an_hour_stale_content_and_silent_kiosks(city, browser, tmp_path):
    sign_in(browser, city)
    browser.get(f"{city.url}/dashboard/alerts")
    sections = [s.text for s in browser.find_elements(By.TAG_NAME, "section")]
    assert "打印机缺纸超过 1 小时：1 台" in sections[0] and "dz-0-00" in sections[0]
    assert "dz-0-01" not in sections[0]  # out of paper for ten minutes only
    assert "内容过期：1 台" in sections[1] and "ag-0-03" in sections[1]
    assert "超过一天未联系：1 台" in sections[2] and "ag-0-07" in sections[2] and "3 天前" in sections[2]
    screenshot(browser, shots(tmp_path) / "city-alerts.png")
    assert console_errors(browser) == []


def test_usage_charts_show_the_roll_ups_per_day_function_and_area(city, browser, tmp_path):
    sign_in(browser, city)
    browser.get(f"{city.url}/dashboard/usage")
    charts = browser.find_elements(By.CSS_SELECTOR, "section svg")
    assert len(charts) == 3
    days = [(rollup.today() - timedelta(days=29 - i)).isoformat() for i in range(30)]
    with city.home.db() as conn:
        expected = rollup.by_day(conn, days[0], days[-1])
    total = sum(n for _, _, n in expected)
    assert f"共 {total:,} 次" in browser.find_element(By.TAG_NAME, "main").text
    per_activity = {}
    for _, name, n in expected:
        per_activity[name] = per_activity.get(name, 0) + n
    function_chart = charts[1].text
    for name, n in per_activity.items():
        assert rollup.label(name) in function_chart and f"{n:,}" in function_chart
    assert "定州市" in charts[2].text and "安国市" in charts[2].text
    screenshot(browser, shots(tmp_path) / "city-usage.png")

    Select(browser.find_element(By.NAME, "county")).select_by_visible_text("定州市")
    Select(browser.find_element(By.NAME, "days")).select_by_visible_text("最近 7 天")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.filter button"))
    charts = browser.find_elements(By.CSS_SELECTOR, "section svg")
    assert "东亭镇" in charts[2].text and "安国市" not in charts[2].text
    with city.home.db() as conn:
        week = rollup.by_day(conn, days[-7], days[-1], county="定州市")
    assert f"共 {sum(n for _, _, n in week):,} 次" in browser.find_element(By.TAG_NAME, "main").text

    browser.get(f"{city.url}/dashboard?q=dz-0-02")  # one kiosk's own roll-up, from its page in the fleet
    follow(browser, browser.find_element(By.LINK_TEXT, "dz-0-02"))
    follow(browser, browser.find_element(By.LINK_TEXT, "本机使用统计"))
    with city.home.db() as conn:
        own = conn.execute("SELECT count(*) FROM records WHERE kiosk_id = 'dz-0-02' AND kind <> 'heartbeat'")
        assert "一体机 dz-0-02 最近 30 天" in browser.find_element(By.TAG_NAME, "main").text
        assert f"共 {own.fetchone()[0]:,} 次" in browser.find_element(By.TAG_NAME, "main").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "section svg")) == 2  # no area chart for one kiosk
    assert console_errors(browser) == []


def test_exports_hold_the_filtered_fleet_and_the_usage_as_csv_and_xlsx(city):
    admin = {"Authorization": f"Bearer {city.home.admin_token()}"}
    fleet_csv = httpx.get(f"{city.url}/dashboard/export/fleet.csv?county=安国市", headers=admin)
    assert fleet_csv.status_code == 200 and fleet_csv.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(fleet_csv.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "县（市、区）", "乡镇（街道）"] and len(rows) == 13
    fleet_xlsx = httpx.get(f"{city.url}/dashboard/export/fleet.xlsx", headers=admin)
    sheet = load_workbook(io.BytesIO(fleet_xlsx.content)).active
    values = list(sheet.values)
    assert len(values) == 61 and sheet.title == "一体机"
    faults = {row[0]: row[6] for row in values[1:]}
    assert faults["dz-1-05"] == "身份证阅读器：无应答"
    usage = httpx.get(f"{city.url}/dashboard/export/usage.xlsx?days=90", headers=admin)
    usage_rows = list(load_workbook(io.BytesIO(usage.content)).active.values)
    with city.home.db() as conn:
        stored = conn.execute("SELECT count(*) FROM records WHERE kind <> 'heartbeat'").fetchone()[0]
    assert sum(row[5] for row in usage_rows[1:]) == stored
    assert httpx.get(f"{city.url}/dashboard/export/other.csv", headers=admin).status_code == 404


def test_a_fault_text_cannot_become_markup_or_a_formula(city, browser):
    city.upload("dz-0-03", heartbeat(['=HYPERLINK("http://x")', "<script>alert(1)</script>"]))
    sign_in(browser, city)
    browser.get(f"{city.url}/dashboard?q=dz-0-03")
    assert "<script>alert(1)</script>" in browser.find_element(By.TAG_NAME, "tbody").text
    assert console_errors(browser) == []
    admin = {"Authorization": f"Bearer {city.home.admin_token()}"}
    exported = httpx.get(f"{city.url}/dashboard/export/fleet.csv?q=dz-0-03", headers=admin).content.decode()
    assert "'=HYPERLINK" in exported


def test_a_kiosk_page_shows_its_faults_and_display_screenshots_and_asks_for_new_ones(city, browser, tmp_path):
    image = io.BytesIO()
    Image.new("RGB", (960, 540), (21, 94, 168)).save(image, "JPEG", quality=80)
    shot = {"display": "hall", "taken_at": format_time(NOW - timedelta(minutes=5))}
    shot["jpeg"] = base64.b64encode(image.getvalue()).decode()
    city.upload("dz-1-05", record_body("display_screenshot", format_time(NOW), shot))
    sign_in(browser, city)
    browser.get(f"{city.url}/dashboard?q=dz-1-05")
    follow(browser, browser.find_element(By.LINK_TEXT, "dz-1-05"))
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "一体机 dz-1-05" in main and "身份证阅读器：无应答" in main and "东亭镇" not in main
    assert "公示屏 hall：" in main and "KB" in main
    img = browser.find_element(By.CSS_SELECTOR, "figure img")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img) == 960
    screenshot(browser, shots(tmp_path) / "city-kiosk.png")

    follow(browser, browser.find_element(By.XPATH, "//button[text()='请求截图']"))
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "已请求截图，一体机在下次同步后上传。" in main and "最近一次请求：" in main
    assert "file:display_requests/dz-1-05.json" in city.home.repo.entries()  # published in the channel
    browser.get(f"{city.url}/dashboard/kiosk/nobody")
    assert "没有这台一体机" in browser.find_element(By.TAG_NAME, "main").text
    assert (
        httpx.get(f"{city.url}/dashboard/kiosk/dz-1-05/screenshot/hall.jpg").status_code == 303
    )  # signed out
    assert httpx.post(f"{city.url}/dashboard/kiosk/dz-1-05/screenshot-request").status_code == 303
    assert console_errors(browser) == []
