"""Columns found from the whitespace between text pieces: the page's reading order.

Pure: positioned pieces in, regions out, each region to be read top to bottom.
The page is first cut into horizontal bands where no text lies over a height of
``BAND_GAP_EMS`` (a figure, or the space around a full-width heading): a designed page
runs two columns above a figure and two more below it, and each band is read column by
column before the next. Then, within a band, a gutter is a vertical strip, at least
``GUTTER_EMS`` of the text size wide, that
no piece touches over a run of consecutive lines, with text on both sides in at
least three of those lines (so the gaps between words of a justified line, which
never line up over several lines, are not taken for one), and at least
``MIN_COLUMN`` of the text's width from either edge (a list's bullets or numbers
are no column). Lines that cross the strip (a full-width title above the columns,
a footnote below) end the run. The empty corridor around the strip must be
``CORRIDOR_EMS`` wide: the word gaps of justified lines may line up over three lines, but
only by a few points. The band is cut at the best gutter: what lies
above the run, the left side, the right side, what lies below, each cut again,
so three columns and off-centre gutters come out too. Coordinates are PDF
points, origin at the bottom left.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

import numpy as np

GUTTER_EMS = 0.6  # narrowest gutter, in ems of the median text size
CORRIDOR_EMS = 1.0  # narrowest empty corridor a gutter stands in (justified word gaps are narrower)
BAND_GAP_EMS = 2.5  # a height without text, in ems, that cuts the page into bands
MIN_COLUMN = 0.15  # narrowest column, as a share of the text's width (bullets are no column)
_MIN_LINES = 3  # lines with text on each side of a gutter
_SAME_LINE = 2.5  # points: pieces closer than this vertically share a line
_MAX_DEPTH = 4  # columns within columns


class Piece(Protocol):
    @property
    def x(self) -> float: ...

    @property
    def y(self) -> float: ...

    @property
    def size(self) -> float: ...

    @property
    def end(self) -> float: ...


P = TypeVar("P", bound=Piece)


def reading_regions(pieces: Sequence[P]) -> list[list[P]]:
    """``pieces`` split into regions in reading order (a region: one column's stretch, or
    a full-width stretch)."""
    return [region for band in bands(baseline_rows(pieces)) for region in _split(band, 0) if region]


def bands(rows: list[list[P]]) -> list[list[list[P]]]:
    """``rows`` (top to bottom) cut where the space between two rows' baselines exceeds
    ``BAND_GAP_EMS`` of the upper row's type (the space above a heading counts: it is what
    sets a band apart)."""
    cut: list[list[list[P]]] = []
    for row in rows:
        if cut:
            above = cut[-1][-1]
            size = max(p.size for p in above)
            if min(p.y for p in above) - max(p.y for p in row) <= BAND_GAP_EMS * size:
                cut[-1].append(row)
                continue
        cut.append([row])
    return cut


def baseline_rows(pieces: Sequence[P]) -> list[list[P]]:
    """Pieces grouped by baseline, top to bottom, each row left to right."""
    rows: list[list[P]] = []
    for piece in sorted(pieces, key=lambda p: (-p.y, p.x)):
        if rows and abs(rows[-1][0].y - piece.y) <= _SAME_LINE:
            rows[-1].append(piece)
        else:
            rows.append([piece])
    return [sorted(row, key=lambda p: p.x) for row in rows]


def _split(rows: list[list[P]], depth: int) -> list[list[P]]:
    gutter = None if depth >= _MAX_DEPTH else best_gutter(rows)
    if gutter is None:
        return [[piece for row in rows for piece in row]]
    first, last, x = gutter
    stretch = rows[first : last + 1]
    left = [kept for row in stretch if (kept := [p for p in row if p.end <= x])]
    right = [kept for row in stretch if (kept := [p for p in row if p.x >= x])]
    return (
        _split(rows[:first], depth)
        + _split(left, depth + 1)
        + _split(right, depth + 1)
        + _split(rows[last + 1 :], depth)
    )


def best_gutter(rows: Sequence[Sequence[Piece]]) -> tuple[int, int, float] | None:
    """The widest-supported gutter of ``rows``: (first row, last row, its x), or None."""
    pieces = [piece for row in rows for piece in row]
    if len(rows) < _MIN_LINES or not pieces:
        return None
    low, high = min(p.x for p in pieces), max(p.end for p in pieces)
    em = float(np.median([p.size for p in pieces]))
    half = GUTTER_EMS * em / 2
    margin = max(2 * half, MIN_COLUMN * (high - low))
    xs = np.arange(low + margin, high - margin, 1.0)
    if len(xs) == 0:
        return None
    empty, left, right = _occupancy(rows, xs, half)
    score, first, last = _runs(empty, left, right)
    # neighbouring positions (1 pt apart) sharing a run form one corridor; its width is
    # theirs plus the strip's
    found = np.flatnonzero(score > 0)
    cuts = (np.diff(found) > 1) | (np.diff(first[found]) != 0) | (np.diff(last[found]) != 0)
    corridors = [
        c for c in np.split(found, np.flatnonzero(cuts) + 1) if len(c) - 1 + 2 * half >= CORRIDOR_EMS * em
    ]
    if not corridors:
        return None
    best = max(corridors, key=lambda c: (int(score[c[0]]), len(c)))
    middle = int(best[len(best) // 2])  # the corridor's centre
    return int(first[middle]), int(last[middle]), float(xs[middle])


def _occupancy(
    rows: Sequence[Sequence[Piece]], xs: np.ndarray, half: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each row and candidate x: the strip [x - half, x + half] is empty; some text
    lies left of it; some text lies right of it."""
    empty = np.ones((len(rows), len(xs)), dtype=bool)
    left = np.zeros_like(empty)
    right = np.zeros_like(empty)
    for r, row in enumerate(rows):
        for piece in row:
            empty[r] &= ~((piece.x < xs + half) & (piece.end > xs - half))
            left[r] |= piece.end <= xs - half
            right[r] |= piece.x >= xs + half
    return empty, left, right


def _runs(empty: np.ndarray, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, ...]:
    """For each candidate x, its best run of consecutive rows with an empty strip and at
    least ``_MIN_LINES`` rows of text on each side: score (rows with text), first, last."""
    count = empty.shape[1]
    score = np.zeros(count, dtype=np.int64)
    first = np.zeros(count, dtype=np.int64)
    last = np.zeros(count, dtype=np.int64)
    length = np.zeros(count, dtype=np.int64)
    on_left = np.zeros(count, dtype=np.int64)
    on_right = np.zeros(count, dtype=np.int64)
    rows_with_text = np.zeros(count, dtype=np.int64)
    for r in range(empty.shape[0] + 1):
        open_ = empty[r] if r < empty.shape[0] else np.zeros(count, dtype=bool)
        closing = ~open_ & (length > 0)
        good = closing & (on_left >= _MIN_LINES) & (on_right >= _MIN_LINES) & (rows_with_text > score)
        score = np.where(good, rows_with_text, score)
        first = np.where(good, r - length, first)
        last = np.where(good, r - 1, last)
        if r == empty.shape[0]:
            break
        length = np.where(open_, length + 1, 0)
        on_left = np.where(open_, on_left + left[r], 0)
        on_right = np.where(open_, on_right + right[r], 0)
        rows_with_text = np.where(open_, rows_with_text + (left[r] | right[r]), 0)
    return score, first, last
