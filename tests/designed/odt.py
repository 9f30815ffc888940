"""Write the designed report as an ODT with odfpy, using the layout features of a real office suite.

Everything that a word processor generates by itself is left to LibreOffice: heading numbers come
from the outline style, list labels from list styles, page numbers from a field, hyphens from
French automatic hyphenation, the repeated table header from ``table:table-header-rows``. That is
what makes the PDF a realistic test of the reader, unlike a PDF drawn line by line.
"""

from __future__ import annotations

from pathlib import Path

from odf import dc
from odf import style as st
from odf import table as tb
from odf import text as tx
from odf.element import Element
from odf.opendocument import OpenDocumentText

from tests.designed.content import (
    BLOCKS,
    FOOTER,
    HEADER,
    SUBTITLE,
    TABLE_HEADER,
    TITLE,
    Block,
    Columns,
    Heading,
    ItemList,
    Paragraph,
    Table,
)

SERIF = "Liberation Serif"
SANS = "Liberation Sans"
# Hyphenation is a text property in ODF (fo:hyphenate and the char counts live on style:text-properties).
FRENCH = {
    "language": "fr",
    "country": "FR",
    "hyphenate": "true",
    "hyphenationremaincharcount": "2",
    "hyphenationpushcharcount": "2",
}
TABLE_WIDTHS = ("3.2cm", "6.9cm", "6.9cm")


class Styles:
    """The named styles of the document, created once and referred to by the writer."""

    def __init__(self, doc: OpenDocumentText) -> None:
        self.doc = doc
        self._fonts()
        self._defaults()
        self.body = self._paragraph("Text_20_body", "Text body", align="justify", below="0.2cm")
        self.title = self._paragraph("Title", "Title", align="center", size="18pt", bold=True, font=SANS)
        self.subtitle = self._paragraph("Subtitle", "Subtitle", align="center", italic=True, below="0.5cm")
        self.heading1 = self._heading(1, "14pt", above="0.5cm")
        self.heading2 = self._heading(2, "12.5pt", above="0.35cm")
        self.heading1_break = self._automatic("H1Break", "paragraph", self.heading1, breakbefore="page")
        self.list_body = self._paragraph("List", "List", align="justify", below="0.1cm")
        self.footnote = self._paragraph("Footnote", "Footnote", align="justify", size="9pt")
        self.header = self._paragraph("Header", "Header", align="center", size="9pt", italic=True)
        self.footer = self._paragraph("Footer", "Footer", align="center", size="9pt")
        self.cell_text = self._paragraph("Table_20_Contents", "Table Contents", align="left")
        self.cell_heading = self._paragraph("Table_20_Heading", "Table Heading", align="center", bold=True)
        self._outline()
        self.bullets = self._list("Puces", numbered=False)
        self.numbers = self._list("Numeros", numbered=True)
        self._page()

    def _fonts(self) -> None:
        for name, generic in ((SERIF, "roman"), (SANS, "swiss")):
            face = st.FontFace(
                name=name, fontfamily=f"'{name}'", fontfamilygeneric=generic, fontpitch="variable"
            )
            self.doc.fontfacedecls.addElement(face)

    def _defaults(self) -> None:
        default = st.DefaultStyle(family="paragraph")
        default.addElement(st.TextProperties(fontname=SERIF, fontsize="11pt", **FRENCH))
        default.addElement(st.ParagraphProperties(hyphenationladdercount="no-limit"))
        self.doc.styles.addElement(default)
        standard = st.Style(name="Standard", family="paragraph", attributes={"class": "text"})
        standard.addElement(st.TextProperties(fontname=SERIF, fontsize="11pt", **FRENCH))
        self.doc.styles.addElement(standard)

    def _paragraph(
        self,
        name: str,
        display: str,
        *,
        align: str,
        size: str = "11pt",
        bold: bool = False,
        italic: bool = False,
        font: str = SERIF,
        below: str = "0cm",
    ) -> st.Style:
        style = st.Style(name=name, displayname=display, family="paragraph", parentstylename="Standard")
        style.addElement(st.ParagraphProperties(textalign=align, margintop="0cm", marginbottom=below))
        text = {"fontname": font, "fontsize": size}
        if bold:
            text["fontweight"] = "bold"
        if italic:
            text["fontstyle"] = "italic"
        style.addElement(st.TextProperties(**text))
        self.doc.styles.addElement(style)
        return style

    def _heading(self, level: int, size: str, *, above: str) -> st.Style:
        """A heading style assigned to an outline level, so that LibreOffice numbers it."""
        style = st.Style(
            name=f"Heading_20_{level}",
            displayname=f"Heading {level}",
            family="paragraph",
            parentstylename="Standard",
            defaultoutlinelevel=str(level),
            nextstylename="Text_20_body",
            attributes={"class": "text"},
        )
        style.addElement(
            st.ParagraphProperties(
                margintop=above, marginbottom="0.2cm", keepwithnext="always", textalign="left"
            )
        )
        style.addElement(
            st.TextProperties(fontname=SANS, fontsize=size, fontweight="bold", hyphenate="false")
        )
        self.doc.styles.addElement(style)
        return style

    def _automatic(self, name: str, family: str, parent: st.Style, **paragraph: str) -> st.Style:
        style = st.Style(name=name, family=family, parentstylename=parent)
        style.addElement(st.ParagraphProperties(**paragraph))
        self.doc.automaticstyles.addElement(style)
        return style

    def _outline(self) -> None:
        """Outline numbering « 1. » then « 1.1 », followed by a space, as Writer's chapter numbering."""
        outline = tx.OutlineStyle(name="Outline")
        for level in range(1, 11):
            attributes = {"level": level, "numformat": "1" if level <= 2 else ""}
            if level == 1:
                attributes["numsuffix"] = "."
            if level == 2:
                attributes["displaylevels"] = 2
            number = tx.OutlineLevelStyle(**attributes)
            properties = st.ListLevelProperties(listlevelpositionandspacemode="label-alignment")
            properties.addElement(st.ListLevelLabelAlignment(labelfollowedby="space"))
            number.addElement(properties)
            outline.addElement(number)
        self.doc.styles.addElement(outline)

    def _list(self, name: str, *, numbered: bool) -> tx.ListStyle:
        style = tx.ListStyle(name=name)
        if numbered:
            level = tx.ListLevelStyleNumber(level=1, numformat="1", numsuffix=".")
        else:
            level = tx.ListLevelStyleBullet(level=1, bulletchar="•")
        properties = st.ListLevelProperties(listlevelpositionandspacemode="label-alignment")
        properties.addElement(
            st.ListLevelLabelAlignment(
                labelfollowedby="listtab", listtabstopposition="1cm", textindent="-0.5cm", marginleft="1cm"
            )
        )
        level.addElement(properties)
        style.addElement(level)
        self.doc.styles.addElement(style)
        return style

    def _page(self) -> None:
        """A4 page with a running header and a footer carrying the page-number field."""
        layout = a4_layout(margintop="1.5cm")
        header = st.HeaderStyle()
        header.addElement(st.HeaderFooterProperties(minheight="0.6cm", marginbottom="0.5cm"))
        layout.addElement(header)
        footer = st.FooterStyle()
        footer.addElement(st.HeaderFooterProperties(minheight="0.6cm", margintop="0.5cm"))
        layout.addElement(footer)
        self.doc.automaticstyles.addElement(layout)
        master = st.MasterPage(name="Standard", pagelayoutname=layout)
        running = st.Header()
        running.addElement(tx.P(stylename=self.header, text=HEADER))
        master.addElement(running)
        bottom = st.Footer()
        line = tx.P(stylename=self.footer, text=f"{FOOTER} — Page ")
        line.addElement(tx.PageNumber(selectpage="current", text="1"))
        bottom.addElement(line)
        master.addElement(bottom)
        self.doc.masterstyles.addElement(master)


class OdtWriter:
    """Turns the content blocks into ODT elements."""

    def __init__(self, *, ruled: bool = True) -> None:
        self.ruled = ruled  # False: the table without any rule, its columns aligned by whitespace
        self.doc = OpenDocumentText()
        # Title and language in the metadata too: readers may take the title from there.
        self.doc.meta.addElement(dc.Title(text=TITLE))
        self.doc.meta.addElement(dc.Language(text="fr-FR"))
        self.styles = Styles(self.doc)
        self.sections = 0
        self.row_style: st.Style | None = None

    def write(self, path: Path) -> Path:
        self.doc.text.addElement(tx.P(stylename=self.styles.title, text=TITLE))
        self.doc.text.addElement(tx.P(stylename=self.styles.subtitle, text=SUBTITLE))
        for block in BLOCKS:
            self.doc.text.addElement(self.block(block))
        self.doc.save(str(path))
        return path

    def block(self, block: Block) -> Element:
        match block:
            case Heading():
                return self.heading(block)
            case Paragraph():
                return self.paragraph(block)
            case ItemList():
                return self.item_list(block)
            case Columns():
                return self.columns(block)
            case Table():
                return self.table(block)
        raise TypeError(f"unknown block {block!r}")

    def heading(self, heading: Heading) -> Element:
        """A text:h with only the title: the number is LibreOffice's outline numbering."""
        if heading.level == 1:
            style = self.styles.heading1_break if heading.new_page else self.styles.heading1
        else:
            style = self.styles.heading2
        return tx.H(outlinelevel=heading.level, stylename=style, text=heading.title)

    def paragraph(self, paragraph: Paragraph) -> Element:
        note = paragraph.note
        if note is None:
            return tx.P(stylename=self.styles.body, text=paragraph.text)
        before, found, after = paragraph.text.partition(note.after)
        if not found:
            raise ValueError(f"footnote anchor {note.after!r} not in its paragraph")
        element = tx.P(stylename=self.styles.body, text=before + note.after)
        call = tx.Note(id="ftn1", noteclass="footnote")
        call.addElement(tx.NoteCitation(text="1"))
        body = tx.NoteBody()
        body.addElement(tx.P(stylename=self.styles.footnote, text=note.text))
        call.addElement(body)
        element.addElement(call)
        element.addText(after)
        return element

    def item_list(self, items: ItemList) -> Element:
        element = tx.List(stylename=self.styles.numbers if items.numbered else self.styles.bullets)
        for item in items.items:
            entry = tx.ListItem()
            entry.addElement(tx.P(stylename=self.styles.list_body, text=item))
            element.addElement(entry)
        return element

    def columns(self, columns: Columns) -> Element:
        """A section in columns; the gap is split between neighbouring columns' indents."""
        self.sections += 1
        name = f"Colonnes{self.sections}"
        style = st.Style(name=f"Sect{self.sections}", family="section")
        properties = st.SectionProperties(dontbalancetextcolumns="false", editable="false")
        # No fo:column-gap: LibreOffice reads its presence as "automatic equal widths" and drops rel-width.
        layout = st.Columns(columncount=len(columns.widths))
        for index, width in enumerate(columns.widths):
            first, last = index == 0, index == len(columns.widths) - 1
            layout.addElement(
                st.Column(
                    relwidth=f"{width * 1000}*",
                    startindent="0cm" if first else "0.4cm",
                    endindent="0cm" if last else "0.4cm",
                )
            )
        properties.addElement(layout)
        style.addElement(properties)
        self.doc.automaticstyles.addElement(style)
        section = tx.Section(name=name, stylename=style)
        for block in columns.blocks:
            section.addElement(self.block(block))
        return section

    def table(self, table: Table) -> Element:
        """A ruled table; its first row is a repeated header row."""
        table_style = st.Style(name="Tableau", family="table")
        table_style.addElement(st.TableProperties(width="17cm", align="margins", margintop="0.2cm"))
        self.doc.automaticstyles.addElement(table_style)
        cell = st.Style(name="Cellule", family="table-cell")
        border = "0.5pt solid #000000" if self.ruled else "none"
        cell.addElement(st.TableCellProperties(border=border, padding="0.1cm"))
        self.doc.automaticstyles.addElement(cell)
        head = st.Style(name="CelluleEntete", family="table-cell")
        background = "#e0e0e0" if self.ruled else "transparent"
        head.addElement(st.TableCellProperties(border=border, padding="0.1cm", backgroundcolor=background))
        self.doc.automaticstyles.addElement(head)
        element = tb.Table(name="Suites", stylename=table_style)
        for index, width in enumerate(TABLE_WIDTHS):
            column = st.Style(name=f"Tableau.{'ABC'[index]}", family="table-column")
            column.addElement(st.TableColumnProperties(columnwidth=width))
            self.doc.automaticstyles.addElement(column)
            element.addElement(tb.TableColumn(stylename=column))
        header_rows = tb.TableHeaderRows()
        header_rows.addElement(self.row(TABLE_HEADER, head, self.styles.cell_heading))
        element.addElement(header_rows)
        for row in table.rows:
            element.addElement(self.row(row, cell, self.styles.cell_text))
        return element

    def row(self, cells: tuple[str, ...], cell_style: st.Style, text_style: st.Style) -> Element:
        """A row kept whole on one page, so that every row under the repeated header is complete."""
        if self.row_style is None:
            self.row_style = st.Style(name="Ligne", family="table-row")
            self.row_style.addElement(st.TableRowProperties(keeptogether="always"))
            self.doc.automaticstyles.addElement(self.row_style)
        row = tb.TableRow(stylename=self.row_style)
        for value in cells:
            cell = tb.TableCell(stylename=cell_style, valuetype="string")
            cell.addElement(tx.P(stylename=text_style, text=value))
            row.addElement(cell)
        return row


def write_odt(path: Path, *, ruled: bool = True) -> Path:
    """Write the designed report's ODT at ``path`` (``ruled=False``: its table without rules)."""
    return OdtWriter(ruled=ruled).write(path)


def a4_layout(margintop: str) -> Element:
    """An A4 portrait page layout, 2-cm side margins, with a footnote separator (the header and
    footer styles are the caller's)."""
    layout = st.PageLayout(name="Mise_en_page")
    properties = st.PageLayoutProperties(
        pagewidth="21cm",
        pageheight="29.7cm",
        printorientation="portrait",
        margintop=margintop,
        marginbottom="1.5cm",
        marginleft="2cm",
        marginright="2cm",
    )
    properties.addElement(
        st.FootnoteSep(
            width="0.018cm",
            distancebeforesep="0.1cm",
            distanceaftersep="0.1cm",
            adjustment="left",
            relwidth="25%",
            color="#000000",
        )
    )
    layout.addElement(properties)
    return layout
