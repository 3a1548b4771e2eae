"""The offline library: SQLite store and migrations, gazette import, Chinese search, channel format, sync.

Imports neither `kiosk`, `ui` nor PySide6, so the city's publisher and headless tools can use it.
"""
