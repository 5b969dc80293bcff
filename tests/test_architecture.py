"""The layout is the architecture: these tests keep the layers honest.

Data flows down: ``cli`` -> ``pipeline`` -> ``qa``, ``glossary``, ``engines``, ``reports``
-> ``io`` (read/write) -> ``formats`` -> the core data model (``errors``, ``track``,
``issues``, ``markup``, ``textwidth``). Nothing imports upwards, nothing below ``cli``
imports click, no format imports another format, and there are no import cycles.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "subloc"
CORE = {"errors", "track", "issues", "markup", "textwidth", "languages"}
LOW_IO = {"subloc.io.xmlsafe", "subloc.io.encoding", "subloc.io.atomic", "subloc.io.inputs",
          "subloc.io"}

#: layer -> the layers it may import (besides itself and the core).
ALLOWED = {
    "core": set(),
    "formats": {"io-low"},
    "io-low": set(),
    "io": {"io-low", "formats"},
    "glossary": {"io-low", "io"},
    "engines": {"io-low", "io"},
    "qa": {"io-low", "io", "formats"},
    "reports": {"io-low", "io", "formats", "qa"},
    "pipeline": {"io-low", "io", "formats", "glossary", "engines", "qa", "reports"},
    "cli": {"io-low", "io", "formats", "glossary", "engines", "qa", "reports", "pipeline"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "__main__":
        return "api"
    if parts[1] in CORE:
        return "core"
    if parts[1] == "io":
        return "io-low" if module in LOW_IO else "io"
    return parts[1]


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(path: Path) -> dict[str, bool]:
    """Modules imported by ``path`` -> whether the import is at module level."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, bool] = {}
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                continue
            inner = top and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found[alias.name] = found.get(alias.name, False) or top
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                for alias in child.names:
                    full = f"{child.module}.{alias.name}"
                    name = full if full in modules else child.module
                    found[name] = found.get(name, False) or top
            visit(child, inner)

    visit(tree, True)
    return found


GRAPH = {module_name(p): imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_layers_only_import_downwards() -> None:
    wrong = []
    for module, targets in GRAPH.items():
        source = layer(module)
        if source == "api":
            continue
        for target in targets:
            if not target.startswith("subloc.") and target != "subloc":
                continue
            if target == "subloc":
                continue  # `from subloc import __version__`
            other = layer(target)
            if other not in (source, "core") and other not in ALLOWED[source]:
                wrong.append(f"{module} ({source}) imports {target} ({other})")
    assert wrong == []


def test_nothing_below_the_cli_imports_click() -> None:
    offenders = [m for m, targets in GRAPH.items()
                 if layer(m) != "cli" and any(t == "click" or t.startswith("click.")
                                              for t in targets)]
    assert offenders == []


def test_no_format_imports_another_format() -> None:
    shared = {"subloc.formats", "subloc.formats.base"}
    wrong = []
    for module, targets in GRAPH.items():
        if not module.startswith("subloc.formats.") or module.split(".")[-1].startswith("_"):
            continue
        for target in targets:
            if (target.startswith("subloc.formats.") and target not in shared
                    and not target.split(".")[-1].startswith("_")):
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_no_import_cycles() -> None:
    edges = {m: {t for t in targets if t in GRAPH and t != "subloc"}
             for m, targets in GRAPH.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def connect(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in edges[node]:
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    assert cycles == []


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_every_module_says_what_it_is_for(module: str) -> None:
    path = PACKAGE.parent / (module.replace(".", "/") + ".py")
    if not path.is_file():
        path = PACKAGE.parent / module.replace(".", "/") / "__init__.py"
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring, f"{module} has no docstring"
