"""Tables: found with pdfplumber, turned into rows that read as sentences.

pdfplumber locates tables and their cells; the rest of the page is laid out from
its words. A table that continues on the next page (its header repeated, or no
header but the same columns at the top of the page) is joined to the previous
one, so its rows keep their column names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ingest.cleanup import join_lines, normalize_glyphs
from ingest.layout import Box

_SESSION_HEADER = re.compile(r"journ[ée]e|session", re.IGNORECASE)
_TERRITORY_HEADER = re.compile(r"territoire|collectivit|structure|participant", re.IGNORECASE)


@dataclass(frozen=True)
class RawTable:
    """A table as found on a page: its box and its cells, row by row."""

    page: int
    box: Box
    cells: tuple[tuple[str, ...], ...]
    at_page_top: bool
    frame: bool = False  # rules round prose (a box), no grid: read as text, its heading its own


@dataclass(frozen=True)
class TableRow:
    """One row of a table, with the column names it belongs under."""

    page: int
    header: tuple[str, ...]
    values: tuple[str, ...]
    table: int  # number of the table in the document, from 1
    top: float = 0.0  # top of the table part holding the row, in PDF coordinates

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple((name, value) for name, value in zip(self.header, self.values, strict=False) if value)

    @property
    def territory(self) -> str | None:
        """The value under a "Territoire"-like column, when the table has one."""
        for name, value in self.pairs:
            if _TERRITORY_HEADER.search(name):
                return value
        return None

    @property
    def session(self) -> int | None:
        """The day named in a "Journée"/"Session" column, when the table has one."""
        for name, value in self.pairs:
            if _SESSION_HEADER.search(name) and value.strip().isdigit():
                return int(value)
        return None

    def as_sentence(self) -> str:
        """ "Territoire : X. Attentes : ... Suites données : ..." """
        return " ".join(f"{name} : {_with_period(value)}" for name, value in self.pairs)


def _with_period(value: str) -> str:
    return value if value.endswith((".", "!", "?", "…")) else value + "."


def clean_cell(cell: str | None) -> str:
    """A cell's lines made into running text (hyphenation joined, glyphs normalised)."""
    if not cell:
        return ""
    return " ".join(join_lines(normalize_glyphs(cell).splitlines()).split())


def page_tables(page: object, number: int) -> list[RawTable]:
    """The ruled tables of one pdfplumber page (numbered ``number``), box in PDF coordinates:
    read from its upright characters, note calls left out; rules that make no grid are
    returned as frames (``frame``), whose text is read as text."""
    found = []
    height = float(page.height)  # type: ignore[attr-defined]
    calls = note_call_chars(page.chars)  # type: ignore[attr-defined]

    def kept(obj: dict) -> bool:  # a credit set sideways is no cell's text
        return obj.get("object_type") != "char" or (obj.get("upright", True) and _key(obj) not in calls)

    page = page.filter(kept)  # type: ignore[attr-defined]
    finder = page.debug_tablefinder()  # type: ignore[attr-defined]
    for x0, top, x1, bottom in _lone_cells(finder):  # a box drawn as one cell: a frame
        found.append(RawTable(number, Box(x0, height - bottom, x1, height - top), (), False, frame=True))
    for table in finder.tables:
        cells = tuple(tuple(clean_cell(cell) for cell in row) for row in table.extract())
        x0, top, x1, bottom = table.bbox
        box = Box(float(x0), height - float(bottom), float(x1), height - float(top))
        if not is_grid(cells):  # a frame round prose, a cover's rules: read as text
            found.append(RawTable(number, box, cells, at_page_top=False, frame=True))
            continue
        found.append(RawTable(number, box, cells, at_page_top=_is_at_top(page, float(top))))
    return found


def _lone_cells(finder: Any) -> list[tuple[float, float, float, float]]:
    """The ruled cells no table holds (pdfplumber keeps tables of two cells or more)."""
    held = [table.bbox for table in finder.tables]
    return [
        tuple(float(v) for v in cell)  # type: ignore[misc]
        for cell in finder.cells
        if not any(
            b[0] - 1 <= cell[0] and cell[2] <= b[2] + 1 and b[1] - 1 <= cell[1] and cell[3] <= b[3] + 1
            for b in held
        )
    ]


def is_grid(cells: Sequence[Sequence[str]]) -> bool:
    """Whether ruled cells make a table: two rows at least with text in two cells or more. A
    one-column frame (a definition box) or rules round a single block of text are not."""
    return sum(sum(bool(cell) for cell in row) >= 2 for row in cells) >= 2


_CALL_SHARE = 0.8  # a note call's type, as a share of its word's
_RAISE = 0.15  # how far above its word's baseline a call stands, in ems of the word's type


def _key(char: dict) -> tuple[float, float, str]:
    return (round(float(char["x0"]), 2), round(float(char["top"]), 2), char["text"])


def note_call_chars(chars: Sequence[dict]) -> set[tuple[float, float, str]]:
    """The characters of note calls (« logements³ », « an² »... written as small raised
    digits after a word): digits in smaller type whose baseline stands above the baseline
    of the letter just before them. A table's cell would otherwise read « logements3 »."""
    calls: set[tuple[float, float, str]] = set()
    before: dict | None = None
    for char in chars:
        text, size = char["text"], float(char["size"])
        if text.isdigit() and before is not None:
            ground, big = float(before["bottom"]), float(before["size"])
            if (
                size <= _CALL_SHARE * big
                and float(char["bottom"]) < ground - _RAISE * big
                and float(char["x0"]) - float(before["x1"]) < big
            ):
                calls.add(_key(char))
                continue
        if not text.isdigit() or before is None or _key(before) not in calls:
            before = char if text.strip() else None
    return calls


def _is_at_top(page: object, top: float) -> bool:
    """True when no body text stands between the page's top margin and the table."""
    words = page.extract_words()  # type: ignore[attr-defined]
    above = [w for w in words if float(w["bottom"]) < top - 2 and float(w["top"]) > 60]
    return not above


def table_rows(tables: Sequence[RawTable]) -> list[TableRow]:
    """Rows of all tables, header rows removed, continued tables joined."""
    rows: list[TableRow] = []
    header: tuple[str, ...] = ()
    number, last_page = 0, 0
    for table in tables:
        first, rest = table.cells[0], list(table.cells[1:])
        continues = (
            bool(header)
            and table.page == last_page + 1
            and len(first) == len(header)
            and (first == header or table.at_page_top)
        )
        last_page = table.page
        if not continues:
            number += 1
            header = first
        elif first != header:
            rest = [first, *rest]
        rows += [TableRow(table.page, header, row, number, table.box.y1) for row in rest if any(row)]
    return rows
