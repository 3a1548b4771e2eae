"""zwgk-kiosk: what a 政务公开专区 kiosk is and does (config, tiers, services, the command line).

This package never imports PySide6; the GUI is started lazily by `kiosk run` / `kiosk demo`.
"""

__version__ = "0.1.0"
