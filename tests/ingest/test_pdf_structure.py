"""Structured PDF reading on PDFs drawn by the tests: columns, glyphs, headings, tables, image pages."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.isolation import IsolatedReader, load_with_time_limit
from ingest.ocr import ocr_available
from ingest.pdf import NO_TEXT, load_pdf
from ingest.pipeline import load_document
from tests.pdfs import HEADER, make_image_page_pdf, make_pdf, make_styled_pdf, make_table_pdf

ROWS = [("Territoire", "Attentes", "Suites données")] + [
    (f"Commune de Test-{i}", f"Attente numéro {i} du territoire.", f"Suite numéro {i}.") for i in range(1, 13)
]


def _texts(path: Path) -> list[str]:
    return [block.text for block in load_pdf(path).blocks]


def test_two_columns_are_read_column_by_column(tmp_path: Path) -> None:
    lines = [("Titre pleine largeur de la page", 50, 780, 16)]
    for i, y in enumerate(range(740, 640, -15)):
        lines += [(f"gauche {i} du texte.", 50, y, 10), (f"droite {i} du texte.", 320, y, 10)]
    texts = _texts(make_styled_pdf(tmp_path / "colonnes.pdf", lines))
    joined = "\n".join(texts)
    left = [joined.index(f"gauche {i} ") for i in range(7)]
    right = [joined.index(f"droite {i} ") for i in range(7)]
    assert left == sorted(left) and right == sorted(right)
    assert max(left) < min(right)


def test_ligatures_are_expanded_and_hyphenated_words_joined(tmp_path: Path) -> None:
    lines = [
        ("La con\ufb01ance et la ré\ufb02exion ont guidé la conduite du change-", 50, 700, 11),
        ("ment systémique pendant les journées.", 50, 686, 11),
    ]
    assert _texts(make_styled_pdf(tmp_path / "glyphes.pdf", lines)) == [
        "La confiance et la réflexion ont guidé la conduite du changement systémique pendant les journées."
    ]


def test_larger_type_makes_headings_without_numbers(tmp_path: Path) -> None:
    lines = [
        ("Synthèse des échanges", 50, 760, 18),
        ("Le temps a manqué pour conclure.", 50, 730, 11),
        ("Points de vigilance", 50, 700, 14),
        ("Les élus étaient peu nombreux.", 50, 675, 11),
    ]
    blocks = load_pdf(make_styled_pdf(tmp_path / "titres.pdf", lines)).blocks
    assert [(b.section, b.text) for b in blocks] == [
        ("Synthèse des échanges", "Le temps a manqué pour conclure."),
        ("Synthèse des échanges > Points de vigilance", "Les élus étaient peu nombreux."),
    ]


@pytest.mark.parametrize("repeat_header", [True, False])
def test_a_table_split_across_a_page_break_keeps_every_row_and_its_header(
    tmp_path: Path, repeat_header: bool
) -> None:
    doc = load_pdf(make_table_pdf(tmp_path / "tableau.pdf", ROWS, repeat_header=repeat_header, lead_lines=30))
    rows = [block for block in doc.blocks if block.cells]
    assert doc.tables == 1
    assert len({block.page for block in rows}) == 2  # the table does cross the page break
    assert [block.territory for block in rows] == [f"Commune de Test-{i}" for i in range(1, 13)]
    assert rows[6].cells == (
        ("Territoire", "Commune de Test-7"),
        ("Attentes", "Attente numéro 7 du territoire."),
        ("Suites données", "Suite numéro 7."),
    )
    assert rows[6].text == (
        "Territoire : Commune de Test-7. Attentes : Attente numéro 7 du territoire. "
        "Suites données : Suite numéro 7."
    )
    assert all(block.section == "2.1 Journée 1 — Les territoires présents" for block in rows)
    prose = "\n".join(block.text for block in doc.blocks if not block.cells)
    assert "Commune de Test" not in prose  # table cells never leak into the running text
    assert HEADER not in "\n".join(block.text for block in doc.blocks)
    assert prose.endswith("Texte après le tableau.")


def test_an_image_only_page_is_reported(tmp_path: Path) -> None:
    doc = load_pdf(make_image_page_pdf(tmp_path / "scan.pdf"))
    assert doc.warnings == (f"page 2 : {NO_TEXT}",)
    assert [block.page for block in doc.blocks] == [1, 3]


@pytest.mark.skipif(not ocr_available(), reason="ocrmypdf ou tesseract-ocr-fra absent (apt-get install)")
def test_ocr_reads_the_image_page(tmp_path: Path) -> None:
    doc = load_document(make_image_page_pdf(tmp_path / "scan.pdf"), ocr=True)
    assert [(block.page, block.text) for block in doc.blocks] == [
        (1, "Première page avec du texte."),
        (2, "Photo de groupe des participants."),
        (3, "Troisième page avec du texte."),
    ]
    assert doc.warnings == ("page 2 : texte obtenu par OCR",)
    assert doc.source == "scan.pdf"


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    source = make_pdf(tmp_path / "source.pdf", [["1. Résultats", "Trente élus ont répondu."]])
    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="proprietaire")
    locked = tmp_path / "restreint.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    assert "Trente élus ont répondu." in _texts(locked)


def test_a_damaged_cross_reference_table_is_recovered_or_refused_in_one_line(tmp_path: Path) -> None:
    source = make_pdf(tmp_path / "source.pdf", [["1. Résultats", "Trente élus ont répondu."]])
    data = source.read_bytes()
    start = data.rindex(b"xref")
    broken = tmp_path / "xref.pdf"
    broken.write_bytes(data[:start] + b"xref\n0 9\ngarbage garbage\n" + data[start + 40 :])
    try:
        texts = _texts(broken)
    except IngestError as error:
        assert "\n" not in str(error)
    else:
        assert "Trente élus ont répondu." in texts


def test_reading_is_stopped_at_the_time_limit(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "lent.pdf", [["Texte."]])
    with pytest.raises(IngestError, match=r"interrompue après 0\.2 s"):
        load_with_time_limit(_slow_loader, path, 0.2)
    assert load_with_time_limit(load_pdf, path, 30).blocks[-1].text == "Texte."


def _slow_loader(path: Path) -> object:
    import time

    time.sleep(30)  # stands for a parser stuck in a loop
    return load_pdf(path)


def test_errors_raised_in_the_child_come_back_as_reasons(tmp_path: Path) -> None:
    fake = tmp_path / "faux.pdf"
    fake.write_text("bonjour", encoding="utf-8")
    with pytest.raises(IngestError, match="pas un PDF"):
        load_with_time_limit(load_pdf, fake, 30)


def test_a_zero_byte_pdf_is_refused_in_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "vide.pdf"
    empty.write_bytes(b"")
    with pytest.raises(IngestError, match=r"^fichier vide \(0 octet\)$"):
        load_document(empty)


def _children() -> set[int]:
    """This process's spawned workers (not multiprocessing's resource tracker)."""
    pids = {
        int(pid)
        for task in Path("/proc/self/task").iterdir()
        for pid in (task / "children").read_text().split()
    }
    return {pid for pid in pids if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()}


def _new_children(before: set[int], wait: float = 5.0) -> set[int]:
    """The workers started since ``before``: a spawned child shows its own command line only
    once it has executed Python, which a loaded machine may delay."""
    deadline = time.monotonic() + wait
    while not (started := _children() - before) and time.monotonic() < deadline:
        time.sleep(0.02)
    return started


def test_the_reader_child_can_start_before_the_first_file(tmp_path: Path) -> None:
    """Indexing starts the reader while it opens the store; the child then reads as usual."""
    pdf = make_pdf(tmp_path / "une-page.pdf", [["Les territoires ont présenté leurs attentes."]])
    before = _children()
    with IsolatedReader(30, preload=("ingest.pipeline",)) as reader:
        reader.start()
        started = _new_children(before)
        assert len(started) == 1  # running before any file was sent
        parsed = reader.read(load_document, pdf)
        assert _children() - before == started  # the same child read the file
    assert "Les territoires ont présenté leurs attentes." in " ".join(b.text for b in parsed.blocks)
    assert not (_children() & started)  # stopped with the run
