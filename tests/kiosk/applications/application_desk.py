"""A kiosk's application desk on real parts: the library's outbox, `applications.db`, a city X25519 key."""

from __future__ import annotations

from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from content.outbox import Outbox
from content.store import Library
from content.workdays import WorkCalendar
from kiosk.applications.store import FILE_NAME, ApplicationStore
from kiosk.applications.submit import BEIJING, Applications

CITIZEN = {
    "kind": "公民",
    "name": "欧阳翠花",
    "id_number": "11010519491231002X",
    "phone": "13912345678",
    "address": "河北省定州市北城区刘家庄村七组18号",
    "email": "cuihua.ouyang@example.cn",
    "description": "本村2025年土地征收补偿款的发放名单和标准",
    "medium": "电子数据",
    "route": "电子邮件",
    "agency": "定州市人民政府办公室",
}


class Desk:
    def __init__(self, folder, *, capacity=10000, key=True):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.library = Library(folder / "library.db")
        self.outbox = Outbox(self.library, capacity=capacity)
        self.store = ApplicationStore(folder / FILE_NAME)
        self.city_private = X25519PrivateKey.generate()
        self.now = datetime(2026, 9, 15, 10, 30, tzinfo=BEIJING)
        self.applications = Applications(
            self.store,
            self.outbox,
            "dz-001",
            self.city_private.public_key() if key else None,
            WorkCalendar(),
            clock=lambda: self.now,
        )

    def close(self):
        self.store.close()
        self.library.close()
