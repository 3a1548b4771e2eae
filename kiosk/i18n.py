"""One translation mechanism for what residents and staff read: `qsTr` in QML, `tr` here for Python.

The key is the Chinese sentence itself (as with `qsTr`), written whole with named placeholders:
``tr("待上传记录 {pending} 条", pending=3)``. `tr` looks the sentence up in the catalogue of the language
in use, falls back to the Chinese when it has no translation, then fills in the values. A sentence is
never built from fragments (``"频道 " + name + "，版本 " + n``): another language orders the words
differently, so each sentence is one template a translator can rearrange.

A sentence declared before the language is chosen (a tile's title in a module-level declaration) is
marked with ``N_("政府信息查询")`` where it is written and shown with ``translate(value)``; so is a
message from `content/` or `device/` (which may not import `kiosk`): their errors keep the template and
its values (`template`, `values`), and ``translate(exc.zh)`` puts them into the language in use.

Adding a language is adding files, not code: ``kiosk/locale/<language>.json`` ({Chinese: translation},
each translation with the same placeholders as its Chinese) for Python, and the Qt translation of the
QML for the touch screen (``ui/i18n/kiosk_<language>.qm``, made with ``pyside6-lupdate`` and
``pyside6-lrelease`` from ``ui/*.qml``). The option ``kiosk.language`` chooses it.
"""

from __future__ import annotations

import json
import logging
import string
from pathlib import Path

log = logging.getLogger(__name__)

SOURCE = "zh_CN"  # the language the code is written in
LOCALE_DIR = Path(__file__).with_name("locale")

_catalogue: dict[str, str] = {}
_language = SOURCE


def placeholders(text: str) -> set[str]:
    """The named fields of a template ('{pending} 条' → {'pending'})."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def load(language: str, directory: Path = LOCALE_DIR) -> dict[str, str]:
    """The catalogue of `language`: translations whose placeholders differ from their Chinese are left
    out (logged), so a slip in a translation shows the Chinese rather than breaking a screen."""
    path = directory / f"{language}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("no usable catalogue for %s (%s): the Chinese text is shown", language, exc)
        return {}
    if not isinstance(data, dict):
        log.warning("catalogue %s is not an object: the Chinese text is shown", path)
        return {}
    catalogue = {}
    for source, text in data.items():
        if isinstance(text, str) and placeholders(text) == placeholders(source):
            catalogue[source] = text
        else:
            log.warning(
                "catalogue %s: the translation of %r is left out (its placeholders differ)", path, source
            )
    return catalogue


def set_language(language: str, directory: Path = LOCALE_DIR) -> None:
    """Use `language` from now on (the source language needs no catalogue)."""
    global _catalogue, _language
    _catalogue = {} if language == SOURCE else load(language, directory)
    _language = language


def language() -> str:
    return _language


def tr(source: str, /, **values: object) -> str:
    """`source` in the language in use, its placeholders filled with `values`."""
    return _catalogue.get(source, source).format(**values) if values else _catalogue.get(source, source)


def N_(source: str, /) -> str:
    """Marks a sentence to translate where it is shown (with `translate`): the sentence itself."""
    return source


def translate(text: object, /) -> str:
    """A marked sentence (`N_`), or a message of `content`/`device` (an error's `.zh`: a `Message` holding
    `template` and `values`, or a `Joined` list), in the language in use; text it has no translation
    for as it is."""
    if _joined(text):  # a list inside a sentence
        separator = text.separator  # type: ignore[attr-defined]
        return _catalogue.get(separator, separator).join(translate(part) for part in text.parts)  # type: ignore[attr-defined]
    if not _message(text):
        return _catalogue.get(str(text), str(text))
    template = text.template  # type: ignore[attr-defined]
    values = {name: translate(v) if _joined(v) or _message(v) else v for name, v in text.values.items()}  # type: ignore[attr-defined]
    return (
        _catalogue.get(template, template).format(**values) if values else _catalogue.get(template, template)
    )


def _message(text: object) -> bool:
    return isinstance(text, str) and hasattr(text, "template")


def _joined(text: object) -> bool:
    return isinstance(text, str) and hasattr(text, "separator")
