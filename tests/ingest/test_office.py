"""Word and OpenDocument session notes, built by the tests with python-docx and odfpy."""

from __future__ import annotations

from pathlib import Path

from ingest.office import load_docx, load_odt


def test_docx_headings_paragraphs_and_table_rows(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Notes de la journée 3", 1)
    document.add_paragraph("Accueil au tiers-lieu.")
    document.add_heading("Leviers", 2)
    document.add_paragraph("La confiance entre acteurs.")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {
        (0, 0): "Territoire",
        (0, 1): "Attentes",
        (1, 0): "Ville de Test",
        (1, 1): "Apprendre",
    }.items():
        table.cell(row, col).text = text
    document.save(str(tmp_path / "notes.docx"))

    doc = load_docx(tmp_path / "notes.docx")
    assert (doc.title, doc.session, doc.kind, doc.tables) == ("Notes de la journée 3", 3, "notes", 1)
    assert [(b.section, b.text, b.territory) for b in doc.blocks] == [
        ("", "Accueil au tiers-lieu.", None),
        ("Leviers", "La confiance entre acteurs.", None),
        ("Leviers", "Territoire : Ville de Test. Attentes : Apprendre.", "Ville de Test"),
    ]


def test_odt_outline_levels_and_tables(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Journée 2"))
    document.text.addElement(P(text="Texte de la journée."))
    document.text.addElement(H(outlinelevel=2, text="Difficultés"))
    document.text.addElement(P(text="Le temps manque."))
    table = Table(name="T")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for values in (("Territoire", "Suites"), ("Commune X", "Un atelier")):
        row = TableRow()
        for value in values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    document.save(str(tmp_path / "notes.odt"))

    doc = load_odt(tmp_path / "notes.odt")
    assert (doc.title, doc.session, doc.tables) == ("Journée 2", 2, 1)
    assert [(b.section, b.text, b.territory) for b in doc.blocks] == [
        ("", "Texte de la journée.", None),
        ("Difficultés", "Le temps manque.", None),
        ("Difficultés", "Territoire : Commune X. Suites : Un atelier.", "Commune X"),
    ]
