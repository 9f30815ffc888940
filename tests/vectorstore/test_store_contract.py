"""The contract every store must meet, run against a real embedded Chroma store and a real
``chroma run`` server (see conftest.py), with the real model."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from tests.vectorstore.conftest import Backend
from vectorstore import ChromaStore, Chunk, DocumentRecord, ModelMismatchError
from vectorstore.encoders import DEFAULT_MODEL

MODEL = DEFAULT_MODEL


class CountingEmbeddings(Embeddings):
    """The real model, counting the passages the store asks it to embed."""

    def __init__(self, real: Embeddings) -> None:
        self.real = real
        self.embedded: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded.extend(texts)
        return self.real.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.real.embed_query(text)


@pytest.fixture
def counting(embeddings: Embeddings) -> CountingEmbeddings:
    return CountingEmbeddings(embeddings)


@pytest.fixture
def store(tmp_path: Path, counting: CountingEmbeddings, backend: Backend) -> ChromaStore:
    return backend.open(tmp_path / "store", counting)


def record(doc_id: str = "doc-a", source: str = "a.md") -> DocumentRecord:
    return DocumentRecord(doc_id, source, f"/corpus/{source}", "sha-" + doc_id, "notes", 0)


def chunk(text: str, doc_id: str = "doc-a", source: str = "a.md", **extra: object) -> Chunk:
    return Chunk(text=text, doc_id=doc_id, source=source, kind="notes", **extra)  # type: ignore[arg-type]


PASSAGES = [
    "Le budget participatif de Sauvelière a été voté en juin.",
    "La journée 3 s'est tenue dans un tiers-lieu au bord du port.",
    "Le coût total du cycle s'élève à trente-huit mille euros.",
]


def test_written_chunks_are_found_by_meaning(store: ChromaStore) -> None:
    store.write_document(record(), [chunk(text, position=i) for i, text in enumerate(PASSAGES)])
    hits = store.search("Combien a coûté le cycle ?", k=3)
    assert hits[0].chunk.text == PASSAGES[2]
    assert hits[0].score > hits[-1].score
    assert {hit.chunk.source for hit in hits} == {"a.md"}


def test_manifest_lists_documents_with_their_chunk_ids(store: ChromaStore) -> None:
    stored = store.write_document(record(), [chunk(PASSAGES[0]), chunk(PASSAGES[1])])
    assert store.document("doc-a") == stored
    assert stored.chunks == 2 and stored.indexed_at
    assert [r.source for r in store.documents()] == ["a.md"]
    assert store.document("unknown") is None


def test_rewriting_a_document_replaces_its_chunks(store: ChromaStore) -> None:
    store.write_document(record(), [chunk(PASSAGES[0]), chunk(PASSAGES[1])])
    store.write_document(record(), [chunk(PASSAGES[1]), chunk(PASSAGES[2])])
    texts = {c.text for c in store.chunks_of("doc-a")}
    assert texts == {PASSAGES[1], PASSAGES[2]}
    assert store.count() == 2
    assert set(store.document("doc-a").chunk_ids) == {chunk(PASSAGES[1]).id, chunk(PASSAGES[2]).id}  # type: ignore[union-attr]


def test_a_passage_that_loses_its_day_and_territory_loses_them_in_the_store(store: ChromaStore) -> None:
    """Same text (same id) rewritten without a day or territory: Chroma merges updates, so
    the store must delete those keys rather than keep the old values."""
    store.write_document(record(), [chunk(PASSAGES[0], session=2, territory="Commune de Sauvelière")])
    store.write_document(record(), [chunk(PASSAGES[0], page_start=3, page_end=3)])
    (stored,) = store.chunks_of("doc-a")
    assert (stored.session, stored.territory, stored.page_start) == (None, None, 3)


def test_unchanged_chunks_are_not_embedded_again(store: ChromaStore, counting: CountingEmbeddings) -> None:
    store.write_document(record(), [chunk(PASSAGES[0]), chunk(PASSAGES[1])])
    counting.embedded.clear()
    store.write_document(record(), [chunk(PASSAGES[0]), chunk(PASSAGES[1]), chunk(PASSAGES[2])])
    assert counting.embedded == [PASSAGES[2]]  # as a passage and as its one sentence: one text, embedded once


def test_a_text_the_store_holds_is_not_embedded_again_for_another_document(
    store: ChromaStore, counting: CountingEmbeddings
) -> None:
    """A renamed or copied file has new chunk ids, but its texts' vectors are reused
    (keyed by the embedded text, within a store of one model)."""
    store.write_document(record(), [chunk(PASSAGES[0], position=0), chunk(PASSAGES[1], position=1)])
    counting.embedded.clear()
    copy = [chunk(PASSAGES[1], "doc-b", "b.md"), chunk(PASSAGES[2], "doc-b", "b.md", position=1)]
    store.write_document(record("doc-b", "b.md"), copy)
    assert counting.embedded == [PASSAGES[2]]  # as a passage and as its one sentence: one text, embedded once
    hits = store.search(PASSAGES[1], k=2)
    assert {hit.chunk.source for hit in hits} == {"a.md", "b.md"}
    assert {hit.chunk.text for hit in hits} == {PASSAGES[1]} and abs(hits[0].score - hits[1].score) < 1e-6


def test_duplicate_chunks_are_stored_once(store: ChromaStore) -> None:
    stored = store.write_document(record(), [chunk(PASSAGES[0]), chunk(PASSAGES[0])])
    assert stored.chunks == 1 and store.count() == 1


def test_deleting_a_document_removes_its_chunks_only(store: ChromaStore) -> None:
    store.write_document(record(), [chunk(PASSAGES[0])])
    store.write_document(record("doc-b", "b.md"), [chunk(PASSAGES[1], "doc-b", "b.md")])
    assert store.delete_document("doc-a") is True
    assert store.delete_document("doc-a") is False
    assert [r.doc_id for r in store.documents()] == ["doc-b"]
    assert [hit.chunk.doc_id for hit in store.search("budget", k=5)] == ["doc-b"]


def test_filters_restrict_results(store: ChromaStore) -> None:
    store.write_document(record(), [chunk(PASSAGES[0], session=2), chunk(PASSAGES[1], session=3)])
    hits = store.search("budget participatif", k=5, filters={"session": 3})
    assert [hit.chunk.text for hit in hits] == [PASSAGES[1]]
    both = store.search("budget", k=5, filters={"session": 3, "kind": "notes"})
    assert [hit.chunk.session for hit in both] == [3]
    assert store.search("budget", k=5, filters={"kind": "bilan"}) == []


def test_empty_store_returns_no_hits(store: ChromaStore) -> None:
    assert store.search("n'importe quoi", k=5) == []
    assert store.documents() == [] and store.count() == 0


def test_reset_empties_the_store(store: ChromaStore) -> None:
    store.write_document(record(), [chunk(PASSAGES[0])])
    store.reset()
    assert store.count() == 0 and store.documents() == []


def test_opening_with_another_model_is_refused(store: ChromaStore, tmp_path: Path, backend: Backend) -> None:
    store.write_document(record(), [chunk(PASSAGES[0])])
    other = backend.open(tmp_path / "store", store.embeddings, "all-MiniLM-L6-v2")
    with pytest.raises(ModelMismatchError) as error:
        other.search("budget")
    assert f"« {MODEL} »" in str(error.value) and "--rebuild" in str(error.value)


def test_store_survives_reopening(store: ChromaStore, tmp_path: Path, backend: Backend) -> None:
    store.write_document(record(), [chunk(PASSAGES[0])])
    reopened = backend.open(tmp_path / "store", store.embeddings)
    assert reopened.count() == 1
    assert reopened.search("budget", k=1)[0].chunk.text == PASSAGES[0]


def test_each_sentence_gets_its_vector_at_indexing(store: ChromaStore) -> None:
    """Answers choose sentences by meaning without embedding them at question time."""
    import numpy as np

    from vectorstore.sentence_vectors import sentence_matrix

    text = f"{PASSAGES[0]} {PASSAGES[2]}"
    store.write_document(record(), [chunk(text)])
    (hit,) = store.search("Combien a coûté le cycle ?", k=1)
    matrix = sentence_matrix(hit.chunk)
    assert matrix is not None and matrix.shape == (2, 384)
    expected = np.asarray(store.embeddings.embed_documents([PASSAGES[0], PASSAGES[2]]))
    assert np.abs(matrix - expected).max() < 2e-3  # half precision
    assert sentence_matrix(store.all_chunks()[0]) is not None
