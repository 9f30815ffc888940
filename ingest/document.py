"""What a loader hands to the chunker: text blocks that know their page and section."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    """A run of text on one page (or in one part of a page-less file) under one heading."""

    text: str
    page: int | None = None
    section: str = ""
    cells: tuple[tuple[str, str], ...] = ()  # a table row: (column, value) pairs
    territory: str | None = None
    session: int | None = None  # when the block itself names its day (a table's "Journée" column)
    page_end: int | None = None  # a paragraph that continues on a later page ends there
    note: bool = False  # a footnote, kept as text of its page

    @property
    def last_page(self) -> int | None:
        return self.page if self.page_end is None else self.page_end


@dataclass(frozen=True)
class ParsedDocument:
    """A loaded file, before chunking."""

    source: str
    kind: str
    title: str
    blocks: tuple[Block, ...]
    pages: int = 0
    session: int | None = None
    warnings: tuple[str, ...] = field(default=())
    tables: int = 0
    empty_pages: tuple[int, ...] = ()  # pages with no text of their own (scans, pictures)
    metadata: tuple[tuple[str, str], ...] = ()  # front-matter fields (date, lieu, territoires)
