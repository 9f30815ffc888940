"""Chunking: sections never mixed, pages kept, long blocks cut on boundaries."""

from __future__ import annotations

import pytest

from ingest.chunking import ChunkingConfig, chunk_document
from ingest.document import Block, ParsedDocument


def _doc(*blocks: Block, session: int | None = None) -> ParsedDocument:
    return ParsedDocument(
        source="bilan.pdf", kind="bilan", title="Bilan", blocks=blocks, pages=3, session=session
    )


def test_small_blocks_of_one_section_are_packed_with_their_page_range() -> None:
    chunks = chunk_document(
        _doc(Block("Premier bloc.", 1, "1. Intro"), Block("Second bloc.", 2, "1. Intro")), "doc"
    )
    assert len(chunks) == 1
    assert chunks[0].text == "Premier bloc.\nSecond bloc."
    assert (chunks[0].page_start, chunks[0].page_end, chunks[0].section) == (1, 2, "1. Intro")


def test_a_chunk_never_mixes_two_sections() -> None:
    chunks = chunk_document(_doc(Block("A.", 1, "1. Un"), Block("B.", 1, "2. Deux")), "doc")
    assert [(chunk.section, chunk.text) for chunk in chunks] == [("1. Un", "A."), ("2. Deux", "B.")]
    assert [chunk.position for chunk in chunks] == [0, 1]


def test_long_blocks_are_cut_at_sentence_ends_within_the_size() -> None:
    sentence = "Les territoires ont partagé leurs attentes sur la transition. "
    text = sentence * 40
    chunks = chunk_document(_doc(Block(text, 2, "2. Déroulé")), "doc", ChunkingConfig(size=300, overlap=0))
    assert len(chunks) > 1
    assert all(len(chunk.text) <= 300 for chunk in chunks)
    assert all(chunk.text.endswith("transition.") for chunk in chunks)
    assert all(chunk.page_start == 2 for chunk in chunks)


def test_session_comes_from_the_section_when_the_document_has_none() -> None:
    chunks = chunk_document(
        _doc(Block("Accueil.", 3, "2. Déroulé > 2.2 Journée 2"), Block("Bilan.", 4, "3. Résultats")), "doc"
    )
    assert [chunk.session for chunk in chunks] == [2, None]


def test_document_session_wins() -> None:
    chunks = chunk_document(_doc(Block("Texte.", None, "Journée 1"), session=4), "doc")
    assert chunks[0].session == 4


def test_chunk_ids_are_stable_and_metadata_complete() -> None:
    doc = _doc(Block("Texte.", 1, "1. Intro"))
    first, again = chunk_document(doc, "doc")[0], chunk_document(doc, "doc")[0]
    assert first.id == again.id
    assert (first.source, first.kind, first.title, first.doc_id) == ("bilan.pdf", "bilan", "Bilan", "doc")


@pytest.mark.parametrize(("size", "overlap"), [(10, 0), (100, 100), (100, -1)])
def test_invalid_chunking_config_is_refused(size: int, overlap: int) -> None:
    with pytest.raises(ValueError, match="chunk size"):
        ChunkingConfig(size=size, overlap=overlap)
