"""Layering: the analysis engine and audio code never depend on the GUI or the app package."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ENGINE_PACKAGES = ("analysis", "audio")
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "PyQt4", "shiboken6", "shiboken2", "app")


def _is_forbidden(module: str) -> bool:
    top = module.split(".")[0]
    return top in FORBIDDEN or top.startswith("PyQt")


def _imported_modules(source: str, package: str) -> list[tuple[int, str]]:
    """Every module a source file imports, as (line, absolute dotted name).

    Covers ``import x``, ``from x import y``, relative imports (resolved against ``package``)
    and string arguments to ``importlib.import_module`` / ``__import__``.
    """
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
                if node.level - 1 >= len(parts):
                    base = []
                prefix = ".".join(base)
                if node.module:
                    name = f"{prefix}.{node.module}" if prefix else node.module
                    found.append((node.lineno, name))
                else:
                    found += [
                        (node.lineno, f"{prefix}.{a.name}" if prefix else a.name)
                        for a in node.names
                    ]
            elif node.module:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else ""
            )
            first = node.args[0]
            if (
                name in ("import_module", "__import__")
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                found.append((node.lineno, first.value))
    return found


def _engine_files() -> list[Path]:
    return sorted(p for pkg in ENGINE_PACKAGES for p in (REPO / pkg).rglob("*.py"))


def test_engine_files_are_found() -> None:
    names = {p.relative_to(REPO).as_posix() for p in _engine_files()}
    assert {"analysis/profile.py", "analysis/pipeline.py", "audio/io.py", "audio/levels.py"} <= (
        names
    )


def test_import_scanner_catches_forbidden_imports() -> None:
    source = (
        "import os\n"
        "from PySide6.QtWidgets import QApplication\n"
        "import PyQt6.QtCore as qc\n"
        "from shiboken6 import isValid\n"
        "from app.cli import main\n"
        "from ... import app\n"
        "import importlib\n"
        "gui = importlib.import_module('PySide6.QtGui')\n"
        "from .profile import load_profile\n"
    )
    found = _imported_modules(source, "analysis")
    bad = [(line, name) for line, name in found if _is_forbidden(name)]
    assert bad == [
        (2, "PySide6.QtWidgets"),
        (3, "PyQt6.QtCore"),
        (4, "shiboken6"),
        (5, "app.cli"),
        (6, "app"),
        (8, "PySide6.QtGui"),
    ]
    assert (9, "analysis.profile") in found
    assert not _is_forbidden("analysis.application")
    assert not _is_forbidden("apply")


@pytest.mark.parametrize("package", ENGINE_PACKAGES)
def test_engine_does_not_import_gui_or_app(package: str) -> None:
    offenders = []
    for path in sorted((REPO / package).rglob("*.py")):
        rel = path.relative_to(REPO)
        pkg = ".".join(rel.with_suffix("").parts[:-1])
        if path.name == "__init__.py":
            pkg = ".".join(rel.parent.parts)
        for line, name in _imported_modules(path.read_text(encoding="utf-8"), pkg):
            if _is_forbidden(name):
                offenders.append(f"{rel}:{line} imports {name}")
    assert offenders == []


def test_importing_the_pipeline_loads_no_gui() -> None:
    code = (
        "import sys\n"
        "import analysis.pipeline, analysis.report, audio.io, audio.levels\n"
        "gui = sorted(m for m in sys.modules\n"
        "             if m.split('.')[0] in ('PySide6', 'shiboken6', 'app')\n"
        "             or m.startswith('PyQt'))\n"
        "print('PIPELINE', analysis.pipeline.__name__)\n"
        "print('GUI', gui)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["PIPELINE analysis.pipeline", "GUI []"]
