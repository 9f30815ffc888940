"""The French analyser: elisions, accents, stop words, Snowball stems."""

from __future__ import annotations

import pytest

from vectorstore.french_text import fold, split_sentences, terms, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l'attente", ["attend"]),
        ("d'abord", ["abord"]),
        ("qu'attendaient", ["attend"]),
        ("jusqu'à la coopération", ["cooper"]),
        ("L’écologie", ["ecolog"]),  # typographic apostrophe
        ("j'ai", []),
    ],
)
def test_elisions_are_removed_before_stemming(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


def test_accents_and_case_meet_on_one_term() -> None:
    assert terms("Élu") == terms("elu") == terms("ÉLU") == ["elu"]
    assert terms("écologique") == terms("ecologique")


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("territoires", "territoir"),
        ("territoire", "territoir"),
        ("transition", "transit"),
        ("leviers", "levi"),
    ],
)
def test_known_snowball_stems(word: str, stem: str) -> None:
    assert terms(word) == [stem]


def test_stop_words_are_dropped_and_numbers_kept() -> None:
    assert terms("Quels sont les chiffres de 2024 et les 3,5 % ?") == ["chiffr", "2024", "3,5"]


def test_fold_is_the_answer_comparison_form() -> None:
    assert fold("  Élus   LOCAUX\n") == "elus locaux"


def test_words_are_folded_without_elisions() -> None:
    assert words("L'Élu d'Exempleville") == ["elu", "exempleville"]


@pytest.mark.parametrize("text", ["deuxième journée", "2e journée", "journée 2", "seconde journée"])
def test_ordinals_meet_numbers(text: str) -> None:
    assert sorted(terms(text)) == ["2", "journ"]


@pytest.mark.parametrize("word", ["attendait", "attentes", "attendre", "attendu"])
def test_expectation_words_share_one_term(word: str) -> None:
    assert terms(word) == ["attend"]


def test_split_sentences_on_french_punctuation() -> None:
    text = "La première phrase est là. Deuxième ? « Troisième » ! Il coûte 4 euros.\nUne ligne seule"
    assert split_sentences(text) == [
        "La première phrase est là.",
        "Deuxième ?",
        "« Troisième » !",
        "Il coûte 4 euros.",
        "Une ligne seule",
    ]


def test_a_run_in_label_stays_with_the_sentence_it_introduces() -> None:
    text = "Leviers identifiés. Les participants ont retenu le budget participatif. Difficultés."
    assert split_sentences(text) == [
        "Leviers identifiés. Les participants ont retenu le budget participatif.",
        "Difficultés.",
    ]


def test_a_line_break_inside_a_sentence_does_not_end_it() -> None:
    """Issue 26: « s'élève à : » ended the answer without the formula that gives the figure."""
    text = (
        "Le montant ramené au logement s’élève à :\n75 × 7 + 400 × 50 / 20 = 1525 €/logement.\n"
        "Le document de preuve de\nl’opération comporte des extraits.\nSigner le contrat\n"
        "Les étapes :\n- voter en AG ;\n- signer."
    )
    assert split_sentences(text) == [
        "Le montant ramené au logement s’élève à : 75 × 7 + 400 × 50 / 20 = 1525 €/logement.",
        "Le document de preuve de l’opération comporte des extraits.",
        "Signer le contrat",
        "Les étapes :",
        "- voter en AG ;",
        "- signer.",
    ]


def test_a_key_figure_set_alone_stays_with_the_sentence_that_says_what_it_counts() -> None:
    """France Chaleur Urbaine's press kit: « 898 » in large type, then « Tel est le nombre… »."""
    text = (
        "898\nTel est le nombre de réseaux de chauffage urbain en 2021. "
        "Ces canalisations sont souterraines.\nx3\nSoit un triplement."
    )
    assert split_sentences(text) == [
        "898 Tel est le nombre de réseaux de chauffage urbain en 2021.",
        "Ces canalisations sont souterraines.",
        "x3 Soit un triplement.",
    ]
