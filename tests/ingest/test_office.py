"""Word and OpenDocument session notes, built by the tests with python-docx and odfpy."""

from __future__ import annotations

from pathlib import Path

from ingest.office import load_docx, load_odt
from tests.designed.documents import DesignedReport


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


# --- OpenDocument: lists, sections, notes, tracked changes -------------------------------------------


def _odt_cell_table(rows: tuple[tuple[str, ...], ...]):  # type: ignore[no-untyped-def]
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    table = Table(name="Suites")
    table.addElement(TableColumn(numbercolumnsrepeated=len(rows[0])))
    for values in rows:
        row = TableRow()
        for value in values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    return table


def _odt_list(*items: object):  # type: ignore[no-untyped-def]
    """A text:list; an item is a string (one paragraph) or a tuple (a paragraph and a nested list)."""
    from odf.text import List, ListItem, P

    bullets = List()
    for item in items:
        entry = ListItem()
        if isinstance(item, tuple):
            entry.addElement(P(text=item[0]))
            entry.addElement(_odt_list(*item[1:]))
        else:
            entry.addElement(P(text=str(item)))
        bullets.addElement(entry)
    return bullets


def _build_full_odt(path: Path) -> None:
    from odf.dc import Creator, Date
    from odf.draw import Frame, TextBox
    from odf.office import Annotation, ChangeInfo
    from odf.opendocument import OpenDocumentText
    from odf.style import Columns, SectionProperties, Style
    from odf.text import (
        A,
        Change,
        ChangedRegion,
        Deletion,
        H,
        IndexBody,
        LineBreak,
        Note,
        NoteBody,
        NoteCitation,
        Number,
        P,
        S,
        Section,
        SoftPageBreak,
        Span,
        Tab,
        TableOfContent,
        TrackedChanges,
    )

    document = OpenDocumentText()
    two_columns = Style(name="Deux", family="section")
    properties = SectionProperties()
    properties.addElement(Columns(columncount=2))
    two_columns.addElement(properties)
    document.automaticstyles.addElement(two_columns)
    body = document.text

    changes = TrackedChanges()
    region = ChangedRegion(qattributes={("http://www.w3.org/XML/1998/namespace", "id"): "ct1"})
    deletion = Deletion()
    info = ChangeInfo()
    info.addElement(Creator(text="Relecteur"))
    info.addElement(Date(text="2026-01-01T10:00:00"))
    deletion.addElement(info)
    deletion.addElement(P(text="Phrase supprimée à la relecture."))
    region.addElement(deletion)
    changes.addElement(region)
    body.addElement(changes)

    toc = TableOfContent(name="Sommaire")
    toc_body = IndexBody()
    toc_body.addElement(P(text="Contexte\t2"))
    toc.addElement(toc_body)
    body.addElement(toc)

    body.addElement(H(outlinelevel=1, text="Rapport de la journée 4"))
    heading = H(outlinelevel=2)
    heading.addElement(Number(text="1."))
    heading.addText("Contexte")
    body.addElement(heading)

    sentence = P()
    sentence.addText("La transi\u00adtion ")
    sentence.addElement(Span(text="écologique"))
    sentence.addText(" des terri")
    sentence.addElement(Change(changeid="ct1"))
    sentence.addText("toires")
    note = Note(id="ftn1", noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    note_body = NoteBody()
    note_body.addElement(P(text="Selon le bilan de 2025."))
    note.addElement(note_body)
    sentence.addElement(note)
    sentence.addText(" avance")
    sentence.addElement(S(c=3))
    sentence.addText("lentement,")
    sentence.addElement(LineBreak())
    sentence.addText("selon")
    sentence.addElement(Tab())
    link = A(href="https://example.org")
    link.addText("les élus.")
    sentence.addElement(link)
    comment = Annotation()
    comment.addElement(P(text="Commentaire à ne pas lire."))
    sentence.addElement(comment)
    body.addElement(sentence)

    framed = P(text="Voir l'encadré.")
    frame = Frame(anchortype="paragraph", width="5cm", height="2cm")
    box = TextBox()
    box.addElement(P(text="Encadré : trois ateliers."))
    frame.addElement(box)
    framed.addElement(frame)
    body.addElement(framed)

    body.addElement(
        _odt_list("Premier levier.", ("Deuxième levier.", "Sous-point A.", "Sous-point B."), "Fin.")
    )
    body.addElement(SoftPageBreak())

    columns = Section(name="Colonnes", stylename=two_columns)
    columns.addElement(H(outlinelevel=2, text="Ateliers"))
    columns.addElement(P(text="Colonne de gauche."))
    columns.addElement(_odt_list("Atelier mobilité.", "Atelier énergie."))
    inner = Section(name="Encart")
    inner.addElement(P(text="Texte de la section imbriquée."))
    columns.addElement(inner)
    columns.addElement(P(text="Colonne de droite."))
    body.addElement(columns)

    hidden = Section(name="Masquée", display="none")
    hidden.addElement(P(text="Brouillon masqué."))
    body.addElement(hidden)

    body.addElement(_odt_cell_table((("Territoire", "Suites"), ("Commune Y", "Un forum"))))
    body.addElement(P(text="Après le tableau."))
    document.save(str(path))


def test_odt_reads_lists_sections_notes_in_reading_order(tmp_path: Path) -> None:
    _build_full_odt(tmp_path / "rapport.odt")

    doc = load_odt(tmp_path / "rapport.odt")

    assert (doc.title, doc.session, doc.tables) == ("Rapport de la journée 4", 4, 1)
    assert [(b.section, b.text) for b in doc.blocks] == [
        (
            "Contexte",
            "La transition écologique des territoires avance lentement, selon les élus.",
        ),
        ("Contexte", "Selon le bilan de 2025."),
        ("Contexte", "Voir l'encadré."),
        ("Contexte", "Encadré : trois ateliers."),
        ("Contexte", "Premier levier."),
        ("Contexte", "Deuxième levier."),
        ("Contexte", "Sous-point A."),
        ("Contexte", "Sous-point B."),
        ("Contexte", "Fin."),
        ("Ateliers", "Colonne de gauche."),
        ("Ateliers", "Atelier mobilité."),
        ("Ateliers", "Atelier énergie."),
        ("Ateliers", "Texte de la section imbriquée."),
        ("Ateliers", "Colonne de droite."),
        ("Ateliers", "Territoire : Commune Y. Suites : Un forum."),
        ("Ateliers", "Après le tableau."),
    ]


def test_odt_merged_cells_keep_the_header_columns(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableHeaderRows, TableRow
    from odf.text import P

    def cell(text: str, **spans: int) -> TableCell:
        element = TableCell(**spans)
        element.addElement(P(text=text))
        return element

    table = Table(name="Fusion")
    table.addElement(TableColumn(numbercolumnsrepeated=3))
    header = TableHeaderRows()
    header_row = TableRow()
    for name in ("Territoire", "Attentes", "Suites"):
        header_row.addElement(cell(name))
    header.addElement(header_row)
    table.addElement(header)
    first, second = TableRow(), TableRow()
    first.addElement(cell("Commune Z", numberrowsspanned=2))
    first.addElement(cell("Se former", numbercolumnsspanned=2))
    first.addElement(CoveredTableCell())
    second.addElement(CoveredTableCell())
    second.addElement(cell("Échanger"))
    second.addElement(cell("Un réseau"))
    table.addElement(first)
    table.addElement(second)
    document = OpenDocumentText()
    document.text.addElement(table)
    document.save(str(tmp_path / "fusion.odt"))

    doc = load_odt(tmp_path / "fusion.odt")

    assert [b.text for b in doc.blocks] == [
        "Territoire : Commune Z. Attentes : Se former. Suites : Se former.",
        "Territoire : Commune Z. Attentes : Échanger. Suites : Un réseau.",
    ]


def test_odt_title_style_paragraph_is_the_title_like_in_word(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.style import Style
    from odf.text import H, P

    document = OpenDocumentText()
    document.styles.addElement(Style(name="Title", family="paragraph"))
    centred = Style(name="P1", family="paragraph", parentstylename="Title")
    document.automaticstyles.addElement(centred)
    document.text.addElement(P(stylename=centred, text="Bilan du cycle"))
    document.text.addElement(H(outlinelevel=1, text="Contexte"))
    document.text.addElement(H(outlinelevel=2, text="Objectifs"))
    document.text.addElement(P(text="Trois objectifs."))
    document.save(str(tmp_path / "titre.odt"))

    doc = load_odt(tmp_path / "titre.odt")

    assert doc.title == "Bilan du cycle"
    assert [(b.section, b.text) for b in doc.blocks] == [("Contexte > Objectifs", "Trois objectifs.")]


# --- Word: lists, notes, content controls, outline levels --------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{_W}">
  <w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
  <w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>
  </w:footnote>
  <w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Selon le bilan </w:t>
  </w:r><w:r><w:t>de 2025.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""


_CONTENTS = (
    f'<w:sdt xmlns:w="{_W}"><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
    "</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:r><w:t>Contexte 2</w:t></w:r></w:p>"
    "</w:sdtContent></w:sdt>"
)


def _add_footnotes_part(document) -> None:  # type: ignore[no-untyped-def]
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, _FOOTNOTES.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def _build_full_docx(path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.element.body.insert(0, parse_xml(_CONTENTS))
    document.add_heading("Rapport de la journée 5", 1)
    document.add_heading("Contexte", 2)
    sentence = document.add_paragraph("La transi\u00adtion des terri")
    sentence._p.append(
        parse_xml(f'<w:del xmlns:w="{_W}" w:id="7"><w:r><w:delText>XX</w:delText></w:r></w:del>')
    )
    sentence._p.append(parse_xml(f'<w:ins xmlns:w="{_W}" w:id="8"><w:r><w:t>toires</w:t></w:r></w:ins>'))
    call = sentence.add_run()
    call._r.append(parse_xml(f'<w:footnoteReference xmlns:w="{_W}" w:id="1"/>'))
    sentence.add_run(" avance.")
    _add_footnotes_part(document)

    document.add_paragraph("Premier levier.", style="List Bullet")
    document.add_paragraph("Deuxième levier.", style="List Bullet 2")
    document.add_paragraph("Étape un.", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "Territoire", (0, 1): "Suites", (1, 0): "Commune W"}.items():
        table.cell(row, col).text = text
    table.cell(1, 1).text = "Un forum"
    table.cell(1, 1).add_table(rows=1, cols=1).cell(0, 0).text = "imbriqué"
    document.add_paragraph("Après le tableau.")

    intertitle = document.styles.add_style("Intertitre", 1)  # WD_STYLE_TYPE.PARAGRAPH
    intertitle.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl xmlns:w="{_W}" w:val="1"/>'))
    document.add_paragraph("Ateliers", style="Intertitre")
    control = parse_xml(
        f'<w:sdt xmlns:w="{_W}"><w:sdtPr><w:alias w:val="Résumé"/></w:sdtPr><w:sdtContent>'
        "<w:p><w:r><w:t>Texte dans un contrôle de contenu.</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    document.add_paragraph("Avant le contrôle.")._p.addnext(control)
    direct = document.add_paragraph("Bilan")
    direct._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl xmlns:w="{_W}" w:val="1"/>'))
    document.add_paragraph("Fin du rapport.")
    document.save(str(path))


def test_docx_reads_lists_notes_controls_and_outline_levels(tmp_path: Path) -> None:
    _build_full_docx(tmp_path / "rapport.docx")

    doc = load_docx(tmp_path / "rapport.docx")

    assert (doc.title, doc.session, doc.tables) == ("Rapport de la journée 5", 5, 1)
    assert [(b.section, b.text) for b in doc.blocks] == [
        ("Contexte", "La transition des territoires avance."),
        ("Contexte", "Selon le bilan de 2025."),
        ("Contexte", "Premier levier."),
        ("Contexte", "Deuxième levier."),
        ("Contexte", "Étape un."),
        ("Contexte", "Territoire : Commune W. Suites : Un forum imbriqué."),
        ("Contexte", "Après le tableau."),
        ("Ateliers", "Avant le contrôle."),
        ("Ateliers", "Texte dans un contrôle de contenu."),
        ("Bilan", "Fin du rapport."),
    ]


def test_designed_report_key_sentences_survive_in_one_block(designed_report: DesignedReport) -> None:
    """The LibreOffice-made report (lists, columns, a footnote, a long table), as .odt and as .docx."""
    report = designed_report
    sentences = [sentence for sentence, _page in report.expectations.key_sentences]
    sentences.append(report.expectations.footnote[0])
    for loaded in (load_odt(report.odt), load_docx(report.docx)):
        texts = [block.text for block in loaded.blocks]
        assert [s for s in sentences if not any(s in text for text in texts)] == [], loaded.source
        assert loaded.title == "Bilan du cycle de journées d'initiation au changement systémique"
        assert loaded.tables == 1
