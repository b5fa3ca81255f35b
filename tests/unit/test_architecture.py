"""The layout rules of docs/architecture.md, checked on the source so that they cannot drift.

- no module in ``plugin/`` is over 500 lines;
- no import cycle between the plugin's modules (imports inside functions count too);
- ``plugin/core`` imports neither QGIS nor Qt;
- the GUI tabs never import the dock that assembles them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "plugin"
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    mods = {}
    for path in sorted(PLUGIN.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _imports(name: str) -> set[str]:
    """The plugin modules that module ``name`` imports (a package's ``__init__`` counts as the package)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    pkg = name.split(".") if _is_package(name) else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[: len(pkg) - (node.level - 1)]
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.startswith(("plugin.", "lnrs_toolkit.plugin")):
                target = node.module.removeprefix("lnrs_toolkit.").split(".")
            else:
                continue
            dotted = ".".join(target)
            for alias in node.names:
                sub = f"{dotted}.{alias.name}"
                found.add(sub if sub in MODULES else dotted)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                dotted = alias.name.removeprefix("lnrs_toolkit.")
                if dotted in MODULES:
                    found.add(dotted)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name) for name in MODULES}


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return out


def test_no_module_over_500_lines():
    long = {str(p.relative_to(ROOT)): n for p in MODULES.values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_no_import_cycle():
    assert _cycles() == []


def test_the_cycle_finder_finds_a_cycle(monkeypatch):
    monkeypatch.setitem(GRAPH, "plugin.core.errors", {"plugin.core.pack.gpkg"})
    assert any("plugin.core.errors" in c for c in _cycles())


@pytest.mark.parametrize("name", sorted(m for m in MODULES if m.startswith("plugin.core")))
def test_core_imports_neither_qgis_nor_qt(name):
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        mods = [a.name for a in node.names] if isinstance(node, ast.Import) else (
            [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
        for mod in mods:
            assert not mod.startswith(("qgis", "PyQt", "processing", "osgeo")), f"{name} imports {mod}"
        if isinstance(node, ast.ImportFrom) and node.level:
            pkg = name.split(".") if _is_package(name) else name.split(".")[:-1]
            base = pkg[: len(pkg) - (node.level - 1)]
            assert base[:2] == ["plugin", "core"], f"{name} imports from outside the core ({'.'.join(base)})"


def test_no_gui_module_imports_the_dock():
    dock = "plugin.gui.dock"
    importers = sorted(m for m, deps in GRAPH.items() if dock in deps and m != "plugin.lnrs_plugin")
    assert importers == []
