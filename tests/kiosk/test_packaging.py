"""The shipped example configuration is valid and is exactly what the option declarations say."""

from __future__ import annotations

from pathlib import Path

from kiosk import config

EXAMPLE = Path(__file__).resolve().parents[2] / "packaging" / "kiosk.toml.example"


def test_example_configuration_is_generated_from_the_declarations():
    assert EXAMPLE.read_text(encoding="utf-8") == config.render_example(), (
        "regenerate with: kiosk config example > packaging/kiosk.toml.example"
    )


def test_example_configuration_uncommented_is_valid(tmp_path):
    lines = [
        line[2:] if line.startswith("# ") and " = " in line else line
        for line in config.render_example().splitlines()
    ]
    path = tmp_path / "kiosk.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    loaded = config.load(path)
    assert all(source != "default" for source in loaded.sources.values())
