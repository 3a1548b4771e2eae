"""The boundaries of docs/architecture hold: who may import whom (checked on the source, not at run time)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN = {
    "device": {"kiosk", "ui", "content", "city", "PySide6"},
    "content": {"kiosk", "ui", "device", "city", "PySide6"},
    "kiosk": {"PySide6", "city"},
    "city": {"kiosk", "ui", "device", "PySide6"},
    "ui": {"sqlite3", "sqlite_utils", "serial", "escpos", "city"},
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


def test_every_module_says_what_it_is_for():
    missing = [
        str(path.relative_to(ROOT))
        for part in ("kiosk", "content", "device", "city", "ui", "bench")
        for path in sources(part)
        if path.stat().st_size and not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not missing, "modules without a docstring: " + ", ".join(missing)
