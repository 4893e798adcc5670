"""The shape of the UI code, checked on its source: classes small enough to read (the project's own base
classes counted in), no base class of stubs for subclasses to fill, no event handler written at two levels
of one class hierarchy, screens that never import the app, dialog flows that await their dialogs, and the
list queries outside the widgets."""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Iterator
from pathlib import Path

import gazette_tui.ui

PACKAGE = "gazette_tui"
UI = Path(gazette_tui.ui.__file__).resolve().parent
MAX_CLASS_LINES = 300
"""Lines of a class body, plus those of every base class of gazette_tui's along its MRO."""


def ui_modules() -> dict[str, ast.Module]:
    """Dotted name → parsed source of every module of ``gazette_tui.ui``."""
    found = {}
    for path in sorted(UI.rglob("*.py")):
        parts = ["gazette_tui", "ui", *path.relative_to(UI).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return found


def class_nodes(tree: ast.Module) -> Iterator[tuple[str, ast.ClassDef]]:
    """(qualified name, node) of every class of a module, nested ones included."""

    def walk(node: ast.AST, prefix: str) -> Iterator[tuple[str, ast.ClassDef]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                name = f"{prefix}{child.name}"
                yield name, child
                yield from walk(child, f"{name}.")
            elif not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                yield from walk(child, prefix)

    yield from walk(tree, "")


def class_lines() -> dict[tuple[str, str], int]:
    """(module, qualified name) → lines of the class, for every class of gazette_tui (bases live anywhere
    in the package)."""
    root = UI.parent
    lines = {}
    for path in sorted(root.rglob("*.py")):
        parts = ["gazette_tui", *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, node in class_nodes(tree):
            assert node.end_lineno is not None
            lines[(".".join(parts), name)] = node.end_lineno - node.lineno + 1
    return lines


def ui_classes() -> Iterator[type]:
    """Every class defined in gazette_tui.ui (top-level and nested), imported."""
    for module_name, tree in ui_modules().items():
        module = importlib.import_module(module_name)
        for name, _node in class_nodes(tree):
            value: object = module
            for part in name.split("."):
                value = getattr(value, part)
            assert isinstance(value, type), name
            yield value


def own_mro(cls: type) -> list[type]:
    """The classes of gazette_tui along ``cls``'s MRO, itself first."""
    return [base for base in cls.__mro__ if base.__module__.startswith(PACKAGE + ".")]


def test_no_ui_class_is_over_300_lines_with_its_own_bases() -> None:
    lines = class_lines()
    sizes = {
        f"{cls.__module__}.{cls.__qualname__}": sum(
            lines[(base.__module__, base.__qualname__)] for base in own_mro(cls)
        )
        for cls in ui_classes()
    }
    assert len(sizes) > 40  # guards the scan itself
    too_big = {name: size for name, size in sizes.items() if size > MAX_CLASS_LINES}
    assert too_big == {}, sorted(sizes.items(), key=lambda item: -item[1])[:8]


def test_no_ui_class_raises_not_implemented() -> None:
    """No base class of stubs that subclasses must fill: the parts are composed, not inherited."""
    stubs = []
    for module_name, tree in ui_modules().items():
        for name, node in class_nodes(tree):
            for raised in ast.walk(node):
                if isinstance(raised, ast.Raise) and raised.exc is not None:
                    exc = raised.exc.func if isinstance(raised.exc, ast.Call) else raised.exc
                    if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                        stubs.append(f"{module_name}.{name}:{raised.lineno}")
    assert stubs == []


def test_no_handler_is_defined_at_two_levels_of_a_hierarchy() -> None:
    """Textual runs every ``on_…`` of the MRO: a handler written on a class and on its base runs twice,
    and the subclass's reader does not see the other one."""
    twice = {}
    for cls in ui_classes():
        seen: dict[str, list[str]] = {}
        for base in own_mro(cls):
            for name in vars(base):
                if name.startswith(("on_", "_on_")) and callable(vars(base)[name]):
                    seen.setdefault(name, []).append(base.__qualname__)
        twice.update({f"{cls.__qualname__}.{name}": where for name, where in seen.items() if len(where) > 1})
    assert twice == {}


def _imports(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_only_the_app_module_and_the_cli_know_the_app() -> None:
    """Screens, dialogs and controllers see the app as ``ui.host.Host`` (or through messages)."""
    importers = [
        name
        for name, tree in ui_modules().items()
        if name != "gazette_tui.ui.app" and "gazette_tui.ui.app" in set(_imports(tree))
    ]
    assert importers == []


def test_the_list_queries_live_outside_textual() -> None:
    """``ui/lists.py`` reads what a tree line lists: plain Python a thread worker calls, no widget."""
    tree = ui_modules()["gazette_tui.ui.lists"]
    assert not [name for name in _imports(tree) if name.split(".")[0] in ("textual", "rich")]
    assert "article_ids" not in {
        node.name
        for node in ast.walk(ui_modules()["gazette_tui.ui.widgets.feed_tree"])
        if isinstance(node, ast.FunctionDef)
    }


def test_controllers_await_their_dialogs() -> None:
    """Dialog flows are ``@work`` coroutines that ``await push_screen_wait(…)``: no chain of callbacks, each
    handing the next dialog its result."""
    callbacks = []
    waits = 0
    for name, tree in ui_modules().items():
        if not name.startswith("gazette_tui.ui.controllers."):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr == "push_screen" and (len(node.args) > 1 or node.keywords):
                    callbacks.append(f"{name}:{node.lineno}")
                waits += node.func.attr == "push_screen_wait"
    assert callbacks == []
    assert waits >= 10


def test_classes_are_measured_with_their_bases() -> None:
    """The measure itself: a controller counts its base class's lines too."""
    from gazette_tui.ui.controllers.base import Controller
    from gazette_tui.ui.controllers.dossiers import DossierActions

    lines = class_lines()
    assert own_mro(DossierActions) == [DossierActions, Controller]
    own = lines[("gazette_tui.ui.controllers.dossiers", "DossierActions")]
    base = lines[("gazette_tui.ui.controllers.base", "Controller")]
    assert own > 100
    assert base > 3
    assert inspect.getsourcelines(DossierActions)[0].__len__() == own
