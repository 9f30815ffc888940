"""The blocks of the real-layout test documents, shared by their ODT, DOCX and PDF writers."""

from __future__ import annotations

from dataclasses import dataclass

from tests.designed.content import Heading  # the same heading record as the designed report's

WINGDINGS_SQUARE = "\uf0a7"  # Wingdings « § »: the small square bullet Word offers first
WINGDINGS_ARROW = "\uf0d8"  # Wingdings « Ø »: the arrowhead bullet
SYMBOL_DOT = "\uf0b7"  # Symbol « · »: Word's default round bullet


@dataclass(frozen=True)
class Note:
    """A note whose raised call follows ``after`` in its paragraph; its text is at the page foot."""

    after: str
    number: int
    text: str
    page: int


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph; ``lead``: a semi-bold line slightly larger than the body."""

    text: str
    notes: tuple[Note, ...] = ()
    lead: bool = False


@dataclass(frozen=True)
class Bullets:
    """A list whose bullet is a symbol-font character in the private-use area."""

    items: tuple[str, ...]
    char: str = WINGDINGS_SQUARE
    font: str = "Wingdings"


@dataclass(frozen=True)
class BoxLine:
    """A paragraph of a framed box; ``strong`` for a question of a Q&A box."""

    text: str
    strong: bool = False


@dataclass(frozen=True)
class Box:
    """A one-column bordered box of prose under a short bold heading."""

    heading: str
    lines: tuple[BoxLine, ...]
    page: int
    frame: bool = False  # ODT: a bordered text frame instead of a bordered one-cell table
    small: bool = False  # legal text, in a smaller size


@dataclass(frozen=True)
class Grid:
    """A real table: a header row, then rows of cells, every cell ruled."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    page: int


@dataclass(frozen=True)
class Figure:
    """A full-width picture (no text in it) with its caption below."""

    caption: str
    page: int


@dataclass(frozen=True)
class Band:
    """Two justified columns across the text width, balanced (a horizontal band of the page)."""

    blocks: tuple[Heading | Paragraph, ...]


Block = Heading | Paragraph | Bullets | Box | Grid | Figure | Band


def flat_blocks(blocks: tuple[Block, ...]) -> list[Heading | Paragraph | Bullets | Box | Grid | Figure]:
    """The blocks in reading order, those of the bands included."""
    found: list[Heading | Paragraph | Bullets | Box | Grid | Figure] = []
    for block in blocks:
        found.extend(block.blocks if isinstance(block, Band) else (block,))
    return found


def block_texts(block: Heading | Paragraph | Bullets | Box | Grid | Figure) -> list[str]:
    """Every text a block prints (heading labels, notes, cells and captions included)."""
    match block:
        case Heading():
            return [block.label]
        case Paragraph():
            return [block.text, *(note.text for note in block.notes)]
        case Bullets():
            return list(block.items)
        case Box():
            return [block.heading, *(line.text for line in block.lines)]
        case Grid():
            return [*block.header, *(cell for row in block.rows for cell in row)]
        case Figure():
            return [block.caption]
    raise TypeError(f"unknown block {block!r}")
