"""The 拼音首字母 keypad's example for the library that is open (`content.search.example`), as the touch UI
shows it: a word of a title and the letters that find it first, or nothing for an empty library."""

from __future__ import annotations

from content.search.example import initials_example as find_example
from content.store import Library


def initials_example(store: Library) -> dict[str, str]:
    with store.reading() as db:
        found = find_example(db)
    return {"letters": found.letters, "word": found.word} if found else {}
