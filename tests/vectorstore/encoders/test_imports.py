"""The encoders package imports one way: no module imports a sibling that imports it back,
not even lazily inside a function (a lazy import hides a circle, it does not remove it)."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter

from tests.conftest import ROOT

PACKAGE = ROOT / "vectorstore" / "encoders"
PREFIX = "vectorstore.encoders."


def sibling_imports() -> dict[str, set[str]]:
    """For each module of the package, the siblings it imports anywhere in its code."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        if path.stem == "__init__":
            continue
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                raise AssertionError(f"{path.name}: relative import")
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found |= {name.removeprefix(PREFIX).split(".")[0] for name in names if name.startswith(PREFIX)}
        graph[path.stem] = found
    return graph


def test_the_encoders_import_one_way() -> None:
    graph = sibling_imports()
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as error:  # pragma: no cover - the message is the point
        raise AssertionError(f"import circle in vectorstore/encoders: {error.args[1]}") from error
    assert set(order) == set(graph)
    assert graph["prefixes"] == set() and graph["loading"] == set()
    assert graph["engine_input"] == set()
    assert graph["local"] == {"engine_input", "loading", "prefixes"} and graph["reranker"] == {"loading"}
    assert graph["encoder"] == {"cache", "engine_input"}  # the caches and the turns, over any model
    assert graph["factory"] == {"cache", "encoder", "local", "remote"}
