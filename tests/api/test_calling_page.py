"""The calling page in real headless Chromium against the real API: pair a window from the staff-mode QR
link, call next, recall (F2), start, finish and rate, transfer; a second window's device and an unpaired
one cannot act on the first window; pairing by 窗口号 + 密码 and five wrong PINs. Screenshots of the desk
and of a phone are saved in the test's temporary directory for a person to look at."""

from __future__ import annotations

import pytest
from browser import console_errors, screenshot
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait


def wait_text(driver, element_id: str, text: str, timeout: float = 10) -> None:
    WebDriverWait(driver, timeout).until(ec.text_to_be_present_in_element((By.ID, element_id), text))


def pair(driver, kiosk, window: int) -> None:
    offer = kiosk.services.pairing.offer(window)
    driver.get(f"{kiosk.url}/pair/{offer.code}")
    wait_text(driver, "pair-title", f"将本设备配对为 {window}号窗口")
    driver.find_element(By.ID, "pair-confirm").click()
    WebDriverWait(driver, 10).until(ec.url_to_be(f"{kiosk.url}/w/{window}"))
    wait_text(driver, "title", f"{window}号窗口")


def click(driver, element_id: str) -> None:
    button = driver.find_element(By.ID, element_id)
    WebDriverWait(driver, 10).until(lambda _: button.is_enabled())
    button.click()


@pytest.mark.slow
def test_a_paired_window_calls_recalls_finishes_rates_and_transfers(kiosk, tmp_path, browser):
    first = kiosk.queue.take("shebao")
    second = kiosk.queue.take("shebao")
    pair(browser, kiosk, 1)
    wait_text(browser, "waiting", "等候 2 人")

    click(browser, "call-next")
    wait_text(browser, "number", "A001")
    wait_text(browser, "message", "已呼叫 A001 号")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.F2)  # the counter PC's shortcut for 重呼
    wait_text(browser, "message", "已重呼 A001 号")
    wait_text(browser, "current-info", "已呼叫 2 次")
    assert kiosk.queue.ticket(first.id).calls == 2
    click(browser, "start")
    wait_text(browser, "current-info", "办理中")
    screenshot(browser, tmp_path / "calling-page-serving.png")
    click(browser, "finish")
    wait_text(browser, "rating-number", "A001")
    levels = [b.text for b in browser.find_elements(By.CSS_SELECTOR, "#ratings button")]
    assert levels == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    screenshot(browser, tmp_path / "calling-page-rating.png")
    browser.find_element(By.CSS_SELECTOR, "#ratings button[data-level='5']").click()
    wait_text(browser, "message", "已记录评价")
    assert not browser.find_element(By.ID, "rating-panel").is_displayed()
    assert kiosk.queue.ticket(first.id).rating == 5

    click(browser, "call-next")
    wait_text(browser, "number", "A002")
    click(browser, "transfer")
    Select(browser.find_element(By.ID, "transfer-service")).select_by_visible_text("户籍办理")
    Select(browser.find_element(By.ID, "transfer-window")).select_by_visible_text("3号窗口")
    click(browser, "transfer-confirm")
    wait_text(browser, "message", "A002 号已转办")
    wait_text(browser, "number", "—")
    moved = [t for t in kiosk.queue.tickets() if t.number == "A002" and t.status == "waiting"]
    assert [(t.service, t.target_window, t.parent_id) for t in moved] == [("hukou", 3, second.id)]
    assert console_errors(browser) == []


@pytest.mark.slow
def test_another_windows_device_and_an_unpaired_one_cannot_act(kiosk, browser_factory):
    kiosk.queue.take("shebao")
    kiosk.queue.call_next(1)
    window_two = browser_factory()
    pair(window_two, kiosk, 2)
    window_two.get(f"{kiosk.url}/w/1")
    wait_text(window_two, "other-text", "本设备已配对 2 号窗口，不能操作 1 号窗口")
    assert not window_two.find_element(By.ID, "desk").is_displayed()
    assert window_two.find_element(By.ID, "other-link").get_attribute("href") == f"{kiosk.url}/w/2"

    unpaired = browser_factory()
    unpaired.get(f"{kiosk.url}/w/1")
    wait_text(unpaired, "unpaired", "请先用工作人员模式中的二维码配对本窗口")
    unpaired.get(f"{kiosk.url}/w")
    wait_text(unpaired, "unpaired", "本设备尚未配对窗口")
    assert kiosk.queue.snapshot().windows[0].current.calls == 1  # nothing happened to window 1's ticket
    for driver in (window_two, unpaired):
        assert console_errors(driver) == []


@pytest.mark.slow
def test_the_page_works_on_a_phone_and_follows_other_windows(kiosk, tmp_path, browser_factory):
    phone = browser_factory(390, 844, mobile=True)
    pair(phone, kiosk, 2)
    kiosk.queue.take("shebao")
    wait_text(phone, "waiting", "等候 1 人")  # the feed told the page
    buttons = phone.find_elements(By.CSS_SELECTOR, ".actions button")
    assert all(b.size["height"] >= 60 for b in buttons)
    assert max(b.location["x"] + b.size["width"] for b in buttons) <= 390
    click(phone, "call-next")
    wait_text(phone, "number", "A001")
    screenshot(phone, tmp_path / "calling-page-phone.png")
    assert console_errors(phone) == []


@pytest.mark.slow
def test_the_ticket_status_page_on_a_phone(kiosk, tmp_path, browser_factory):
    kiosk.queue.take("shebao")
    ticket = kiosk.queue.take("shebao")
    phone = browser_factory(390, 844, mobile=True)
    phone.get(f"{kiosk.url}/t/{ticket.code}")
    text = phone.find_element(By.TAG_NAME, "main").text
    assert "A002" in text and "等候中" in text and "前面还有 1 人" in text
    screenshot(phone, tmp_path / "ticket-status-waiting.png")
    kiosk.queue.call_next(2)
    kiosk.queue.call_next(2, finish_current=True)
    WebDriverWait(phone, 10).until(lambda d: "2号窗口" in d.find_element(By.TAG_NAME, "main").text)
    screenshot(phone, tmp_path / "ticket-status-called.png")
    assert console_errors(phone) == []


def pin_attempt(driver, window: int, pin: str) -> None:
    field = driver.find_element(By.ID, "pin-window")
    field.clear()
    field.send_keys(str(window))
    driver.find_element(By.ID, "pin").send_keys(pin)
    click(driver, "pin-pair")


@pytest.mark.slow
def test_pairing_by_window_number_and_pin_and_five_wrong_ones(kiosk, tmp_path, browser_factory):
    kiosk.queue.set_window_pin(1, "246810")
    kiosk.queue.set_window_pin(2, "13572468")
    counter = browser_factory()
    counter.get(f"{kiosk.url}/w/2")
    wait_text(counter, "unpaired", "请先用工作人员模式中的二维码配对本窗口")
    assert counter.find_element(By.ID, "pin-window").get_attribute("value") == "2"  # from the page's path
    pin_attempt(counter, 2, "13572468")
    wait_text(counter, "title", "2号窗口")
    kiosk.queue.take("shebao")
    click(counter, "call-next")
    wait_text(counter, "number", "A001")

    guesser = browser_factory()
    guesser.get(f"{kiosk.url}/w")
    for left in (4, 3, 2, 1):
        pin_attempt(guesser, 1, "000000")
        wait_text(guesser, "pin-message", f"密码错误，还可以再试 {left} 次")
    pin_attempt(guesser, 1, "000000")
    wait_text(guesser, "pin-message", "1 号窗口的密码配对已锁定，请 5 分钟后再试")
    pin_attempt(guesser, 1, "246810")  # the right PIN, while locked: refused unchecked
    WebDriverWait(guesser, 10).until(lambda d: d.find_element(By.ID, "pin-pair").is_enabled())
    wait_text(guesser, "pin-message", "已锁定")
    screenshot(guesser, tmp_path / "calling-page-pin-locked.png")
    assert guesser.find_element(By.ID, "pin").get_attribute("value") == ""
    assert not guesser.find_element(By.ID, "desk").is_displayed()
    assert kiosk.queue.window_pin_states()[0].lockouts == 1
    for driver in (counter, guesser):
        assert console_errors(driver) == []
