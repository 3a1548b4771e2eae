"""The hall's queue services and windows as the city publishes them (`city queue publish KIOSK FILE`).

After a sync, `file:city_queue/<this kiosk's id>.json` (the checked file in its file form, addressed to the
kiosk id of the enrolment) is put in force through `Queue.configure`, the path `kiosk queue import` takes:
one transaction, checked again, every earlier configuration kept. The rule that merges it with the hall's:

- **services**: the city's replace the services the city published last time; services staff added
  themselves (a key the city never sent) stay. A service the city no longer sends is removed: its waiting
  tickets are no longer called, a ticket already called or being served at a window finishes there.
- **windows** stay the hall's: a window the city names that the hall lacks is added as the city wrote it;
  a window the hall has keeps its name and its services as staff set them, and gains the services the
  city lists for it in this publication. The city never removes a window.
- **rules** (`[queue]`) are the city's.

What came from the city is remembered in `queue_city.json` (its record's hash and service keys), so the
same publication is applied once and staff changes stand until the city publishes again. A record that is
not right (another kiosk's, not JSON, a bad file) is refused and logged; the configuration in force stays.
A withdrawn publication removes the city's services by the same rule.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from content import queue_config
from content.queue_config import CHANNEL_FOLDER as FOLDER
from content.queue_config import RECORD_TYPE
from kiosk.i18n import tr, translate
from kiosk.queue.config import QueueConfig, Service, Window
from kiosk.queue.errors import QueueError
from kiosk.signage.files import read_json, write_json

log = logging.getLogger(__name__)

STATE = "queue_city.json"


def received(data_dir: Path, kiosk_id: str) -> tuple[str, QueueConfig] | None:
    """(the record's hash, its configuration) of the city's publication for this kiosk, None without one;
    `QueueConfigError` when the record is not right."""
    path = data_dir / FOLDER / f"{kiosk_id}.json"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise queue_config.QueueConfigError(
            f"{path.name}: not JSON", tr("市级排队配置不是有效的 JSON")
        ) from None
    if not (
        isinstance(value, dict)
        and set(value) == {"type", "format", "kiosk", "config"}
        and value["type"] == RECORD_TYPE
        and value["format"] == 1
        and value["kiosk"] == kiosk_id
    ):
        raise queue_config.QueueConfigError(
            f"{path.name}: not a hall queue record for {kiosk_id}", tr("市级排队配置不是发给本机的")
        )
    return hashlib.sha256(data).hexdigest(), queue_config.parse(value["config"], tr("市级排队配置"))


def merged(local: QueueConfig, city: QueueConfig | None, city_keys_before: set[str]) -> QueueConfig:
    """The configuration the rule in the module docstring gives."""
    city_services: tuple[Service, ...] = city.services if city else ()
    city_keys = {s.key for s in city_services}
    own = tuple(s for s in local.services if s.key not in city_keys and s.key not in city_keys_before)
    services = city_services + own
    keys = {s.key for s in services}
    city_windows = {w.number: w for w in city.windows} if city else {}
    windows = []
    for window in local.windows:
        extra = city_windows[window.number].services if window.number in city_windows else ()
        served = tuple(k for k in dict.fromkeys(window.services + extra) if k in keys)
        windows.append(Window(window.number, window.name, served, window.pin_hash))
    have = {w.number for w in local.windows}
    windows += [w for n, w in sorted(city_windows.items()) if n not in have]
    return QueueConfig(services, tuple(windows), city.rules if city else local.rules)


def apply(data_dir: Path, kiosk_id: str) -> tuple[str, str]:
    """Put the city's publication in force: (state, Chinese line for staff); state is "none", "unchanged",
    "applied", "withdrawn" or "refused"."""
    from kiosk.queue import Queue

    state = read_json(data_dir / STATE, {})
    try:
        found = received(data_dir, kiosk_id)
    except queue_config.QueueConfigError as exc:
        log.error("queue: the city's configuration refused, the one in force stays: %s", exc)
        return "refused", tr("市级排队配置未生效，仍使用原配置：{reason}", reason=translate(exc.zh))
    digest = found[0] if found else ""
    if digest == state.get("sha256", ""):
        return ("unchanged", tr("市级排队配置使用中")) if found else ("none", "")
    queue = Queue.open(data_dir)
    try:
        config = merged(queue.config, found[1] if found else None, set(state.get("services", [])))
        queue.configure(config)
    except QueueError as exc:
        log.error("queue: the city's configuration not applied, the one in force stays: %s", exc)
        return "refused", tr("市级排队配置未生效，仍使用原配置：{reason}", reason=translate(exc.zh))
    finally:
        queue.close()
    keys = sorted(s.key for s in found[1].services) if found else []
    write_json(data_dir / STATE, {"sha256": digest, "services": keys})
    if not found:
        log.info("queue: the city withdrew its services")
        return "withdrawn", tr("市级排队业务已撤回，本厅自设的业务保留")
    log.info("queue: the city's configuration applied (%d services)", len(keys))
    return "applied", tr("市级排队配置已生效（{count} 项业务）", count=len(keys))
