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


def test_a_figure_cuts_the_page_into_bands_read_one_after_the_other() -> None:
    """Cerema guide p. 5: two columns above a figure, two more below it, one gutter at the
    same place: each band is read column by column before the next."""
    page: list[Fragment] = []
    for band, top in (("haut", 700), ("bas", 400)):
        for row in range(3):
            page += _words(f"{band} gauche {row}", 50, top - 12 * row)
            page += _words(f"{band} droite {row}", 320, top - 12 * row)
    assert _texts(page) == [
        *(f"haut gauche {r}" for r in range(3)),
        *(f"haut droite {r}" for r in range(3)),
        *(f"bas gauche {r}" for r in range(3)),
        *(f"bas droite {r}" for r in range(3)),
    ]


def test_word_gaps_of_justified_lines_lined_up_by_a_few_points_are_no_gutter() -> None:
    """Cerema guide p. 24: in three justified lines, a word gap stands at the same place
    (left parts ending at 411-414, right parts starting at 421-422): read as lines, not as
    two columns that move words from line to line."""
    rows = [("est signé entre", "le gestionnaire", 414, 422), ("du réseau et", "le syndicat de", 413, 421)]
    rows += [("copropriétaires. Il définit", "notamment la", 411, 422)]
    page: list[Fragment] = []
    for n, (left, right, end, start) in enumerate(rows):
        page += [Fragment(330, 700 - 12 * n, SIZE, False, left, end - 330)]
        page += [Fragment(start, 700 - 12 * n, SIZE, False, right, 489 - start)]
    page += _words("Le contrat d'abonnement ou de fourniture d'énergie", 330, 712)
    assert _texts(page)[1:] == [f"{left} {right}" for left, right, _, _ in rows]


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


def test_a_call_touching_its_word_or_in_parentheses_is_dropped() -> None:
    """Glyph boxes overlap a little (« TH-137¹⁴ » in the Cerema guide); calls may be « (3) »."""
    word = Fragment(50, 700, SIZE, False, "TH-137", 34.0)
    touching = Fragment(word.end - 0.4, 705.5, 6.4, False, "14", 7.0)
    assert [f.text for f in drop_note_calls([word, touching])] == ["TH-137"]
    bracketed = Fragment(word.end + 0.5, 704.0, 6.0, False, "(3)", 9.0)
    assert [f.text for f in drop_note_calls([word, bracketed])] == ["TH-137"]
    lines = [
        Line("Le texte.", 50, 700, SIZE, False),
        Line("(11) https://www.service-public.fr/F1224", 50, 80, 8.0, False),
    ]
    assert split_footnotes(lines, SIZE) == ([lines[0]], ["https://www.service-public.fr/F1224"])


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


def test_a_line_end_hyphen_set_a_little_apart_stays_on_its_word_but_a_dash_does_not() -> None:
    """The 50-page Word report: « remé » then « - » 2 points away at the line's end."""
    page = [Fragment(50, 700, SIZE, False, "Pour", 20.0), Fragment(73, 700, SIZE, False, "y", 5.0)]
    page += [Fragment(81, 700, SIZE, False, "remé", 22.0), Fragment(105, 700, SIZE, False, "-", 4.0)]
    page += [Fragment(50, 688, SIZE, False, "Les", 15.0), Fragment(68, 688, SIZE, False, "CEE", 15.0)]
    page += [Fragment(86, 688, SIZE, False, "-", 4.0), Fragment(93, 688, SIZE, False, "Certificats", 50.0)]
    assert _texts(page) == ["Pour y remé-", "Les CEE - Certificats"]
