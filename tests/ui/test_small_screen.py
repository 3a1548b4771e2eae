"""A touch screen smaller than the design (a 1280×800 panel is common on cheap kiosk PCs): `kiosk run` lays
the screens out at `ui.app.design_size` (1728×1080 there) and scales them onto the panel, so the home
screen with all seven functions is whole at every type size, as on the 1080-px designs. Laid out at the
panel's own 1280×800 it was not: four tiles of seven showed, their subtitles cut off."""

from __future__ import annotations

import pytest
from conftest import close_kiosk, open_kiosk
from layout_check import problems

from kiosk import demo
from ui.app import design_size


@pytest.mark.parametrize(
    ("screen", "laid_out"),
    [((1280, 800), (1728, 1080)), ((800, 1280), (1080, 1728)), ((1366, 768), (1921, 1080)), ((1920, 1080), (1920, 1080)),
     ((3840, 2160), (3840, 2160)), ((1080, 1920), (1080, 1920))],
)  # fmt: skip
def test_the_design_size_keeps_the_shape_with_at_least_1080_on_the_short_side(screen, laid_out):
    assert design_size(*screen) == laid_out


def test_a_1280x800_panel_shows_every_function_whole_at_every_type_size(qtbot, qapp, services, tmp_path):
    demo.write_marker(services.data_dir)  # 信息公开申请 and 查询申请进度
    demo.configure_queue(services.data_dir)  # 排队取号
    kiosk = open_kiosk(qtbot, services, design_size(1280, 800))
    found = {}
    try:
        qtbot.waitUntil(lambda: kiosk.find("tile_applications") is not None, timeout=10000)
        tiles = [i for i in kiosk.items() if i.objectName().startswith("tile_") and kiosk.visible(i)]
        assert len(tiles) == 7
        window = kiosk.window.contentItem()
        for step in range(kiosk.app_state.property("fontSteps")):
            kiosk.app_state.setFontStep(step)
            qtbot.wait(200)
            if issues := problems(kiosk.window):
                found[step] = issues
            kiosk.window.grabWindow().save(str(tmp_path / f"home-step-{step}.png"))
            for tile in tiles:  # on the screen, whole, or scrolled to (a Flickable) but never cut by the edge
                rect = tile.mapRectToItem(window, tile.boundingRect())
                assert rect.left() >= 0 and rect.right() <= window.width() + 1, tile.objectName()
    finally:
        close_kiosk(kiosk)
    assert not found, f"{found}\nshots: {tmp_path}"
