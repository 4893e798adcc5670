"""Storage behind its own API: outside ``gazette_tui/core/storage`` no module imports ``sqlite3``, holds an
SQL statement, or uses the store's raw connections (``reading``, ``writing``, ``connection``: kept for tests
and benchmarks only). Checked on the syntax tree of every module, so a function-local import counts too."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "gazette_tui"
STORAGE = PACKAGE / "core" / "storage"

# SQL as it is written in this code base: keywords in capitals, then what makes it a statement.
STATEMENT = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b"
    r"|\bINSERT\s+(?:OR\s+[A-Z]+\s+)?INTO\b"
    r"|\bUPDATE\s+\w+\s+(?:AS\s+\w+\s+)?SET\b"
    r"|\bDELETE\s+FROM\b"
    r"|\bCREATE\s+(?:VIRTUAL\s+|TEMP\s+|TEMPORARY\s+)?TABLE\b"
    r"|\bPRAGMA\s+\w+"
)
RAW_ACCESS = {"reading", "writing"}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if STORAGE not in p.parents)


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring nodes (prose, which may name a pragma or a table without running anything)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _text(node: ast.AST) -> str | None:
    """The text of a string constant, or of an f-string with each placeholder as ``?``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else "?"
            for part in node.values
        )
    return None


def _is_store(node: ast.expr) -> bool:
    """``store`` or ``….store``: what the package names a Store."""
    if isinstance(node, ast.Name):
        return node.id.endswith("store")
    return isinstance(node, ast.Attribute) and node.attr.endswith("store")


def violations(source: str, name: str) -> list[str]:
    tree = ast.parse(source, name)
    docstrings = _docstrings(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        where = f"{name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            found += [f"{where}: import {a.name}" for a in node.names if a.name.split(".")[0] == "sqlite3"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlite3":
            found.append(f"{where}: from {node.module} import …")
        elif isinstance(node, ast.Attribute) and (
            node.attr in RAW_ACCESS or (node.attr == "connection" and _is_store(node.value))
        ):
            found.append(f"{where}: raw store access .{node.attr}")
        elif id(node) not in docstrings and (text := _text(node)) is not None and STATEMENT.search(text):
            found.append(f"{where}: SQL {text[:60]!r}")
    return found


def test_nothing_outside_storage_imports_sqlite3_or_writes_sql() -> None:
    found = [
        v for path in modules() for v in violations(path.read_text("utf-8"), str(path.relative_to(PACKAGE)))
    ]
    assert found == []


def test_the_walk_sees_every_module_but_storage() -> None:
    names = {str(p.relative_to(PACKAGE)) for p in modules()}
    assert {"core/search/search.py", "core/search/alerts.py", "core/library/dossiers.py"} <= names
    assert {"core/accounts/accounts.py", "core/accounts/fulltext.py"} <= names
    assert not any(name.startswith("core/storage/") for name in names)
    assert len(names) >= 60


@pytest.mark.parametrize(
    "source",
    [
        "import sqlite3",
        "import sqlite3.dbapi2 as db",
        "def f():\n    from sqlite3 import connect",
        "q = 'SELECT id FROM articles WHERE key = ?'",
        "q = ('SELECT id, title '\n     'FROM feeds')",
        "q = f'SELECT {columns} FROM {table}'",
        "q = 'INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'",
        "q = 'UPDATE articles AS a SET read = 1'",
        "q = 'DELETE FROM dossiers WHERE id = ?'",
        "q = 'CREATE VIRTUAL TABLE t USING fts5 (a)'",
        "c.execute('PRAGMA user_version')",
        "with store.reading() as c:\n    pass",
        "with self.store.writing() as c:\n    pass",
        "store.connection.execute(query)",
    ],
)
def test_each_kind_of_leak_is_caught(source: str) -> None:
    assert len(violations(source, "leak.py")) == 1


@pytest.mark.parametrize(
    "source",
    [
        '"""Kept in ``PRAGMA user_version``: SELECT … FROM in prose."""',
        "def f():\n    '''Each DELETE FROM cascades.'''",
        "message = 'Sélectionnez un flux dans la liste, puis mettez à jour.'",
        "self.connection = pipe",
        "store.has_articles()",
    ],
)
def test_prose_and_other_connections_are_not_leaks(source: str) -> None:
    assert violations(source, "fine.py") == []
