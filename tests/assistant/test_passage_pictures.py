"""A citation's picture through the engine: the passage cut from its indexed PDF page,
kept in the store's pages folder (the only folder the app serves)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings
from PIL import Image

from assistant.engine import PassagePicture
from assistant.errors import UserFacingError
from tests.conftest import make_engine


def test_a_citation_gets_the_picture_of_its_passage(sample_store_copy: Path, embeddings: Embeddings) -> None:
    engine = make_engine(sample_store_copy, embeddings)
    citation = next(
        c for c in engine.territory_passages("Monts Cendrés") if c.text.startswith("Territoire :")
    )
    picture = engine.passage_picture(citation)
    assert isinstance(picture, PassagePicture)
    pages = engine.settings.store / "pages"
    assert picture.crop.parent == picture.page_image.parent == pages
    assert picture.page == int(citation.page) and picture.located
    assert picture.alt == f"Extrait de la page {citation.page} de bilan-exemple.pdf"
    with Image.open(picture.crop) as image:
        assert (picture.width, picture.height) == (round(image.width / 2), round(image.height / 2))
    assert engine.passage_picture(citation) == picture  # cached: the same files
    assert citation.first_page == int(citation.page)
    spanning = replace(citation, page=f"{citation.page}-{int(citation.page) + 1}")
    assert engine.passage_picture(spanning).page == int(citation.page)  # its first page
    elsewhere = replace(citation, page="2", first_page=2)
    fallback = engine.passage_picture(elsewhere)
    assert not fallback.located and fallback.alt.startswith("Haut de la page 2 de bilan-exemple.pdf")


def test_notes_and_unknown_files_have_no_picture(sample_store_copy: Path, embeddings: Embeddings) -> None:
    engine = make_engine(sample_store_copy, embeddings)
    citation = next(c for c in engine.territory_passages("Monts Cendrés") if c.source.endswith(".pdf"))
    for other in (replace(citation, source="journee-2.md"), replace(citation, source="absent.pdf")):
        with pytest.raises(UserFacingError, match="Pas d'extrait de page"):
            engine.passage_picture(other)
