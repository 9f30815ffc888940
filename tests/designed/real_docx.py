"""Write real-layout blocks as a Word user writes a document, with python-docx."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph as WordParagraph

from tests.designed.real_blocks import Block, Box, Bullets, Figure, Grid, Heading, Paragraph

SERIF = "Liberation Serif"
SANS = "Liberation Sans"
HEADINGS_NUMBERING = (
    100  # numId (above the template's) of the heading numbering; bullet lists take the next ones
)
BOX_COLOUR = "1F4E79"


@dataclass(frozen=True)
class WordFile:
    """What a python-docx document is made of: its title page, footers and blocks."""

    title: str
    subtitle: str
    title_sentence: str
    odd_footer: str
    even_footer: str
    blocks: tuple[Block, ...]


def _plain_fonts(style_element: object, name: str) -> None:
    """Set a style's fonts to ``name`` and drop theme fonts (which would win over it)."""
    rpr = style_element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), name)


def _style(document: WordDocument, name: str, font: str, size: float, *, bold: bool = False) -> None:
    style = document.styles[name]
    _plain_fonts(style.element, font)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)


def _french_hyphenated(document: WordDocument) -> None:
    """French on the Normal style and automatic hyphenation in the settings, as Word writes them."""
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="fr-FR" w:eastAsia="fr-FR" w:bidi="ar-SA"/>'))
    document.settings.element.append(parse_xml(f"<w:autoHyphenation {nsdecls('w')}/>"))


def _level(ilvl: int, text: str, *, bullet: bool, font: str = "", indent: int = 0) -> str:
    fmt = "bullet" if bullet else "decimal"
    fonts = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr>' if font else ""
    suffix = "" if bullet else '<w:suff w:val="space"/>'
    hanging = 360 if bullet else 0
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{suffix}'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent}" w:hanging="{hanging}"/></w:pPr>{fonts}</w:lvl>'
    )


class DocxWriter:
    """Turns blocks into a python-docx document."""

    def __init__(self, content: WordFile) -> None:
        self.content = content
        self.document = Document()
        self.lists = 0
        self._page()
        self._styles()
        self._numbering()

    def _page(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.6)
        section.footer_distance = Cm(0.8)
        section.different_first_page_header_footer = True
        self.document.settings.odd_and_even_pages_header_footer = True
        section.first_page_footer.is_linked_to_previous = False  # an empty footer on the title page
        self._footer(section.footer.paragraphs[0], self.content.odd_footer)
        section.even_page_footer.is_linked_to_previous = False
        self._footer(section.even_page_footer.paragraphs[0], self.content.even_footer)

    def _footer(self, paragraph: WordParagraph, text: str) -> None:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(f"{text} — ")
        run.font.size = Pt(9)
        field = parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:rPr><w:sz w:val="18"/></w:rPr>'
            "<w:t>2</w:t></w:r></w:fldSimple>"
        )
        paragraph._p.append(field)

    def _styles(self) -> None:
        _style(self.document, "Normal", SERIF, 11)
        normal = self.document.styles["Normal"].paragraph_format
        normal.space_after, normal.space_before, normal.line_spacing = Pt(5), Pt(0), 1.0
        _style(self.document, "Title", SANS, 24, bold=True)
        title = self.document.styles["Title"].element.get_or_add_pPr()
        title.append(parse_xml(f"<w:suppressAutoHyphens {nsdecls('w')}/>"))
        _style(self.document, "Subtitle", SERIF, 15)
        _style(self.document, "Heading 1", SANS, 14, bold=True)
        _style(self.document, "Heading 2", SANS, 12, bold=True)
        for name, before in (("Heading 1", 16), ("Heading 2", 10)):
            spacing = self.document.styles[name].paragraph_format
            spacing.space_before, spacing.space_after = Pt(before), Pt(5)
        _french_hyphenated(self.document)

    def _numbering(self) -> None:
        """The heading numbering (« 1. », « 1.1 ») and one bullet definition per list, in symbol fonts."""
        numbering = self.document.part.numbering_part.element
        lists = [block for block in self.content.blocks if isinstance(block, Bullets)]
        abstracts = [
            '<w:abstractNum w:abstractNumId="100"><w:multiLevelType w:val="multilevel"/>'
            + _level(0, "%1.", bullet=False)
            + _level(1, "%1.%2", bullet=False)
            + "</w:abstractNum>"
        ]
        for index, bullets in enumerate(lists, start=1):
            abstracts.append(
                f'<w:abstractNum w:abstractNumId="{100 + index}"><w:multiLevelType w:val="hybridMultilevel"/>'
                + _level(0, bullets.char, bullet=True, font=bullets.font, indent=720)
                + "</w:abstractNum>"
            )
        first_num = numbering.find(qn("w:num"))
        for xml in abstracts:
            element = parse_xml(xml.replace("<w:abstractNum ", f"<w:abstractNum {nsdecls('w')} ", 1))
            if first_num is None:
                numbering.append(element)
            else:
                first_num.addprevious(element)
        for index in range(len(lists) + 1):
            numbering.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{HEADINGS_NUMBERING + index}">'
                    f'<w:abstractNumId w:val="{100 + index}"/></w:num>'
                )
            )

    @staticmethod
    def _number(paragraph: WordParagraph, num_id: int, level: int) -> None:
        properties = paragraph._p.get_or_add_pPr()
        properties.append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
            )
        )

    def write(self, path: Path) -> Path:
        document = self.document
        document.core_properties.title = self.content.title
        document.core_properties.language = "fr-FR"
        document.add_paragraph(self.content.title, style="Title")
        document.add_paragraph(self.content.subtitle, style="Subtitle")
        self._body(self.content.title_sentence)
        for block in self.content.blocks:
            self.block(block)
        document.save(str(path))
        return path

    def block(self, block: Block) -> None:
        match block:
            case Heading():
                self.heading(block)
            case Paragraph():
                self.paragraph(block)
            case Bullets():
                self.bullets(block)
            case Box():
                self.box(block)
            case Grid():
                self.grid(block)
            case Figure():
                raise ValueError("figures are drawn in the ODT report only")
            case _:
                raise TypeError(f"no Word rendering for {block!r}")

    def heading(self, heading: Heading) -> None:
        paragraph = self.document.add_paragraph(heading.title, style=f"Heading {heading.level}")
        paragraph.paragraph_format.page_break_before = heading.new_page
        paragraph.paragraph_format.keep_with_next = True
        if heading.number:
            self._number(paragraph, HEADINGS_NUMBERING, heading.level - 1)

    def _body(self, text: str) -> WordParagraph:
        paragraph = self.document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        return paragraph

    def paragraph(self, paragraph: Paragraph) -> None:
        if paragraph.notes:
            raise ValueError("python-docx writes no footnotes: notes are in the ODT and Word-export PDFs")
        if not paragraph.lead:
            self._body(paragraph.text)
            return
        lead = self.document.add_paragraph()
        run = lead.add_run(paragraph.text)
        run.bold, run.font.size = True, Pt(12.5)
        lead.paragraph_format.space_after = Pt(8)

    def bullets(self, bullets: Bullets) -> None:
        self.lists += 1
        for item in bullets.items:
            paragraph = self._body(item)
            paragraph.paragraph_format.space_after = Pt(2)
            self._number(paragraph, HEADINGS_NUMBERING + self.lists, 0)

    def box(self, box: Box) -> None:
        """A one-cell table with a coloured border and roomy margins, holding the box's paragraphs."""
        table = self.document.add_table(rows=1, cols=1)
        table.style = self.document.styles["Table Grid"]
        _box_borders(table)
        table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
        cell = table.cell(0, 0)
        title = cell.paragraphs[0]
        run = title.add_run(box.heading)
        run.bold = True
        run.font.name = SANS
        for line in box.lines:
            paragraph = cell.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if line.strong else WD_ALIGN_PARAGRAPH.JUSTIFY
            text = paragraph.add_run(line.text)
            text.bold = line.strong
            if box.small:
                text.font.size = Pt(9.5)
        self.document.add_paragraph().paragraph_format.space_after = Pt(0)

    def grid(self, grid: Grid) -> None:
        """A ruled table whose first row is a bold header row, repeated on a new page."""
        table = self.document.add_table(rows=1 + len(grid.rows), cols=len(grid.header))
        table.style = self.document.styles["Table Grid"]
        for row, cells in zip(table.rows, (grid.header, *grid.rows), strict=True):
            for cell, value in zip(row.cells, cells, strict=True):
                cell.paragraphs[0].add_run(value).bold = cells is grid.header
        table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
        self.document.add_paragraph().paragraph_format.space_after = Pt(0)


def _box_borders(table: Table) -> None:
    """0.75 pt borders in the box colour and 0.3 cm inner margins, as a designer sets a box."""
    properties = table._tbl.tblPr
    sides = "".join(
        f'<w:{side} w:val="single" w:sz="6" w:space="0" w:color="{BOX_COLOUR}"/>'
        for side in ("top", "left", "bottom", "right")
    )
    properties.append(parse_xml(f"<w:tblBorders {nsdecls('w')}>{sides}</w:tblBorders>"))
    margins = "".join(f'<w:{side} w:w="170" w:type="dxa"/>' for side in ("top", "left", "bottom", "right"))
    properties.append(parse_xml(f"<w:tblCellMar {nsdecls('w')}>{margins}</w:tblCellMar>"))


def write_docx(path: Path, content: WordFile) -> Path:
    """Write ``content`` as a DOCX at ``path``."""
    return DocxWriter(content).write(path)
