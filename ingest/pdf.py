"""PDF loader: pypdf text with positions, laid out, cleaned, cut at headings; tables by row.

The I/O shell (``read_pdf``) collects positioned text fragments with pypdf and
table boxes with pdfplumber; the pure core (``parse_pdf``) turns them into
blocks that know their page, section path and, for table rows, their cells.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from ingest.cleanup import join_lines, normalize_glyphs, running_flags
from ingest.columns import baseline_rows
from ingest.document import Block, ParsedDocument
from ingest.errors import IngestError, Reason
from ingest.headings import (
    BOLD_HEADING_LEVEL,
    LARGE_TYPE,
    cover_title,
    heading_level,
    is_bold_heading,
    is_ornament,
    wraps,
)
from ingest.hyphenation import vocabulary
from ingest.layout import Box, Fragment, Line, body_size, heading_levels, page_lines, paragraphs
from ingest.page_flow import drop_note_calls, join_continuations, split_footnotes
from ingest.structure import SectionPath, heading_text, numbered_heading_level, session_from_text
from ingest.tables import RawTable, TableRow, page_tables, table_rows
from ingest.unruled import unruled_tables
from vectorstore.records import KIND_REPORT

NO_TEXT = "aucune couche texte (page scannée ou image ?)"


@dataclass(frozen=True)
class PdfPage:
    number: int
    width: float
    fragments: tuple[Fragment, ...]
    problem: str = ""  # why the page gave nothing, when it was not simply empty
    blank: bool = False  # draws neither text nor picture: a blank page, no scan to warn about


def read_pdf(path: Path, max_pages: int = 0) -> tuple[list[PdfPage], list[RawTable]]:
    """Positioned words of each page and the tables, or an IngestError with a French reason.

    pypdf checks the file (signature, password, page count, content that swells past its
    limits) and says which pages draw rules; pdfplumber then gives every word with its
    measured position and width, and locates the ruled tables. ``max_pages`` (0: no
    limit) refuses documents longer than that before reading a page.
    """
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    with path.open("rb") as handle:
        if b"%PDF-" not in handle.read(1024):
            raise IngestError("ce fichier n'est pas un PDF (signature %PDF absente)", Reason.UNSUPPORTED)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError("PDF protégé par un mot de passe", Reason.ENCRYPTED)
        if max_pages and len(reader.pages) > max_pages:
            raise IngestError(
                f"trop de pages ({len(reader.pages)}, {max_pages} au plus ; voir ASSISTANT_MAX_PAGES)",
                Reason.TOO_MANY_PAGES,
            )
        contents = [_guarded_contents(page) for page in reader.pages]
        try:
            return _read_words(path, contents, reader.pages)
        except _PdfminerFailed:  # pdfminer gives up where pypdf still reads: its text only
            pages = zip(reader.pages, contents, strict=True)
            return [
                _fallback_page(number, page, content) for number, (page, content) in enumerate(pages, 1)
            ], []
    except IngestError:
        raise
    except FileNotDecryptedError as exc:
        raise IngestError("PDF protégé par un mot de passe", Reason.ENCRYPTED) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, IndexError) as exc:
        raise IngestError(f"PDF illisible ou endommagé ({type(exc).__name__})", Reason.DAMAGED) from exc


_PATH_OPERATOR = re.compile(rb"\s(?:re|l)\s")
# what draws something to read: a picture or form (Do), an inline image (BI), text (Tj, TJ, ', ")
_DRAWING = re.compile(rb"(?:^|[\s\])>])(?:Do|BI|Tj|TJ|'|\")(?=\s|$)")


def _guarded_contents(page: object) -> bytes | None:
    """The page's decompressed content stream (b"" when it has none), or None when it
    swells past pypdf's limits (a decompression bomb): that page is then not read."""
    from pypdf.errors import LimitReachedError

    try:
        stream = page.get_contents()  # type: ignore[attr-defined]
        return b"" if stream is None else stream.get_data()
    except LimitReachedError:
        return None


OVERSIZED = "contenu démesuré une fois décompressé (bombe de décompression ?), page ignorée"


class _PdfminerFailed(Exception):
    """pdfplumber (pdfminer) could not parse the file; pypdf, more forgiving, may."""


def _read_words(
    path: Path, contents: Sequence[bytes | None], fallback: Sequence[object]
) -> tuple[list[PdfPage], list[RawTable]]:
    """Every page's words (pdfplumber, measured) and the ruled tables, in one pass.

    Locating tables is the slow part; only pages that draw a line or a rectangle (a
    ruled table needs some) are searched. A page where pdfminer finds no word but pypdf
    finds text (a damaged file pypdf repairs) keeps pypdf's text pieces (``fallback``).
    """
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    pages: list[PdfPage] = []
    tables: list[RawTable] = []
    try:
        with pdfplumber.open(path) as pdf:
            for number, (page, content) in enumerate(zip(pdf.pages, contents, strict=False), start=1):
                width = float(page.width)
                if content is None:
                    pages.append(PdfPage(number, width, (), OVERSIZED))
                    continue
                fragments = tuple(_fragments(page)) if content else ()
                if not fragments and not _DRAWING.search(content):
                    pages.append(PdfPage(number, width, (), blank=True))
                    continue
                if not fragments:
                    pages.append(_fallback_page(number, fallback[number - 1], content))
                    continue
                pages.append(PdfPage(number, width, fragments))
                if _PATH_OPERATOR.search(content):
                    tables += page_tables(page, number)
    except (PdfminerException, PSException, PDFSyntaxError) as exc:
        raise _PdfminerFailed from exc
    return pages, tables


def _fallback_page(number: int, page: object, content: bytes | None) -> PdfPage:
    """A page read by pypdf's text visitor: pieces with their position and size but no
    measured width (their text carries its own spaces)."""
    width = float(page.mediabox.width)  # type: ignore[attr-defined]
    if content is None:
        return PdfPage(number, width, (), OVERSIZED)
    fragments: list[Fragment] = []

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        effective = size * (abs(tm[3] * cm[3]) or 1.0)
        bold = any(mark in str((font or {}).get("/BaseFont", "")) for mark in _BOLD)
        for offset, piece in enumerate(text.split("\n")):
            if piece.strip():
                fragments.append(Fragment(x, y - offset * effective * 1.2, round(effective, 1), bold, piece))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return PdfPage(number, width, tuple(fragments))


_BOLD = ("Bold", "Black", "Heavy", "Semibold", "Demi")
_BOX_LINES = 3  # a frame this many lines of body text tall, at least, is a box with its own headings
# a glyph alone in a symbol font is a bullet or a box, whatever letter encodes it (« r »: ☐)
_SYMBOL_FONT = re.compile(r"Wingdings|Webdings|Dingbats|Symbol", re.IGNORECASE)


def _sideways(page: object) -> list[Fragment]:
    """Text set sideways (a photo credit up the margin), in the order it is drawn: one piece
    a run of characters in one column, put at the page's foot so it is read after the page."""
    runs: list[list[dict]] = []
    for char in page.chars:  # type: ignore[attr-defined]
        if char.get("upright", True):
            continue
        if runs and abs(float(runs[-1][-1]["x0"]) - float(char["x0"])) <= 2:
            runs[-1].append(char)
        else:
            runs.append([char])
    pieces = []
    for run in runs:
        text = " ".join("".join(char["text"] for char in run).split())
        if text:
            size = round(float(run[0]["size"]), 1)
            pieces.append(Fragment(float(run[0]["x0"]), 0.5, size, False, text, len(text) * size * 0.5))
    return pieces


def _fragments(page: object) -> list[Fragment]:
    """The page's upright words with their measured box, then its sideways text; y is the
    baseline's distance from the page bottom, as in PDF coordinates."""
    height = float(page.height)  # type: ignore[attr-defined]
    words = page.extract_words(  # type: ignore[attr-defined]
        x_tolerance_ratio=0.15, y_tolerance=2, keep_blank_chars=False, extra_attrs=["fontname", "size"]
    )
    return [
        Fragment(
            float(word["x0"]),
            height - float(word["bottom"]),
            round(float(word["size"]), 1),
            any(mark in str(word["fontname"]) for mark in _BOLD),
            "-" if _SYMBOL_FONT.search(str(word["fontname"])) and len(word["text"]) == 1 else word["text"],
            max(float(word["x1"]) - float(word["x0"]), 0.01),  # measured, even a zero-width glyph
        )
        for word in words
        if word.get("upright", True) and word["text"].strip()
    ] + _sideways(page)


def parse_pdf(
    source: str, pages: Sequence[PdfPage], tables: Sequence[RawTable], fallback: str
) -> ParsedDocument:
    """Pure core: pages of fragments and the ruled tables in, blocks with page and section
    path out. Tables drawn without rules are found here (``unruled.py``)."""
    pieces = _without_running_rows(pages)
    frames = {page.number: [t.box for t in tables if t.frame and t.page == page.number] for page in pages}
    tables = _with_unruled(pages, pieces, [t for t in tables if not t.frame])
    boxes = {page.number: [t.box for t in tables if t.page == page.number] for page in pages}
    content = [
        page_lines(fragments, page.width, boxes[page.number])
        for page, fragments in zip(pages, pieces, strict=True)
    ]
    body = body_size(content)
    content = [[line for line in lines if not is_ornament(line, body)] for lines in content]
    content, notes = _without_footnotes(content, body)
    known = vocabulary(line.text for lines in content for line in lines)
    numbered: dict[float, int] = {}
    for line in (line for lines in content for line in lines if line.size > body):
        level = numbered_heading_level(line.text)
        if level is not None:
            numbered[line.size] = min(level, numbered.get(line.size, level))
    levels = heading_levels(content, body, numbered)
    rows = table_rows(tables)
    section = SectionPath()
    blocks: list[Block] = []
    empty: list[int] = []
    problems = {page.number: page.problem for page in pages}
    for page, lines in zip(pages, content, strict=True):
        page_rows = [row for row in rows if row.page == page.number]
        if not lines and not page_rows and not page.blank:  # running lines only, a scan, a picture
            empty.append(page.number)
        blocks += _page_blocks(
            page.number,
            lines,
            levels,
            section,
            page_rows,
            known=known,
            body_size=body,
            frames=frames[page.number],
        )
        blocks += [
            Block(text=note, page=page.number, section=section.path, note=True) for note in notes[page.number]
        ]
    blocks += _bare_blocks(section, closing=True)
    blocks = join_continuations(blocks, known)
    return ParsedDocument(
        source=source,
        kind=KIND_REPORT,
        title=cover_title(content[0] if content else [], fallback),
        blocks=tuple(blocks),
        pages=len(pages),
        warnings=tuple(f"page {number} : {problems.get(number) or NO_TEXT}" for number in empty),
        empty_pages=tuple(empty),
        tables=len({row.table for row in rows}),
    )


def _without_running_rows(pages: Sequence[PdfPage]) -> list[list[Fragment]]:
    """Each page's pieces (note calls dropped, glyphs normalised) without its running header,
    footer and page number: the rows of text at the page's top and bottom edges that repeat
    across pages. Found by position before the columns are read, since a centred footer may
    sit under one column only."""
    rows = [baseline_rows(_normalized(drop_note_calls(page.fragments))) for page in pages]
    flags = running_flags(
        [[" ".join(piece.text for piece in row) for row in page_rows] for page_rows in rows]
    )
    sizes = [piece.size for page_rows in rows for row in page_rows for piece in row]
    large = LARGE_TYPE * statistics.median(sizes) if sizes else 0.0  # a key figure (« 898 »), no page number
    return [
        [
            piece
            for row, running in zip(page_rows, page_flags, strict=True)
            if not running or max(p.size for p in row) >= large
            for piece in row
        ]
        for page_rows, page_flags in zip(rows, flags, strict=True)
    ]


def _with_unruled(
    pages: Sequence[PdfPage], pieces: Sequence[Sequence[Fragment]], ruled: Sequence[RawTable]
) -> list[RawTable]:
    """The ruled tables and the unruled ones found outside them, in reading order."""
    found = list(ruled)
    for page, fragments in zip(pages, pieces, strict=True):
        boxes = [t.box for t in ruled if t.page == page.number]
        free = [f for f in fragments if not any(box.holds(f) for box in boxes)]
        found += unruled_tables(page.number, free)
    return sorted(found, key=lambda table: (table.page, -table.box.y1))


def _without_footnotes(
    content: Sequence[Sequence[Line]], body: float
) -> tuple[list[list[Line]], dict[int, list[str]]]:
    """Each page's lines without the notes at its foot, and the notes by page number."""
    kept, notes = [], {}
    for number, lines in enumerate(content, start=1):
        text, notes[number] = split_footnotes(lines, body)
        kept.append(text)
    return kept, notes


def _normalized(fragments: Sequence[Fragment]) -> list[Fragment]:
    return [replace(f, text=normalize_glyphs(f.text, keep_final_soft_hyphen=True)) for f in fragments]


def _page_blocks(
    page: int,
    lines: Sequence[Line],
    levels: dict[float, int],
    section: SectionPath,
    rows: Sequence[TableRow],
    *,
    known: frozenset[str] = frozenset(),
    body_size: float = 0.0,
    frames: Sequence[Box] = (),
) -> list[Block]:
    """Paragraph and table-row blocks of one page, in reading order; updates ``section``.

    A table's rows go where the table stands: before the first paragraph below its top. A
    heading inside a frame (a box's title) heads the box only: the text after the box goes
    back under the section it stands in.
    """
    blocks: list[Block] = []
    pending_rows = sorted(rows, key=lambda row: -row.top)
    heading: Line | None = None  # the heading line just read, which a wrapped line may continue
    groups = paragraphs(lines)
    frame: Box | None = None  # the frame being read, and the path outside it
    outside = section.save()
    boxes = [box for box in frames if box.y1 - box.y0 >= _BOX_LINES * body_size]  # a label's frame is none
    joined = partial(_joined, known=known)  # a heading's two lines, a word cut made whole
    for index, group in enumerate(groups):
        after = groups[index + 1] if index + 1 < len(groups) else None
        holder = next((box for box in boxes if box.holds(group[0])), None)  # type: ignore[arg-type]
        if holder is not frame:  # into a box, out of one: the path outside it comes back
            if frame is not None:
                section.restore(outside)
            outside, frame = section.save(), holder
        passed = [row for row in pending_rows if group[0].y < row.top]
        if passed:
            blocks += _row_blocks(passed, page, section)
            pending_rows = [row for row in pending_rows if row not in passed]
        body: list[str] = []
        for line in group:
            level = heading_level(line, levels)
            if level is None and is_bold_heading(group, after, body_size):
                level = BOLD_HEADING_LEVEL
            if level is None and heading is not None and wraps(heading, line, body_size):
                section.extend(line.text, joined)  # its second line, in a size no other heading has
                continue
            if level is None:
                body.append(line.text)
                heading = None
                continue
            blocks += _text_block(body, page, section, known)
            body = []
            if heading and line.size == heading.size and numbered_heading_level(line.text) is None:
                section.extend(line.text, joined)  # a heading wrapped onto a second line
            else:
                section.enter(level, heading_text(line.text), page)
            heading = line
        blocks += _text_block(body, page, section, known)
    return blocks + _row_blocks(pending_rows, page, section)


def _joined(first: str, second: str, *, known: frozenset[str]) -> str:
    return join_lines([first, second], known)


def _text_block(lines: list[str], page: int, section: SectionPath, known: frozenset[str]) -> list[Block]:
    """The paragraph's block, after the headings that had no text of their own."""
    text = join_lines(lines, known)
    if not text:
        return []
    section.wrote()
    return [*_bare_blocks(section), Block(text=text, page=page, section=section.path)]


def _bare_blocks(section: SectionPath, *, closing: bool = False) -> list[Block]:
    """The headings left with no text of their own, one block a page (a cover, a contents
    page), under the first one's path."""
    blocks: list[Block] = []
    for text, path, page in section.bare_headings(closing=closing):
        if blocks and blocks[-1].page == page:
            blocks[-1] = replace(blocks[-1], text=f"{blocks[-1].text}\n{text}")
        else:
            blocks.append(Block(text=text, page=page, section=path))
    return blocks


def _row_blocks(rows: Sequence[TableRow], page: int, section: SectionPath) -> list[Block]:
    if not rows:
        return []
    section.wrote()
    return _bare_blocks(section) + [
        Block(
            text=row.as_sentence(),
            page=page,
            section=section.path,
            cells=row.pairs,
            territory=row.territory,
            session=row.session,
        )
        for row in rows
    ]


def load_pdf(path: Path, max_pages: int = 0) -> ParsedDocument:
    pages, tables = read_pdf(path, max_pages)
    parsed = parse_pdf(path.name, pages, tables, path.stem)
    return replace(parsed, session=session_from_text([path.stem]))
