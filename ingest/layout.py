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

_SAME_LINE = 2.5  # points: fragments closer than this vertically share a line
_CHAR_WIDTH = 0.5  # average glyph width as a share of the font size (estimate)


@dataclass(frozen=True)
class Fragment:
    x: float
    y: float
    size: float
    bold: bool
    text: str

    @property
    def end(self) -> float:
        """Estimated right edge: pypdf gives no width, so glyphs count as half an em."""
        return self.x + len(self.text) * self.size * _CHAR_WIDTH


@dataclass(frozen=True)
class Line:
    text: str
    x: float
    y: float
    size: float
    bold: bool


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
    """The page's lines in reading order, without the text inside ``exclude`` boxes."""
    kept = [f for f in fragments if f.text.strip() and not any(box.holds(f) for box in exclude)]
    return [line for band in _column_bands(kept, width) for line in _lines(band)]


def _lines(fragments: Sequence[Fragment]) -> list[Line]:
    """Fragments grouped by baseline, top to bottom, each line left to right."""
    rows: list[list[Fragment]] = []
    for fragment in sorted(fragments, key=lambda f: (-f.y, f.x)):
        if rows and abs(rows[-1][0].y - fragment.y) <= _SAME_LINE:
            rows[-1].append(fragment)
        else:
            rows.append([fragment])
    lines = []
    for row in rows:
        row.sort(key=lambda f: f.x)
        text = "".join(f.text.replace("\n", " ") for f in row)
        sizes = Counter({f.size: len(f.text) for f in row})
        bold = all(f.bold for f in row if f.text.strip())
        lines.append(Line(" ".join(text.split()), row[0].x, row[0].y, sizes.most_common(1)[0][0], bold))
    return lines


def _column_bands(fragments: Sequence[Fragment], width: float) -> list[list[Fragment]]:
    """Fragments in reading order: on a two-column stretch, the left column then the right.

    A fragment crossing the middle gutter is full width (a title, a wide
    paragraph); it closes the two-column stretch above it.
    """
    middle = width / 2
    left = [f for f in fragments if f.end < middle + 4]
    right = [f for f in fragments if f.x > middle - 4]
    if len(left) < 3 or len(right) < 3:
        return [list(fragments)]
    bands: list[list[Fragment]] = []
    left_run: list[Fragment] = []
    right_run: list[Fragment] = []
    for fragment in sorted(fragments, key=lambda f: (-f.y, f.x)):
        if fragment.x > middle - 4:
            right_run.append(fragment)
        elif fragment.end < middle + 4:
            left_run.append(fragment)
        else:  # full width: flush the columns above it
            bands += [band for band in (left_run, right_run) if band]
            left_run, right_run = [], []
            bands.append([fragment])
    bands += [band for band in (left_run, right_run) if band]
    return bands


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
    """Levels of the font sizes clearly larger than the body text.

    Sizes used by numbered headings ("2." level 1, "2.1" level 2) anchor the
    scale; a larger size (a cover title) is level 1 too, a size in between takes
    the level of the next larger anchor. Without anchors, sizes rank 1, 2, 3.
    """
    sizes = sorted(
        {line.size for lines in lines_by_page for line in lines if line.size >= body * 1.15}, reverse=True
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
