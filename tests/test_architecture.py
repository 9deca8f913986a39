"""Layering: audio <- analysis <- storage <- app, no import circles, one namespace.

The engine (audio, analysis) and the stored data (storage) never depend on the GUI; each layer
imports only the layers below it; and every import names the installed namespace
(``voicemail_coach.*``), never a repository folder as a top-level package.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NS = "voicemail_coach"
# Each layer, bottom first; a layer may import only itself and the layers before it.
LAYERS = ("audio", "analysis", "storage", "app")
ENGINE_PACKAGES = ("analysis", "audio", "storage")
QT = ("PySide6", "PyQt5", "PyQt6", "PyQt4", "shiboken6", "shiboken2")
FOLDERS = (*LAYERS, "resources")
CODE_FOLDERS = (*FOLDERS, "tests", "eval", "bench", "scripts")


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == NS and parts[1] in LAYERS else None


def _is_forbidden(module: str, package: str = "analysis") -> bool:
    """Whether code in ``package`` (a layer's folder) may not import ``module``."""
    top = module.split(".")[0]
    if top in QT or top.startswith("PyQt"):
        return package != "app"
    if top in FOLDERS:  # a folder imported as a top-level package: works only in the checkout
        return True
    layer = _layer_of(module)
    return layer is not None and LAYERS.index(layer) > LAYERS.index(package)


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


def _files(folder: str) -> list[Path]:
    return sorted(p for p in (REPO / folder).rglob("*.py") if "__pycache__" not in p.parts)


def _package_of(path: Path) -> str:
    """The dotted package a file's relative imports resolve against, as installed."""
    rel = path.relative_to(REPO)
    parts = rel.parent.parts
    if rel.parts[0] in FOLDERS:
        parts = (NS, *parts)
    return ".".join(parts)


def test_layer_files_are_found() -> None:
    names = {p.relative_to(REPO).as_posix() for layer in LAYERS for p in _files(layer)}
    assert {
        "analysis/profile.py",
        "analysis/pipeline.py",
        "audio/io.py",
        "audio/levels.py",
        "storage/library.py",
        "app/cli/main.py",
    } <= names


def test_import_scanner_catches_forbidden_imports() -> None:
    source = (
        "import os\n"
        "from PySide6.QtWidgets import QApplication\n"
        "import PyQt6.QtCore as qc\n"
        "from shiboken6 import isValid\n"
        "from voicemail_coach.app.cli.main import main\n"
        "from ... import app\n"
        "import importlib\n"
        "gui = importlib.import_module('PySide6.QtGui')\n"
        "from .profile import load_profile\n"
        "from voicemail_coach.storage.library import Library\n"
        "from analysis.report import Report\n"
    )
    found = _imported_modules(source, "voicemail_coach.analysis")
    bad = sorted((line, name) for line, name in found if _is_forbidden(name, "analysis"))
    assert bad == [
        (2, "PySide6.QtWidgets"),
        (3, "PyQt6.QtCore"),
        (4, "shiboken6"),
        (5, "voicemail_coach.app.cli.main"),
        (6, "app"),
        (8, "PySide6.QtGui"),
        (10, "voicemail_coach.storage.library"),
        (11, "analysis.report"),
    ]
    assert (9, "voicemail_coach.analysis.profile") in found
    assert not _is_forbidden("voicemail_coach.analysis.report", "storage")
    assert _is_forbidden("voicemail_coach.storage.library", "audio")
    assert not _is_forbidden("PySide6.QtCore", "app")
    assert not _is_forbidden("applications")


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_imports_only_the_layers_below(layer: str) -> None:
    offenders = []
    for path in _files(layer):
        for line, name in _imported_modules(path.read_text(encoding="utf-8"), _package_of(path)):
            if _is_forbidden(name, layer):
                offenders.append(f"{path.relative_to(REPO)}:{line} imports {name}")
    assert offenders == []


@pytest.mark.parametrize("folder", CODE_FOLDERS)
def test_code_imports_the_namespace_not_the_folders(folder: str) -> None:
    """Tests, tools and the app all import ``voicemail_coach.*``: what works in the checkout then
    works installed, where the folders are not top-level packages."""
    offenders = [
        f"{path.relative_to(REPO)}:{line} imports {name}"
        for path in _files(folder)
        for line, name in _imported_modules(path.read_text(encoding="utf-8"), _package_of(path))
        if name.split(".")[0] in FOLDERS
    ]
    assert offenders == []


def _module_level_imports(path: Path) -> set[str]:
    """The project modules ``path`` imports when it is loaded (not inside functions, and not
    under ``if TYPE_CHECKING``): the imports that can make a circle."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _package_of(path)
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        nodes = [node] if isinstance(node, ast.Import | ast.ImportFrom) else []
        for _, name in _imported_modules(ast.unparse(ast.Module(nodes, [])), package):
            if name.startswith(f"{NS}."):
                found.add(name)
    return found


def _module_name(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join((NS, *parts))


def test_no_import_circles() -> None:
    modules = {_module_name(p): p for layer in LAYERS for p in _files(layer)}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in _module_level_imports(path):
            # "from package import module" names the module; otherwise the module itself
            while imported not in modules and "." in imported:
                imported = imported.rsplit(".", 1)[0]
            if imported in modules and imported != name:
                targets.add(imported)
        graph[name] = targets
    circles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert circles == []


def test_importing_the_pipeline_loads_no_gui() -> None:
    code = (
        "import sys\n"
        "import voicemail_coach.analysis.pipeline as pipeline\n"
        "import voicemail_coach.analysis.report, voicemail_coach.audio.io\n"
        "import voicemail_coach.storage.library\n"
        "gui = sorted(m for m in sys.modules\n"
        "             if m.split('.')[0] in ('PySide6', 'shiboken6')\n"
        "             or m.startswith(('PyQt', 'voicemail_coach.app')))\n"
        "print('PIPELINE', pipeline.__name__)\n"
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
    assert result.stdout.splitlines() == ["PIPELINE voicemail_coach.analysis.pipeline", "GUI []"]
