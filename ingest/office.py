"""Word (.docx) and OpenDocument (.odt) session notes: headings, paragraphs, tables.

Headings are read from paragraph styles ("Heading 2", "Titre 2", outline
levels); the first level-1 heading is the title. Table rows read as sentences,
like the report's.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.cleanup import normalize_glyphs
from ingest.document import Block, ParsedDocument
from ingest.structure import SectionPath, session_from_text
from ingest.tables import TableRow, clean_cell
from vectorstore.records import KIND_NOTES

_HEADING_STYLE = re.compile(r"^(?:heading|titre|title)\s*(\d)?$", re.IGNORECASE)


class _Builder:
    """Accumulates blocks under the current heading path."""

    def __init__(self) -> None:
        self.title = ""
        self.section = SectionPath()
        self.blocks: list[Block] = []
        self.tables = 0

    def heading(self, level: int, text: str) -> None:
        text = " ".join(normalize_glyphs(text).split())
        if not text:
            return
        if level == 1 and not self.title:
            self.title = text
        else:
            self.section.enter(level, text)

    def paragraph(self, text: str) -> None:
        text = " ".join(normalize_glyphs(text).split())
        if text:
            self.blocks.append(Block(text=text, section=self.section.path))

    def table(self, cells: list[list[str]]) -> None:
        cleaned = [tuple(clean_cell(cell) for cell in row) for row in cells if any(c.strip() for c in row)]
        if len(cleaned) < 2:
            return
        self.tables += 1
        header = cleaned[0]
        for values in cleaned[1:]:
            row = TableRow(0, header, values, self.tables)
            self.blocks.append(
                Block(row.as_sentence(), section=self.section.path, cells=row.pairs, territory=row.territory)
            )

    def document(self, path: Path) -> ParsedDocument:
        return ParsedDocument(
            source=path.name,
            kind=KIND_NOTES,
            title=self.title or path.stem,
            blocks=tuple(self.blocks),
            session=session_from_text([self.title, path.stem]),
            tables=self.tables,
        )


def load_docx(path: Path) -> ParsedDocument:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    builder = _Builder()
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            builder.table([[cell.text for cell in row.cells] for row in item.rows])
        elif isinstance(item, Paragraph):
            match = _HEADING_STYLE.match(item.style.name if item.style is not None else "")
            if match:
                builder.heading(int(match.group(1) or 1), item.text)
            else:
                builder.paragraph(item.text)
    return builder.document(path)


def load_odt(path: Path) -> ParsedDocument:
    from odf import teletype
    from odf.namespaces import TABLENS, TEXTNS
    from odf.opendocument import load
    from odf.table import TableCell
    from odf.table import TableRow as OdfRow

    document = load(str(path))
    builder = _Builder()
    for element in document.text.childNodes:
        if element.qname == (TEXTNS, "h"):
            level = int(element.getAttribute("outlinelevel") or 1)
            builder.heading(level, teletype.extractText(element))
        elif element.qname == (TEXTNS, "p"):
            builder.paragraph(teletype.extractText(element))
        elif element.qname == (TABLENS, "table"):
            rows = element.getElementsByType(OdfRow)
            builder.table(
                [[teletype.extractText(cell) for cell in row.getElementsByType(TableCell)] for row in rows]
            )
    return builder.document(path)
