"""The layering rules of the package, checked on its source (no import is executed).

- ``api``, ``ordering`` and ``store`` import no Qt at all;
- ``services`` imports no QtWidgets (QtCore signals are fine) and no ``ui``;
- nothing outside ``ui`` imports ``ui``, except ``app`` (the composition root);
- no import cycle between the package's modules.

Every import counts, including those inside functions, except those under
``if TYPE_CHECKING:`` (they never run). ``from a.b import c`` is an import of ``a.b.c`` when
that is a module of the package, else of ``a.b``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

QT = ("PySide6", "shiboken6", "qasync")
QT_FREE_LAYERS = ("api", "ordering", "store")
WIDGET_FREE_LAYERS = ("services",)
WIDGET_MODULES = ("PySide6.QtWidgets",)
UI = "ui"
UI_IMPORTERS = ("app",)


@dataclass(frozen=True)
class Violation:
    rule: str
    module: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.module} -> {self.detail}"


def modules_of(root: Path) -> dict[str, Path]:
    """Module name -> file, for the package in directory ``root``."""
    package = root.name
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join([package, *parts])] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, skipping the bodies of ``if TYPE_CHECKING:``."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The dotted names module ``name`` imports at run time."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                full = f"{target}.{alias.name}"
                found.add(full if full in known else target)
    return found


def _layer(module: str, package: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == package else ""


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def check(root: Path) -> list[Violation]:
    """All violations of the rules in the package at ``root``."""
    package = root.name
    modules = modules_of(root)
    known = set(modules)
    graph: dict[str, set[str]] = {}
    problems: list[Violation] = []
    for module, path in modules.items():
        imported = imports_of(module, path, known)
        layer = _layer(module, package)
        for target in sorted(imported):
            if layer in QT_FREE_LAYERS and _within(target, QT):
                problems.append(Violation("Qt-free layer imports Qt", module, target))
            if layer in WIDGET_FREE_LAYERS and _within(target, WIDGET_MODULES):
                problems.append(Violation("services import QtWidgets", module, target))
            if _layer(target, package) == UI and layer != UI and layer not in UI_IMPORTERS:
                problems.append(Violation("ui imported from outside ui", module, target))
        graph[module] = {t for t in imported if t in known and t != module}
    problems.extend(Violation("import cycle", c[0], " -> ".join(c[1:])) for c in cycles(graph))
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a closed path) per strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_closed_path(group, graph) for group in groups]


def _closed_path(group: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A readable cycle through the group's first module: a -> b -> ... -> a."""
    start, members = group[0], set(group)
    previous: dict[str, str | None] = {start: None}
    frontier = [start]
    while frontier:
        node = frontier.pop(0)
        for nxt in sorted(graph[node] & members):
            if nxt == start:
                path = [node]
                while (before := previous[path[-1]]) is not None:
                    path.append(before)
                return [*reversed(path), start]
            if nxt not in previous:
                previous[nxt] = node
                frontier.append(nxt)
    return [*group, start]
