"""Video slides last the video's length: QtMultimedia's duration once it has read the file (a real MJPEG
AVI), the entry's seconds until then and as the cap, then the rotation goes on."""

from __future__ import annotations

import pytest
from mjpeg_avi import mjpeg_avi
from test_display_screen import Screen, playlist

from kiosk.notices import NoticeDraft


def post_video(kiosk_api, seconds: int) -> None:
    notice = kiosk_api.services.notices.post(NoticeDraft("防汛宣传片", "请观看。"))
    store = kiosk_api.services.library.store
    clip = store.add_attachment(mjpeg_avi(seconds), "video/x-msvideo")
    store.link_attachment(notice.id, clip.sha256, name="fangxun.avi")
    kiosk_api.services.library.changed("notice")


@pytest.mark.parametrize(("video_seconds", "entry_seconds", "lasts"), [(4, 30, 4.0), (8, 5, 5)])
def test_a_video_slide_lasts_the_video_capped_by_the_entry(
    qtbot, kiosk_api, clock, tmp_path, video_seconds, entry_seconds, lasts
):
    post_video(kiosk_api, video_seconds)
    playlist(kiosk_api, [{"id": "n", "show": "notices", "seconds": entry_seconds}])
    s = Screen(qtbot, kiosk_api, clock, tmp_path)
    try:
        s.wait_content(lambda slide: slide.get("kind") == "notice")
        video = s.tick(entry_seconds)
        assert video["kind"] == "video" and video["seconds"] == entry_seconds  # not known yet: the entry's

        def known():
            assert s.player.durations.get(video["source"]) == video_seconds

        qtbot.waitUntil(known, timeout=10_000)
        assert s.value("slide")["seconds"] == lasts
        assert s.tick(lasts - 0.5)["kind"] == "video"
        assert s.tick(0.5)["kind"] == "notice"  # then the rotation goes on
        assert not s.player.failed
    finally:
        s.close()
