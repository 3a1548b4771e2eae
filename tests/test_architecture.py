"""The boundaries of docs/architecture hold: who may import whom (checked on the source, not at run time)."""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN = {
    "device": {"kiosk", "ui", "content", "city", "PySide6"},
    "content": {"kiosk", "ui", "device", "city", "PySide6"},
    "kiosk": {"PySide6", "city"},
    "city": {"kiosk", "ui", "device", "PySide6"},
    "ui": {"sqlite3", "sqlite_utils", "serial", "escpos", "city"},
    # the sd_notify protocol, shared by kiosk run, kiosk display and city serve: the standard library only
    "systemd_notify": {"kiosk", "ui", "content", "device", "city", "display", "PySide6"},
    # the root helper that installs updates: nothing the kiosk user's code paths could change under it
    "updater": {"kiosk", "ui", "content", "device", "city", "display", "systemd_notify", "PySide6"},
    # uvicorn's protocol with a header deadline, shared by city serve and the kiosk's API
    "header_deadline": {"kiosk", "ui", "content", "device", "city", "display", "updater", "PySide6"},
    # a sentence kept with its template and values, shared by content/ and device/: the standard library only
    "translatable": {
        "kiosk",
        "ui",
        "content",
        "device",
        "city",
        "display",
        "systemd_notify",
        "updater",
        "PySide6",
    },
}


def imports(path: Path) -> list[tuple[str, int, bool]]:
    """(top-level module, line, at module level?) for every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], node.lineno, id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module.split(".")[0], node.lineno, id(node) in top_level))
    return found


def sources(part: str) -> list[Path]:
    return sorted((ROOT / part).rglob("*.py"))


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_part_imports_only_what_it_may(part):
    violations = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sources(part)
        for module, line, _ in imports(path)
        if module in FORBIDDEN[part]
    ]
    assert not violations, "\n".join(violations)


def test_kiosk_starts_the_gui_only_lazily_from_the_command_line():
    violations = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sources("kiosk")
        for module, line, module_level in imports(path)
        if module == "ui" and (module_level or path.parent.name != "cli")
    ]
    assert not violations, "kiosk/ imports ui/ outside a command's function: " + ", ".join(violations)


def test_the_update_helper_uses_the_standard_library_and_cryptography_only():
    allowed = set(sys.stdlib_module_names) | {"cryptography", "updater"}
    violations = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sources("updater")
        for module, line, _ in imports(path)
        if module not in allowed
    ]
    assert not violations, "\n".join(violations)


def test_every_module_says_what_it_is_for():
    missing = [
        str(path.relative_to(ROOT))
        for part in (
            "kiosk",
            "content",
            "device",
            "city",
            "ui",
            "bench",
            "updater",
            "translatable",
            "header_deadline",
        )
        for path in sources(part)
        if path.stat().st_size and not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not missing, "modules without a docstring: " + ", ".join(missing)


# --- where the next functions live (README, "Architecture") -----------------------------------------
#
# Each rule names a place by its path; a place without code yet is held to its rule from its first file,
# and `test_the_rules_catch_what_they_forbid` shows each rule failing on a made-up module.


def dotted_imports(path: Path) -> list[tuple[str, int]]:
    """(full dotted module, line) for every import in a file (`from a.b import c` gives a.b and a.b.c)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def _matches(module: str, names: set[str]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in names)


SQLITE = {"sqlite3", "sqlite_utils"}
LISTENING = {
    "socketserver",
    "http.server",
    "uvicorn",
    "starlette",
    "PySide6.QtNetwork",
    "asyncio.start_server",
}
NETWORK = LISTENING | {"socket", "httpx", "urllib.request", "http.client"}
LIBRARY = {"content.store", "content.sync", "content.outbox", "kiosk.library_service", "kiosk.library"}

# (place, what it may not import, why)
PLACE_RULES: tuple[tuple[str, set[str], str], ...] = (
    ("ui", SQLITE | NETWORK | {"serial", "escpos"}, "ui/ presents: it opens no database, no port, no device"),
    (
        "display",
        {"content", "device", "kiosk", "ui", "city"} | SQLITE | {"serial"},
        "the `kiosk display` process talks only to the kiosk's local HTTP API",
    ),
    (
        "kiosk/queue",
        LIBRARY | {"content.search", "kiosk.sync_service", "kiosk.sync_control"},
        "the queue keeps its own database: a ticket never waits for the library's write lock",
    ),
    (
        "kiosk/applications",
        LIBRARY - {"content.outbox"} | {"content.search"},
        "applications keep their own database and reach the city only through the outbox",
    ),
    (
        "kiosk/api",
        SQLITE | {"content.store", "serial", "escpos"},
        "the local API serves what the services give",
    ),
)
# the program's own code
PARTS = (
    "content",
    "device",
    "kiosk",
    "ui",
    "city",
    "display",
    "systemd_notify",
    "updater",
    "translatable",
    "header_deadline",
)
# Only these places open a database or listen on a port.
SQLITE_PLACES = ("content", "city", "kiosk/queue", "kiosk/applications", "kiosk/statistics")
LISTENING_PLACES = ("city", "kiosk/api", "header_deadline")  # the last: the protocol both listeners use


def place_violations(root: Path) -> list[str]:
    found = []
    for path in sorted(p for part in PARTS for p in (root / part).rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        for module, line in dotted_imports(path):
            where = f"{relative}:{line} imports {module}"
            for place, forbidden, why in PLACE_RULES:
                if relative.startswith(place + "/") and _matches(module, forbidden):
                    found.append(f"{where}: {why}")
            if _matches(module, SQLITE) and not relative.startswith(tuple(p + "/" for p in SQLITE_PLACES)):
                found.append(f"{where}: only {', '.join(SQLITE_PLACES)} open a database")
            if _matches(module, LISTENING) and not relative.startswith(
                tuple(p + "/" for p in LISTENING_PLACES)
            ):
                found.append(f"{where}: only {', '.join(LISTENING_PLACES)} listen on a port")
            if module == "content.records.record_usage" and relative != "kiosk/usage.py":
                found.append(f"{where}: usage records are written by kiosk/usage.py only")
    return found


def test_every_place_keeps_its_boundary():
    violations = place_violations(ROOT)
    assert not violations, "\n".join(violations)


def test_features_load_nothing_heavy_at_import():
    """kiosk/features is imported before the first frame: the library modules load later, on a worker."""
    heavy = {"content", "device", "sqlite3", "sqlite_utils", "pypinyin", "httpx"}
    violations = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sources("kiosk/features")
        for module, line, module_level in imports(path)
        if module in heavy and module_level
    ]
    assert not violations, "\n".join(violations)


def test_no_service_reaches_back_into_the_container():
    """`kiosk.services.build` hands each service what it needs; only entry points hold the container."""
    entry_points = ("kiosk/services.py", "kiosk/cli/")
    violations = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sources("kiosk")
        for module, line in dotted_imports(path)
        if _matches(module, {"kiosk.services"}) and not str(path.relative_to(ROOT)).startswith(entry_points)
    ]
    assert not violations, "kiosk services import the container: " + ", ".join(violations)


@pytest.mark.parametrize(
    "path, source, rule",
    [
        ("ui/bad.py", "import sqlite3\n", "ui/ presents"),
        ("ui/bad.py", "from PySide6.QtNetwork import QTcpServer\n", "ui/ presents"),
        ("ui/bad.py", "import httpx\n", "ui/ presents"),
        ("display/screen.py", "from content.store import Library\n", "local HTTP API"),
        ("display/screen.py", "from kiosk.services import build\n", "local HTTP API"),
        ("kiosk/queue/tickets.py", "from content.store import Library\n", "own database"),
        ("kiosk/applications/forms.py", "from kiosk.library_service import LibraryService\n", "outbox"),
        ("kiosk/api/app.py", "import sqlite3\n", "what the services give"),
        ("kiosk/statistics.py", "import sqlite3\n", "open a database"),
        ("kiosk/display_feed.py", "from starlette.applications import Starlette\n", "listen on a port"),
        ("kiosk/stats.py", "from content.records import record_usage\n", "kiosk/usage.py only"),
    ],
)
def test_the_rules_catch_what_they_forbid(tmp_path, path, source, rule):
    target = tmp_path / path
    target.parent.mkdir(parents=True)
    target.write_text(source, encoding="utf-8")
    violations = place_violations(tmp_path)
    assert any(rule in v for v in violations), violations


def test_the_places_allow_what_they_are_for(tmp_path):
    for path, source in {
        "kiosk/queue/store.py": "import sqlite3\n",
        "kiosk/api/server.py": "from starlette.applications import Starlette\nfrom kiosk.usage import UsageRecords\n",
        "display/main.py": "import httpx\nfrom PySide6.QtQuick import QQuickView\n",
        "kiosk/applications/store.py": "import sqlite3\nfrom content.outbox import Outbox\n",
    }.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(source, encoding="utf-8")
    assert place_violations(tmp_path) == []


HEAVY = (
    *("content.store", "content.search", "pypinyin", "escpos", "serial", "sqlite_utils", "httpx"),
    *("cryptography", "content.channel", "ssl"),  # the channel's signatures, sealed keys, TLS: used later
)


def heavy_modules_after(code: str) -> list[str]:
    """The heavy modules a fresh interpreter holds after running `code` (nothing another test imported counts)."""
    import subprocess
    import sys

    code += f"\nimport sys\nprint(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} or m in {HEAVY!r}))\n"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    return ast.literal_eval(out.stdout.strip().splitlines()[-1])


def test_building_the_services_loads_nothing_heavy():
    """`build()` runs before the first frame: the library, search and device modules load later, on a worker."""
    code = "import tempfile, pathlib\nfrom kiosk.config import defaults\nfrom kiosk.services import build\n"
    assert heavy_modules_after(code + "build(defaults(), pathlib.Path(tempfile.mkdtemp()))") == []


def test_the_touch_ui_view_models_load_nothing_heavy_before_the_first_frame():
    assert heavy_modules_after("import ui.app\nui.app.register_types()") == []
