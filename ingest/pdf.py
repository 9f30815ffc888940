"""PDF loader: pypdf text with positions, laid out, cleaned, cut at headings; tables by row.

The I/O shell (``read_pdf``) collects positioned text fragments with pypdf and
table boxes with pdfplumber; the pure core (``parse_pdf``) turns them into
blocks that know their page, section path and, for table rows, their cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.cleanup import join_lines, normalize_glyphs, running_flags
from ingest.document import Block, ParsedDocument
from ingest.errors import IngestError, Reason
from ingest.layout import Fragment, Line, body_size, heading_levels, page_lines, paragraphs
from ingest.structure import SectionPath, numbered_heading_level, session_from_text
from ingest.tables import RawTable, TableRow, find_tables, table_rows
from vectorstore.records import KIND_REPORT

NO_TEXT = "aucune couche texte (page scannée ou image ?)"


@dataclass(frozen=True)
class PdfPage:
    number: int
    width: float
    fragments: tuple[Fragment, ...]
    problem: str = ""  # why the page gave nothing, when it was not simply empty


def read_pdf(path: Path, max_pages: int = 0) -> tuple[list[PdfPage], list[RawTable]]:
    """Positioned text of each page and the tables, or an IngestError with a French reason.

    ``max_pages`` (0: no limit) refuses documents longer than that before reading a page.
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
        pages = [_guarded_page(number, page) for number, page in enumerate(reader.pages, start=1)]
        ruled = [
            n for n, page in enumerate(reader.pages, start=1) if pages[n - 1].fragments and _draws_rules(page)
        ]
        return pages, find_tables(path, ruled) if ruled else []
    except IngestError:
        raise
    except FileNotDecryptedError as exc:
        raise IngestError("PDF protégé par un mot de passe", Reason.ENCRYPTED) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, IndexError) as exc:
        raise IngestError(f"PDF illisible ou endommagé ({type(exc).__name__})", Reason.DAMAGED) from exc


_PATH_OPERATOR = re.compile(rb"\s(?:re|l)\s")


def _draws_rules(page: object) -> bool:
    """Whether the page draws any line or rectangle: a ruled table needs some.

    Locating tables is the slow part of reading a PDF; most pages of prose draw
    no path at all and are skipped.
    """
    contents = page.get_contents()  # type: ignore[attr-defined]
    return contents is not None and bool(_PATH_OPERATOR.search(contents.get_data()))


OVERSIZED = "contenu démesuré une fois décompressé (bombe de décompression ?), page ignorée"


def _guarded_page(number: int, page: object) -> PdfPage:
    """One page; a page whose content swells past pypdf's limits is kept as an empty page with
    its reason, so the rest of the document is still read and the loss is reported."""
    from pypdf.errors import LimitReachedError

    try:
        return _read_page(number, page)
    except LimitReachedError:
        return PdfPage(number, float(page.mediabox.width), (), OVERSIZED)  # type: ignore[attr-defined]


def _read_page(number: int, page: object) -> PdfPage:
    fragments: list[Fragment] = []

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or 1.0
        name = str((font or {}).get("/BaseFont", ""))
        bold = any(mark in name for mark in ("Bold", "Black", "Heavy"))
        for offset, piece in enumerate(text.split("\n")):
            if piece.strip():
                effective = size * scale
                fragments.append(Fragment(x, y - offset * effective * 1.2, round(effective, 1), bold, piece))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    width = float(page.mediabox.width)  # type: ignore[attr-defined]
    return PdfPage(number, width, tuple(fragments))


def parse_pdf(
    source: str, pages: Sequence[PdfPage], tables: Sequence[RawTable], fallback: str
) -> ParsedDocument:
    """Pure core: pages of fragments and tables in, blocks with page and section path out."""
    boxes = {page.number: [t.box for t in tables if t.page == page.number] for page in pages}
    laid_out = [page_lines(_normalized(page.fragments), page.width, boxes[page.number]) for page in pages]
    flags = running_flags([[line.text for line in lines] for lines in laid_out])
    content = [
        [line for line, running in zip(lines, page_flags, strict=True) if not running]
        for lines, page_flags in zip(laid_out, flags, strict=True)
    ]
    body = body_size(content)
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
        if not lines and not page_rows:  # nothing but running headers, or nothing at all
            empty.append(page.number)
        blocks += _page_blocks(page.number, lines, levels, section, page_rows)
    return ParsedDocument(
        source=source,
        kind=KIND_REPORT,
        title=_title(content[0] if content else [], fallback),
        blocks=tuple(blocks),
        pages=len(pages),
        warnings=tuple(f"page {number} : {problems.get(number) or NO_TEXT}" for number in empty),
        empty_pages=tuple(empty),
        tables=len({row.table for row in rows}),
    )


def _normalized(fragments: Sequence[Fragment]) -> list[Fragment]:
    return [Fragment(f.x, f.y, f.size, f.bold, normalize_glyphs(f.text)) for f in fragments]


def _title(first_page: Sequence[Line], fallback: str) -> str:
    if not first_page:
        return fallback
    largest = max(line.size for line in first_page)
    return next(line.text for line in first_page if line.size == largest)


def _heading_level(line: Line, levels: dict[float, int]) -> int | None:
    numbered = numbered_heading_level(line.text)
    if numbered is not None:
        return numbered
    if line.size in levels and len(line.text) <= 120 and not line.text.endswith((".", ",", ";", ":")):
        return levels[line.size]
    return None


def _page_blocks(
    page: int,
    lines: Sequence[Line],
    levels: dict[float, int],
    section: SectionPath,
    rows: Sequence[TableRow],
) -> list[Block]:
    """Paragraph and table-row blocks of one page, in reading order; updates ``section``.

    A table's rows go where the table stands: before the first paragraph below its top.
    """
    blocks: list[Block] = []
    pending_rows = sorted(rows, key=lambda row: -row.top)
    heading: Line | None = None  # the heading line just read, which a wrapped line may continue
    for group in paragraphs(lines):
        passed = [row for row in pending_rows if group[0].y < row.top]
        if passed:
            blocks += _row_blocks(passed, page, section.path)
            pending_rows = [row for row in pending_rows if row not in passed]
        body: list[str] = []
        for line in group:
            level = _heading_level(line, levels)
            if level is None:
                body.append(line.text)
                heading = None
                continue
            blocks += _text_block(body, page, section.path)
            body = []
            if heading and line.size == heading.size and numbered_heading_level(line.text) is None:
                section.extend(line.text)  # a heading wrapped onto a second line
            else:
                section.enter(level, line.text)
            heading = line
        blocks += _text_block(body, page, section.path)
    return blocks + _row_blocks(pending_rows, page, section.path)


def _text_block(lines: list[str], page: int, section: str) -> list[Block]:
    text = join_lines(lines)
    return [Block(text=text, page=page, section=section)] if text else []


def _row_blocks(rows: Sequence[TableRow], page: int, section: str) -> list[Block]:
    return [
        Block(
            text=row.as_sentence(),
            page=page,
            section=section,
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
