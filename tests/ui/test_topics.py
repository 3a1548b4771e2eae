"""Browsing by plain-language topic (住房, 就业 …) and by 重点领域: counts and example titles on each row."""


def test_a_resident_finds_the_housing_renovation_plan_under_housing(kiosk):
    kiosk.click("tile_library")
    kiosk.wait_screen("library")
    kiosk.click("tab_topics")
    kiosk.qtbot.waitUntil(
        lambda: kiosk.find("row_0") is not None and "住房" in kiosk.texts(kiosk.get("libraryList"))
    )
    row = next(kiosk.find(f"row_{n}") for n in range(20) if "住房" in kiosk.texts(kiosk.find(f"row_{n}")))
    details = [t for t in kiosk.texts(row) if t.startswith("共 ")]
    assert details and "老旧小区改造" in details[0]  # its count and the newest titles, not a fixed phrase
    kiosk.click(row)
    kiosk.wait_screen("list")
    kiosk.qtbot.waitUntil(lambda: kiosk.find("row_0") is not None)
    titles = kiosk.texts(kiosk.get("itemList"))
    assert any("老旧小区改造实施方案" in t for t in titles)


def test_each_key_area_row_says_how_many_and_what(kiosk):
    kiosk.click("tile_library")
    kiosk.wait_screen("library")
    kiosk.click("tab_categories")

    def details() -> list[str]:
        return [t for t in kiosk.texts(kiosk.get("libraryList")) if t.startswith("共 ")]

    kiosk.qtbot.waitUntil(lambda: len(details()) > 1)
    assert len(set(details())) == len(details())  # no two areas share one subtitle
