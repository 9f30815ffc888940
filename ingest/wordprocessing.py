"""Word (.docx) body as a flat run of headings, paragraphs and tables.

python-docx's ``iter_inner_content`` skips content controls (``w:sdt``), its
``Paragraph.text`` drops tracked insertions, and it knows nothing of notes. This
walker reads the WordprocessingML tree itself: every paragraph (list items
included, one block each), table and content control in body order; a heading
is a paragraph whose style is named "Heading N"/"Titre N" or carries an outline
level; a footnote or endnote call leaves the sentence and its note is read as
its own block right after the paragraph; deleted text is never read.

Pure apart from ``read_docx``: lxml elements in, items out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ingest.office_items import Heading, Item, Paragraph, Table

Element = Any  # an lxml element

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_HEADING_STYLE = re.compile(r"^(?:heading|titre|title)\s*(\d)?$", re.IGNORECASE)
_BODY_TEXT_LEVEL = 9  # w:outlineLvl 9 means "body text"
# Wrappers whose content is read as if it stood in their place.
_RUN_WRAPPERS = {f"{_W}{tag}" for tag in ("hyperlink", "ins", "smartTag", "customXml", "fldSimple", "moveTo")}
_RUN_WRAPPERS |= {f"{_W}{tag}" for tag in ("dir", "bdo", "sdt", "sdtContent")}
_BLOCK_WRAPPERS = {f"{_W}{tag}" for tag in ("sdt", "sdtContent", "customXml", "ins", "moveTo")}
_NOTE_CALLS = {f"{_W}footnoteReference": "footnote", f"{_W}endnoteReference": "endnote"}
_RUN_TEXT = {f"{_W}t": None, f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n"}
_RUN_TEXT |= {f"{_W}noBreakHyphen": "-", f"{_W}softHyphen": ""}
_DRAWINGS = {f"{_W}drawing", f"{_W}pict", f"{_MC}AlternateContent", f"{_W}object"}


def _val(element: Element | None, name: str = "val") -> str | None:
    return None if element is None else element.get(f"{_W}{name}")


def _children(element: Element, tag: str) -> Iterator[Element]:
    """Children with ``tag``, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag == f"{_W}{tag}":
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children(child, tag)


class Styles:
    """Heading level of each paragraph style: from its name, else its outline level (inherited)."""

    def __init__(self, styles: Element | None) -> None:
        self._styles: dict[str, tuple[str, str | None, str | None]] = {}
        self.default: str | None = None
        for style in [] if styles is None else styles.iter(f"{_W}style"):
            if style.get(f"{_W}type") not in (None, "paragraph"):
                continue
            style_id = style.get(f"{_W}styleId") or ""
            outline = _val(style.find(f"{_W}pPr/{_W}outlineLvl"))
            self._styles[style_id] = (
                _val(style.find(f"{_W}name")) or "",
                _val(style.find(f"{_W}basedOn")),
                outline,
            )
            if style.get(f"{_W}default") in ("1", "true"):
                self.default = style_id

    def level(self, style_id: str | None) -> int | None:
        for _ in range(12):  # a basedOn chain; the bound stops a cycle
            if style_id not in self._styles:
                return None
            name, based_on, outline = self._styles[style_id]
            match = _HEADING_STYLE.match(name.strip())
            if match:
                return int(match.group(1) or 1)
            if outline is not None:
                return _outline_level(outline)
            style_id = based_on
        return None


def _outline_level(value: str) -> int | None:
    level = int(value) if value.isdigit() else _BODY_TEXT_LEVEL
    return level + 1 if level < _BODY_TEXT_LEVEL else None


class Walker:
    """Reads a body (or a cell, a note, a text box) into items, with the styles and notes it needs."""

    def __init__(self, styles: Styles, notes: dict[tuple[str, str], Element]) -> None:
        self.styles = styles
        self.notes = notes

    def blocks(self, container: Element) -> Iterator[Item]:
        for child in container:
            if child.tag == f"{_W}p":
                yield from self.paragraph(child)
            elif child.tag == f"{_W}tbl":
                yield Table(self.table_rows(child))
            elif child.tag in _BLOCK_WRAPPERS and not _is_contents(child):
                yield from self.blocks(child)

    def paragraph(self, paragraph: Element) -> Iterator[Item]:
        asides: list[Element | tuple[str, str]] = []
        text = "".join(_runs(paragraph, asides))
        level = self.heading_level(paragraph)
        yield Paragraph(text) if level is None else Heading(level, text)
        for aside in asides:
            if isinstance(aside, tuple):
                note = self.notes.get(aside)
                if note is not None:
                    yield Paragraph(" ".join(self.texts(note)))
            else:
                yield from self.blocks(aside)

    def heading_level(self, paragraph: Element) -> int | None:
        """Direct outline level first (Word lets it override the style's), then the style's."""
        properties = paragraph.find(f"{_W}pPr")
        outline = _val(properties.find(f"{_W}outlineLvl")) if properties is not None else None
        if outline is not None:
            return _outline_level(outline)
        style = _val(properties.find(f"{_W}pStyle")) if properties is not None else None
        return self.styles.level(style or self.styles.default)

    def texts(self, container: Element) -> list[str]:
        """The text of each block, a nested table's rows included (for cells and notes)."""
        texts: list[str] = []
        for item in self.blocks(container):
            texts += [" ".join(row) for row in item.rows] if isinstance(item, Table) else [item.text]
        return texts

    def table_rows(self, table: Element) -> tuple[tuple[str, ...], ...]:
        """Cells row by row; a merged cell repeated over the grid columns it spans, like python-docx."""
        rows: list[tuple[str, ...]] = []
        above: dict[int, str] = {}
        for row in _children(table, "tr"):
            values = [""] * int(_val(row.find(f"{_W}trPr/{_W}gridBefore")) or 0)
            for cell in _children(row, "tc"):
                properties = cell.find(f"{_W}tcPr")
                span = int(_val(properties.find(f"{_W}gridSpan")) or 1) if properties is not None else 1
                merge = properties.find(f"{_W}vMerge") if properties is not None else None
                continued = merge is not None and _val(merge) in (None, "continue")
                text = above.get(len(values), "") if continued else "\n".join(self.texts(cell))
                for _ in range(span):
                    above[len(values)] = text
                    values.append(text)
            rows.append(tuple(values))
        return tuple(rows)


def _is_contents(element: Element) -> bool:
    """A table of contents control: its entries repeat the headings, with page numbers."""
    gallery = element.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
    return "contents" in (_val(gallery) or "").casefold()


def _runs(element: Element, asides: list[Element | tuple[str, str]]) -> Iterator[str]:
    """The visible text of a paragraph's runs; note calls and text boxes go to ``asides``.

    Deleted text (``w:del``, ``w:delText``), field codes and hidden runs are not read.
    """
    for child in element:
        if child.tag in _RUN_WRAPPERS:
            yield from _runs(child, asides)
        elif child.tag == f"{_W}r" and not _hidden(child):
            for part in child:
                if part.tag in _RUN_TEXT:
                    yield (part.text or "") if _RUN_TEXT[part.tag] is None else _RUN_TEXT[part.tag]
                elif part.tag in _NOTE_CALLS:
                    asides.append((_NOTE_CALLS[part.tag], _val(part, "id") or ""))
                elif part.tag in _DRAWINGS:
                    asides.extend(_text_boxes([part]))


def _hidden(run: Element) -> bool:
    vanish = run.find(f"{_W}rPr/{_W}vanish")
    return vanish is not None and _val(vanish) not in ("0", "false", "off")


def _text_boxes(elements: Iterable[Element]) -> Iterator[Element]:
    """Text-box contents in a drawing, once each (the first choice of alternate content only)."""
    for element in elements:
        if element.tag == f"{_W}txbxContent":
            yield element
        elif element.tag == f"{_MC}AlternateContent":
            yield from _text_boxes(element[:1])
        else:
            yield from _text_boxes(element)


def note_bodies(part_xml: bytes, kind: str) -> dict[tuple[str, str], Element]:
    """Footnotes (or endnotes) by id, separators left out."""
    from lxml import etree

    root = etree.fromstring(part_xml)
    return {
        (kind, note.get(f"{_W}id") or ""): note
        for note in root.iter(f"{_W}{kind}")
        if note.get(f"{_W}type") in (None, "normal")
    }


def read_docx(path: Path) -> list[Item]:
    """The items of a .docx body, with its styles and its notes parts."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    document = docx.Document(str(path))
    notes: dict[tuple[str, str], Element] = {}
    for reltype, kind in ((RT.FOOTNOTES, "footnote"), (RT.ENDNOTES, "endnote")):
        try:
            notes |= note_bodies(document.part.part_related_by(reltype).blob, kind)
        except KeyError:
            continue  # the document has no such notes
    walker = Walker(Styles(document.styles.element), notes)
    return list(walker.blocks(document.element.body))
