"""Page layout from measured pieces, checked exactly on small synthetic pages."""

from __future__ import annotations

from ingest.document import Block
from ingest.layout import Fragment, Line, page_lines
from ingest.page_flow import drop_note_calls, join_continuations, split_footnotes

SIZE = 10.0
WIDTH = 5.0  # points per glyph of the synthetic pieces


def _words(text: str, x: float, y: float, size: float = SIZE, bold: bool = False) -> list[Fragment]:
    """A line's words as measured pieces, one space (a glyph wide) apart."""
    pieces = []
    for word in text.split():
        pieces.append(Fragment(x, y, size, bold, word, len(word) * WIDTH))
        x += (len(word) + 1) * WIDTH
    return pieces


def _texts(fragments: list[Fragment], width: float = 600) -> list[str]:
    return [line.text for line in page_lines(fragments, width)]


def test_a_single_column_reads_line_by_line() -> None:
    page = _words("Les territoires ont présenté", 50, 700) + _words("leurs attentes au groupe.", 50, 688)
    assert _texts(page) == ["Les territoires ont présenté", "leurs attentes au groupe."]


def test_two_columns_under_a_full_width_title_read_column_by_column() -> None:
    page = _words("Deuxième journée à Brumeval : la coopération entre les acteurs locaux", 50, 760)
    for row, (left, right) in enumerate(
        [
            ("La journée a réuni", "Le tiers-lieu a"),
            ("douze agents et", "accueilli les"),
            ("trois élus.", "ateliers."),
        ]
    ):
        page += _words(left, 50, 740 - 12 * row) + _words(right, 320, 740 - 12 * row)
    assert _texts(page) == [
        "Deuxième journée à Brumeval : la coopération entre les acteurs locaux",
        "La journée a réuni",
        "douze agents et",
        "trois élus.",
        "Le tiers-lieu a",
        "accueilli les",
        "ateliers.",
    ]


def test_three_columns_with_off_centre_gutters_and_offset_baselines() -> None:
    page: list[Fragment] = []
    for row in range(4):
        page += _words(f"gauche {row}", 40, 700 - 12 * row)
        page += _words(f"milieu {row} un peu plus long", 150, 694 - 12 * row)  # baselines offset
        page += _words(f"droite {row}", 420, 700 - 12 * row)
    texts = _texts(page)
    assert texts == [f"gauche {r}" for r in range(4)] + [f"milieu {r} un peu plus long" for r in range(4)] + [
        f"droite {r}" for r in range(4)
    ]


def test_justified_word_gaps_are_not_a_gutter() -> None:
    """Wide gaps between words that happen to line up on two lines are not columns."""
    page = (
        _words("Les élus    ont pris la parole", 50, 700)
        + _words("sur le     portage politique", 50, 688)
        + _words("des projets de territoire.", 50, 676)
    )
    assert _texts(page)[0].startswith("Les élus ont")


def test_a_hyphen_drawn_apart_stays_on_its_word() -> None:
    page = [Fragment(50, 700, SIZE, False, "maté", 20.0), Fragment(70.2, 700, SIZE, False, "-", 3.0)]
    page += _words("riel prêté.", 50, 688)
    assert _texts(page) == ["maté-", "riel prêté."]


def test_a_note_call_is_dropped_and_the_note_kept_apart() -> None:
    sentence = _words("Les échanges ont été francs", 50, 700)
    call = Fragment(sentence[-1].end + 0.5, 703.5, 6.0, False, "1", 3.0)
    assert [f.text for f in drop_note_calls([*sentence, call])] == [f.text for f in sentence]
    lines = [
        Line("Les échanges ont été francs.", 50, 700, SIZE, False),
        Line("1 Selon la feuille de présence signée", 50, 80, 8.0, False),
        Line("le jour même.", 50, 70, 8.0, False),
    ]
    body, notes = split_footnotes(lines, SIZE)
    assert [line.text for line in body] == ["Les échanges ont été francs."]
    assert notes == ["Selon la feuille de présence signée le jour même."]


def test_a_number_in_body_type_is_no_note() -> None:
    lines = [Line("Le budget est tenu.", 50, 700, SIZE, False), Line("12 territoires", 50, 80, SIZE, False)]
    assert split_footnotes(lines, SIZE) == (lines, [])


def test_a_paragraph_cut_by_a_column_or_a_page_is_joined() -> None:
    blocks = [
        Block("La première journée a réuni les terri-", page=2, section="2. Déroulé"),
        Block("toires de la vallée autour du", page=2, section="2. Déroulé"),
        Block("Une note de bas de page.", page=2, section="2. Déroulé", note=True),
        Block("centre-bourg rénové. Elle a duré six heures.", page=3, section="2. Déroulé"),
        Block("Un autre paragraphe.", page=3, section="2. Déroulé"),
    ]
    joined = join_continuations(blocks)
    assert [(b.text, b.page, b.last_page) for b in joined] == [
        (
            "La première journée a réuni les territoires de la vallée autour du centre-bourg rénové. "
            "Elle a duré six heures.",
            2,
            3,
        ),
        ("Une note de bas de page.", 2, 2),
        ("Un autre paragraphe.", 3, 3),
    ]


def test_a_finished_sentence_or_another_section_is_not_joined() -> None:
    blocks = [
        Block("Le budget est tenu.", page=1, section="4. Budget"),
        Block("ensuite vient la suite", page=1, section="4. Budget"),
        Block("puis un autre titre", page=2, section="5. Suites"),
    ]
    assert [b.text for b in join_continuations(blocks)] == [b.text for b in blocks]
