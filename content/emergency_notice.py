"""An emergency notice's (紧急通知) words, checked the same way whether staff post it at the hall
(`kiosk/signage/emergency.py`) or the city publishes it to every hall (`city signage emergency`)."""

from __future__ import annotations

from translatable import Message

CITY_NOTICES_TYPE = "zwgk-city-emergencies"  # {"type", "format": 1, "notices": [...]} from the city
MAX_TITLE = 40
MAX_TEXT = 500


class EmergencyInvalid(ValueError):
    """An emergency notice that cannot be posted as given (`zh` for staff)."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


def check_words(title: str, text: str) -> tuple[str, str]:
    """The notice's title (spaces folded) and text (trimmed), or EmergencyInvalid."""
    title, text = " ".join(title.split()), text.strip()
    if not title:
        raise EmergencyInvalid("an emergency notice needs a title", Message("请填写紧急通知的标题"))
    if len(title) > MAX_TITLE:
        raise EmergencyInvalid(
            "the title is too long", Message("标题不能超过 {max_title} 个字", max_title=MAX_TITLE)
        )
    if len(text) > MAX_TEXT:
        raise EmergencyInvalid(
            "the text is too long", Message("内容不能超过 {max_text} 个字", max_text=MAX_TEXT)
        )
    return title, text
