"""PDF loader: pypdf text, cleaned, cut into blocks at numbered headings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ingest.cleanup import join_lines, normalize_glyphs, strip_running_lines
from ingest.document import Block, ParsedDocument
from ingest.errors import IngestError
from ingest.structure import SectionPath, numbered_heading_level, session_from_text
from vectorstore.records import KIND_REPORT


def read_pdf_pages(path: Path) -> list[str]:
    """Text of each page, or an IngestError with a one-line French reason."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    with path.open("rb") as handle:
        if handle.read(5) != b"%PDF-":
            raise IngestError("ce fichier n'est pas un PDF (signature %PDF absente)")
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError("PDF protégé par un mot de passe")
        return [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except FileNotDecryptedError as exc:
        raise IngestError("PDF protégé par un mot de passe") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise IngestError(f"PDF illisible ou endommagé ({type(exc).__name__})") from exc


def parse_pdf_text(source: str, page_texts: list[str], fallback_title: str) -> ParsedDocument:
    """Pure core: page texts in, blocks with page and section path out."""
    raw_pages = [normalize_glyphs(text).splitlines() for text in page_texts]
    pages = strip_running_lines(raw_pages)
    title = (
        next((" ".join(line.split()) for line in pages[0] if line.strip()), fallback_title) if pages else ""
    )
    blocks: list[Block] = []
    warnings: list[str] = []
    section = SectionPath()
    for number, lines in enumerate(pages, start=1):
        if not any(line.strip() for line in lines):
            warnings.append(f"page {number} : aucun texte extrait")
            continue
        pending: list[str] = []
        for line in lines:
            level = numbered_heading_level(line)
            if level is None:
                pending.append(line)
                continue
            blocks.extend(_block(pending, number, section.path))
            pending = []
            section.enter(level, line)
        blocks.extend(_block(pending, number, section.path))
    return ParsedDocument(
        source=source,
        kind=KIND_REPORT,
        title=title or fallback_title,
        blocks=tuple(blocks),
        pages=len(page_texts),
        warnings=tuple(warnings),
    )


def _block(lines: list[str], page: int, section: str) -> list[Block]:
    text = join_lines(lines)
    return [Block(text=text, page=page, section=section)] if text else []


def load_pdf(path: Path) -> ParsedDocument:
    parsed = parse_pdf_text(path.name, read_pdf_pages(path), path.stem)
    return replace(parsed, session=session_from_text([path.stem]))
