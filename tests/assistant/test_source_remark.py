"""Report versus notes: figures read from claims, and the remark an answer gets."""

from __future__ import annotations

from assistant.answer_kinds import AnswerKind
from assistant.source_remark import Asked, Figure, dates, figures, source_remark

KINDS = {1: "bilan", 2: "notes", 3: "bilan"}


def test_figures_read_numbers_with_the_word_that_follows() -> None:
    assert figures("Participants : 12 personnes, 16 800 € dépensés, 50 % financé, 3,5 jours.") == [
        Figure("12", "personnes", "person"),
        Figure("16800", "€", "€"),
        Figure("50", "%", "%"),
        Figure("3.5", "jours", "jour"),
    ]
    assert figures("En 2026 et 12 ou 13.") == []  # function words are no units


def test_a_figure_given_differently_by_the_report_and_the_notes_is_a_disagreement() -> None:
    text = "Le bilan compte 12 personnes. [1] Les notes relèvent que 11 personnes ont participé. [2]"
    assert source_remark(text, KINDS) == (
        "Attention : le bilan [1] et les notes de séance [2] ne donnent pas le même chiffre "
        "(12 personnes selon le bilan, 11 personnes selon les notes) : vérifiez les passages."
    )


def test_the_same_figure_in_both_is_no_disagreement_but_the_notes_add_to_the_report() -> None:
    text = "Le cycle a réuni 12 personnes [1] [3]. Les notes confirment 12 personnes et citent un panel. [2]"
    assert source_remark(text, KINDS) == "Les notes de séance [2] complètent ce que dit le bilan [1] [3]."


def test_figures_with_different_words_are_not_compared() -> None:
    text = "Le bilan compte 12 personnes. [1] Les notes parlent de 4 territoires. [2]"
    assert source_remark(text, KINDS).startswith("Les notes de séance [2] complètent")


def test_an_answer_from_one_kind_only_gets_no_remark() -> None:
    assert source_remark("Le cycle a réuni 12 personnes. [1] Et 4 territoires. [3]", KINDS) == ""
    assert source_remark("Aucun marqueur ici.", KINDS) == ""


def test_dates_are_read_whatever_their_accents_and_forms() -> None:
    found = dates("Le 12 décembre 2026, puis en août 2027 et le 1er février 2028 ; 2026-05-21.")
    assert [f.value for f in found] == ["2026-12-12", "2027-08", "2028-02-01", "2026-05-21"]
    assert [f.value for f in dates("LE 3 DECEMBRE 2026")] == ["2026-12-03"]


def test_two_passages_disagreeing_on_the_asked_figure_are_both_cited() -> None:
    """Issue 25: figures of the same report disagree too; only the asked one is compared."""
    kinds = {1: "bilan", 2: "bilan", 3: "bilan"}
    asked = Asked(AnswerKind.COUNT, "person", frozenset({"particip"}))
    text = "Le cycle a réuni 47 personnes qui ont participé. [1] Au total 45 personnes ont participé. [2]"
    assert source_remark(text, kinds, asked) == (
        "Attention : les passages [1] et [2] ne donnent pas le même chiffre "
        "(47 personnes selon [1], 45 personnes selon [2]) : vérifiez les passages."
    )
    # claims about other things (other words of the question) are no disagreement
    other = "Le budget a atteint 9 600 € de logistique. [1] L'animation a coûté 16 800 €. [3]"
    assert source_remark(other, kinds, Asked(AnswerKind.AMOUNT, "", frozenset({"logist"}))) == ""


def test_two_dates_for_the_same_event_are_a_disagreement() -> None:
    text = "La rencontre aura lieu le 15 octobre 2026. [1] La rencontre est prévue le 22 octobre 2026. [2]"
    asked = Asked(AnswerKind.DATE, "", frozenset({"rencontr"}))
    assert source_remark(text, {1: "bilan", 2: "notes"}, asked) == (
        "Attention : le bilan [1] et les notes de séance [2] ne donnent pas la même date "
        "(15 octobre 2026 selon le bilan, 22 octobre 2026 selon les notes) : vérifiez les passages."
    )
