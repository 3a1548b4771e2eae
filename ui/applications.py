"""The 信息公开申请 view-models: `ApplicationForm` (the resident's steps, `ApplicationScreen.qml`; staff's
代为填写 opens the same screen), `ApplicationStaff` (the staff page: why the tile is absent, the recent
applications, 补打回执) and `ApplicationStatus` (查询申请进度, `ApplicationStatusScreen.qml`).

The rules are in `kiosk.applications` and `kiosk.features.applications.ApplicationDesk`; these run the
desk on the worker and hold what the resident typed only for this session: the idle reset (or 完成)
wipes the form, the card and the result.
"""

from __future__ import annotations

import weakref
from typing import Any

import shiboken6
from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from kiosk.i18n import tr
from ui import context
from ui.refcounts import emit, release_when_destroyed
from ui.worker import Worker

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

KIND, CARD, FORM, REVIEW, DONE = "kind", "card", "form", "review", "done"
CITIZEN, ORGANISATION = "公民", "法人或其他组织"


def _desk():
    return context.services().application_desk


def _submit(values: dict[str, Any], with_card: bool) -> dict[str, Any]:
    """Submit, or the form's errors when it changed into one that cannot be (then nothing is taken)."""
    from kiosk.applications.form import ApplicationInvalid

    try:
        return _desk().submit(values, with_card=with_card)
    except ApplicationInvalid as exc:
        return {"errors": exc.errors}


@QmlElement
class ApplicationForm(QObject):
    """Steps: `kind` (公民 / 法人或其他组织), `card` (公民: consent to read the ID card, or type it), `form`,
    `review`, `done` (the number, the deadline, whether the receipt printed)."""

    changed = Signal()
    settingsChanged = Signal()  # what the screen was opened with: 代为填写, the document applied from
    relatedChanged = Signal()  # its own: a keystroke must not rebuild the offered documents' buttons

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._worker = Worker(self, self._finished, self._failed)
        self._agencies: list[str] = []
        self._staff_fill = False
        self._picked: dict[str, str] = {}  # the library document the resident applied from
        self.clear()
        release_when_destroyed(self)
        this = weakref.ref(self)
        context.services().session.on_clear(lambda: _clear(this()))
        desk = _desk()  # the screen goes (回到首页 without applying): the card read goes with it
        self.destroyed.connect(lambda *_: desk.forget_card())
        self._worker.submit("agencies", lambda: desk.agencies())

    def clear(self) -> None:
        """Forget everything of this resident (the idle reset, 完成)."""
        self._step = KIND
        self._values: dict[str, Any] = {}
        self._errors: dict[str, str] = {}
        self._card_masked = ""
        self._result: dict[str, Any] = {}
        self._related: list[dict[str, Any]] = []  # published documents matching the description
        self._related_asked = ""
        self._busy = False
        self._message = ""
        emit(self, "changed")
        emit(self, "relatedChanged")

    def _run(self, tag: str, fn) -> None:
        self._busy, self._message = True, ""
        emit(self, "changed")
        self._worker.submit(tag, fn)

    def _set_picked(self, key: str, value: str) -> None:
        if self._picked.get(key) != value:
            self._picked[key] = self._values[key] = value
            emit(self, "settingsChanged")

    def _set_staff_fill(self, on: bool) -> None:
        if self._staff_fill != on:
            self._staff_fill = on  # 代为填写 (Art. 29): staff fill the form on the resident's behalf
            emit(self, "settingsChanged")

    @Slot(str)
    def chooseKind(self, kind: str) -> None:
        if kind not in (CITIZEN, ORGANISATION):
            return
        agency = self._values.get("agency") or (self._agencies[0] if self._agencies else "")
        self._values = {**self._picked, "kind": kind, "medium": "纸质", "route": "自行领取", "agency": agency}
        self._errors, self._card_masked = {}, ""
        self._step = CARD if kind == CITIZEN else FORM
        emit(self, "changed")

    @Slot()
    def readCard(self) -> None:
        """The resident agreed (读取身份证信息用于本次申请): read the card on the reader."""
        if not self._busy:
            self._run("card", lambda: _desk().read_card(consent=True))

    @Slot()
    def typeIn(self) -> None:
        """No card: the resident types name and ID number."""
        self._step = FORM
        emit(self, "changed")

    @Slot(str, str)
    def setValue(self, field: str, value: str) -> None:
        if self._values.get(field) == value:
            return
        self._values[field] = value
        self._errors.pop(field, None)
        emit(self, "changed")

    @Slot(str)
    def lookUpRelated(self, description: str) -> None:
        """Find published documents matching the description (the screen calls this once typing pauses);
        a later call's answer replaces an earlier one's."""
        self._related_asked = description
        self._worker.submit("related", lambda: (description, _desk().related(description)))

    @Slot()
    def forgetCard(self) -> None:
        """Type the ID instead of the card read."""
        self._card_masked = ""
        self._values.pop("name", None)
        self._worker.submit("forget", lambda: _desk().forget_card())
        emit(self, "changed")

    def _form_values(self) -> dict[str, Any]:
        values = dict(self._values)
        if self._staff_fill:
            values["filled_by_staff"] = True
        return values

    @Slot()
    def review(self) -> None:
        """Check the form; the review page when it has no error, else each message beside its field."""
        if not self._busy:
            values, card = self._form_values(), bool(self._card_masked)
            self._run("check", lambda: _desk().check(values, with_card=card))

    @Slot()
    def edit(self) -> None:
        self._step = FORM
        emit(self, "changed")

    @Slot()
    def submit(self) -> None:
        if not self._busy and self._step == REVIEW:
            values, card = self._form_values(), bool(self._card_masked)
            self._run("submit", lambda: _submit(values, card))

    @Slot()
    def back(self) -> None:
        """One step back; from the first step, the previous screen."""
        if self._step in (CARD, FORM) and self._card_masked:
            self.forgetCard()
        self._step = {CARD: KIND, FORM: KIND, REVIEW: FORM}.get(self._step, KIND)
        emit(self, "changed")

    def _finished(self, token: int, tag: str, result: Any) -> None:
        if tag == "related":
            description, documents = result
            if description == self._related_asked and self._step == FORM and documents != self._related:
                self._related = documents  # not typed on since, still on the form, something new
                emit(self, "relatedChanged")
            return
        self._busy = False
        if tag == "agencies":
            self._agencies = result
            self._values.setdefault("agency", result[0] if result else "")
        elif tag == "card":
            self._card_masked = result["idMasked"]
            self._values["name"] = result["name"]
            if result["address"] and not self._values.get("address"):
                self._values["address"] = result["address"]
            self._step = FORM
        elif tag == "check":
            self._errors = result
            if result:
                self._message = tr("请按提示修改标红的内容")
            else:
                self._step = REVIEW
        elif tag == "submit":
            if "errors" in result:
                self._errors, self._step = result["errors"], FORM
                self._message = tr("请按提示修改标红的内容")
            else:
                self._result, self._step = result, DONE
                self._values, self._card_masked, self._related = {}, "", []  # taken: nothing personal stays
                emit(self, "relatedChanged")
        emit(self, "changed")

    def _failed(self, token: int, tag: str, message: str) -> None:
        if tag == "related":
            return  # only an offer: the form works without it (the worker logged why)
        self._busy = False
        self._message = message
        emit(self, "changed")

    step = Property(str, lambda self: self._step, notify=changed)
    values = Property("QVariantMap", lambda self: self._values, notify=changed)
    errors = Property("QVariantMap", lambda self: self._errors, notify=changed)
    cardMasked = Property(str, lambda self: self._card_masked, notify=changed)
    agencies = Property(list, lambda self: self._agencies, notify=changed)
    related = Property(list, lambda self: self._related, notify=relatedChanged)
    result = Property("QVariantMap", lambda self: self._result, notify=changed)
    busy = Property(bool, lambda self: self._busy, notify=changed)
    message = Property(str, lambda self: self._message, notify=changed)
    staffFill = Property(bool, lambda self: self._staff_fill, _set_staff_fill, notify=settingsChanged)
    itemId = Property(str, lambda self: self._picked.get("item_id", ""), lambda self, v: self._set_picked("item_id", v), notify=settingsChanged)  # fmt: skip
    docTitle = Property(str, lambda self: self._picked.get("doc_title", ""), lambda self, v: self._set_picked("doc_title", v), notify=settingsChanged)  # fmt: skip
    docNumber = Property(str, lambda self: self._picked.get("doc_number", ""), lambda self, v: self._set_picked("doc_number", v), notify=settingsChanged)  # fmt: skip


@QmlElement
class ApplicationStaff(QObject):
    """The staff page: whether this kiosk takes applications (and why not), the recent ones, 补打回执."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._unavailable = ""
        self._recent: list[dict[str, Any]] = []
        self._message = ""
        self._worker = Worker(self, self._finished, self._failed)
        release_when_destroyed(self)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        self._worker.submit("overview", _overview)

    @Slot(str)
    def reprint(self, number: str) -> None:
        self._worker.submit("reprint", lambda: _desk().reprint(number))

    def _finished(self, token: int, tag: str, result: Any) -> None:
        if tag == "overview":
            self._unavailable, self._recent = result
        elif tag == "reprint":
            self._message = (
                tr("已补打申请 {number} 的回执。", number=result["number"])
                if result["printed"]
                else result["message"]
            )
        emit(self, "changed")

    def _failed(self, token: int, tag: str, message: str) -> None:
        self._message = message
        emit(self, "changed")

    unavailable = Property(str, lambda self: self._unavailable, notify=changed)
    recent = Property(list, lambda self: self._recent, notify=changed)
    message = Property(str, lambda self: self._message, notify=changed)


@QmlElement
class ApplicationStatus(QObject):
    """查询申请进度: the number (typed, or the receipt's QR code scanned) and the phone's last four digits."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._found: dict[str, Any] = {}
        self._busy = False
        self._message = ""
        self._worker = Worker(self, self._finished, self._failed)
        release_when_destroyed(self)
        this = weakref.ref(self)
        context.services().session.on_clear(lambda: _clear(this()))

    def clear(self) -> None:
        self._found, self._busy, self._message = {}, False, ""
        emit(self, "changed")

    @Slot(str, str)
    def look(self, number: str, last4: str) -> None:
        from kiosk.features.application_status import status

        self._busy, self._message, self._found = True, "", {}
        emit(self, "changed")
        self._worker.submit("status", lambda: status(_desk(), number, last4))

    def _finished(self, token: int, tag: str, result: Any) -> None:
        self._busy, self._found = False, result
        if not result["rows"]:
            self._message = tr(
                "没有找到申请 {number} 的进度。若刚刚提交，市级平台的反馈需要一段时间；也请核对电话号码后4位",
                number=result["number"],
            )
        emit(self, "changed")

    def _failed(self, token: int, tag: str, message: str) -> None:
        self._busy, self._message = False, message
        emit(self, "changed")

    found = Property("QVariantMap", lambda self: self._found, notify=changed)
    busy = Property(bool, lambda self: self._busy, notify=changed)
    message = Property(str, lambda self: self._message, notify=changed)


def _clear(view_model: ApplicationForm | ApplicationStatus | None) -> None:
    """The session ended: forget what the screen holds, unless QML has destroyed it already."""
    if view_model is not None and shiboken6.isValid(view_model):
        view_model.clear()


def _overview() -> tuple[str, list[dict[str, Any]]]:
    desk = _desk()
    reason = desk.unavailable()
    return reason, ([] if reason else desk.recent())
