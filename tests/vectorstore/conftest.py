"""Every store test runs twice: on an embedded Chroma store and on a real ``chroma run`` server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from tests.chroma_server import chroma_server
from vectorstore import ChromaStore
from vectorstore.encoders import DEFAULT_MODEL

MODEL = DEFAULT_MODEL


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with chroma_server(tmp_path_factory.mktemp("chroma-server") / "data") as url:
        yield url


@dataclass(frozen=True)
class Backend:
    """Where a test's store lives; ``open`` gives another client on the same store."""

    name: str
    url: str = ""
    namespace: str = ""

    def open(self, path: Path, embeddings: Embeddings, model: str = MODEL) -> ChromaStore:
        return ChromaStore(path, embeddings, model, url=self.url, namespace=self.namespace)


@pytest.fixture(params=["embarque", "serveur"])
def backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "embarque":
        return Backend("embarque")
    url = request.getfixturevalue("chroma_url")
    return Backend("serveur", url, f"t{uuid.uuid4().hex[:12]}-")  # a fresh store on the shared server


@pytest.fixture
def store(tmp_path: Path, embeddings: Embeddings, backend: Backend) -> ChromaStore:
    return backend.open(tmp_path / "store", embeddings)
