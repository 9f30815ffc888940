from vectorstore.records import Chunk, DocumentRecord, content_hash


def make_chunk(**overrides: object) -> Chunk:
    fields: dict[str, object] = {
        "text": "Le Pays de Brumeval voulait relancer son projet alimentaire.",
        "doc_id": "doc-1",
        "source": "bilan.pdf",
        "kind": "bilan",
        "title": "Bilan",
        "section": "2. Déroulé > 2.1 Journée 1",
        "page_start": 3,
        "page_end": 4,
        "session": 1,
        "position": 7,
    }
    fields.update(overrides)
    return Chunk(**fields)  # type: ignore[arg-type]


def test_content_hash_separates_parts() -> None:
    assert content_hash("ab", "c") != content_hash("a", "bc")
    assert content_hash("x") == content_hash("x")


def test_chunk_id_depends_on_content_not_position() -> None:
    chunk = make_chunk()
    assert chunk.id == make_chunk(position=0, page_start=9).id
    assert chunk.id != make_chunk(text="Autre texte.").id
    assert chunk.id != make_chunk(doc_id="doc-2").id
    assert len(chunk.id) == 32


def test_indexed_text_carries_title_and_section() -> None:
    chunk = make_chunk()
    assert chunk.indexed_text == (
        "Bilan > 2. Déroulé > 2.1 Journée 1\nLe Pays de Brumeval voulait relancer son projet alimentaire."
    )
    assert make_chunk(title="", section="").indexed_text == chunk.text


def test_page_label() -> None:
    assert make_chunk().page_label == "3-4"
    assert make_chunk(page_end=3).page_label == "3"
    assert make_chunk(page_start=None, page_end=None).page_label == ""


def test_metadata_round_trip_drops_nones() -> None:
    chunk = make_chunk(session=None, page_start=None, page_end=None)
    meta = chunk.to_metadata()
    assert "session" not in meta and "page_start" not in meta
    assert Chunk.from_metadata(chunk.text, meta) == chunk
    full = make_chunk()
    assert Chunk.from_metadata(full.text, full.to_metadata()) == full


def test_document_record_json_round_trip() -> None:
    record = DocumentRecord("d", "a.pdf", "/x/a.pdf", "abc", "bilan", 3, ("i1", "i2"), "Titre", "2026-01-01")
    assert DocumentRecord.from_json(record.to_json()) == record
    assert record.chunks == 2
