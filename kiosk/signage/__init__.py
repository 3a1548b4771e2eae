"""What the hall's display screen (`kiosk display`) shows, kiosk side and Qt-free: the playlist and its
rules (`playlist.py`), emergency notices (`emergency.py`), the displays' heartbeats and screenshots
(`status.py`), the display tokens and pairing (`tokens.py`), the screenshots sent to the city
(`city_screenshots.py`), staff's 公示屏 page (`desk.py`), kept as JSON files under ``<data dir>/signage/``
(`files.py`). The local API
(`kiosk/api/display_routes.py`) serves them; the display process evaluates the rules by its own clock,
so it keeps to them while the kiosk is unreachable.
"""
