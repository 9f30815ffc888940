"""Pure chunking: a parsed document's blocks in, ``Chunk`` records out.

Consecutive blocks under the same heading are packed together up to the chunk
size (a passage never mixes two sections); a block longer than that is cut by
LangChain's recursive splitter on paragraph, sentence, then word boundaries.
Every chunk keeps the page range and section path of the blocks it came from.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingest.document import Block, ParsedDocument
from ingest.levers import attach_levers
from ingest.structure import part_from_section, session_from_text
from vectorstore.records import Chunk

_SEPARATORS = ["\n\n", "\n", ". ", "! ", "? ", "; ", ", ", " ", ""]


@dataclass(frozen=True)
class ChunkingConfig:
    size: int = 2000
    overlap: int = 200

    def __post_init__(self) -> None:
        if self.size < 50 or not 0 <= self.overlap < self.size:
            raise ValueError("chunk size must be >= 50 and overlap in [0, size)")


DEFAULT_CHUNKING = ChunkingConfig()


@dataclass(frozen=True)
class _Piece:
    text: str
    page_start: int | None
    page_end: int | None
    section: str
    cells: tuple[tuple[str, str], ...] = ()
    territory: str | None = None
    session: int | None = None


def chunk_document(
    doc: ParsedDocument, doc_id: str, config: ChunkingConfig = DEFAULT_CHUNKING
) -> list[Chunk]:
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=config.size,
        chunk_overlap=config.overlap,
        separators=_SEPARATORS,
        keep_separator="end",
    )
    pieces = _pack(_split_long(doc.blocks, splitter, config.size), config.size)
    chunks = [
        Chunk(
            text=piece.text,
            doc_id=doc_id,
            source=doc.source,
            kind=doc.kind,
            title=doc.title,
            section=piece.section,
            page_start=piece.page_start,
            page_end=piece.page_end,
            session=_session(doc, piece),
            position=position,
            part=part_from_section(piece.section),
            territory=piece.territory,
            cells=piece.cells,
            extra=doc.metadata,
        )
        for position, piece in enumerate(pieces)
    ]
    return attach_levers(chunks, doc)  # the levers and difficulties named, on the chunk naming them


def _session(doc: ParsedDocument, piece: _Piece) -> int | None:
    """The day a passage belongs to: its own, its document's, or the one its section names."""
    for session in (piece.session, doc.session):
        if session is not None:
            return session
    return session_from_text([piece.section])


def _split_long(
    blocks: Sequence[Block], splitter: RecursiveCharacterTextSplitter, size: int
) -> Iterator[_Piece]:
    for block in blocks:
        if block.cells:  # a table row is a passage of its own, whatever its length
            yield _Piece(
                block.text, block.page, block.page, block.section, block.cells, block.territory, block.session
            )
            continue
        texts = [block.text] if len(block.text) <= size else splitter.split_text(block.text)
        for text in texts:
            if text.strip():
                yield _Piece(text.strip(), block.page, block.last_page, block.section)


def _later(first: int | None, second: int | None) -> int | None:
    """The later of two pages: a footnote of page 1 packed after a paragraph that runs onto
    page 2 does not end the passage on page 1."""
    known = [page for page in (first, second) if page is not None]
    return max(known) if known else None


def _pack(pieces: Iterator[_Piece], size: int) -> list[_Piece]:
    """Merge consecutive pieces of one section while they fit in ``size``."""
    packed: list[_Piece] = []
    for piece in pieces:
        last = packed[-1] if packed else None
        if (
            last
            and not (last.cells or piece.cells)
            and last.section == piece.section
            and len(last.text) + 1 + len(piece.text) <= size
        ):
            packed[-1] = _Piece(
                text=f"{last.text}\n{piece.text}",
                page_start=last.page_start,
                page_end=_later(last.page_end, piece.page_end),
                section=last.section,
            )
        else:
            packed.append(piece)
    return packed
