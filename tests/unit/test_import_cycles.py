"""No import cycle anywhere in the package, function-local and ``TYPE_CHECKING`` imports included.

Every ``import`` and ``from … import`` node of every module counts, wherever it sits (module level, inside a
function, under ``if TYPE_CHECKING:``): a cycle hidden behind a local import is still two modules that
cannot be understood, tested or moved one without the other. ``from pkg import name`` points at the
submodule ``pkg.name`` when there is one, else at ``pkg`` itself. Importing a module also runs its parent
packages' ``__init__``, but that is not counted as an edge: it is Python's mechanics, not a dependency the
code chose.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import gazette_tui

PACKAGE = "gazette_tui"
ROOT = Path(gazette_tui.__file__).resolve().parent

Graph = dict[str, set[str]]


def module_files() -> dict[str, Path]:
    """Dotted name → file, for every module and package of gazette_tui."""
    found: dict[str, Path] = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = [PACKAGE, *path.relative_to(ROOT).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_package(name: str, files: dict[str, Path]) -> bool:
    return name in files and files[name].name == "__init__.py"


def _targets(node: ast.Import | ast.ImportFrom, module: str, files: dict[str, Path]) -> Iterator[str]:
    """The package modules one import node brings in."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name in files:
                yield alias.name
        return
    if node.level:  # relative: from the module's own package, one level up per extra dot
        package = module if _is_package(module, files) else module.rpartition(".")[0]
        for _level in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module or ""
    if base != PACKAGE and not base.startswith(PACKAGE + "."):
        return
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        if submodule in files:
            yield submodule
        elif base in files:
            yield base


def import_graph() -> Graph:
    files = module_files()
    graph: Graph = {name: set() for name in files}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                graph[name].update(target for target in _targets(node, name, files) if target != name)
    return graph


def strongly_connected(graph: Graph) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that import each other, largest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return sorted(groups, key=len, reverse=True)


def one_cycle(graph: Graph, group: list[str]) -> list[str]:
    """A shortest way round the group from its first module back to it, for the failure message."""
    members = set(group)
    start = group[0]
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for child in sorted(graph[node] & members):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    return group  # unreachable for a strongly connected group


def describe(graph: Graph, groups: list[list[str]]) -> str:
    lines = []
    for group in groups:
        lines.append(f"{len(group)} modules import each other: {', '.join(group)}")
        lines.append("  e.g. " + " → ".join(one_cycle(graph, group)))
    return "\n".join(lines)


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    cycles = strongly_connected(graph)
    assert not cycles, "import cycles:\n" + describe(graph, cycles)


def test_the_graph_sees_every_kind_of_import() -> None:
    """The parser itself: module-level, function-local, TYPE_CHECKING, relative and ``from pkg import
    module`` imports all become edges (checked on a graph made for the purpose)."""
    files = {
        "gazette_tui": ROOT / "__init__.py",
        "gazette_tui.a": ROOT / "a.py",
        "gazette_tui.pkg": ROOT / "pkg" / "__init__.py",
        "gazette_tui.pkg.b": ROOT / "pkg" / "b.py",
        "gazette_tui.pkg.c": ROOT / "pkg" / "c.py",
    }
    source = """
from typing import TYPE_CHECKING
import os
from gazette_tui.pkg import b
if TYPE_CHECKING:
    from gazette_tui import a
def later():
    from . import c
    from .c import something
    import gazette_tui.pkg
"""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.update(_targets(node, "gazette_tui.pkg.b", files))
    assert found == {"gazette_tui.pkg.b", "gazette_tui.a", "gazette_tui.pkg.c", "gazette_tui.pkg"}
    graph = {"x": {"y"}, "y": {"z"}, "z": {"x"}, "w": {"x"}}
    assert strongly_connected(graph) == [["x", "y", "z"]]
    assert one_cycle(graph, ["x", "y", "z"]) == ["x", "y", "z", "x"]
