"""The facility table of DB 13/T 5480—2022 Appendices A–E as data, and this kiosk's compliance with it.

Each tier of zone (省/市/县/乡镇/村) lists which facilities it must provide (✓), should provide (宜), may
provide where conditions allow, or does not list. `check()` reports every facility of the configured
tier as present (configured and answering), partly present, missing, not applicable, or to be checked on
site (things no software can see, such as the staff desk). The touch kiosk's sub-functions need content:
服务事项目录清单查询 and 办事指引 need guides (with their steps), 窗口指示 guides naming their window
and a hall map or the hall file (`kiosk.guides_hall`) locating their windows; without some of them it is
partly present, naming what is missing. `kiosk tiers` and the staff screen show the same result.

Which resident function provides a facility is declared by the function (`kiosk.features`), never
here: `check()` takes those providers, names them beside the facility, and counts a facility the
kiosk's software provides as missing when none of its functions is offered on this kiosk.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kiosk.options import TIERS

REQUIRED = "required"  # ✓ 提供/配置/设置
RECOMMENDED = "recommended"  # 宜
CONDITIONAL = "conditional"  # 条件允许
NOT_LISTED = "not_listed"  # –

REQUIREMENT_NAMES = {
    REQUIRED: "必备",
    RECOMMENDED: "宜配",
    CONDITIONAL: "条件允许时配置",
    NOT_LISTED: "不要求",
}
REQUIREMENT_MARKS = {REQUIRED: "✓", RECOMMENDED: "宜", CONDITIONAL: "条件允许", NOT_LISTED: "–"}

PRESENT = "present"
PARTIAL = "partial"  # some of the facility's sub-functions are there, the detail names what is missing
MISSING = "missing"
NOT_APPLICABLE = "not_applicable"
ON_SITE = "on_site"  # not visible to software: checked by a person on site
STATUS_NAMES = {
    PRESENT: "已具备",
    PARTIAL: "部分具备",
    MISSING: "缺少",
    NOT_APPLICABLE: "不适用",
    ON_SITE: "需现场核查",
}

# How software can tell whether a facility is there.
BY_SOFTWARE = "software"  # this kiosk itself provides it
BY_DEVICE = "device"  # a device in the configuration, present when it answers
BY_CONTENT = "content"  # the library holds the material
BY_PERSON = "person"  # only a person on site can tell


@dataclass(frozen=True)
class Facility:
    key: str
    name: str
    requirements: tuple[str, str, str, str, str]  # per tier, in TIERS order
    how: str
    device: str = ""  # config key of the device, for BY_DEVICE
    notes: tuple[str, str, str, str, str] = ("", "", "", "", "")
    parts: tuple[str, ...] = ()  # sub-functions the library's content must back (see `_parts_missing`)
    # A device residents use through a function of the kiosk: present only when some function uses it.
    used_by_function: bool = False

    def requirement(self, tier: str) -> str:
        return self.requirements[TIERS.index(tier)]

    def note(self, tier: str) -> str:
        return self.notes[TIERS.index(tier)]


R, Y, C, N = REQUIRED, RECOMMENDED, CONDITIONAL, NOT_LISTED

FACILITIES: tuple[Facility, ...] = (
    Facility(
        "staff_desk",
        "问询台",
        (R, R, R, R, R),
        BY_PERSON,
        notes=(
            "工作人员 2–3 名",
            "工作人员 1–2 名",
            "工作人员 1 名",
            "兼职工作人员 1 名",
            "可与综合服务站共用",
        ),
    ),
    Facility(
        "notice_board",
        "公示牌（公示公告）",
        (Y, Y, Y, Y, Y),
        BY_SOFTWARE,
        notes=("宜用电子屏", "宜用电子屏", "宜用电子屏", "电子屏或白板、张贴", "电子屏或白板、张贴"),
    ),
    Facility("queue_machine", "排队取号机", (R, N, N, N, N), BY_SOFTWARE),  # this kiosk's 排队取号
    Facility(
        "touch_kiosk",
        "触控操作一体机（服务事项目录清单查询、窗口指示、办事指引）",
        (R, R, R, N, N),
        BY_SOFTWARE,
        parts=("服务事项目录清单查询", "窗口指示", "办事指引"),
    ),
    Facility(
        "robot",
        "定制机器人（语音交互、政策展示、图文解读、路线指引）",
        (R, R, N, N, N),
        BY_DEVICE,
        device="devices.robot",
    ),
    Facility(
        "material_rack",
        "公开资料展示架（乡村振兴政策资料）",
        (N, N, N, R, R),
        BY_PERSON,
    ),
    Facility("display_wall", "展示墙/拼接屏", (R, R, R, N, N), BY_DEVICE, device="devices.display_wall"),
    Facility("e_reading", "电子阅报栏（政府公报、政策文件电子阅读）", (R, R, R, N, N), BY_CONTENT),
    Facility(
        "printer",
        "办事服务区打印机",
        (R, R, N, N, Y),
        BY_DEVICE,
        device="devices.printer",
        notes=("", "", "县级不配打印机", "乡镇不配打印机", ""),
    ),
    Facility("guided_query", "在线查询操作指引界面", (R, R, R, R, Y), BY_SOFTWARE),
    Facility(
        "id_card_reader",
        "身份证阅读器（使用身份证查询）",
        (R, R, R, R, Y),
        BY_DEVICE,
        device="devices.idcard",
        used_by_function=True,
    ),
    Facility(
        "reading_area",
        "资料查阅区（政府公报、政策汇编、办事指南等）",
        (R, R, R, R, R),
        BY_CONTENT,
    ),
    Facility("print_fax", "文印及传真、多功能充电器", (R, R, R, C, C), BY_PERSON),
)

FACILITIES_BY_KEY = {f.key: f for f in FACILITIES}


@dataclass(frozen=True)
class DeviceState:
    """What diagnostics say about one configured device."""

    configured: bool
    answering: bool
    detail: str = ""


@dataclass
class FacilityStatus:
    key: str
    name: str
    requirement: str
    status: str
    detail: str = ""
    provided_by: str = ""  # the functions of this kiosk that provide it ("公示公告"), '' none

    @property
    def requirement_name(self) -> str:
        return REQUIREMENT_NAMES[self.requirement]

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "requirement_name": self.requirement_name, "status_name": self.status_name}


@dataclass
class Compliance:
    tier: str
    facilities: list[FacilityStatus] = field(default_factory=list)

    @property
    def missing_required(self) -> list[FacilityStatus]:
        """Required facilities not (or only partly) there."""
        return [f for f in self.facilities if f.requirement == REQUIRED and f.status in (MISSING, PARTIAL)]

    @property
    def compliant(self) -> bool:
        return not self.missing_required

    def to_dict(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "compliant": self.compliant,
            "missing_required": [f.key for f in self.missing_required],
            "facilities": [f.to_dict() for f in self.facilities],
        }


def table() -> list[dict[str, str]]:
    """The appendix table: one row per facility with its mark for every tier."""
    rows = []
    for facility in FACILITIES:
        row = {"key": facility.key, "facility": facility.name}
        for tier in TIERS:
            mark = REQUIREMENT_MARKS[facility.requirement(tier)]
            note = facility.note(tier)
            row[tier] = f"{mark}（{note}）" if note and mark != "–" else mark
        rows.append(row)
    return rows


# facility key → [(function title, why it is not offered here or '')]
Providers = Mapping[str, Sequence[tuple[str, str]]]


def check(
    tier: str,
    device_state: Callable[[str], DeviceState],
    library_stats: Mapping[str, Any] | None,
    providers: Providers | None = None,
) -> Compliance:
    """This kiosk's compliance with its tier's appendix.

    `device_state(config_key)` reports a device; `library_stats` is `Library.stats()` (None when the
    library cannot be opened); `providers` is `kiosk.features.Registry.providers(config)`.
    """
    if tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r}")
    result = Compliance(tier)
    offered = providers or {}
    for facility in FACILITIES:
        requirement = facility.requirement(tier)
        if requirement == NOT_LISTED:
            status, detail = NOT_APPLICABLE, facility.note(tier)
        elif facility.how == BY_SOFTWARE:
            status, detail = _software_status(offered.get(facility.key, ()))
            if status == PRESENT and facility.parts:
                status, detail = _parts_status(facility.parts, library_stats)
        elif facility.how == BY_PERSON:
            status, detail = ON_SITE, facility.note(tier)
        elif facility.how == BY_CONTENT:
            status, detail = _content_status(facility, library_stats)
        else:
            state = device_state(facility.device)
            if not state.configured:
                status, detail = MISSING, "未配置"
            elif (
                state.answering
                and facility.used_by_function
                and not any(not why_not for _, why_not in offered.get(facility.key, ()))
            ):
                status, detail = PARTIAL, "设备已连接，但本机还没有居民用它的功能"
            elif state.answering:
                status, detail = PRESENT, state.detail or "已连接"
            else:
                status, detail = MISSING, state.detail or "设备未连接"
        by = "、".join(title for title, why_not in offered.get(facility.key, ()) if not why_not)
        result.facilities.append(FacilityStatus(facility.key, facility.name, requirement, status, detail, by))
    return result


def _software_status(providers: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """A facility this kiosk's software provides: present unless every function providing it is off here."""
    if providers and all(why_not for _, why_not in providers):
        return MISSING, "；".join(f"{title}：{why_not}" for title, why_not in providers)
    return PRESENT, "本一体机提供"


def _parts_missing(part: str, stats: Mapping[str, Any] | None) -> str:
    """What a sub-function of the touch kiosk lacks in the library ('' when it is there)."""
    if stats is None:
        return "资料库无法打开"
    guides = int(stats.get("by_kind", {}).get("guide", 0))
    backed = stats.get("guides", {})
    if not guides:
        return "资料库中没有办事指南"
    if part == "窗口指示":
        if backed.get("hall_file_error"):
            return backed["hall_file_error"]
        # where a window is: a guide's own hall map, or the hall file (kiosk.guides_hall) locating it
        where = backed.get("with_hall_map") or backed.get("located_windows")
        lacks = [
            what
            for what, present in (
                ("写明窗口的办事指南", backed.get("with_window")),
                ("附大厅平面图的办事指南", where),
            )
            if not present
        ]
        return "没有" + "和".join(lacks) if lacks else ""
    if part == "办事指引":
        return "" if backed.get("with_steps") else "办事指南没有写明办理流程"
    return ""


def _parts_status(parts: Sequence[str], stats: Mapping[str, Any] | None) -> tuple[str, str]:
    lacking = [(part, why) for part in parts if (why := _parts_missing(part, stats))]
    if not lacking:
        return PRESENT, "本一体机提供：" + "、".join(parts)
    detail = "；".join(f"{part}：{why}" for part, why in lacking)
    return (MISSING if len(lacking) == len(parts) else PARTIAL), detail


def _content_status(facility: Facility, stats: Mapping[str, Any] | None) -> tuple[str, str]:
    if stats is None:
        return MISSING, "资料库无法打开"
    if facility.key == "e_reading":
        issues = int(stats.get("gazette_issues", 0))
        return (PRESENT, f"{issues} 期政府公报") if issues else (MISSING, "资料库中没有政府公报")
    documents = int(stats.get("by_kind", {}).get("document", 0))
    return (PRESENT, f"{documents} 篇政策文件（电子版）") if documents else (MISSING, "资料库中没有政策文件")


def device_states(
    config: Any, data_dir: Path | None = None, report: Callable[[], Any] | None = None
) -> Callable[[str], DeviceState]:
    """A `device_state` for `check()` from the configuration and the device diagnostics.

    A device with no address is not configured. Configured ID-card readers and printers are asked
    through `report()` (a `kiosk.devices.DiagReport`, None if diagnosing failed; by default
    `DeviceService.diagnose()`), once, on first need; other devices (queue machine, robot, display wall)
    have no adapter yet and cannot count as answering.
    """
    found: dict[str, DeviceState] = {}

    def diagnose() -> None:
        try:
            if report is None:
                from kiosk.devices import DeviceService

                diagnosis = DeviceService(config, data_dir or Path(".")).diagnose()
            else:
                diagnosis = report()
        except Exception as exc:  # noqa: BLE001 - diagnostics that fail mean no device answers
            found["error"] = DeviceState(True, False, f"设备诊断失败（{exc}）")
            return
        if diagnosis is None:  # the health service logged why
            found["error"] = DeviceState(True, False, "设备诊断失败")
            return
        for check in diagnosis.checks:
            found[f"devices.{check.device}"] = DeviceState(
                bool(check.url), check.state in ("ok", "warning"), check.summary
            )

    def state(key: str) -> DeviceState:
        address = _get(config, key)
        if not address:
            return DeviceState(False, False, "未配置")
        if not found:
            diagnose()
        return found.get(key) or found.get("error") or DeviceState(True, False, "暂不支持检测此设备")

    return state


def _get(config: Any, key: str) -> Any:
    try:
        return config[key]
    except KeyError:
        return ""
