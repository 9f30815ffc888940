"""Shared fixtures: the real offline model, a real Chroma store, the CLI as a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from vectorstore import ChromaStore, SentenceTransformerEmbeddings

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample"
MODEL = "all-MiniLM-L6-v2"


@pytest.fixture(scope="session")
def embeddings() -> SentenceTransformerEmbeddings:
    """The real bundled model, loaded once for the whole run."""
    return SentenceTransformerEmbeddings(MODEL)


@pytest.fixture
def store(tmp_path: Path, embeddings: SentenceTransformerEmbeddings) -> ChromaStore:
    return ChromaStore(tmp_path / "store", embeddings, MODEL)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the sample corpus that a test may edit."""
    target = tmp_path / "corpus"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def free_port() -> int:
    """A loopback port nobody listens on (yet)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


CliRunner = Callable[..., subprocess.CompletedProcess[str]]


def run_cli(*args: str, store: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m assistant ARGS`` in a subprocess with its own store."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    full_env |= {"ASSISTANT_STORE": str(store), "PYTHONPATH": str(ROOT)} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=store.parent,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the whole sample corpus, indexed once through the CLI."""
    store = tmp_path_factory.mktemp("sample") / "store"
    result = run_cli("ingest", str(SAMPLE), "--json", store=store)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["indexed"] == 5
    return store
