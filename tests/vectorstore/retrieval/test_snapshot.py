"""A snapshot is one revision of the store: its passages, manifest and term statistics,
and a search kept to it even after a writer has moved the store on."""

from __future__ import annotations

from pathlib import Path

from vectorstore import ChromaStore, Chunk, DocumentRecord, HybridRetriever
from vectorstore.retrieval.snapshot import Snapshot


def _write(store: ChromaStore, doc_id: str, texts: list[str], kind: str = "bilan", session: int = 1) -> None:
    chunks = [
        Chunk(text=text, doc_id=doc_id, source=f"{doc_id}.pdf", kind=kind, session=session, position=i)
        for i, text in enumerate(texts)
    ]
    store.write_document(DocumentRecord(doc_id, f"{doc_id}.pdf", f"/x/{doc_id}.pdf", "sha", kind, 1), chunks)


def test_a_snapshot_holds_one_revision(store: ChromaStore, tmp_path: Path) -> None:
    _write(store, "bilan", ["Le budget des journées a été tenu.", "Les élus ont suivi une formation."])
    _write(store, "notes2", ["Atelier sur la mobilité douce en milieu rural."], kind="notes", session=2)
    snapshot = HybridRetriever(store, tmp_path / "lexical").snapshot()
    assert isinstance(snapshot, Snapshot) and snapshot.revision == store.revision()
    assert [c.text for c in snapshot.chunks] == [
        "Le budget des journées a été tenu.",
        "Les élus ont suivi une formation.",
        "Atelier sur la mobilité douce en milieu rural.",
    ]
    assert [r.source for r in snapshot.documents] == ["bilan.pdf", "notes2.pdf"]
    assert snapshot.document("notes2.pdf").kind == "notes"  # type: ignore[union-attr]
    assert snapshot.document("absent.pdf") is None
    assert snapshot.has({"session": 2}) and snapshot.has({"kind": "notes", "session": 2})
    assert not snapshot.has({"session": 3}) and not snapshot.has({"kind": "bilan", "session": 2})
    assert snapshot.document_frequency("budget") == 1 and snapshot.document_frequency("vélo") == 0
    assert snapshot.idf("vélo") > snapshot.idf("budget") > 0


def test_a_search_keeps_to_its_snapshot_after_a_write(store: ChromaStore, tmp_path: Path) -> None:
    _write(store, "bilan", ["Le budget des journées a été tenu."])
    retriever = HybridRetriever(store, tmp_path / "lexical")
    before = retriever.snapshot()
    _write(store, "bilan", ["Le budget des journées a été dépassé de dix pour cent."])
    kept = retriever.search("budget des journées", 5, snapshot=before)
    assert [hit.chunk.text for hit in kept] == ["Le budget des journées a été tenu."]
    fresh = retriever.search("budget des journées", 5)
    assert [hit.chunk.text for hit in fresh] == ["Le budget des journées a été dépassé de dix pour cent."]
    assert retriever.snapshot().revision != before.revision
