"""PDF loading on real PDFs drawn by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.pdf import load_pdf, read_pdf
from tests.pdfs import HEADER, make_pdf

PAGES = [
    ["Bilan d'essai des journées", "Document fictif pour les tests"],
    [
        "1. Les intentions de départ",
        "Les territoires voulaient apprendre ensemble",
        "et partager leurs pratiques.",
    ],
    ["2. Déroulé des journées", "2.1 Journée 1 à Exempleville", "Douze agents ont suivi la matinée."],
    ["Le portage politique est un levier de réussite."],
]


@pytest.fixture
def report(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "bilan-essai.pdf", PAGES)


def test_pages_are_read_in_order(report: Path) -> None:
    pages, tables = read_pdf(report)
    assert [page.number for page in pages] == [1, 2, 3, 4]
    words = [f.text for f in pages[2].fragments]
    assert words[words.index("Douze") :][:6] == ["Douze", "agents", "ont", "suivi", "la", "matinée."]
    douze = pages[2].fragments[words.index("Douze")]
    assert douze.width > 0 and douze.x < douze.end  # measured, not estimated
    assert tables == []


def test_running_header_and_footer_are_not_in_the_blocks(report: Path) -> None:
    doc = load_pdf(report)
    text = "\n".join(block.text for block in doc.blocks)
    assert HEADER not in text
    assert "Page 2 / 4" not in text
    assert doc.pages == 4
    assert doc.kind == "bilan"


def test_blocks_know_their_page_and_section_path(report: Path) -> None:
    doc = load_pdf(report)
    by_text = {block.text: block for block in doc.blocks}
    agents = by_text["Douze agents ont suivi la matinée."]
    assert (agents.page, agents.section) == (3, "2. Déroulé des journées > 2.1 Journée 1 à Exempleville")
    lever = by_text["Le portage politique est un levier de réussite."]
    assert (lever.page, lever.section) == (4, "2. Déroulé des journées > 2.1 Journée 1 à Exempleville")
    intent = by_text["Les territoires voulaient apprendre ensemble et partager leurs pratiques."]
    assert (intent.page, intent.section) == (2, "1. Les intentions de départ")


def test_title_is_the_first_line_of_the_cover(report: Path) -> None:
    assert load_pdf(report).title == "Bilan d'essai des journées"


def test_file_that_is_not_a_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "faux.pdf"
    path.write_text("bonjour", encoding="utf-8")
    with pytest.raises(IngestError, match="pas un PDF"):
        read_pdf(path)


def test_truncated_pdf_is_a_one_line_reason(report: Path, tmp_path: Path) -> None:
    broken = tmp_path / "casse.pdf"
    broken.write_bytes(report.read_bytes()[:300])
    with pytest.raises(IngestError) as raised:
        read_pdf(broken)
    assert "\n" not in str(raised.value)


def test_password_protected_pdf_is_refused(report: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(report).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    locked = tmp_path / "verrouille.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(IngestError, match="mot de passe"):
        read_pdf(locked)
