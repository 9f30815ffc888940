"""Follow-up questions made standalone from the conversation, without a model."""

from __future__ import annotations

import pytest

from assistant.followup import (
    Standalone,
    bare_day,
    is_follow_up,
    standalone_from_history,
    standalone_question,
)

LEVERS_DAY_1 = "Quels leviers ont été identifiés lors de la journée 1 ?"
PLACES = ("Commune de Sauvelière", "Communauté urbaine de Lumerive", "Commune de Roc-Tilleul")


@pytest.mark.parametrize(
    ("follow_up", "expected"),
    [
        ("et pour la journée 3 ?", "Quels leviers ont été identifiés lors de la journée 3 ?"),
        ("Et la troisième journée ?", "Quels leviers ont été identifiés lors de la journée 3 ?"),
        ("et pour la troisième ?", "Quels leviers ont été identifiés lors de la journée 3 ?"),
        ("et la 4 ?", "Quels leviers ont été identifiés lors de la journée 4 ?"),
        ("et à Lumerive ?", "Quels leviers ont été identifiés lors de la journée 1 (à Lumerive) ?"),
        ("Même chose pour les difficultés ?", f"{LEVERS_DAY_1[:-2]} (pour les difficultés) ?"),
    ],
)
def test_follow_ups_take_the_previous_question(follow_up: str, expected: str) -> None:
    assert standalone_question(follow_up, LEVERS_DAY_1, PLACES) == Standalone(expected, LEVERS_DAY_1)


def test_a_day_named_by_a_follow_up_replaces_the_day_it_follows_instead_of_adding_to_it() -> None:
    """The trial's « et pour la troisième ? »: it was « …de la deuxième journée (pour la
    troisième) ? » and the answer mixed both days."""
    previous = "Qu'attendaient les territoires de la deuxième journée ?"
    assert standalone_question("et pour la troisième ?", previous).text == (
        "Qu'attendaient les territoires de la journée 3 ?"
    )


def test_a_territory_named_by_a_follow_up_replaces_the_one_it_follows() -> None:
    assert standalone_question("et Lumerive ?", "Qu'attendait Sauvelière ?", PLACES).text == (
        "Qu'attendait Lumerive ?"
    )
    assert standalone_question("Et pour Roc-Tilleul ?", "Combien d'agents à Sauvelière ?", PLACES).text == (
        "Combien d'agents à Roc-Tilleul ?"
    )


def test_ordinal_days_in_the_previous_question_are_replaced_too() -> None:
    assert (
        standalone_question("et pour la journée 2 ?", "Quels leviers lors de la première journée ?").text
        == "Quels leviers lors de la journée 2 ?"
    )


@pytest.mark.parametrize(
    "question",
    [
        "Qu'attendait la Commune de Roc-Tilleul ?",
        "Quel est le taux de satisfaction du questionnaire final ?",
        # « ça » does not make a follow-up: the question asks a kind of thing about something
        "ça a coûté combien tout ça ?",
        "Ça revient à combien par personne ?",
        "Frênebourg-les-Ondes, ça fait combien d'habitants ?",
    ],
)
def test_full_questions_stand_alone(question: str) -> None:
    assert not is_follow_up(question)
    assert standalone_question(question, "c'était où la journée 3 au fait ?") == Standalone(question)


@pytest.mark.parametrize(
    "question", ["Pourquoi ?", "Combien ?", "C'était quand ?", "Et après ?", "et pour Lumerive ?"]
)
def test_questions_that_ask_nothing_alone_are_follow_ups(question: str) -> None:
    assert is_follow_up(question)


def test_without_a_previous_question_nothing_changes() -> None:
    assert standalone_question("et pour la journée 3 ?", None) == Standalone("et pour la journée 3 ?")


def test_a_chain_of_follow_ups_keeps_the_first_subject() -> None:
    earlier = [LEVERS_DAY_1, "et pour la journée 2 ?"]
    assert standalone_from_history("et la journée 4 ?", earlier).text == (
        "Quels leviers ont été identifiés lors de la journée 4 ?"
    )


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("et pour la troisième ?", 3),
        ("et la 2 ?", 2),
        ("la 4e ?", 4),
        ("et pour la 3e ?", 3),
        ("et ensuite ?", None),
    ],
)
def test_the_day_a_follow_up_names_without_the_word_journee(text: str, day: int | None) -> None:
    assert bare_day(text) == day
