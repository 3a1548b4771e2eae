"""A sentence staff read, kept with its template and values so the kiosk can put it into its language.

`content/` and `device/` may not import `kiosk` (where `tr` lives), so their messages are marked, gettext's
way, as a `Message`: the Chinese sentence itself (a `str`, so logs, tests and callers see the text they
always saw) that also keeps `template` and `values`; `kiosk.i18n.translate` renders it where it is shown.
`Joined` is a list inside a sentence. Standard library only: both `content/` and `device/` import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["Joined", "Message"]


class Message(str):
    """A whole sentence for staff with named placeholders, filled: ``Message("剩余 {free}", free="3 MB")`` is
    the str "剩余 3 MB" holding `template` and `values` (a value may be a `Message` itself)."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, /, **values: Any) -> Message:
        text = super().__new__(cls, template.format(**values) if values else template)
        text.template, text.values = template, values
        return text

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:  # copy and pickle make it anew
        return (self.template,), self.values


class Joined(str):
    """A list inside a sentence: its items (each a str or `Message`) joined by `separator` ("、", "；")."""

    separator: str
    parts: tuple[str, ...]

    def __new__(cls, separator: str, parts: Iterable[str]) -> Joined:
        parts = tuple(parts)
        text = super().__new__(cls, separator.join(parts))
        text.separator, text.parts = separator, parts
        return text

    def __getnewargs__(self) -> tuple[str, tuple[str, ...]]:  # copy and pickle make it anew
        return self.separator, self.parts
