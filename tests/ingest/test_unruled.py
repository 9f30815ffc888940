"""Tables drawn without rules, found from their header and alignment, on synthetic pages."""

from __future__ import annotations

from ingest.layout import Fragment
from ingest.unruled import unruled_tables

SIZE = 10.0
WIDTH = 5.0


def _words(text: str, x: float, y: float, size: float = SIZE) -> list[Fragment]:
    pieces = []
    for word in text.split():
        pieces.append(Fragment(x, y, size, False, word, len(word) * WIDTH))
        x += len(word) * WIDTH + SIZE / 4  # a word space: a quarter of an em
    return pieces


COLUMNS = (50.0, 200.0, 380.0)


def _row(y: float, *cells: str) -> list[Fragment]:
    return [piece for x, cell in zip(COLUMNS, cells, strict=False) if cell for piece in _words(cell, x, y)]


def test_a_table_under_a_territory_header_reads_row_by_row_with_wrapped_cells() -> None:
    page = (
        _words("Le tableau ci-dessous rassemble les attentes des territoires.", 50, 720)
        + _row(690, "Territoire", "Attentes", "Suites données")
        + _row(676, "Sauvelière", "Toucher les familles", "Un forum en mai")
        + _row(664, "", "et les jeunes", "")
        + _row(652, "Lumerive", "Des indicateurs", "Trois signes suivis")
        + _words("Une autre partie commence ici avec un texte qui court sur toute la largeur.", 50, 610)
    )
    [table] = unruled_tables(3, page)
    assert table.page == 3
    assert table.cells == (
        ("Territoire", "Attentes", "Suites données"),
        ("Sauvelière", "Toucher les familles et les jeunes", "Un forum en mai"),
        ("Lumerive", "Des indicateurs", "Trois signes suivis"),
    )
    assert table.box.y0 == 652 and table.box.y1 == 690 + SIZE  # the prose below is left out


def test_aligned_prose_without_a_territory_header_is_no_table() -> None:
    page = _row(690, "Objectifs", "Moyens", "Résultats") + _row(676, "Apprendre", "Ateliers", "Cartes")
    assert unruled_tables(1, page) == []


def test_a_line_crossing_the_columns_ends_the_table() -> None:
    page = (
        _row(690, "Territoire", "Attentes")
        + _row(676, "Sauvelière", "Toucher les familles")
        + _words("Cette phrase traverse les colonnes du tableau et le termine donc ici.", 50, 664)
    )
    [table] = unruled_tables(1, page)
    assert table.cells == (("Territoire", "Attentes"), ("Sauvelière", "Toucher les familles"))
