"""Markdown and plain-text loading: front matter, heading paths, sessions."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.markdown import load_markdown, load_text, parse_markdown, split_front_matter

NOTES = """---
title: Notes de la journée
session: 3
---
# Journée 3 à Exempleville

Accueil des participants.

## Leviers
- Un portage politique fort
- Des binômes élu-technicien

### Difficultés
Le temps manque
pour les agents.
"""


def test_front_matter_gives_title_and_session() -> None:
    doc = parse_markdown("notes.md", NOTES, "notes")
    assert doc.title == "Notes de la journée"
    assert doc.session == 3
    assert doc.kind == "notes"


def test_blocks_carry_their_heading_path() -> None:
    doc = parse_markdown("notes.md", NOTES, "notes")
    assert [(block.section, block.text) for block in doc.blocks] == [
        ("", "Accueil des participants."),
        ("Leviers", "- Un portage politique fort"),
        ("Leviers", "- Des binômes élu-technicien"),
        ("Leviers > Difficultés", "Le temps manque pour les agents."),
    ]


def test_without_front_matter_the_session_comes_from_the_title_or_name() -> None:
    assert parse_markdown("x.md", "# Journée 2\n\ntexte", "x").session == 2
    assert parse_markdown("journee-4.md", "texte", "journee-4").session == 4
    assert parse_markdown("synthese.md", "texte", "synthese").session is None


def test_broken_front_matter_is_a_clear_error() -> None:
    with pytest.raises(IngestError, match="YAML"):
        split_front_matter("---\ntitle: [non fermé\n---\ntexte")
    with pytest.raises(IngestError, match="dictionnaire"):
        split_front_matter("---\n- une liste\n---\ntexte")


def test_markdown_file_in_cp1252_is_read(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_bytes("# Titre\n\nDéroulé de la journée".encode("cp1252"))
    assert load_markdown(path).blocks[0].text == "Déroulé de la journée"


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\x00\x00\x00")
    with pytest.raises(IngestError, match="binaire"):
        load_markdown(path)


def test_plain_text_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "session-1.txt"
    path.write_text("Premier  paragraphe\nsur deux lignes.\n\n\nSecond paragraphe.", encoding="utf-8")
    doc = load_text(path)
    assert [block.text for block in doc.blocks] == [
        "Premier paragraphe sur deux lignes.",
        "Second paragraphe.",
    ]
    assert doc.session == 1
    assert doc.title == "session-1"


def test_front_matter_fields_become_chunk_metadata() -> None:
    from ingest.chunking import chunk_document

    text = (
        "---\nsession: 2\ndate: 2026-04-09\nlieu: Sauvelière\n"
        "territoires: [Sauvelière, Val-d'Orbelune]\n---\nTexte."
    )
    chunk = chunk_document(parse_markdown("j2.md", text, "j2"), "doc")[0]
    meta = chunk.to_metadata()
    assert (meta["date"], meta["lieu"], meta["territoires"]) == (
        "2026-04-09",
        "Sauvelière",
        "Sauvelière, Val-d'Orbelune",
    )
    assert meta["session"] == 2
