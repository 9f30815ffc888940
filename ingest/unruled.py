"""Tables drawn without rules: columns aligned by whitespace under a header row.

Pure: a page's measured pieces in, tables out (as ``RawTable``, like the ruled ones
pdfplumber finds, so rows are read the same way). Without rules nothing marks a table
but alignment, and two columns of prose are aligned too; so a table is only taken
where its header row names it: a row of short labels set apart by wide gaps, the first
of which is a « Territoire »-like column (the reports' tables of territories). Each
later row that has text under the first column starts a table row; a row without it
continues the cells above (a wrapped cell). The table ends at a wide vertical gap, at a
line that crosses a column boundary, or at larger type.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from ingest.columns import baseline_rows
from ingest.layout import Box, Fragment
from ingest.tables import RawTable, clean_cell

_FIRST_HEADER = re.compile(r"^(?:territoires?|collectivit[ée]s?|structures?|communes?)$", re.IGNORECASE)
_GAP_EMS = 1.5  # the gap between two header labels, in ems
_MAX_LABEL_WORDS = 4
_SPACE_EMS = 0.4  # wider than a word space (about a quarter em), narrower than cell padding
_PROBE_ROWS = 6  # rows under the header that place the column boundaries


def unruled_tables(page: int, fragments: Sequence[Fragment]) -> list[RawTable]:
    """The unruled tables of one page, top to bottom."""
    rows = baseline_rows(fragments)
    tables = []
    index = 0
    while index < len(rows):
        labels = _header_labels(rows[index])
        if labels is None:
            index += 1
            continue
        bounds = _boundaries(labels, rows[index + 1 : index + 1 + _PROBE_ROWS])
        end = _table_end(rows, index, bounds)
        if end - index >= 2:  # a header and at least one row
            tables.append(_table(page, rows[index:end], bounds))
        index = max(end, index + 1)
    return tables


def _segments(row: Sequence[Fragment]) -> list[list[Fragment]]:
    """A row's pieces cut at gaps wider than ``_GAP_EMS``."""
    segments: list[list[Fragment]] = []
    for piece in row:
        if segments and piece.x - segments[-1][-1].end < _GAP_EMS * piece.size:
            segments[-1].append(piece)
        else:
            segments.append([piece])
    return segments


def _header_labels(row: Sequence[Fragment]) -> list[tuple[float, float]] | None:
    """The (left, right) extent of each label when ``row`` is a table's header, else None."""
    segments = _segments(row)
    if len(segments) < 2 or any(len(segment) > _MAX_LABEL_WORDS for segment in segments):
        return None
    if not _FIRST_HEADER.match(" ".join(piece.text for piece in segments[0])):
        return None
    return [(segment[0].x, segment[-1].end) for segment in segments]


def _boundaries(labels: list[tuple[float, float]], below: Sequence[Sequence[Fragment]]) -> list[float]:
    """Where each column ends and the next begins: in the space between two labels (a label
    may be centred over its column), the last x that the fewest pieces of the first rows
    cross, just left of the next column's text (a column's lines may reach further right
    than in its first rows)."""
    pieces = [piece for row in below for piece in row]
    bounds = []
    for (_, end), (start, _) in pairwise(labels):
        xs = list(range(int(end) + 1, int(start)))
        if not xs:
            bounds.append((end + start) / 2)
            continue
        crossing = [sum(p.x < x < p.end for p in pieces) for x in xs]
        fewest = min(crossing)
        best = [x for x, count in zip(xs, crossing, strict=True) if count == fewest]
        bounds.append(float(best[-1]))
    return bounds


def _column(piece: Fragment, bounds: Sequence[float]) -> int:
    return sum(piece.x >= bound for bound in bounds)


def _table_end(rows: Sequence[Sequence[Fragment]], header: int, bounds: Sequence[float]) -> int:
    """The index of the first row after the table that starts at ``rows[header]``."""
    size = rows[header][0].size
    spacing = None
    for index in range(header + 1, len(rows)):
        row, above = rows[index], rows[index - 1]
        gap = above[0].y - row[0].y
        spacing = spacing or gap
        if gap > 2.5 * spacing or max(p.size for p in row) > 1.1 * size or _crosses(row, bounds):
            return index
    return len(rows)


def _crosses(row: Sequence[Fragment], bounds: Sequence[float]) -> bool:
    """Whether a line of text runs across a column boundary: a piece straddles it, or two
    pieces a word space apart sit on either side of it."""
    for bound in bounds:
        if any(piece.x < bound < piece.end for piece in row):
            return True
        if any(a.end <= bound <= b.x and b.x - a.end < _SPACE_EMS * b.size for a, b in pairwise(row)):
            return True
    return False


def _table(page: int, rows: Sequence[Sequence[Fragment]], bounds: Sequence[float]) -> RawTable:
    """The header and rows as cells. A line with text in the first column starts a row,
    unless the rows are set apart by wider gaps than a cell's lines (padding), in which
    case only such a gap does: a wrapped first cell then stays one cell."""
    gaps = [above[0].y - row[0].y for above, row in pairwise(rows)]
    body = gaps[1:]  # the gap under the header row says nothing of the rows' padding
    padded = bool(body) and max(body) - min(body) > 1.5
    records: list[list[list[str]]] = []
    for position, row in enumerate(rows):
        lines: list[list[str]] = [[] for _ in range(len(bounds) + 1)]
        for piece in row:
            lines[_column(piece, bounds)].append(piece.text)
        gap = gaps[position - 1] if position else 0.0
        starts = lines[0] and (not padded or gap > min(body) + 1.5)
        if starts or not records:
            records.append([[" ".join(words)] if words else [] for words in lines])
        else:
            for cell, words in zip(records[-1], lines, strict=True):
                if words:
                    cell.append(" ".join(words))
    cells = tuple(tuple(clean_cell("\n".join(cell)) for cell in record) for record in records)
    pieces = [piece for row in rows for piece in row]
    box = Box(
        min(p.x for p in pieces),
        min(p.y for p in pieces),
        max(p.end for p in pieces),
        max(p.y + p.size for p in pieces),
    )
    return RawTable(page, box, cells, at_page_top=False)
