"""What a loader hands to the chunker: text blocks that know their page and section."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    """A run of text on one page (or in one part of a page-less file) under one heading."""

    text: str
    page: int | None = None
    section: str = ""


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
