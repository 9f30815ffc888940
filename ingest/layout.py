"""Pure page layout: positioned text fragments in, lines in reading order out.

pypdf reports each piece of text with its position and font size; this module
groups pieces into lines, reads two-column pages column by column, leaves out
what lies inside tables (they are read separately), and tells paragraphs and
headings apart from the gaps between lines and the font sizes. Coordinates are
PDF points with the origin at the bottom left, as pypdf gives them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from ingest.columns import baseline_rows, reading_regions

_CHAR_WIDTH = 0.5  # average glyph width as a share of the font size (estimate)


@dataclass(frozen=True)
class Fragment:
    x: float
    y: float
    size: float
    bold: bool
    text: str
    width: float = 0.0  # measured width (pdfplumber words); 0: unknown, estimated

    @property
    def end(self) -> float:
        """Right edge: measured, or estimated at half an em per glyph when unknown."""
        return self.x + (self.width or len(self.text) * self.size * _CHAR_WIDTH)


@dataclass(frozen=True)
class Line:
    text: str
    x: float
    y: float
    size: float
    bold: bool
    end: float = 0.0  # right edge of the line's last piece


@dataclass(frozen=True)
class Box:
    """A rectangle in PDF coordinates (origin bottom left)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def holds(self, fragment: Fragment) -> bool:
        return self.x0 - 1 <= fragment.x <= self.x1 + 1 and self.y0 - 1 <= fragment.y <= self.y1 + 1


def page_lines(fragments: Sequence[Fragment], width: float, exclude: Sequence[Box] = ()) -> list[Line]:
    """The page's lines in reading order, without the text inside ``exclude`` boxes.

    Columns are found from the whitespace between the pieces (``columns.py``): a
    full-width block, then each column top to bottom, then what follows.
    """
    kept = [f for f in fragments if f.text.strip() and not any(box.holds(f) for box in exclude)]
    return [line for region in reading_regions(kept) for line in _lines(region)]


def _same_word(before: Fragment, piece: Fragment) -> bool:
    """Whether two measured pieces that touch are one word: a hyphen drawn on its own, or a
    change of font or size inside a word (« 1er »). Pieces in the same font were split
    at a space (a non-breaking one may be narrow: « 817 € »)."""
    if piece.x - before.end >= 0.12 * piece.size:
        return False
    hyphen = piece.text.startswith("-") or before.text.endswith(("-", "'", "’"))
    closing = piece.text[:1] in ",.)…"  # after a note call taken out: « Quérand¹, »
    return hyphen or closing or piece.size != before.size or piece.bold != before.bold


def _lines(fragments: Sequence[Fragment]) -> list[Line]:
    """Fragments grouped by baseline, top to bottom, each line left to right.

    Pieces (words) are joined with a space, unless they are one word (``_same_word``).
    """
    lines = []
    for row in baseline_rows(fragments):
        text = row[0].text.replace("\n", " ")
        for before, piece in pairwise(row):
            estimated = not (before.width and piece.width)  # pypdf's pieces carry their spaces
            cut = piece is row[-1] and piece.text == "-" and piece.x - before.end < 0.5 * piece.size
            separator = "" if estimated or cut or _same_word(before, piece) else " "  # cut: « remé- »
            text += separator + piece.text.replace("\n", " ")
        sizes = Counter({f.size: len(f.text) for f in row})
        bold = all(f.bold for f in row if f.text.strip())
        size = sizes.most_common(1)[0][0]
        lines.append(Line(" ".join(text.split()), row[0].x, row[0].y, size, bold, max(f.end for f in row)))
    return lines


def body_size(lines_by_page: Sequence[Sequence[Line]]) -> float:
    """The font size most of the text is set in."""
    sizes: Counter[float] = Counter()
    for lines in lines_by_page:
        for line in lines:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def heading_levels(
    lines_by_page: Sequence[Sequence[Line]], body: float, numbered: dict[float, int] | None = None
) -> dict[float, int]:
    """Levels of the font sizes clearly larger than the body text (or a little larger and
    bold: 12 pt bold over 11 pt body text).

    Sizes used by numbered headings ("2." level 1, "2.1" level 2) anchor the
    scale; a larger size (a cover title) is level 1 too, a size in between takes
    the level of the next larger anchor. Without anchors, sizes rank 1, 2, 3.
    """
    sizes = sorted(
        {
            line.size
            for lines in lines_by_page
            for line in lines
            if line.size >= body * 1.15 or (line.bold and line.size >= body * 1.05)
        },
        reverse=True,
    )
    anchors = sorted((numbered or {}).items(), reverse=True)
    if not anchors:
        return {size: min(level, 3) for level, size in enumerate(sizes, start=1)}
    levels = {}
    for size in sizes:
        larger = [level for anchor, level in anchors if anchor >= size]
        levels[size] = larger[-1] if larger else anchors[-1][1] + 1
    return levels


def paragraphs(lines: Sequence[Line]) -> list[list[Line]]:
    """Lines grouped into paragraphs: a gap clearly wider than the usual line spacing,
    or a change of font size, starts a new one."""
    gaps = [a.y - b.y for a, b in pairwise(lines) if 0 < a.y - b.y < 3 * a.size]
    usual = Counter(round(gap) for gap in gaps).most_common(1)[0][0] if gaps else 0
    groups: list[list[Line]] = []
    for line in lines:
        previous = groups[-1][-1] if groups else None
        if (
            previous is None
            or previous.size != line.size
            or not 0 < previous.y - line.y <= max(usual, previous.size) * 1.35
        ):
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups
