"""What residents read: the library's home tiles, browse lists, a document with its 解读, notices, search.

Synchronous, thread-safe, Qt-free: the touch UI calls these from worker threads and gets plain dicts
(JSON-able, so the same shapes serve tests and any later HTTP display). Opening a document or searching
is recorded in the resident session, which the idle reset clears.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from content import search as library_search
from content.classify import BROWSE_TOPICS
from content.guides_markdown import guide_markdown
from content.model import KEY_AREAS, KIND_NAMES, Item
from content.store import Library
from kiosk import qr
from kiosk.features import Facts, registry
from kiosk.i18n import tr, translate
from kiosk.printout import Printout, key_points, opening_summary
from kiosk.richtext import Style, first_url, plain_text, snippet_html, to_blocks
from kiosk.session import Session

Usage = Callable[..., None]  # usage(kind, **fields): `kiosk.usage.UsageRecords.event`
EXAMPLES = 2  # titles shown under a 重点领域 or topic, so a resident sees what it holds
_NOT_WORD = re.compile(r"[\s·•●《》“”\"'（）()【】\[\],，。、:：;；…\.\-—]+")


def chinese_date(iso: str) -> str:
    """'2022-04-30' → '2022年4月30日' ('' stays '')."""
    try:
        day = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    return tr("{year}年{month}月{day}日", year=day.year, month=day.month, day=day.day)


def issue_title(issue: Any) -> str:
    return tr("{name} {year}年第{number}号", name=issue.name, year=issue.year, number=issue.number)


def _norm(text: str) -> str:
    return _NOT_WORD.sub("", text)


class Browse:
    """The resident-facing reading services over one library."""

    def __init__(self, library: Library, session: Session, usage: Usage | None = None):
        self.library = library
        self.session = session
        self._usage = usage
        # Search runs as the resident types: one typing episode is one "search" record, made when the
        # resident moves on (opens a hit, browses, starts another query, or the session is reset).
        self._pending_search: tuple[str, int] | None = None  # (query, results); the text stays here only
        self._search_lock = threading.Lock()
        # The item being read since (monotonic): recorded with its seconds when the resident leaves it.
        self._reading: tuple[Item, float] | None = None
        if usage is not None:
            session.on_clear(self._session_ended)

    # --- anonymous usage ---------------------------------------------------------------------------

    def _record(self, kind: str, **fields: Any) -> None:
        if self._usage is not None:
            self._usage(kind, **fields)

    def _session_ended(self) -> None:
        self.flush_search()
        self.left()

    def flush_search(self, opened: bool = False) -> None:
        """Record the pending search episode: how it was typed, its result count, whether a result was
        `opened` (never the text)."""
        with self._search_lock:
            pending, self._pending_search = self._pending_search, None
        if pending is not None:
            self._record_search(*pending, opened=opened)

    def _record_search(self, query: str, results: int, *, opened: bool = False) -> None:
        from kiosk.statistics.query_class import classify

        self._record("search", query_class=classify(query), results=results, opened=opened)

    def left(self, item_id: str | None = None) -> None:
        """The resident left the item being read (`item_id`, or whichever it is): record it with the
        seconds it was open. The reader calls this when it closes; opening another item or the idle
        reset does it too."""
        with self._search_lock:
            reading = self._reading
            if reading is None or (item_id is not None and reading[0].id != item_id):
                return
            self._reading = None
        item, since = reading
        seconds = min(86_400, round(time.monotonic() - since))
        if item.kind in ("document", "interpretation"):
            self._record("read", item_kind=item.kind, item_id=item.id, seconds=seconds)
        elif item.kind in ("notice", "guide"):
            self._record(f"{item.kind}_viewed", item_id=item.id, seconds=seconds)

    def _browsed(self, kind: str, offset: int = 0) -> None:
        if offset == 0:  # the next page of the same list is not another list opened
            self.flush_search()
            self._record("list_opened", list=kind)

    # --- home ------------------------------------------------------------------------------------

    def functions(self) -> list[dict[str, Any]]:
        """The home tiles the library can offer now, every tier and device counted as present
        (`kiosk.features`; the services' `LibraryService.tiles()` also applies the configuration)."""
        return registry().tiles(Facts.of(self.library))

    # --- browsing --------------------------------------------------------------------------------

    def summary(self, item: Item) -> dict[str, Any]:
        return {
            "id": item.id,
            "kind": item.kind,
            "kindName": KIND_NAMES.get(item.kind, ""),
            "title": item.title,
            "docNumber": self.library.doc_number_of(item),
            "date": chinese_date(item.date),
            "section": item.section,
            "issuer": item.issuer,
            "level": item.level,
            "validFrom": chinese_date(item.valid_from),
            "validTo": chinese_date(item.valid_to) if item.valid_to else tr("长期有效"),
            "origin": item.origin,
        }

    def issues(self) -> list[dict[str, Any]]:
        return [
            {
                "id": issue.id,
                "title": issue_title(issue),
                "date": chinese_date(issue.date),
                "entries": len(issue.toc),
            }
            for issue in self.library.issues()
        ]

    def issue_toc(self, issue_id: str) -> dict[str, Any]:
        """The issue's table of contents, each entry linked to its document when the library has it."""
        issue = next((i for i in self.library.issues() if i.id == issue_id), None)
        if issue is None:
            return {"title": "", "entries": []}
        self._browsed("gazette")
        items = self.library.items(issue_id=issue_id)
        by_title = [(_norm(item.title), item) for item in items]
        entries = []
        for entry in issue.toc:
            wanted = _norm(entry.title)
            match = next(
                (it for key, it in by_title if key and (key == wanted or key in wanted or wanted in key)),
                None,
            )
            if match is None:
                match = next((it for it in items if entry.page is not None and it.page == entry.page), None)
            entries.append(
                {
                    "section": entry.section.strip("●· "),
                    "title": entry.title,
                    "page": entry.page if entry.page is not None else "",
                    "id": match.id if match else "",
                }
            )
        return {"title": issue_title(issue), "entries": entries}

    def sections(self) -> list[dict[str, Any]]:
        return [{"name": name, "count": count} for name, count in self.library.sections()]

    def categories(self) -> list[dict[str, Any]]:
        """The 重点领域 of §5.4.1.2 that hold at least one item, with how many and the newest titles."""
        return self._groups((area, {"category": area}) for area in KEY_AREAS)

    def topics(self) -> list[dict[str, Any]]:
        """Plain-language topics (住房, 就业创业 …, `content.classify.BROWSE_TOPICS`) that hold at least
        one item, with how many and the newest titles."""
        return self._groups((name, {"topics": topics}) for name, topics in BROWSE_TOPICS.items())

    def _groups(self, groups) -> list[dict[str, Any]]:
        rows = []
        for name, where in groups:
            count = self.library.count(**where)
            if count:
                examples = [item.title for item in self.library.items(**where, limit=EXAMPLES)]
                rows.append({"name": name, "count": count, "examples": examples})
        return rows

    def listing(
        self,
        kind: str | None = None,
        *,
        section: str | None = None,
        category: str | None = None,
        topic: str | None = None,
        limit: int = 60,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Items newest first, by section, 重点领域 or plain-language topic (a name of `topics()`)."""
        topics = BROWSE_TOPICS.get(topic, (topic,)) if topic is not None else None
        items = self.library.items(
            kind, section=section, category=category, topics=topics, limit=limit, offset=offset
        )
        self._browsed(kind or "all", offset)
        return [self.summary(item) for item in items]

    def by_date(self, limit: int = 60, offset: int = 0) -> list[dict[str, Any]]:
        """Documents newest first, each with the month it belongs to (for the list's headings)."""
        rows = []
        self._browsed("document", offset)
        for item in self.library.items("document", limit=limit, offset=offset):
            row = self.summary(item)
            if len(item.date) >= 7:
                row["month"] = tr("{year}年{month}月", year=item.date[:4], month=int(item.date[5:7]))
            else:
                row["month"] = tr("日期不详")
            rows.append(row)
        return rows

    def notices(self, today: date | None = None) -> list[dict[str, Any]]:
        """Current notices, newest first, with level, validity and text."""
        rows = []
        self._browsed("notice")
        for item in self.library.current_notices(today):
            row = self.summary(item)
            row["text"] = item.body_md
            rows.append(row)
        return rows

    # --- reading ---------------------------------------------------------------------------------

    def document(self, item_id: str, *, record: bool = True, generation: int | None = None) -> dict[str, Any]:
        """One item ready to read: its reader blocks and plain text, its 解读 (or the document it
        interprets), QR, photos.

        Opening is remembered in the session (`record`), unless it was cleared since `generation`."""
        item = self.library.get(item_id)
        if record:
            self.session.record_opened(item_id, generation)
            self.flush_search(opened=True)
            if self._usage is not None:
                self.left()
                with self._search_lock:
                    self._reading = (item, time.monotonic())
        body = item.body_md
        if item.kind == "guide" and item.guide is not None:
            body = translate(guide_markdown(item.guide)) + ("\n\n" + body if body else "")
        related = []
        if item.kind == "interpretation" and item.interprets_id:
            try:
                original = self.library.get(item.interprets_id)
                related.append({"id": original.id, "title": original.title, "role": "original"})
            except Exception:  # noqa: BLE001 - a missing original just has no link
                pass
        else:
            for interp in self.library.interpretations_of(item_id):
                related.append({"id": interp.id, "title": interp.title, "role": "interpretation"})
        url = item.url or first_url(body)
        photos = [
            self.library.blob_path(a.sha256).as_uri()
            for a in self.library.attachments_of(item_id)
            if a.mime.startswith("image/") and self.library.blob_path(a.sha256).exists()
        ]
        blocks = to_blocks(body)
        return {
            **self.summary(item),
            "blocks": blocks,
            "text": plain_text(blocks),
            "annexes": list(item.annexes),
            "related": related,
            "url": url,
            "qr": qr.data_url(url),
            "photos": photos,
        }

    def printout(self, item_id: str, hall_name: str = "") -> Printout:
        """What the reader's 打印 puts on paper: key points, and the 解读's summary where there is one
        (a 解读 summarises itself; a notice or guide gives its opening paragraphs)."""
        doc = self.document(item_id, record=False)
        interpretation = next((r for r in doc["related"] if r["role"] == "interpretation"), None)
        if doc["kind"] == "document":
            explained = self.document(interpretation["id"], record=False)["blocks"] if interpretation else []
            points, gist = key_points(doc["blocks"]), opening_summary(explained)
        elif doc["kind"] == "interpretation":
            points, gist = key_points(doc["blocks"]), opening_summary(doc["blocks"])
        else:
            points, gist = [], opening_summary(doc["blocks"])
        return Printout(
            kind_name=doc["kindName"],
            title=doc["title"],
            doc_number=doc["docNumber"],
            date=doc["date"],
            issuer=doc["issuer"],
            points=points,
            summary=gist,
            url=doc["url"],
            hall_name=hall_name,
        )

    # --- search ----------------------------------------------------------------------------------

    def search(
        self, query: str, limit: int = 30, style: Style | None = None, generation: int | None = None
    ) -> dict[str, Any]:
        """Hits with highlighted snippets and what a pinyin query was read as (`meant`: 秸秆 for jiegan);
        when nothing matches, suggestions to try instead (see `suggest`)."""
        query = query.strip()
        self.session.set_search_text(query, generation)
        if not query:
            self.flush_search()
            return {"query": "", "hits": [], "suggestions": [], "meant": ""}
        hits = self.library.search(query, limit=limit)
        rows = [
            {
                "id": hit.id,
                "kind": hit.kind,
                "kindName": KIND_NAMES.get(hit.kind, ""),
                "title": hit.title,
                "docNumber": hit.doc_number,
                "date": chinese_date(hit.date),
                "snippet": snippet_html(hit.snippet, style),
            }
            for hit in hits
        ]
        suggestions = [] if rows else self.suggest(query)
        if self._usage is not None:
            self._search_typed(query, len(rows))
        meant = hits[0].meant if hits else ""
        return {"query": query, "hits": rows, "suggestions": suggestions, "meant": meant}

    def _search_typed(self, query: str, results: int) -> None:
        """Keep the latest query of a typing episode; a query that does not continue it starts another."""
        with self._search_lock:
            previous = self._pending_search
            self._pending_search = (query, results)
        if previous is not None and not (query.startswith(previous[0]) or previous[0].startswith(query)):
            self._record_search(*previous)

    def suggest(self, query: str) -> list[dict[str, Any]]:
        """What to offer when `query` found nothing: each a query to run (`kind` "query", `text`) or a
        document to open (`kind` "document", `text` its title, `item_id`); see `content.search.suggest`."""
        with self.library.reading() as db:
            return [s.to_dict() for s in library_search.suggestions(db, query)]
