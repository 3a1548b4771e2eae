"""The staff desk: the PIN, the settings staff may change (bounds from `kiosk.options`), the kiosk's
current configuration, the compliance with its tier and the staff screen's overview (the `staff`
service of `kiosk.services`).

The overview reads the device health cache (`kiosk.health`), never probes devices itself; staff's
"重新检测" refreshes that cache on a worker. The touch UI only presents what `overview()` returns.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import tiers
from kiosk.config import Config
from kiosk.features import registry
from kiosk.health import DeviceHealth
from kiosk.i18n import N_, tr, translate
from kiosk.library_service import LibraryService
from kiosk.options import OPTIONS_BY_KEY
from kiosk.staff import STAFF_SETTINGS, StaffAuth, StaffError, StaffSettings
from kiosk.sync_control import SyncControl

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.features.notices import NoticeBoard

DEVICES = (("devices.idcard", N_("身份证阅读器")), ("devices.printer", N_("小票打印机")))
SETTING_STEPS = {"kiosk.idle_timeout": 15, "kiosk.font_scale": 0.1}  # one tap of a 加/减 button
PHOTO_DIRS = (Path("/media"), Path("/mnt"), Path("/run/media"))
PHOTO_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif"}


def find_photos(roots: list[Path], limit: int = 40) -> list[str]:
    """Image files on removable media (and the data dir's import folder), at most three levels deep."""
    found: list[str] = []
    for root in roots:
        if not root.is_dir():
            continue
        for depth in range(4):
            pattern = "/".join(["*"] * (depth + 1))
            try:
                for path in sorted(root.glob(pattern)):
                    if path.suffix.lower() in PHOTO_SUFFIXES and path.is_file():
                        found.append(str(path))
                        if len(found) >= limit:
                            return found
            except OSError:
                continue
    return found


class StaffDesk:
    """What staff do and see on the kiosk, over the services it is given."""

    def __init__(
        self,
        config: Config,
        data_dir: Path,
        settings: StaffSettings,
        library: LibraryService,
        devices: DeviceHealth,
        sync: SyncControl,
        notices: NoticeBoard,
    ):
        self.config = config  # the configuration now: the file's, with the settings staff changed
        self.data_dir = data_dir
        self.auth = StaffAuth(data_dir, config["kiosk.staff_pin_hash"])
        self.settings = settings
        self.library = library
        self.devices = devices
        self.sync = sync
        self.notices = notices

    # --- settings --------------------------------------------------------------------------------

    def setting(self, key: str) -> dict[str, Any]:
        """One setting staff may change: value, bounds (from `kiosk.options`) and the step of one tap."""
        option = OPTIONS_BY_KEY[key]
        return {
            "key": key,
            "description": translate(option.description),
            "value": self.config[key],
            "minimum": option.minimum,
            "maximum": option.maximum,
            "step": SETTING_STEPS[key],
        }

    def step_setting(self, key: str, steps: int) -> Any:
        """Move a setting by `steps` taps (kept within its bounds), save it and apply it now."""
        if key not in STAFF_SETTINGS:
            raise StaffError(
                f"{key} cannot be changed on the kiosk", tr("“{key}”不能在一体机上修改", key=key)
            )
        row = self.setting(key)
        value = row["value"] + steps * row["step"]
        value = min(row["maximum"], max(row["minimum"], value))
        value = int(value) if isinstance(row["value"], int) else round(value, 2)
        value = self.settings.save(key, value)
        self.config = self.settings.apply(self.config)
        return value

    def save_hall(self, name: str, tier: str) -> tuple[str, str]:
        """The hall's name and tier (the setup wizard's first step), kept and in force at once: the
        configuration now changes, and a `ContentChange` ("hall") brings the new tier's home tiles to the
        screens (the library's tiles, the features and the display API read the configuration now)."""
        kept = self.settings.save_hall(name, tier)
        self.config = self.settings.apply(self.config)
        self.library.changed("hall")
        return kept

    # --- what staff see ----------------------------------------------------------------------------

    def compliance(self, device_state: Callable[[str], tiers.DeviceState] | None = None) -> tiers.Compliance:
        """This kiosk's compliance with its tier; pass `device_state` to reuse a diagnosis already made."""
        state = device_state or self.devices.states()
        providers = registry().providers(self.config)
        return tiers.check(self.config["kiosk.tier"], state, self._stats_for_tiers(), providers)

    def _stats_for_tiers(self) -> dict[str, Any] | None:
        """The library's stats, with what the hall file tells 窗口指示 (`kiosk.guides_hall.window_facts`)."""
        stats, store = self.library.stats(), self.library.store
        if stats is None or store is None:
            return stats
        from content.guides_catalog import named_windows
        from kiosk.guides_hall import window_facts

        return {**stats, "guides": {**stats["guides"], **window_facts(named_windows(store), self.data_dir)}}

    def _notice_counts(self) -> dict[str, int]:
        """Notices residents see today, and local ones that start later (so staff count what residents see)."""
        from kiosk import notices

        store = self.library.store
        if store is None:
            return {}
        today = date.today().isoformat()
        scheduled = sum(1 for n in notices.local_notices(store) if n.valid_from > today)
        return {"currentNotices": len(store.current_notices()), "scheduledNotices": scheduled}

    def overview(self) -> dict[str, Any]:
        """What the staff screen shows (Chinese, JSON-able). Blocking: call on a worker."""
        state = self.devices.states()  # one diagnosis for both uses below
        compliance = self.compliance(state)
        devices = []
        for key, name in DEVICES:
            s = state(key)
            status = tr("未配置") if not s.configured else (tr("已连接") if s.answering else tr("设备未连接"))
            devices.append(
                {
                    "key": key,
                    "name": translate(name),
                    "address": self.config[key],
                    "status": status,
                    "detail": translate(s.detail),
                    "ok": s.answering,
                }
            )
        stats: dict[str, Any] = {}
        raw = self.library.stats()
        if raw is not None:
            stats = {
                "documents": raw["by_kind"]["document"],
                "interpretations": raw["by_kind"]["interpretation"],
                "notices": raw["by_kind"]["notice"],
                **self._notice_counts(),
                "guides": raw["by_kind"]["guide"],
                "issues": raw["gazette_issues"],
                "localNotices": raw["by_origin"].get("local", 0),
            }
        return {
            "tier": self.config["kiosk.tier"],
            "compliant": compliance.compliant,
            "facilities": [f.to_dict() for f in compliance.facilities],
            "devices": devices,
            "stats": stats,
            "sections": registry().staff_sections(self.config),
            "notices": self.notices.local_rows(),
            "settings": {key: self.setting(key) for key in STAFF_SETTINGS},
            "idleTimeout": self.config["kiosk.idle_timeout"],
            "fontScale": self.config["kiosk.font_scale"],
            "photos": find_photos([*PHOTO_DIRS, self.data_dir / "import"]),
            "sync": self.sync.overview(),
        }
