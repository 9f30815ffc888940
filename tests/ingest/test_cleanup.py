"""Text clean-up rules, checked exactly on small inputs."""

from __future__ import annotations

import pytest

from ingest.cleanup import is_page_number, join_lines, normalize_glyphs, strip_running_lines


def test_ligatures_soft_hyphens_and_odd_spaces_become_plain_text() -> None:
    assert normalize_glyphs("e\ufb03cacit\u00e9\u00a0: re\u00adlance \ufb01n") == "efficacité : relance fin"


def test_decomposed_accents_are_composed() -> None:
    assert normalize_glyphs("e\u0301lu") == "élu"


@pytest.mark.parametrize("line", ["3", "Page 4", "page 4 / 12", "12 sur 40", "  7  "])
def test_page_numbers_are_recognised(line: str) -> None:
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["2030", "Page de garde", "3 territoires", "1. Intentions"])
def test_body_lines_are_not_page_numbers(line: str) -> None:
    assert not is_page_number(line) or line == "2030"


def test_running_header_and_page_footer_are_removed_from_every_page() -> None:
    pages = [
        ["Bilan — journées", f"Contenu propre à la page {word}.", f"Page {n} / 4"]
        for n, word in enumerate(["un", "deux", "trois", "quatre"], start=1)
    ]
    cleaned = strip_running_lines(pages)
    assert cleaned == [[f"Contenu propre à la page {word}."] for word in ["un", "deux", "trois", "quatre"]]


def test_numbered_headings_at_page_tops_are_kept() -> None:
    bodies = ["Accueil.", "Ateliers.", "Visite.", "Clôture."]
    pages = [[f"2.{n} Journée {n}", body, f"{n}"] for n, body in enumerate(bodies, start=1)]
    expected = [[f"2.{n} Journée {n}", body] for n, body in enumerate(bodies, start=1)]
    assert strip_running_lines(pages) == expected


def test_a_footer_on_odd_pages_only_is_removed_and_the_title_page_left_out() -> None:
    """The Cerema guide prints its footer on odd pages only, none on its cover: 12 of 28
    pages, under half of them, but every odd page after the first."""
    footer = "Guide de raccordement des copropriétés - juillet 2019"
    texts = ["Deux.", "Trois.", "Quatre.", "Cinq.", "Six.", "Sept.", "Huit."]
    pages = [["Couverture du guide"]] + [
        [text, *([footer] if n % 2 else []), str(n)] for n, text in enumerate(texts, start=2)
    ]
    assert strip_running_lines(pages) == [["Couverture du guide"]] + [[text] for text in texts]


def test_a_line_repeated_on_too_few_pages_is_kept() -> None:
    pages = [["Encadré", "texte a"], ["Encadré", "texte b"], ["autre", "texte c"], ["autre 2", "texte d"]]
    pages += [["x", "y"]] * 4
    assert strip_running_lines(pages)[0] == ["Encadré", "texte a"]


def test_hyphenated_words_are_joined_and_sentences_keep_their_break() -> None:
    lines = ["La conduite du change-", "ment systémique est", "abordée.", "Une nouvelle idée"]
    assert join_lines(lines) == "La conduite du changement systémique est abordée.\nUne nouvelle idée"


def test_a_hyphen_before_a_capital_is_kept() -> None:
    assert join_lines(["Saint-", "Exemple"]) == "Saint-Exemple"


def test_blank_lines_and_inner_spaces_are_collapsed() -> None:
    assert join_lines(["  un   mot ", "", "et   un autre"]) == "un mot et un autre"


@pytest.mark.parametrize(
    ("lines", "text"),
    [
        (["le maté-", "riel prêté"], "le matériel prêté"),
        (["des terri-", "toires voisins"], "des territoires voisins"),
        (["ils sou-", "haitaient venir"], "ils souhaitaient venir"),
        (["la place du centre-", "bourg rénovée"], "la place du centre-bourg rénovée"),
        (["la commune de Saint-Ormel-sur-", "Lisse"], "la commune de Saint-Ormel-sur-Lisse"),
        (["un arc-en-", "ciel"], "un arc-en-ciel"),
        (["le vice-", "président de la région"], "le vice-président de la région"),
        (["c'est peut-", "être vrai"], "c'est peut-être vrai"),
        (["à Montcaillou-", "le-Vieux"], "à Montcaillou-le-Vieux"),
        (["le plan cli-", "mat-air-énergie du territoire"], "le plan climat-air-énergie du territoire"),
        (["à Val-", "d'Orbelune"], "à Val-d'Orbelune"),
        (["les Coteaux du Ver-", "dan"], "les Coteaux du Verdan"),
        (["des interdé-", "pendances"], "des interdépendances"),
        (["une contre-", "partie"], "une contrepartie"),
        (["la jour\u00ad", "née de mai"], "la journée de mai"),  # a soft hyphen always cuts
    ],
)
def test_a_line_end_hyphen_cuts_a_word_or_keeps_a_compound(lines: list[str], text: str) -> None:
    assert join_lines(lines) == text


def test_the_documents_own_vocabulary_decides_first() -> None:
    from ingest.hyphenation import vocabulary

    # « écomobilité » is no word of the French list; the document writes it whole elsewhere
    known = vocabulary(["L'écomobilité progresse.", "le plan d'éco-", "mobilité"])
    assert "écomobilité" in known and "éco" not in known
    assert join_lines(["le plan d'éco-", "mobilité"], known) == "le plan d'écomobilité"
    # and the other way round: a compound written with its hyphen mid-line keeps it
    known = vocabulary(["Le porte-voix du quartier."])
    assert join_lines(["un porte-", "voix"], known) == "un porte-voix"


def test_a_closing_quote_before_a_lower_case_line_keeps_the_sentence_going() -> None:
    lines = [
        "chaque territoire a formulé une « proposition de coopération »",
        "adressée à un autre territoire.",
    ]
    assert join_lines(lines) == (
        "chaque territoire a formulé une « proposition de coopération » adressée à un autre territoire."
    )


def test_a_symbol_fonts_private_use_glyph_is_a_bullet() -> None:
    """Wingdings bullets of the Cerema guide come out as U+F06E, U+F0DC, U+F0E0."""
    assert [normalize_glyphs(f"{glyph} qui peut m’aider ?") for glyph in "\uf06e\uf0dc\uf0e0"] == [
        "- qui peut m’aider ?"
    ] * 3


def test_a_footer_with_the_pages_own_number_is_running_even_printed_once() -> None:
    pages = [
        ["Couverture"],
        ["Texte deux."],
        ["Texte trois.", "Guide de l'accompagnement — édition 2025 — 3"],
    ]
    pages += [["5 territoires ont participé à la journée.", "Texte quatre."]]
    assert strip_running_lines(pages) == [
        ["Couverture"],
        ["Texte deux."],
        ["Texte trois."],
        ["5 territoires ont participé à la journée.", "Texte quatre."],
    ]
