"""Imports point downward: no Qt below services, no I/O libraries in the UI."""
import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
NO_QT = ["core", "compose", "research", "storage", "secrets.py", "cli.py", "config.py"]
UI_FORBIDDEN = {"sqlite3", "requests", "keyring", "app.storage", "app.secrets", "app.research"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules_under(name: str) -> list[Path]:
    target = APP / name
    return [target] if target.is_file() else sorted(target.rglob("*.py"))


@pytest.mark.parametrize("layer", NO_QT)
def test_layers_below_services_do_not_import_qt(layer):
    files = modules_under(layer)
    assert files
    for path in files:
        qt = {m for m in imported_modules(path) if m.split(".")[0] in ("PySide6", "shiboken6")}
        assert not qt, f"{path.relative_to(APP)} imports {qt}"


def test_ui_imports_no_io_libraries():
    files = modules_under("ui")
    assert files
    for path in files:
        bad = {m for m in imported_modules(path) if any(m == f or m.startswith(f + ".") for f in UI_FORBIDDEN)}
        assert not bad, f"{path.relative_to(APP)} imports {bad}"


def test_the_checker_sees_a_violation(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import sqlite3\nfrom PySide6.QtCore import QObject\n")
    assert {"sqlite3", "PySide6.QtCore"} <= imported_modules(sample)
