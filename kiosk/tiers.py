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

from kiosk.i18n import N_, tr, translate
from kiosk.options import TIERS

REQUIRED = "required"  # ✓ 提供/配置/设置
RECOMMENDED = "recommended"  # 宜
CONDITIONAL = "conditional"  # 条件允许
NOT_LISTED = "not_listed"  # –

REQUIREMENT_NAMES = {
    REQUIRED: N_("必备"),
    RECOMMENDED: N_("宜配"),
    CONDITIONAL: N_("条件允许时配置"),
    NOT_LISTED: N_("不要求"),
}
REQUIREMENT_MARKS = {REQUIRED: "✓", RECOMMENDED: N_("宜"), CONDITIONAL: N_("条件允许"), NOT_LISTED: "–"}

PRESENT = "present"
PARTIAL = "partial"  # some of the facility's sub-functions are there, the detail names what is missing
MISSING = "missing"
NOT_APPLICABLE = "not_applicable"
ON_SITE = "on_site"  # not visible to software: checked by a person on site
STATUS_NAMES = {
    PRESENT: N_("已具备"),
    PARTIAL: N_("部分具备"),
    MISSING: N_("缺少"),
    NOT_APPLICABLE: N_("不适用"),
    ON_SITE: N_("需现场核查"),
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
# the touch kiosk's sub-functions that the library's content must back
CATALOGUE_PART, WINDOWS_PART, STEPS_PART = N_("服务事项目录清单查询"), N_("窗口指示"), N_("办事指引")

FACILITIES: tuple[Facility, ...] = (
    Facility(
        "staff_desk",
        N_("问询台"),
        (R, R, R, R, R),
        BY_PERSON,
        notes=(
            N_("工作人员 2–3 名"),
            N_("工作人员 1–2 名"),
            N_("工作人员 1 名"),
            N_("兼职工作人员 1 名"),
            N_("可与综合服务站共用"),
        ),
    ),
    Facility(
        "notice_board",
        N_("公示牌（公示公告）"),
        (Y, Y, Y, Y, Y),
        BY_SOFTWARE,
        notes=(
            N_("宜用电子屏"),
            N_("宜用电子屏"),
            N_("宜用电子屏"),
            N_("电子屏或白板、张贴"),
            N_("电子屏或白板、张贴"),
        ),
    ),
    Facility("queue_machine", N_("排队取号机"), (R, N, N, N, N), BY_SOFTWARE),  # this kiosk's 排队取号
    Facility(
        "touch_kiosk",
        N_("触控操作一体机（服务事项目录清单查询、窗口指示、办事指引）"),
        (R, R, R, N, N),
        BY_SOFTWARE,
        parts=(CATALOGUE_PART, WINDOWS_PART, STEPS_PART),
    ),
    Facility(
        "robot",
        N_("定制机器人（语音交互、政策展示、图文解读、路线指引）"),
        (R, R, N, N, N),
        BY_DEVICE,
        device="devices.robot",
    ),
    Facility(
        "material_rack",
        N_("公开资料展示架（乡村振兴政策资料）"),
        (N, N, N, R, R),
        BY_PERSON,
    ),
    Facility("display_wall", N_("展示墙/拼接屏"), (R, R, R, N, N), BY_DEVICE, device="devices.display_wall"),
    Facility("e_reading", N_("电子阅报栏（政府公报、政策文件电子阅读）"), (R, R, R, N, N), BY_CONTENT),
    Facility(
        "printer",
        N_("办事服务区打印机"),
        (R, R, N, N, Y),
        BY_DEVICE,
        device="devices.printer",
        notes=("", "", N_("县级不配打印机"), N_("乡镇不配打印机"), ""),
    ),
    Facility("guided_query", N_("在线查询操作指引界面"), (R, R, R, R, Y), BY_SOFTWARE),
    Facility(
        "id_card_reader",
        N_("身份证阅读器（使用身份证查询）"),
        (R, R, R, R, Y),
        BY_DEVICE,
        device="devices.idcard",
        used_by_function=True,
    ),
    Facility(
        "reading_area",
        N_("资料查阅区（政府公报、政策汇编、办事指南等）"),
        (R, R, R, R, R),
        BY_CONTENT,
    ),
    Facility("print_fax", N_("文印及传真、多功能充电器"), (R, R, R, C, C), BY_PERSON),
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
        return translate(REQUIREMENT_NAMES[self.requirement])

    @property
    def status_name(self) -> str:
        return translate(STATUS_NAMES[self.status])

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
        row = {"key": facility.key, "facility": translate(facility.name)}
        for tier in TIERS:
            mark = translate(REQUIREMENT_MARKS[facility.requirement(tier)])
            note = translate(facility.note(tier))
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
            status, detail = NOT_APPLICABLE, translate(facility.note(tier))
        elif facility.how == BY_SOFTWARE:
            status, detail = _software_status(offered.get(facility.key, ()))
            if status == PRESENT and facility.parts:
                status, detail = _parts_status(facility.parts, library_stats)
        elif facility.how == BY_PERSON:
            status, detail = ON_SITE, translate(facility.note(tier))
        elif facility.how == BY_CONTENT:
            status, detail = _content_status(facility, library_stats)
        else:
            state = device_state(facility.device)
            if not state.configured:
                status, detail = MISSING, tr("未配置")
            elif (
                state.answering
                and facility.used_by_function
                and not any(not why_not for _, why_not in offered.get(facility.key, ()))
            ):
                status, detail = PARTIAL, tr("设备已连接，但本机还没有居民用它的功能")
            elif state.answering:
                status, detail = PRESENT, translate(state.detail) or tr("已连接")
            else:
                status, detail = MISSING, translate(state.detail) or tr("设备未连接")
        by = "、".join(title for title, why_not in offered.get(facility.key, ()) if not why_not)
        name = translate(facility.name)
        result.facilities.append(FacilityStatus(facility.key, name, requirement, status, detail, by))
    return result


def _software_status(providers: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """A facility this kiosk's software provides: present unless every function providing it is off here."""
    if providers and all(why_not for _, why_not in providers):
        return MISSING, "；".join(f"{title}：{why_not}" for title, why_not in providers)
    return PRESENT, tr("本一体机提供")


def _parts_missing(part: str, stats: Mapping[str, Any] | None) -> str:
    """What a sub-function of the touch kiosk lacks in the library ('' when it is there)."""
    if stats is None:
        return tr("资料库无法打开")
    guides = int(stats.get("by_kind", {}).get("guide", 0))
    backed = stats.get("guides", {})
    if not guides:
        return tr("资料库中没有办事指南")
    if part == WINDOWS_PART:
        if backed.get("hall_file_error"):
            return backed["hall_file_error"]
        # where a window is: a guide's own hall map, or the hall file (kiosk.guides_hall) locating it
        located = backed.get("with_hall_map") or backed.get("located_windows")
        if not backed.get("with_window"):
            return (
                tr("没有写明窗口的办事指南")
                if located
                else tr("没有写明窗口的办事指南和附大厅平面图的办事指南")
            )
        return "" if located else tr("没有附大厅平面图的办事指南")
    if part == STEPS_PART:
        return "" if backed.get("with_steps") else tr("办事指南没有写明办理流程")
    return ""


def _parts_status(parts: Sequence[str], stats: Mapping[str, Any] | None) -> tuple[str, str]:
    lacking = [(part, why) for part in parts if (why := _parts_missing(part, stats))]
    if not lacking:
        return PRESENT, tr("本一体机提供：{parts}", parts="、".join(translate(part) for part in parts))
    detail = "；".join(f"{translate(part)}：{why}" for part, why in lacking)
    return (MISSING if len(lacking) == len(parts) else PARTIAL), detail


def _content_status(facility: Facility, stats: Mapping[str, Any] | None) -> tuple[str, str]:
    if stats is None:
        return MISSING, tr("资料库无法打开")
    if facility.key == "e_reading":
        issues = int(stats.get("gazette_issues", 0))
        return (
            (PRESENT, tr("{count} 期政府公报", count=issues))
            if issues
            else (MISSING, tr("资料库中没有政府公报"))
        )
    documents = int(stats.get("by_kind", {}).get("document", 0))
    if not documents:
        return MISSING, tr("资料库中没有政策文件")
    return PRESENT, tr("{count} 篇政策文件（电子版）", count=documents)


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
            found["error"] = DeviceState(True, False, tr("设备诊断失败（{error}）", error=exc))
            return
        if diagnosis is None:  # the health service logged why
            found["error"] = DeviceState(True, False, tr("设备诊断失败"))
            return
        for check in diagnosis.checks:
            found[f"devices.{check.device}"] = DeviceState(
                bool(check.url), check.state in ("ok", "warning"), translate(check.summary)
            )

    def state(key: str) -> DeviceState:
        address = _get(config, key)
        if not address:
            return DeviceState(False, False, tr("未配置"))
        if not found:
            diagnose()
        return found.get(key) or found.get("error") or DeviceState(True, False, tr("暂不支持检测此设备"))

    return state


def _get(config: Any, key: str) -> Any:
    try:
        return config[key]
    except KeyError:
        return ""
