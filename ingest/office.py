"""Word (.docx) and OpenDocument (.odt) session notes: headings, paragraphs, lists, notes, tables.

The two formats are walked by ``ingest.wordprocessing`` and ``ingest.opendocument``
into the same flat items (heading, paragraph, table), in reading order; this
module turns those into blocks under their heading path. The first level-1
heading is the title. Table rows read as sentences, like the report's.
"""

from __future__ import annotations

from pathlib import Path

from ingest.cleanup import normalize_glyphs
from ingest.document import Block, ParsedDocument
from ingest.office_items import Heading, Item, Table
from ingest.opendocument import body_items
from ingest.structure import SectionPath, session_from_text
from ingest.tables import TableRow, clean_cell
from ingest.wordprocessing import read_docx
from vectorstore.records import KIND_NOTES


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

    def add(self, item: Item) -> None:
        if isinstance(item, Heading):
            self.heading(item.level, item.text)
        elif isinstance(item, Table):
            self.table([list(row) for row in item.rows])
        else:
            self.paragraph(item.text)

    def document(self, path: Path) -> ParsedDocument:
        return ParsedDocument(
            source=path.name,
            kind=KIND_NOTES,
            title=self.title or path.stem,
            blocks=tuple(self.blocks),
            session=session_from_text([self.title, path.stem]),
            tables=self.tables,
        )


def _document(path: Path, items: list[Item]) -> ParsedDocument:
    builder = _Builder()
    for item in items:
        builder.add(item)
    return builder.document(path)


def load_docx(path: Path) -> ParsedDocument:

    return _document(path, read_docx(path))


def load_odt(path: Path) -> ParsedDocument:
    from odf.opendocument import load

    return _document(path, body_items(load(str(path))))
