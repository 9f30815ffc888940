"""Write the activity report as an ODT with odfpy, laid out as a designer lays out a report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from odf import dc
from odf import draw as dr
from odf import style as st
from odf import table as tb
from odf import text as tx
from odf.element import Element
from odf.opendocument import OpenDocumentText
from PIL import Image, ImageDraw

from tests.designed.odt import a4_layout
from tests.designed.real_blocks import Band, Block, Box, Bullets, Figure, Grid, Heading, Paragraph
from tests.designed.real_content import BLOCKS, EVEN_FOOTER, ODD_FOOTER, SUBTITLE, TITLE, TITLE_SENTENCE

SERIF = "Liberation Serif"
SANS = "Liberation Sans"
FRENCH = {
    "language": "fr",
    "country": "FR",
    "hyphenate": "true",
    "hyphenationremaincharcount": "2",
    "hyphenationpushcharcount": "2",
}
TEXT_WIDTH = "17cm"
FIGURE_HEIGHT = "5.2cm"


class ReportStyles:
    """The named styles of the report, made once."""

    def __init__(self, doc: OpenDocumentText) -> None:
        self.doc = doc
        self._fonts()
        self._defaults()
        self.body = self._paragraph("Text_20_body", align="justify", below="0.2cm")
        self.lead = self._paragraph("Chapo", align="left", size="12.5pt", weight="600", below="0.25cm")
        self.title = self._paragraph("Title", align="center", size="24pt", weight="bold", font=SANS)
        self.subtitle = self._paragraph("Subtitle", align="center", size="15pt", italic=True, below="1cm")
        self.caption = self._paragraph("Figure", align="center", size="9.5pt", italic=True, below="0.35cm")
        self.centre = self._paragraph("Figure_20_frame", align="center", below="0.1cm")
        self.box_heading = self._paragraph("Encadre_titre", align="left", weight="bold", font=SANS)
        self.box_text = self._paragraph("Encadre", align="justify", below="0.1cm")
        self.box_small = self._paragraph("Encadre_juridique", align="justify", size="9.5pt", below="0.1cm")
        self.question = self._paragraph("Question", align="left", weight="bold", below="0.05cm")
        self.cell = self._paragraph("Table_20_Contents", align="left")
        self.cell_head = self._paragraph("Table_20_Heading", align="center", weight="bold")
        self.list_body = self._paragraph("List", align="justify", below="0.1cm")
        self.footnote = self._paragraph("Footnote", align="justify", size="9pt")
        self.footer = self._paragraph("Footer", align="center", size="9pt")
        self.heading1 = self._heading(1, "14pt", above="0.5cm")
        self.heading2 = self._heading(2, "12pt", above="0.35cm")
        self.title_page = self._automatic("P_Premiere", self.title, master="Premiere")
        self.first_chapter = self._automatic("P_Courante", self.heading1, master="Standard")
        self.chapter_break = self._automatic("P_Saut", self.heading1, breakbefore="page")
        self.frame = self._frame_style()
        self._notes()
        self._outline()
        self._masters()

    def _fonts(self) -> None:
        for name, generic in ((SERIF, "roman"), (SANS, "swiss")):
            self.doc.fontfacedecls.addElement(
                st.FontFace(
                    name=name, fontfamily=f"'{name}'", fontfamilygeneric=generic, fontpitch="variable"
                )
            )
        self.doc.fontfacedecls.addElement(
            st.FontFace(
                name="Wingdings", fontfamily="Wingdings", fontcharset="x-symbol", fontpitch="variable"
            )
        )

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
        *,
        align: str,
        size: str = "11pt",
        weight: str = "",
        italic: bool = False,
        font: str = SERIF,
        below: str = "0cm",
    ) -> st.Style:
        style = st.Style(name=name, family="paragraph", parentstylename="Standard")
        style.addElement(st.ParagraphProperties(textalign=align, margintop="0cm", marginbottom=below))
        text = {"fontname": font, "fontsize": size}
        if weight:
            text["fontweight"] = weight
        if italic:
            text["fontstyle"] = "italic"
        style.addElement(st.TextProperties(**text))
        self.doc.styles.addElement(style)
        return style

    def _heading(self, level: int, size: str, *, above: str) -> st.Style:
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

    def _automatic(self, name: str, parent: st.Style, master: str = "", **paragraph: str) -> st.Style:
        extra = {"masterpagename": master} if master else {}
        style = st.Style(name=name, family="paragraph", parentstylename=parent, **extra)
        style.addElement(st.ParagraphProperties(**paragraph))
        self.doc.automaticstyles.addElement(style)
        return style

    def _notes(self) -> None:
        """Raised note numbers, in the text and before each note at the page foot, as Writer's."""
        names = []
        for name in ("Footnote_20_Symbol", "Footnote_20_anchor"):
            style = st.Style(name=name, family="text")
            style.addElement(st.TextProperties(textposition="super 58%"))
            self.doc.styles.addElement(style)
            names.append(name)
        self.doc.styles.addElement(
            tx.NotesConfiguration(
                noteclass="footnote",
                citationstylename=names[0],
                citationbodystylename=names[1],
                numformat="1",
                startvalue="0",
                footnotesposition="page",
                startnumberingat="document",
            )
        )

    def _frame_style(self) -> st.Style:
        """Writer's « Frame » graphic style, which makes a draw:frame a text frame, not a shape."""
        style = st.Style(name="Frame", family="graphic")
        style.addElement(
            st.GraphicProperties(
                anchortype="paragraph",
                x="0cm",
                y="0cm",
                wrap="none",
                verticalpos="top",
                verticalrel="paragraph-content",
                horizontalpos="center",
                horizontalrel="paragraph-content",
            )
        )
        self.doc.styles.addElement(style)
        return style

    def _outline(self) -> None:
        """Chapter numbering « 1. » then « 1.1 », as Writer's."""
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

    def bullet_list(self, name: str, bullets: Bullets) -> tx.ListStyle:
        """A list style whose bullet is ``bullets.char`` in ``bullets.font`` (a symbol font)."""
        style = tx.ListStyle(name=name)
        level = tx.ListLevelStyleBullet(level=1, bulletchar=bullets.char)
        properties = st.ListLevelProperties(listlevelpositionandspacemode="label-alignment")
        properties.addElement(
            st.ListLevelLabelAlignment(
                labelfollowedby="listtab", listtabstopposition="1cm", textindent="-0.5cm", marginleft="1cm"
            )
        )
        level.addElement(properties)
        level.addElement(st.TextProperties(fontname=bullets.font))
        style.addElement(level)
        self.doc.styles.addElement(style)
        return style

    def _masters(self) -> None:
        """A title page without footer, then pages whose footer differs on odd and even pages."""
        layout = a4_layout(margintop="1.8cm")
        footer = st.FooterStyle()
        footer.addElement(st.HeaderFooterProperties(minheight="0.6cm", margintop="0.5cm"))
        layout.addElement(footer)
        self.doc.automaticstyles.addElement(layout)
        self.doc.masterstyles.addElement(st.MasterPage(name="Premiere", pagelayoutname=layout))
        master = st.MasterPage(name="Standard", pagelayoutname=layout)
        odd, even = st.Footer(), st.FooterLeft()
        odd.addElement(self._footer_line(ODD_FOOTER))
        even.addElement(self._footer_line(EVEN_FOOTER))
        master.addElement(odd)
        master.addElement(even)
        self.doc.masterstyles.addElement(master)

    def _footer_line(self, text: str) -> Element:
        line = tx.P(stylename=self.footer, text=f"{text} — ")
        line.addElement(tx.PageNumber(selectpage="current", text="2"))
        return line


class ReportWriter:
    """Turns the report's blocks into ODT elements."""

    def __init__(self, figure: Path) -> None:
        self.doc = OpenDocumentText()
        self.doc.meta.addElement(dc.Title(text=TITLE))
        self.doc.meta.addElement(dc.Language(text="fr-FR"))
        self.styles = ReportStyles(self.doc)
        self.figure = self.doc.addPicture(str(figure))
        self.counter = 0
        self.notes = 0

    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def write(self, path: Path) -> Path:
        self.doc.text.addElement(tx.P(stylename=self.styles.title_page, text=TITLE))
        self.doc.text.addElement(tx.P(stylename=self.styles.subtitle, text=SUBTITLE))
        self.doc.text.addElement(tx.P(stylename=self.styles.body, text=TITLE_SENTENCE))
        first = True
        for block in BLOCKS:
            self.doc.text.addElement(self.block(block, first_chapter=first))
            first = first and not isinstance(block, Heading)
        self.doc.save(str(path))
        return path

    def block(self, block: Block, *, first_chapter: bool = False) -> Element:
        if isinstance(block, Heading):
            return self.heading(block, first_chapter)
        if isinstance(block, Box):
            return self.frame_box(block) if block.frame else self.table_box(block)
        writers: dict[type, Callable[..., Element]] = {
            Paragraph: self.paragraph,
            Bullets: self.bullets,
            Grid: self.grid,
            Figure: self.figure_block,
            Band: self.band,
        }
        if type(block) not in writers:
            raise TypeError(f"unknown block {block!r}")
        return writers[type(block)](block)

    def heading(self, heading: Heading, first_chapter: bool) -> Element:
        """A text:h with the title only: LibreOffice numbers it, or not (a list header)."""
        style = self.styles.heading1 if heading.level == 1 else self.styles.heading2
        if heading.level == 1 and first_chapter:
            style = self.styles.first_chapter
        elif heading.new_page:
            style = self.styles.chapter_break
        extra = {} if heading.number else {"islistheader": "true"}
        return tx.H(outlinelevel=heading.level, stylename=style, text=heading.title, **extra)

    def paragraph(self, paragraph: Paragraph) -> Element:
        style = self.styles.lead if paragraph.lead else self.styles.body
        element = tx.P(stylename=style)
        rest = paragraph.text
        for note in paragraph.notes:
            before, found, rest = rest.partition(note.after)
            if not found:
                raise ValueError(f"note anchor {note.after!r} not in its paragraph")
            element.addText(before + note.after)
            element.addElement(self.note(note.text, note.number))
        element.addText(rest)
        return element

    def note(self, text: str, number: int) -> Element:
        self.notes += 1
        if number != self.notes:
            raise ValueError(f"note {number} would be numbered {self.notes} by LibreOffice")
        call = tx.Note(id=f"ftn{number}", noteclass="footnote")
        call.addElement(tx.NoteCitation(text=str(number)))
        body = tx.NoteBody()
        body.addElement(tx.P(stylename=self.styles.footnote, text=text))
        call.addElement(body)
        return call

    def bullets(self, bullets: Bullets) -> Element:
        element = tx.List(stylename=self.styles.bullet_list(self.name("Puces"), bullets))
        for item in bullets.items:
            entry = tx.ListItem()
            entry.addElement(tx.P(stylename=self.styles.list_body, text=item))
            element.addElement(entry)
        return element

    def box_paragraphs(self, box: Box) -> list[Element]:
        text_style = self.styles.box_small if box.small else self.styles.box_text
        paragraphs = [tx.P(stylename=self.styles.box_heading, text=box.heading)]
        for line in box.lines:
            paragraphs.append(
                tx.P(stylename=self.styles.question if line.strong else text_style, text=line.text)
            )
        return paragraphs

    def table_box(self, box: Box) -> Element:
        """A one-column, one-cell table with a border: how a box is often made in a word processor."""
        name = self.name("Encadre")
        table_style = st.Style(name=name, family="table")
        table_style.addElement(
            st.TableProperties(width=TEXT_WIDTH, align="margins", margintop="0.2cm", marginbottom="0.3cm")
        )
        cell_style = st.Style(name=f"{name}.A1", family="table-cell")
        cell_style.addElement(st.TableCellProperties(border="0.75pt solid #1f4e79", padding="0.3cm"))
        for style in (table_style, cell_style):
            self.doc.automaticstyles.addElement(style)
        table = tb.Table(name=name, stylename=table_style)
        table.addElement(tb.TableColumn())
        row, cell = tb.TableRow(), tb.TableCell(stylename=cell_style, valuetype="string")
        for paragraph in self.box_paragraphs(box):
            cell.addElement(paragraph)
        row.addElement(cell)
        table.addElement(row)
        return table

    def frame_box(self, box: Box) -> Element:
        """A bordered text frame anchored to an empty paragraph, as wide as the text, nothing beside it."""
        name = self.name("Cadre")
        frame_style = st.Style(name=name, family="graphic", parentstylename=self.styles.frame)
        frame_style.addElement(
            st.GraphicProperties(
                border="0.75pt solid #1f4e79",
                padding="0.3cm",
                wrap="none",
                verticalpos="top",
                fill="none",
                verticalrel="paragraph",
                horizontalpos="center",
                horizontalrel="paragraph",
                margintop="0.2cm",
                marginbottom="0.3cm",
            )
        )
        self.doc.automaticstyles.addElement(frame_style)
        frame = dr.Frame(
            stylename=frame_style, name=name, anchortype="paragraph", width=TEXT_WIDTH, zindex="0"
        )
        textbox = dr.TextBox(minheight="1cm")
        for paragraph in self.box_paragraphs(box):
            textbox.addElement(paragraph)
        frame.addElement(textbox)
        anchor = tx.P(stylename=self.styles.body)
        anchor.addElement(frame)
        return anchor

    def grid(self, grid: Grid) -> Element:
        """A ruled table with a header row."""
        name = self.name("Tableau")
        table_style = st.Style(name=name, family="table")
        table_style.addElement(
            st.TableProperties(width=TEXT_WIDTH, align="margins", margintop="0.2cm", marginbottom="0.3cm")
        )
        cell_style = st.Style(name=f"{name}.cellule", family="table-cell")
        cell_style.addElement(st.TableCellProperties(border="0.5pt solid #000000", padding="0.1cm"))
        for style in (table_style, cell_style):
            self.doc.automaticstyles.addElement(style)
        table = tb.Table(name=name, stylename=table_style)
        table.addElement(tb.TableColumn(numbercolumnsrepeated=len(grid.header)))
        header = tb.TableHeaderRows()
        header.addElement(self.row(grid.header, cell_style, self.styles.cell_head))
        table.addElement(header)
        for cells in grid.rows:
            table.addElement(self.row(cells, cell_style, self.styles.cell))
        return table

    def row(self, cells: tuple[str, ...], cell_style: st.Style, text_style: st.Style) -> Element:
        row = tb.TableRow()
        for value in cells:
            cell = tb.TableCell(stylename=cell_style, valuetype="string")
            cell.addElement(tx.P(stylename=text_style, text=value))
            row.addElement(cell)
        return row

    def figure_block(self, figure: Figure) -> Element:
        """The picture as a character in a centred paragraph, then its caption: one paragraph each."""
        frame = dr.Frame(anchortype="as-char", width=TEXT_WIDTH, height=FIGURE_HEIGHT, zindex="1")
        frame.addElement(dr.Image(href=self.figure))
        holder = tx.P(stylename=self.styles.centre)
        holder.addElement(frame)
        section = tx.Section(name=self.name("Figure"))
        section.addElement(holder)
        section.addElement(tx.P(stylename=self.styles.caption, text=figure.caption))
        return section

    def band(self, band: Band) -> Element:
        """A two-column section, balanced, 0.8 cm gutter: one horizontal band of the page."""
        name = self.name("Bande")
        style = st.Style(name=f"S{name}", family="section")
        properties = st.SectionProperties(dontbalancetextcolumns="false", editable="false")
        columns = st.Columns(columncount=2)
        columns.addElement(st.Column(relwidth="1000*", startindent="0cm", endindent="0.4cm"))
        columns.addElement(st.Column(relwidth="1000*", startindent="0.4cm", endindent="0cm"))
        properties.addElement(columns)
        style.addElement(properties)
        self.doc.automaticstyles.addElement(style)
        section = tx.Section(name=name, stylename=style)
        for block in band.blocks:
            section.addElement(self.block(block))
        return section


def draw_figure(path: Path) -> Path:
    """A bar chart without any text (its caption is the report's), as a PNG."""
    image = Image.new("RGB", (1700, 520), "white")
    pen = ImageDraw.Draw(image)
    pen.line((80, 470, 1650, 470), fill="black", width=4)
    pen.line((80, 40, 80, 470), fill="black", width=4)
    for index, value in enumerate((11, 6, 4, 3, 2, 1)):
        left = 150 + index * 250
        pen.rectangle((left, 470 - value * 36, left + 160, 470), fill=(31, 78, 121))
    image.save(path)
    return path


def write_report_odt(path: Path) -> Path:
    """Write the activity report's ODT at ``path`` (its figure beside it)."""
    figure = draw_figure(path.with_name(f"{path.stem}-figure.png"))
    return ReportWriter(figure).write(path)
