"""The reader version: a document read by another version of the readers is read again.

The manifest records, per document, the ``READER_VERSION`` that read it. A store written
before (no such field, version 0) or by another version has its documents re-read at the
next ingestion, through the same path as a changed file; the others are left alone.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ingest import INDEXED, READER_VERSION, UNCHANGED, ingest_paths
from ingest.pipeline import document_id
from tests.pdfs import make_pdf
from vectorstore import ChromaStore
from vectorstore.records import LEVERS, Chunk, DocumentRecord
from vectorstore.store import CHUNKS, DOCUMENTS

NOTES = "# Journée 2\n\n## Leviers\n\n- La **coopération** entre communes.\n- Le `budget` participatif.\n"
# What a reader before version 2 kept of it: the Markdown syntax, and no levers.
OLD_NOTES = "- La **coopération** entre communes.\n- Le `budget` participatif."


def _corpus(root: Path) -> tuple[Path, Path]:
    root.mkdir()
    report = make_pdf(
        root / "bilan.pdf",
        [
            ["Bilan d'essai"],
            ["2. Leviers évoqués", "Le budget participatif a été le levier le plus discuté."],
        ],
    )
    notes = root / "journee-2.md"
    notes.write_text(NOTES, encoding="utf-8")
    return report, notes


def _raw_manifest(store: ChromaStore, doc_id: str) -> dict[str, object]:
    documents = store.client().get_collection(store.name(DOCUMENTS))
    entry: dict[str, object] = json.loads(documents.get(ids=[doc_id], include=["documents"])["documents"][0])
    return entry


def _age_manifest(store: ChromaStore, doc_id: str) -> None:
    """Rewrite a document's manifest entry as a store from before reader versions wrote it
    (no ``reader`` field), with the revision such a store had."""
    entry = _raw_manifest(store, doc_id)
    entry.pop("reader")
    documents = store.client().get_collection(store.name(DOCUMENTS))
    documents.upsert(ids=[doc_id], embeddings=[[1.0]], documents=[json.dumps(entry, ensure_ascii=False)])
    store.refresh_revision()


def _strip_levers(store: ChromaStore, ids: list[str]) -> None:
    """Store the chunks again as a reader without levers wrote them: same ids, texts and
    vectors, no levers in their metadata (Chroma's update keeps the keys it is not given)."""
    chunks = store.client().get_collection(store.name(CHUNKS))
    stored = chunks.get(ids=ids, include=["embeddings", "documents", "metadatas"])
    chunks.delete(ids=ids)
    chunks.add(
        ids=stored["ids"],
        embeddings=stored["embeddings"],
        documents=stored["documents"],
        metadatas=[{k: v for k, v in meta.items() if k != LEVERS} for meta in stored["metadatas"]],
    )


def test_a_manifest_entry_without_the_reader_field_loads_as_version_0(
    store: ChromaStore, tmp_path: Path
) -> None:
    record = DocumentRecord("d", "a.pdf", "/x/a.pdf", "abc", "bilan", 3, ("i1",), "Titre", "2026-01-01")
    old = {key: value for key, value in json.loads(record.to_json()).items() if key != "reader"}
    assert DocumentRecord.from_json(json.dumps(old)) == record
    assert DocumentRecord.from_json(json.dumps(old)).reader == 0
    assert DocumentRecord.from_json(json.dumps(old | {"reader": ""})).reader == 0
    assert DocumentRecord.from_json(replace(record, reader=READER_VERSION).to_json()).reader == READER_VERSION

    _, notes = _corpus(tmp_path / "corpus")
    ingest_paths(store, [notes])
    _age_manifest(store, document_id(notes))
    assert "reader" not in _raw_manifest(store, document_id(notes))
    [loaded] = store.documents()
    assert loaded.reader == 0 and loaded.source == "journee-2.md" and loaded.chunks == 1


def test_the_same_file_ingested_twice_is_skipped_the_second_time(store: ChromaStore, tmp_path: Path) -> None:
    report, notes = _corpus(tmp_path / "corpus")
    first = ingest_paths(store, [report, notes])
    assert [(o.status, o.reason) for o in first.outcomes] == [(INDEXED, ""), (INDEXED, "")]
    assert {record.reader for record in store.documents()} == {READER_VERSION}
    assert _raw_manifest(store, document_id(notes))["reader"] == READER_VERSION
    before = store.documents()
    second = ingest_paths(store, [report, notes])
    assert [o.status for o in second.outcomes] == [UNCHANGED, UNCHANGED]
    assert store.documents() == before  # not even re-stamped


def test_a_document_read_by_an_older_reader_is_read_again_and_nothing_else_changes(
    store: ChromaStore, tmp_path: Path
) -> None:
    report, notes = _corpus(tmp_path / "corpus")
    ingest_paths(store, [report, notes])
    notes_id, report_id = document_id(notes), document_id(report)
    current = store.chunks_of(notes_id)
    assert [c.text for c in current] == ["- La coopération entre communes.\n- Le budget participatif."]
    assert [m.name for m in current[0].levers] == ["coopération entre communes", "budget participatif"]

    # The store as an older reader left it: the notes' passage with its Markdown and no levers.
    old = Chunk(OLD_NOTES, notes_id, "journee-2.md", "notes", "Journée 2", "Leviers", session=2)
    store.write_document(store.document(notes_id), [old])  # type: ignore[arg-type]
    _age_manifest(store, notes_id)
    report_before = store.document(report_id)
    report_chunks = store.chunks_of(report_id)
    revision = store.revision()

    again = ingest_paths(store, [report, notes])
    outcomes = {Path(o.path).name: o for o in again.outcomes}
    assert outcomes["bilan.pdf"].status == UNCHANGED
    assert outcomes["journee-2.md"].status == INDEXED
    assert f"version 0 → {READER_VERSION}" in outcomes["journee-2.md"].reason
    assert outcomes["journee-2.md"].reason.startswith("relu : ")

    reread = store.chunks_of(notes_id)
    assert [(c.id, c.text, c.levers) for c in reread] == [(c.id, c.text, c.levers) for c in current]
    assert store.document(notes_id).reader == READER_VERSION  # type: ignore[union-attr]
    assert old.id not in store.live_ids()
    assert store.revision() != revision
    # The other document is untouched: same manifest entry, same chunks.
    assert store.document(report_id) == report_before
    assert store.chunks_of(report_id) == report_chunks

    assert [o.status for o in ingest_paths(store, [report, notes]).outcomes] == [UNCHANGED, UNCHANGED]


def test_passages_whose_levers_alone_changed_get_them_and_a_new_revision(
    store: ChromaStore, tmp_path: Path
) -> None:
    """Same texts, so same chunk ids: only the metadata changes, and the revision must still
    change, or what is derived from it (overview, lexical index) would stay stale."""
    report, notes = _corpus(tmp_path / "corpus")
    ingest_paths(store, [report, notes])
    report_id = document_id(report)
    current = store.chunks_of(report_id)
    assert any(chunk.levers for chunk in current)
    _strip_levers(store, [chunk.id for chunk in current])
    _age_manifest(store, report_id)
    assert not any(chunk.levers for chunk in store.chunks_of(report_id))
    revision = store.revision()
    notes_before = store.document(document_id(notes))

    again = ingest_paths(store, [report, notes])
    assert [(Path(o.path).name, o.status) for o in again.outcomes] == [
        ("bilan.pdf", INDEXED),
        ("journee-2.md", UNCHANGED),
    ]
    reread = store.chunks_of(report_id)
    assert [(c.id, c.levers) for c in reread] == [(c.id, c.levers) for c in current]
    assert store.revision() != revision
    assert store.document(document_id(notes)) == notes_before
