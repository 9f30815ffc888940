"""The designed report made by LibreOffice (tests/designed), read as indexing reads it: as
PDF, ODT and DOCX, every passage checked against what a perfect reader returns."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.chunking import chunk_document
from ingest.pipeline import load_document
from tests.designed.documents import DesignedReport, build_unruled_pdf
from tests.designed.fidelity import measure, words


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=["pdf", "odt", "docx"])
def read(request: pytest.FixtureRequest, designed_report: DesignedReport) -> tuple[Path, list]:
    path = getattr(designed_report, request.param)
    return path, chunk_document(load_document(path), "designed")


def test_every_key_sentence_is_intact_in_one_passage_of_its_page(
    read: tuple[Path, list], designed_report: DesignedReport
) -> None:
    path, chunks = read
    for sentence, page in designed_report.expectations.key_sentences:
        holding = [c for c in chunks if _flat(sentence) in _flat(c.text)]
        assert holding, f"{path.suffix}: {sentence}"
        if path.suffix == ".pdf":  # only the PDF has pages
            assert any(c.page_start <= page <= c.page_end for c in holding), sentence


def test_no_word_is_left_cut_or_glued_and_no_running_text_leaks(
    read: tuple[Path, list], designed_report: DesignedReport
) -> None:
    _, chunks = read
    twin = words(designed_report.markdown.read_text(encoding="utf-8"))
    assert sorted({w for c in chunks for w in words(c.text)} - twin) == []
    for running in designed_report.expectations.running_texts:
        assert not [c.text for c in chunks if running in c.text]
    text = " ".join(c.text for c in chunks)
    for compound in designed_report.expectations.compounds:
        assert compound in text


def test_headings_become_section_paths_and_table_rows_keep_their_cells(
    read: tuple[Path, list], designed_report: DesignedReport
) -> None:
    path, chunks = read
    expected = designed_report.expectations
    fidelity = measure(path, expected, designed_report.markdown.read_text(encoding="utf-8"))
    found = (fidelity.headings_found, fidelity.rows_right)
    assert found == (len(expected.headings), len(expected.table_rows))
    if path.suffix == ".pdf":
        sections = {c.section for c in chunks}
        assert "3. Enseignements transversaux > 3.2 Les difficultés rencontrées" in sections
        rows = [dict(c.cells) for c in chunks if c.cells]
        assert len(rows) == len(expected.table_rows)  # the header repeated on page 5 is no row
        last = rows[-1]
        assert {c.page_start for c in chunks if c.cells and dict(c.cells) == last} == {5}


def test_the_footnote_is_a_passage_of_its_page_and_its_call_is_gone(designed_report: DesignedReport) -> None:
    chunks = chunk_document(load_document(designed_report.pdf), "designed")
    note, page = designed_report.expectations.footnote
    assert [c.page_start for c in chunks if note in _flat(c.text)] == [page]
    assert any("présidé par Hélène Quérand, a fixé" in _flat(c.text) for c in chunks)


def test_the_same_table_drawn_without_rules_reads_row_by_row(
    designed_report: DesignedReport, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """LibreOffice draws the table with no rule at all: its columns are found from the header
    row (« Territoire ») and the whitespace, its wrapped cells kept whole."""
    pdf = build_unruled_pdf(tmp_path_factory.mktemp("sans-filets"))
    expected = designed_report.expectations
    fidelity = measure(pdf, expected, designed_report.markdown.read_text(encoding="utf-8"))
    assert (fidelity.rows_right, fidelity.rows) == (len(expected.table_rows), len(expected.table_rows))
    assert (fidelity.sentences_intact, fidelity.foreign_words, fidelity.running_leaks) == (
        len(expected.key_sentences),
        (),
        0,
    )
