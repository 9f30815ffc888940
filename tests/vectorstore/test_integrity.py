"""Crash safety on the real store (embedded and server): what readers see, reconciliation,
compaction, reachability and the single-writer lock."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from ingest import IngestOptions, ingest_paths
from tests.conftest import ROOT
from tests.vectorstore.conftest import Backend
from vectorstore import ChromaStore, Chunk, DocumentRecord, HybridRetriever
from vectorstore.integrity import check, reconcile
from vectorstore.store import CHUNKS, COMPACTED
from vectorstore.writer_lock import StoreBusyError, WriterLock


def _chunk(text: str, doc_id: str = "doc-a", position: int = 0) -> Chunk:
    return Chunk(text=text, doc_id=doc_id, source=f"{doc_id}.md", kind="notes", position=position)


def _record(doc_id: str = "doc-a", sha: str = "v1") -> DocumentRecord:
    return DocumentRecord(doc_id, f"{doc_id}.md", f"/corpus/{doc_id}.md", sha, "notes", 0)


def _raw_add(store: ChromaStore, chunks: list[Chunk]) -> None:
    """Chunks written as a crashed writer leaves them: in the collection, in no manifest entry."""
    vectors = store.embeddings.embed_documents([c.indexed_text for c in chunks])
    store.client().get_collection(store.name(CHUNKS)).add(
        ids=[c.id for c in chunks],
        embeddings=vectors,
        documents=[c.text for c in chunks],
        metadatas=[c.to_metadata() for c in chunks],
    )


def _lexical_ids(store: ChromaStore, tmp_path: Path) -> set[str]:
    return {c.id for c in HybridRetriever(store, tmp_path / "lexical").snapshot().chunks}


KEPT = "Le budget participatif de Sauvelière a été voté en juin."
ORPHAN = "Une version à moitié écrite parle du budget du port de Kerbrat."


def test_chunks_of_an_interrupted_write_are_never_seen_and_reconcile_removes_them(
    store: ChromaStore, tmp_path: Path
) -> None:
    store.write_document(_record(), [_chunk(KEPT)])
    _raw_add(store, [_chunk(ORPHAN, position=1)])
    assert [hit.chunk.text for hit in store.search("budget du port de Kerbrat", k=5)] == [KEPT]
    assert store.count() == 1 and [c.text for c in store.all_chunks()] == [KEPT]
    result = reconcile(store)
    assert result.orphans_removed == 1
    assert result.lines() == ["1 passage(s) d'une écriture interrompue supprimé(s)"]
    assert store.stored_ids() == {_chunk(KEPT).id}
    assert not reconcile(store).changed  # a second pass finds nothing to do


def test_a_document_whose_chunks_went_missing_is_dropped_for_reindexing(store: ChromaStore) -> None:
    store.write_document(_record(), [_chunk(KEPT), _chunk(ORPHAN, position=1)])
    store.write_document(_record("doc-b"), [_chunk("Autre document.", "doc-b")])
    store.client().get_collection(store.name(CHUNKS)).delete(ids=[_chunk(ORPHAN, position=1).id])
    result = reconcile(store)
    assert result.documents_dropped == ("doc-a.md",) and result.orphans_removed == 1
    assert [r.doc_id for r in store.documents()] == ["doc-b"]
    assert store.stored_ids() == store.live_ids() == {_chunk("Autre document.", "doc-b").id}


def test_a_stale_revision_is_recomputed(store: ChromaStore) -> None:
    store.write_document(_record(), [_chunk(KEPT)])
    expected = store.revision()
    store.client().get_collection(store.name("state")).upsert(
        ids=["revision"], embeddings=[[1.0]], documents=["perimee"]
    )
    assert reconcile(store).revision_fixed
    assert store.revision() == expected


def test_compaction_keeps_every_live_chunk_and_drops_orphans(store: ChromaStore, tmp_path: Path) -> None:
    texts = [f"Passage numéro {n} sur le thème {theme}." for n, theme in enumerate(["vélo", "eau", "forêt"])]
    store.write_document(_record(), [_chunk(text, position=n) for n, text in enumerate(texts)])
    _raw_add(store, [_chunk(ORPHAN, position=9)])
    assert store.compact() == 3
    assert store.stored_ids() == store.live_ids()
    assert store.search("forêt", k=1)[0].chunk.text == texts[2]
    assert check(store, _lexical_ids(store, tmp_path)).ok


def test_a_reader_keeps_answering_after_another_client_compacts(
    store: ChromaStore, backend: Backend, embeddings: Embeddings, tmp_path: Path
) -> None:
    """Readers keep their collection handles between searches; a compaction by another
    client replaces the chunk collection under them, and they must reopen it."""
    texts = [f"Passage numéro {n} sur le thème {theme}." for n, theme in enumerate(["vélo", "eau", "forêt"])]
    store.write_document(_record(), [_chunk(text, position=n) for n, text in enumerate(texts)])
    reader = backend.open(tmp_path / "store", embeddings)
    assert reader.search("forêt", k=1)[0].chunk.text == texts[2]
    assert store.compact() == 3
    assert reader.search("forêt", k=1)[0].chunk.text == texts[2]
    assert [c.text for c in reader.all_chunks()] == texts


def test_an_incomplete_compaction_copy_is_dropped(store: ChromaStore) -> None:
    store.write_document(_record(), [_chunk(KEPT)])
    store.client().create_collection(store.name(COMPACTED), embedding_function=None)  # crash mid-copy
    assert reconcile(store).compaction == "dropped"
    assert store.search("budget participatif", k=1)[0].chunk.text == KEPT


@pytest.mark.parametrize("old_collection_deleted", [False, True])
def test_a_compaction_interrupted_after_its_copy_is_finished(
    store: ChromaStore, monkeypatch: pytest.MonkeyPatch, old_collection_deleted: bool
) -> None:
    store.write_document(_record(), [_chunk(KEPT)])
    _raw_add(store, [_chunk(ORPHAN, position=1)])
    with monkeypatch.context() as patch:
        patch.setattr(store, "finish_compaction", lambda: "")  # the process dies before the swap
        store.compact()
    if old_collection_deleted:  # ...or dies between dropping the old collection and the rename
        store.client().delete_collection(store.name(CHUNKS))
    assert reconcile(store).compaction == "finished"
    assert [hit.chunk.text for hit in store.search("budget", k=5)] == [KEPT]
    assert store.stored_ids() == {_chunk(KEPT).id}


def test_reachability_stays_complete_after_50_reingests_of_an_edited_document(
    store: ChromaStore, tmp_path: Path
) -> None:
    notes = tmp_path / "corpus" / "journee-2.md"
    notes.parent.mkdir()
    options = IngestOptions(time_limit=0)  # read in-process: this test is about the store
    themes = ["la mobilité", "l'eau", "la forêt", "l'énergie", "l'alimentation", "les déchets", "le bâti"]
    for edit in range(50):
        paragraphs = [
            f"## Atelier {n}\n\nLe groupe {n} a travaillé sur {themes[(n + edit) % 7]}." for n in range(6)
        ]
        paragraphs.insert(
            edit % 6, f"## Ajout\n\nVersion {edit} : un paragraphe déplacé au fil des éditions."
        )
        notes.write_text("# Journée 2\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
        report = ingest_paths(store, [notes.parent], options)
        assert report.ok and report.outcomes[0].status == "indexed"
    health = check(store, _lexical_ids(store, tmp_path))
    assert health.live == 7 and health.reachable == 7 and health.reachability == 1.0
    assert health.orphans == 0 and health.missing == 0 and health.lexical_agrees and health.ok
    assert "Version 49" in store.search("version déplacée au fil des éditions", k=1)[0].chunk.text


def test_readers_never_see_half_a_document_while_it_is_rewritten(store: ChromaStore) -> None:
    def version(n: int) -> list[Chunk]:
        return [_chunk(f"Version {n}, passage {p} sur le budget des journées.", position=p) for p in range(4)]

    store.write_document(_record(sha="v0"), version(0))
    seen: list[set[str]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                hits = store.search("budget des journées", k=10)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
                return
            seen.append({hit.chunk.text.split(",")[0] for hit in hits} | {f"n={len(hits)}"})

    reader = threading.Thread(target=read)
    reader.start()
    for n in range(1, 8):
        store.write_document(_record(sha=f"v{n}"), version(n))
    done.set()
    reader.join()
    assert not errors and seen
    for result in seen:  # one version, all four of its passages
        assert len(result) == 2 and "n=4" in result, result


def test_a_second_writer_is_refused_at_once_with_who_holds_the_store(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "verrou pris"
        with pytest.raises(StoreBusyError) as refused:
            WriterLock(tmp_path).acquire()
        message = str(refused.value)
        assert "déjà en cours de modification" in message and f"processus {holder.pid}" in message
        assert "\n" not in message
    finally:
        holder.kill()  # SIGKILL: the system releases the lock with the process
        holder.wait()
    with WriterLock(tmp_path):
        pass


HOLD = """
import sys, time
from pathlib import Path
from vectorstore.writer_lock import WriterLock
lock = WriterLock(Path(sys.argv[1]), "indexation d'essai")
lock.acquire()
print("verrou pris", flush=True)
time.sleep(60)
"""
