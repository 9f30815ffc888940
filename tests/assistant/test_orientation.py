"""Questions about the corpus as a whole: recognised, and answered from the guided tour."""

from __future__ import annotations

import pytest

from assistant.answering import Answer, Citation
from assistant.engine import Engine
from assistant.orientation import LEAD, corpus_answer
from assistant.overview import Topic
from assistant.understanding import is_corpus_question


@pytest.mark.parametrize(
    "question",
    [
        "Je viens d'arriver dans la communauté, que dois-je savoir ?",
        "Je débute, que faut-il savoir ?",
        "De quoi parle ce bilan ?",
        "Quelles sont les grandes parties ?",
        "Par où commencer ?",
        "Tu peux me faire un résumé du bilan ?",
        "Comment est organisé le rapport ?",
    ],
)
def test_questions_about_the_whole_are_recognised(question: str) -> None:
    assert is_corpus_question(question)


@pytest.mark.parametrize(
    "question",
    [
        "Quel est le coût total du cycle ?",
        "Qu'attendait Sauvelière de la deuxième journée ?",
        "Quelles parties prenantes ont été associées à Lumerive ?",
        "Que faut-il savoir sur le budget participatif de Sauvelière ?",
    ],
)
def test_questions_about_one_fact_are_not(question: str) -> None:
    assert not is_corpus_question(question)


def _card(title: str, text: str, page: str) -> Topic:
    citation = Citation(1, "bilan.pdf", page, title, text, 1.0, "bilan")
    return Topic(title, Answer(title, f"{text} [1]", (citation,)))


def test_the_answer_is_one_cited_line_per_part() -> None:
    tour = [
        _card("1. Les intentions", "Le cycle a réuni douze collectivités. Il a duré quatre mois.", "2"),
        _card("2. Le déroulé", "Chaque journée a accueilli trois territoires.", "3"),
    ]
    answer = corpus_answer("De quoi parle ce bilan ?", tour)
    assert answer is not None and not answer.refused
    assert answer.text.splitlines() == [
        LEAD,
        "1. Les intentions : Le cycle a réuni douze collectivités. [1]",  # its own number, no bullet
        "2. Le déroulé : Chaque journée a accueilli trois territoires. [2]",
    ]
    assert [(c.n, c.page) for c in answer.citations] == [(1, "2"), (2, "3")]
    assert answer.verification.unsupported == () and answer.verification.removed_markers == 0
    assert corpus_answer("De quoi parle ce bilan ?", []) is None


def test_a_newcomer_gets_the_tour_of_the_sample_report(sample_engine: Engine) -> None:
    answer = sample_engine.ask("Je viens d'arriver dans la communauté, que dois-je savoir ?")
    assert not answer.refused
    assert answer.text.startswith(LEAD)
    assert [c.section.split(" > ")[0] for c in answer.citations] == [
        "1. Les intentions de départ",
        "2. Le déroulé des quatre journées",
        "3. Les résultats obtenus",
        "4. Le bilan financier et temporel",
    ]
    assert "47 participants" in answer.text
