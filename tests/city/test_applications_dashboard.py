"""The dashboard's 申请期限 page in a real headless Chromium against the real server, on both databases:
reached from the menu, it lists the applications past their deadline (both of a number two kiosks sent,
marked) and those due within the chosen working days, leaves out the answered, the far and those waiting
for a 补正 (counted on their own), and shows no applicant's personal data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from browser import console_errors, screenshot  # tests/helpers, on the path from tests/conftest.py
from city_server import background
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from city import application_key, applications, fleet
from city.home import CityHome
from city.server import create_app
from content.application_status import CORRECTION, REPLY
from content.workdays import WorkCalendar, add_working_days
from tests.city.test_applications_due import FORM, send
from tests.city.test_dashboard import follow, shots, sign_in


class City:
    def __init__(self, home: CityHome, url: str):
        self.home, self.url = home, url


@pytest.fixture
def city(tmp_path):
    home = CityHome(tmp_path / "city")
    home.save_settings(channel="test")
    home.keygen()
    application_key.make(home)
    fleet.enrol_tokens(home, [("dz-001", "定州市", "东亭镇"), ("dz-002", "定州市", "开元镇")])
    with background(create_app(home)) as url:
        yield City(home, url)


def test_the_deadline_page_lists_what_is_late_or_near(city, browser, tmp_path):
    today = applications.today()

    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).isoformat()

    late, near, far, answered, corrected = (
        f"NNA9RF-{(today - timedelta(days=n)).strftime('%y%m%d')}-001{n % 10}" for n in (40, 25, 1, 30, 35)
    )
    send(city.home, late, "dz-001", day(-40), day(-10))
    send(city.home, late, "dz-002", day(-40), day(-10), name="李四")
    two_left = add_working_days(today, 2, WorkCalendar())[0].isoformat()
    send(city.home, near, "dz-002", day(-25), two_left)
    send(city.home, far, "dz-001", day(-1), day(21))
    send(city.home, answered, "dz-001", day(-30), day(-2))
    send(city.home, corrected, "dz-002", day(-35), day(-5))
    applications.answer(city.home, answered, REPLY, "已在门户网站公开", reply="已公开")
    applications.answer(city.home, corrected, CORRECTION, "请写明文件的年份")

    sign_in(browser, city)
    follow(browser, browser.find_element(By.LINK_TEXT, "申请期限"))
    assert browser.current_url.endswith("/dashboard/applications")
    main = browser.find_element(By.TAG_NAME, "main").text
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert [r.split()[0] for r in rows] == [late, late, near]
    assert "已逾期" in rows[0] and "编号重复：一体机 dz-002 也有此编号" in rows[0]
    assert (
        "编号重复：一体机 dz-001 也有此编号" in rows[1]
        and f"剩余 {2 + WorkCalendar().is_workday(today)} 个工作日" in rows[2]
    )  # today counts
    assert (
        "已逾期\n2\n件" in main and "5 个工作日内到期\n1\n件" in main and "待补正（期限暂停）\n1\n件" in main
    )
    for personal in ("王小明", "李四", FORM["phone"], FORM["id_number"], FORM["address"]):
        assert personal not in browser.page_source
    screenshot(browser, shots(tmp_path) / "city-applications.png")

    Select(browser.find_element(By.NAME, "within")).select_by_value("20")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.filter button"))
    shown = [r.text.split()[0] for r in browser.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert shown == [late, late, near, far]
    follow(browser, browser.find_element(By.LINK_TEXT, "dz-002"))
    assert "一体机 dz-002" in browser.find_element(By.TAG_NAME, "main").text
    browser.get(f"{city.url}/dashboard/applications?within=abc")
    assert "5 个工作日内到期" in browser.find_element(By.TAG_NAME, "main").text
    assert console_errors(browser) == []
