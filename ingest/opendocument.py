"""OpenDocument text (.odt) body as a flat run of headings, paragraphs and tables.

LibreOffice nests most of a report: bullets in ``text:list``, multi-column parts
in ``text:section`` (sections in sections), notes inside the sentence that calls
them, frames inside paragraphs. Reading only the body's direct children loses
all of that, and ``odf.teletype.extractText`` glues note bodies, comments and
text-box contents into the calling sentence. This walker reads every block in
reading order and keeps those out of the sentence: a note or a frame is read as
its own block right after its paragraph.

Pure: odfpy elements in, items out (the element tree is only read).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from odf.namespaces import DRAWNS, OFFICENS, STYLENS, TABLENS, TEXTNS

from ingest.office_items import Heading, Item, Paragraph, Table

Element = Any  # an odf.element.Element (odfpy has no type hints)

_TEXT_NODE = 3
# Never read: deletions kept for change tracking, cached list/outline numbers
# (the numbering is not part of the text), comments, and generated indexes
# (a table of contents repeats the headings with page numbers).
_SKIPPED = {
    (TEXTNS, "tracked-changes"),
    (TEXTNS, "number"),
    (TEXTNS, "note-citation"),
    (TEXTNS, "ruby-text"),
    (OFFICENS, "annotation"),
    (OFFICENS, "annotation-end"),
    *(
        (TEXTNS, index)
        for index in (
            "table-of-content",
            "illustration-index",
            "table-index",
            "object-index",
            "user-index",
            "alphabetical-index",
            "bibliography",
        )
    ),
}
_ROW_GROUPS = {(TABLENS, "table-header-rows"), (TABLENS, "table-rows"), (TABLENS, "table-row-group")}


def _attribute(element: Element, namespace: str, name: str) -> str | None:
    return element.attributes.get((namespace, name))


def title_styles(document: Element) -> frozenset[str]:
    """Names of the paragraph styles that are (or derive from) the "Title" style.

    LibreOffice writes a report's title as a paragraph in the "Title" style, not as a
    heading; Word's reader takes that style as the title, so this one does too.
    """
    parents: dict[str, str] = {}
    for styles in (document.styles, document.automaticstyles):
        for style in styles.childNodes:
            if style.nodeType != _TEXT_NODE and _attribute(style, STYLENS, "family") == "paragraph":
                parents[_attribute(style, STYLENS, "name") or ""] = (
                    _attribute(style, STYLENS, "parent-style-name") or ""
                )
    titles = set()
    for name in parents:
        ancestor = name
        for _ in range(12):  # the bound stops a cycle
            if ancestor in ("Title", ""):
                break
            ancestor = parents.get(ancestor, "")
        if ancestor == "Title":
            titles.add(name)
    return frozenset(titles)


class Reader:
    """Reads a body (or a section, a cell, a note) into items, in reading order."""

    def __init__(self, titles: frozenset[str] = frozenset()) -> None:
        self.titles = titles

    def blocks(self, element: Element) -> Iterator[Item]:
        for child in element.childNodes:
            if child.nodeType != _TEXT_NODE:  # text between blocks is only XML indentation
                yield from self.block(child)

    def block(self, element: Element) -> Iterator[Item]:
        qname = element.qname
        if qname in _SKIPPED:
            return
        if qname in ((TEXTNS, "p"), (TEXTNS, "h")):
            asides: list[Element] = []
            text = _inline(element, asides)
            if qname == (TEXTNS, "h"):
                yield Heading(int(_attribute(element, TEXTNS, "outline-level") or 1), text)
            elif _attribute(element, TEXTNS, "style-name") in self.titles:
                yield Heading(1, text)
            else:
                yield Paragraph(text)
            yield from self.asides(asides)
        elif qname == (TABLENS, "table"):
            yield Table(_table_rows(element, self.cell_text))
        elif qname == (TEXTNS, "section") and _attribute(element, TEXTNS, "display") == "none":
            return  # a hidden section is not part of the document as read (nor of its PDF)
        else:  # lists, list items, sections, frames, text boxes...: read what they hold
            yield from self.blocks(element)

    def asides(self, asides: list[Element]) -> Iterator[Item]:
        """Notes as one paragraph each; frames (text boxes, captions) as their own blocks."""
        for aside in asides:
            if aside.qname == (TEXTNS, "note"):
                texts = [item.text for item in self.blocks(aside) if not isinstance(item, Table)]
                yield Paragraph(" ".join(texts))
            else:
                yield from self.block(aside)

    def cell_text(self, cell: Element) -> str:
        """A cell's paragraphs, one per line (a nested table's cells included)."""
        lines: list[str] = []
        for item in self.blocks(cell):
            lines += [" ".join(row) for row in item.rows] if isinstance(item, Table) else [item.text]
        return "\n".join(lines)


def body_items(document: Element) -> list[Item]:
    """Every heading, paragraph, list item, note and table of the document's text, in reading order."""
    return list(Reader(title_styles(document)).blocks(document.text))


def _inline(element: Element, asides: list[Element]) -> str:
    """The text of a paragraph: spans and links joined, spacing elements expanded.

    Notes and drawn objects (frames, text boxes) are not part of the sentence:
    they go to ``asides``, to be read after the paragraph.
    """
    parts: list[str] = []
    for child in element.childNodes:
        if child.nodeType == _TEXT_NODE:
            parts.append(child.data)
            continue
        qname = child.qname
        if qname in _SKIPPED:
            continue
        if qname == (TEXTNS, "s"):
            parts.append(" " * int(_attribute(child, TEXTNS, "c") or 1))
        elif qname == (TEXTNS, "tab"):
            parts.append("\t")
        elif qname == (TEXTNS, "line-break"):
            parts.append("\n")
        elif qname == (TEXTNS, "note") or qname[0] == DRAWNS:
            asides.append(child)
        else:
            parts.append(_inline(child, asides))
    return "".join(parts)


def _table_rows(table: Element, cell_text: Callable[[Element], str]) -> tuple[tuple[str, ...], ...]:
    """The table's cells row by row, merged cells repeated over the columns they cover.

    A covered cell takes the text of the cell spanning down onto it, else of its
    left neighbour (a cell spanning across), so every row keeps the header's columns.
    """
    rows: list[tuple[str, ...]] = []
    spanning_down: dict[int, tuple[str, int]] = {}  # column -> (text, last row it covers)
    for number, row in enumerate(_rows(table)):
        values: list[str] = []
        for cell in row.childNodes:
            if cell.nodeType == _TEXT_NODE:
                continue
            repeated = min(int(_attribute(cell, TABLENS, "number-columns-repeated") or 1), 64)
            if cell.qname == (TABLENS, "table-cell"):
                text = cell_text(cell)
                across = int(_attribute(cell, TABLENS, "number-columns-spanned") or 1)
                down = int(_attribute(cell, TABLENS, "number-rows-spanned") or 1)
                for column in range(len(values), len(values) + across * repeated):
                    if down > 1:
                        spanning_down[column] = (text, number + down - 1)
                values += [text] * repeated
            elif cell.qname == (TABLENS, "covered-table-cell"):
                for _ in range(repeated):
                    column = len(values)
                    text, last = spanning_down.get(column, ("", -1))
                    values.append(text if last >= number else (values[-1] if values else ""))
        rows.append(tuple(values))
    return tuple(rows)


def _rows(element: Element) -> Iterator[Element]:
    """The table's own rows (header rows and row groups included, nested tables' rows not)."""
    for child in element.childNodes:
        if child.nodeType == _TEXT_NODE:
            continue
        if child.qname == (TABLENS, "table-row"):
            repeated = min(int(_attribute(child, TABLENS, "number-rows-repeated") or 1), 64)
            yield from [child] * repeated
        elif child.qname in _ROW_GROUPS:
            yield from _rows(child)
