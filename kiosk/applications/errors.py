"""The one error of applications: English for logs, `zh` for the resident or staff."""

from __future__ import annotations


class ApplicationError(Exception):
    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh
