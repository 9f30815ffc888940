"""Hybrid retrieval on the real store and the real model: fusion, filters, consistency."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from vectorstore import (
    ChromaStore,
    Chunk,
    DocumentRecord,
    HybridRetriever,
    LexicalIndex,
    RetrievalConfig,
)
from vectorstore.encoders import DEFAULT_MODEL

MODEL = DEFAULT_MODEL


def _write(store: ChromaStore, doc_id: str, texts: list[str], kind: str = "bilan", session: int = 1) -> None:
    chunks = [
        Chunk(text=text, doc_id=doc_id, source=f"{doc_id}.pdf", kind=kind, session=session, position=i)
        for i, text in enumerate(texts)
    ]
    record = DocumentRecord(doc_id, f"{doc_id}.pdf", f"/x/{doc_id}.pdf", "sha", kind, 1)
    store.write_document(record, chunks)


@pytest.fixture
def filled(store: ChromaStore) -> ChromaStore:
    _write(store, "bilan", ["Le budget des journées a été tenu.", "Les élus ont suivi une formation."])
    _write(store, "notes2", ["Atelier sur la mobilité douce en milieu rural."], kind="notes", session=2)
    _write(store, "notes3", ["La coopération entre communes est un levier."], kind="notes", session=3)
    return store


def _retriever(store: ChromaStore, tmp_path: Path, **config: object) -> HybridRetriever:
    return HybridRetriever(store, tmp_path / "lexical", RetrievalConfig(**config))  # type: ignore[arg-type]


def test_hybrid_finds_an_exact_code_that_only_bm25_knows(filled: ChromaStore, tmp_path: Path) -> None:
    _write(filled, "annexe", ["Référence du marché : QX-7731-B, signée en mars."])
    hits = _retriever(filled, tmp_path).search("dossier QX-7731-B", 3)
    assert hits[0].chunk.source == "annexe.pdf"


def test_each_mode_answers(filled: ChromaStore, tmp_path: Path) -> None:
    for mode in ("hybrid", "dense", "lexical"):
        hits = _retriever(filled, tmp_path, mode=mode).search("coopération entre communes", 2)
        assert hits[0].chunk.text == "La coopération entre communes est un levier.", mode


def test_filters_apply_to_both_sides(filled: ChromaStore, tmp_path: Path) -> None:
    retriever = _retriever(filled, tmp_path)
    hits = retriever.search("levier coopération budget élus", 10, {"kind": "notes", "session": 3})
    assert [hit.chunk.source for hit in hits] == ["notes3.pdf"]
    assert retriever.search("budget", 10, {"source": "absent.pdf"}) == []


def test_a_changed_document_leaves_no_old_chunk_in_either_index(filled: ChromaStore, tmp_path: Path) -> None:
    retriever = _retriever(filled, tmp_path)
    assert retriever.search("budget journées tenu", 1)[0].chunk.doc_id == "bilan"
    _write(filled, "bilan", ["Le calendrier a changé en cours de route."])
    for mode in ("lexical", "dense", "hybrid"):
        texts = [hit.chunk.text for hit in _retriever(filled, tmp_path, mode=mode).search("budget", 10)]
        assert "Le budget des journées a été tenu." not in texts, mode
    assert "Le budget des journées a été tenu." not in [h.chunk.text for h in retriever.search("budget", 10)]


def test_a_deleted_document_is_gone_from_both_indexes(filled: ChromaStore, tmp_path: Path) -> None:
    retriever = _retriever(filled, tmp_path)
    assert retriever.search("mobilité douce", 1)[0].chunk.doc_id == "notes2"
    filled.delete_document("notes2")
    assert all(hit.chunk.doc_id != "notes2" for hit in retriever.search("mobilité douce rural", 10))


def test_another_process_writing_is_seen(filled: ChromaStore, tmp_path: Path) -> None:
    retriever = _retriever(filled, tmp_path, mode="lexical")
    assert retriever.search("vélo", 5) == []
    # a second client on the same folder or server
    other = ChromaStore(filled.path, filled.embeddings, MODEL, url=filled.url, namespace=filled.namespace)
    _write(other, "notes4", ["Un atelier vélo a clos la journée."], kind="notes", session=4)
    assert retriever.search("vélo", 5)[0].chunk.doc_id == "notes4"


def test_the_saved_lexical_index_is_reused(
    filled: ChromaStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _retriever(filled, tmp_path, mode="lexical").search("budget", 1)

    def no_rebuild(*args: object, **kwargs: object) -> LexicalIndex:
        raise AssertionError("the saved index should have been loaded")

    monkeypatch.setattr(LexicalIndex, "build", no_rebuild)
    assert _retriever(filled, tmp_path, mode="lexical").search("budget", 1)[0].chunk.doc_id == "bilan"


def test_a_reset_store_has_an_empty_lexical_index(filled: ChromaStore, tmp_path: Path) -> None:
    retriever = _retriever(filled, tmp_path)
    assert retriever.search("budget", 1)
    filled.reset()
    assert retriever.search("budget", 5) == []


def test_near_duplicates_are_dropped_from_results(store: ChromaStore, tmp_path: Path) -> None:
    text = "Les territoires attendaient des méthodes concrètes pour conduire le changement."
    _write(store, "bilan", [text])
    _write(store, "notes1", [text.replace(".", " !")], kind="notes")
    hits = _retriever(store, tmp_path).search("méthodes concrètes attendues", 5)
    assert len(hits) == 1


def test_the_sentence_ranking_finds_the_one_sentence_that_answers(store: ChromaStore, tmp_path: Path) -> None:
    """With all the weight on the sentence ranking, the passage whose one sentence answers
    an everyday question comes first, and filters still hold."""
    _write(
        store,
        "bilan",
        [
            "Le budget des journées a été tenu et les salles ont été prêtées par les communes. "
            "Les participants se sont dits satisfaits à 92 %. Les repas étaient servis sur place.",
            "Les élus ont suivi une formation sur la conduite du changement.",
        ],
    )
    _write(store, "notes2", ["Atelier sur la mobilité douce en milieu rural."], kind="notes", session=2)
    retriever = _retriever(store, tmp_path, lexical_weight=0.0, sentence_search_weight=1.0)
    assert "92 %" in retriever.search("Les gens étaient-ils contents ?", 1)[0].chunk.text
    scoped = retriever.search("Les gens étaient-ils contents ?", 3, {"session": 2})
    assert [hit.chunk.doc_id for hit in scoped] == ["notes2"]


def test_invalid_config_is_refused() -> None:
    with pytest.raises(ValueError, match="mode"):
        RetrievalConfig(mode="magique")
    with pytest.raises(ValueError, match="lexical_weight"):
        RetrievalConfig(lexical_weight=1.5)
    with pytest.raises(ValueError, match="sum to at most 1"):
        RetrievalConfig(lexical_weight=0.9, sentence_search_weight=0.2)


def test_reranker_reorders_candidates_offline(filled: ChromaStore, tmp_path: Path) -> None:
    """A cross-encoder loaded from a local folder (the bundled MiniLM, with an untrained head:
    the scores are arbitrary, so only the plumbing is checked) reranks the fused candidates."""
    from vectorstore import CrossEncoderReranker
    from vectorstore.encoders import resolve_model_location

    folder, _ = resolve_model_location("all-MiniLM-L6-v2")
    reranker = CrossEncoderReranker(folder)
    retriever = HybridRetriever(filled, tmp_path / "lexical", RetrievalConfig(), reranker)
    hits = retriever.search("coopération entre communes", 4)
    assert sorted(hit.chunk.doc_id for hit in hits) == ["bilan", "bilan", "notes2", "notes3"]
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_unknown_reranker_fails_fast_offline(filled: ChromaStore, tmp_path: Path) -> None:
    from vectorstore import CrossEncoderReranker, EmbeddingModelError

    retriever = HybridRetriever(
        filled, tmp_path / "lexical", RetrievalConfig(), CrossEncoderReranker("org/modele-absent-xyz")
    )
    with pytest.raises(EmbeddingModelError, match="reclassement"):
        retriever.search("budget", 2)


def test_embeddings_fixture_is_the_real_model(embeddings: Embeddings) -> None:
    assert len(embeddings.embed_query("bonjour")) == 384


def test_langchain_retriever_returns_documents_with_citation_metadata(
    filled: ChromaStore, tmp_path: Path
) -> None:
    from vectorstore.langchain_adapter import HybridLangChainRetriever

    adapter = HybridLangChainRetriever(retriever=_retriever(filled, tmp_path), k=2, filters={"kind": "notes"})
    documents = adapter.invoke("coopération entre communes")
    assert documents[0].page_content == "La coopération entre communes est un levier."
    assert documents[0].metadata["source"] == "notes3.pdf"
    assert documents[0].metadata["session"] == 3
    assert all(doc.metadata["kind"] == "notes" for doc in documents)
