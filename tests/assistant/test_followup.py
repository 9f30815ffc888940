"""Follow-up questions made standalone from the conversation, without a model."""

from __future__ import annotations

import pytest

from assistant.followup import is_follow_up, standalone_from_history, standalone_question

LEVERS_DAY_1 = "Quels leviers ont été identifiés lors de la journée 1 ?"


@pytest.mark.parametrize(
    ("follow_up", "expected"),
    [
        ("et pour la journée 3 ?", "Quels leviers ont été identifiés lors de la journée 3 ?"),
        ("Et la troisième journée ?", "Quels leviers ont été identifiés lors de la journée 3 ?"),
        ("et à Lumerive ?", "Quels leviers ont été identifiés lors de la journée 1 (à Lumerive) ?"),
        ("Même chose pour les difficultés ?", f"{LEVERS_DAY_1[:-2]} (pour les difficultés) ?"),
    ],
)
def test_follow_ups_take_the_previous_question(follow_up: str, expected: str) -> None:
    assert standalone_question(follow_up, LEVERS_DAY_1) == expected


def test_ordinal_days_in_the_previous_question_are_replaced_too() -> None:
    assert (
        standalone_question("et pour la journée 2 ?", "Quels leviers lors de la première journée ?")
        == "Quels leviers lors de la journée 2 ?"
    )


@pytest.mark.parametrize(
    "question",
    ["Qu'attendait la Commune de Roc-Tilleul ?", "Quel est le taux de satisfaction du questionnaire final ?"],
)
def test_full_questions_stand_alone(question: str) -> None:
    assert not is_follow_up(question)
    assert standalone_question(question, LEVERS_DAY_1) == question


def test_without_a_previous_question_nothing_changes() -> None:
    assert standalone_question("et pour la journée 3 ?", None) == "et pour la journée 3 ?"


def test_a_chain_of_follow_ups_keeps_the_first_subject() -> None:
    earlier = [LEVERS_DAY_1, "et pour la journée 2 ?"]
    assert standalone_from_history("et la journée 4 ?", earlier) == (
        "Quels leviers ont été identifiés lors de la journée 4 ?"
    )
