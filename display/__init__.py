"""`kiosk display`: the hall's display screen (公示牌 · 电子阅报栏 · 叫号屏) as a process of its own.

It reads only the kiosk's local HTTP API (`kiosk/api/display_routes.py`, the feed) and keeps the last
content on disk, so it shows on when the kiosk is down. `plan.py` decides what is on screen at a moment
(Qt-free, from the content and a clock), `pages.py` cuts texts into pages of large type, `cache.py` keeps
the content, `link.py` talks to the kiosk off the GUI thread, `player.py` drives `Display.qml`, and
`app.py` starts it all.
"""
