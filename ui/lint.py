"""`python -m ui.lint`: pyside6-qmllint over every QML file with zero warnings allowed.

qmllint checks bindings against types, so it needs type information for our Python view-models.
pyside6-metaobjectdump cannot read properties declared with lambdas, so the ``.qmltypes`` are written
here from the classes' live QMetaObjects into a temporary module directory ``Kiosk`` passed to qmllint
as an import path. Constant properties are marked ``isPropertyConstant`` only for a qmllint that knows
constant properties (it checks stale reads of the others); the qmllint of Qt 6.8 refuses the attribute.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QMetaMethod, QMetaType

UI_DIR = Path(__file__).resolve().parent
MODULE = "Kiosk"


def _tool(name: str) -> str:
    return shutil.which(name) or str(Path(sys.executable).parent / name)


@functools.cache
def knows_constant_properties() -> bool:
    """Whether this Qt's qmllint reads ``isPropertyConstant`` (the versions that warn about stale reads)."""
    help_text = subprocess.run(
        [_tool("pyside6-qmllint"), "--help"], capture_output=True, text=True, check=False
    ).stdout
    return "--stale-property-read" in help_text


def _bytes(value: object) -> str:
    return bytes(value).decode() if not isinstance(value, str) else value  # type: ignore[call-overload]


def component(cls: type, singleton: bool, constants: bool = True) -> str:
    """A qmltypes ``Component`` for a registered view-model class, read from its live QMetaObject;
    `constants`: mark constant properties (``isPropertyConstant``)."""
    meta = cls.staticMetaObject  # type: ignore[attr-defined]
    lines = [
        "    Component {",
        f'        file: "ui/{cls.__module__.rsplit(".", 1)[-1]}.py"',
        f'        name: "{cls.__name__}"',
        '        accessSemantics: "reference"',
        '        prototype: "QObject"',
        f'        exports: ["{MODULE}/{cls.__name__} 1.0"]',
        f"        isCreatable: {'false' if singleton else 'true'}",
        f"        isSingleton: {'true' if singleton else 'false'}",
        "        exportMetaObjectRevisions: [256]",
    ]
    for index in range(meta.propertyOffset(), meta.propertyCount()):
        prop = meta.property(index)
        notify = prop.notifySignal()
        parts = [f'name: "{prop.name()}"', f'type: "{prop.typeName()}"', f'read: "{prop.name()}"']
        if prop.isWritable():
            parts.append(f'write: "set{prop.name()[0].upper()}{prop.name()[1:]}"')
        else:
            parts.append("isReadonly: true")
        if notify.isValid():
            parts.append(f'notify: "{_bytes(notify.name())}"')
        elif constants and prop.isConstant():
            parts.append("isPropertyConstant: true")
        parts.append(f"index: {index - meta.propertyOffset()}")
        lines.append("        Property { " + "; ".join(parts) + " }")
    for index in range(meta.methodOffset(), meta.methodCount()):
        method = meta.method(index)
        name = _bytes(method.name())
        if name.startswith("_"):
            continue
        kind = "Signal" if method.methodType() == QMetaMethod.MethodType.Signal else "Method"
        params = [_bytes(t) for t in method.parameterTypes()]
        names = [_bytes(n) for n in method.parameterNames()]
        body = [f'name: "{name}"']
        if (
            kind == "Method"
            and method.returnType() != QMetaType.Type.Void.value
            and method.typeName() not in ("", "void")
        ):
            body.append(f'type: "{method.typeName()}"')
        lines.append(f"        {kind} {{ " + "; ".join(body))
        for n, ptype in enumerate(params):
            pname = names[n] if n < len(names) and names[n] else f"p{n}"
            lines.append(f'            Parameter {{ name: "{pname}"; type: "{ptype}" }}')
        lines.append("        }")
    lines.append("    }")
    return "\n".join(lines)


def build_types(out: Path) -> Path:
    """Write ``out/Kiosk/{qmldir,kiosk.qmltypes}`` describing the view-models; return ``out``."""
    from ui.applications import ApplicationForm, ApplicationStaff, ApplicationStatus
    from ui.appstate import AppState
    from ui.guides import GuideCatalog, GuidePage
    from ui.listing import Listing
    from ui.queue import QueueBoard, QueueStaff
    from ui.reader import Reader
    from ui.search import Search
    from ui.setup_wizard import SetupWizard
    from ui.signage import StaffSignage
    from ui.staff import Staff
    from ui.statistics import Statistics

    module = out / MODULE
    module.mkdir(parents=True, exist_ok=True)
    constants = knows_constant_properties()
    components = [component(cls, True, constants) for cls in (AppState, Search, Staff, SetupWizard)]
    components += [component(cls, False, constants) for cls in (Listing, Reader, GuideCatalog, GuidePage)]
    components += [component(cls, False, constants) for cls in (QueueBoard, QueueStaff)]
    components += [component(cls, False, constants) for cls in (Statistics, StaffSignage)]
    components += [
        component(cls, False, constants) for cls in (ApplicationForm, ApplicationStaff, ApplicationStatus)
    ]
    text = "import QtQuick.tooling 1.2\n\nModule {\n" + "\n".join(components) + "\n}\n"
    (module / "kiosk.qmltypes").write_text(text)
    (module / "qmldir").write_text(f"module {MODULE}\ntypeinfo kiosk.qmltypes\n")
    return out


def run(max_warnings: int = 0) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as tmp:
        imports = build_types(Path(tmp))
        files = sorted(str(p) for p in UI_DIR.glob("*.qml"))
        return subprocess.run(
            [_tool("pyside6-qmllint"), "--max-warnings", str(max_warnings), "-I", str(imports), *files],
            capture_output=True,
            text=True,
            check=False,
        )


def main() -> int:
    result = run()
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
