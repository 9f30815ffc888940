"""The ingestion shell on a real store: discovery, skips, replacement, failures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest import FAILED, INDEXED, UNCHANGED, ingest_paths
from ingest.pipeline import discover, document_id
from tests.pdfs import make_pdf
from vectorstore import ChromaStore, EmbeddingModelError, SentenceTransformerEmbeddings


def _corpus(root: Path) -> Path:
    make_pdf(
        root / "bilan.pdf", [["Bilan d'essai"], ["1. Résultats", "Trente élus ont répondu au questionnaire."]]
    )
    (root / "notes").mkdir()
    (root / "notes" / "journee-2.md").write_text(
        "# Journée 2\n\n## Leviers\n\nLa coopération entre communes a été citée.", encoding="utf-8"
    )
    (root / "notes" / "image.png").write_bytes(b"\x89PNG")
    return root


def test_discover_recurses_into_folders_and_reports_bad_paths(tmp_path: Path) -> None:
    root = _corpus(tmp_path / "corpus")
    (tmp_path / "notes.data").write_text("Compte rendu.", encoding="utf-8")  # named: read by content
    os.mkfifo(tmp_path / "tube.md")
    named = [tmp_path / "absent.pdf", tmp_path / "notes.data", tmp_path / "tube.md", root / "bilan.pdf"]
    found, problems = discover([root, *named])
    assert [path.name for path in found] == ["bilan.pdf", "journee-2.md", "notes.data"]
    assert [(Path(p.path).name, p.status, p.code) for p in problems] == [
        ("absent.pdf", FAILED, "introuvable"),
        ("tube.md", FAILED, "pas-un-fichier"),
    ]
    assert "introuvable" in problems[0].reason


def test_second_run_skips_unchanged_files(store: ChromaStore, tmp_path: Path) -> None:
    root = _corpus(tmp_path / "corpus")
    first = ingest_paths(store, [root])
    assert [outcome.status for outcome in first.outcomes] == [INDEXED, INDEXED]
    second = ingest_paths(store, [root])
    assert [outcome.status for outcome in second.outcomes] == [UNCHANGED, UNCHANGED]
    assert len(store.documents()) == 2


def test_chunks_carry_kind_page_and_session(store: ChromaStore, tmp_path: Path) -> None:
    root = _corpus(tmp_path / "corpus")
    ingest_paths(store, [root])
    report_chunks = store.chunks_of(document_id(root / "bilan.pdf"))
    assert [(c.kind, c.page_start, c.section) for c in report_chunks] == [
        ("bilan", 1, ""),
        ("bilan", 2, "1. Résultats"),
    ]
    assert "Trente élus" in report_chunks[1].text
    notes_chunks = store.chunks_of(document_id(root / "notes" / "journee-2.md"))
    assert [(c.kind, c.session, c.section) for c in notes_chunks] == [("notes", 2, "Leviers")]


def test_a_failed_file_leaves_the_store_and_the_others_intact(store: ChromaStore, tmp_path: Path) -> None:
    root = _corpus(tmp_path / "corpus")
    ingest_paths(store, [root])
    before = {record.doc_id: record.chunk_ids for record in store.documents()}
    (root / "bilan.pdf").write_bytes(b"%PDF-1.4 broken")
    (root / "vide.txt").write_bytes(b"")
    report = ingest_paths(store, [root])
    statuses = {Path(outcome.path).name: outcome.status for outcome in report.outcomes}
    assert statuses == {"bilan.pdf": FAILED, "journee-2.md": UNCHANGED, "vide.txt": FAILED}
    assert not report.ok
    assert {record.doc_id: record.chunk_ids for record in store.documents()} == before


def test_scanned_pdf_without_text_fails_with_a_hint(store: ChromaStore, tmp_path: Path) -> None:
    blank = make_pdf(tmp_path / "scan.pdf", [[], []], header=None, footer=False)
    report = ingest_paths(store, [blank])
    assert report.outcomes[0].status == FAILED
    assert "scanné" in report.outcomes[0].reason
    assert store.documents() == []


def test_sample_report_passages_hold_no_running_header_or_page_footer() -> None:
    from ingest.chunking import chunk_document
    from ingest.pipeline import load_document
    from tests.conftest import SAMPLE

    doc = load_document(SAMPLE / "bilan-exemple.pdf")
    chunks = chunk_document(doc, "doc")
    text = "\n".join(chunk.text for chunk in chunks)
    assert "(contenu fictif)" not in text  # the running header
    assert not any(f"Page {n} / 12" in text for n in range(1, 13))
    assert "la confiance : on ose montrer un projet" in text  # ligature expanded, hyphen joined
    assert doc.warnings == ("page 10 : aucune couche texte (page scannée ou image ?)",)
    assert {chunk.part for chunk in chunks if chunk.section.startswith("3.")} == {3}
    needs = next(chunk for chunk in chunks if chunk.text.startswith("Au fil des quatre journées"))
    assert needs.section == "2. Le déroulé des quatre journées > 2.5 Besoins et enjeux pour aller plus loin"
    assert needs.page_start == 7


def test_a_model_that_cannot_load_stops_the_run_with_its_reason_and_writes_nothing(tmp_path: Path) -> None:
    """The model loads in a background thread while files are read; its failure must still
    reach the caller, as the write that needs the model tries again and raises."""
    (tmp_path / "pas-un-modele").mkdir()
    broken = SentenceTransformerEmbeddings(str(tmp_path / "pas-un-modele"))
    store = ChromaStore(tmp_path / "store", broken, "pas-un-modele")
    notes = tmp_path / "notes.md"
    notes.write_text("# Journée 1\n\nLes territoires ont présenté leurs attentes.\n", encoding="utf-8")
    with pytest.raises(EmbeddingModelError, match="ne contient pas un modèle lisible"):
        ingest_paths(store, [notes])
    assert store.documents() == [] and store.stored_ids() == set()
