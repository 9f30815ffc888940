"""The sample questions through the engine: right page, right day, honest refusals (extractive mode)."""

from __future__ import annotations

import json

import pytest

from assistant.engine import Engine
from assistant.followup import named_day
from tests.conftest import ROOT
from vectorstore.french_text import fold

QUESTIONS = [
    json.loads(line) for line in (ROOT / "tests/data/sample_questions.jsonl").read_text().splitlines()
]
UNANSWERABLE = (ROOT / "tests/data/unanswerable.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def engine(sample_engine: Engine) -> Engine:
    return sample_engine


def _cites_gold(item: dict, answer: object) -> bool:  # type: ignore[type-arg]
    page = str(item.get("page") or "")
    return any(
        citation.source == item["source"]
        and (not page or page in citation.page.split("-"))
        and any(fold(gold) in fold(citation.text) for gold in item["answers"])
        for citation in answer.citations  # type: ignore[attr-defined]
    )


def test_most_sample_questions_cite_the_passage_and_page_that_answer_them(engine: Engine) -> None:
    answers = [engine.ask(item["question"]) for item in QUESTIONS]
    right = [
        item["question"] for item, answer in zip(QUESTIONS, answers, strict=True) if _cites_gold(item, answer)
    ]
    # 33 of 35 measured; one of the two others cites the right day's notes instead of the report.
    assert len(right) >= 33, sorted({item["question"] for item in QUESTIONS} - set(right))


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_unanswerable_questions_are_refused(engine: Engine, question: str) -> None:
    assert engine.ask(question).refused


@pytest.mark.parametrize(
    "question",
    [item["question"] for item in QUESTIONS if named_day(item["question"]) is not None],
)
def test_a_question_about_one_day_cites_only_that_day(engine: Engine, question: str) -> None:
    day = named_day(question)
    that_day = {chunk.text for chunk in engine.store.all_chunks() if chunk.session == day}
    answer = engine.ask(question)
    assert answer.citations
    assert all(citation.text in that_day for citation in answer.citations)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Quelles difficultés lors de la journée 4 ?", 4),
        ("Où s'est tenue la première journée ?", 1),
        ("Que retenir des journées 1 et 2 ?", None),
        ("Combien de participants au total ?", None),
    ],
)
def test_named_day(text: str, day: int | None) -> None:
    assert named_day(text) == day


def test_the_answer_says_when_the_report_and_the_notes_disagree(engine: Engine) -> None:
    # The report counts 12 people on day 3; the day's notes, 11.
    answer = engine.ask("Combien de personnes ont participé à la journée 3 ?")
    kinds = {citation.kind for citation in answer.citations}
    assert kinds == {"bilan", "notes"}
    assert "ne donnent pas le même chiffre (12 personnes selon le bilan, 11 personnes selon les notes)" in (
        answer.text
    )


def test_the_answer_says_when_the_notes_add_to_the_report(engine: Engine) -> None:
    answer = engine.ask("Quels leviers ont été évoqués lors de la journée 2 ?")
    notes = [c.n for c in answer.citations if c.kind == "notes"]
    report = [c.n for c in answer.citations if c.kind == "bilan"]
    assert notes and report
    assert answer.text.endswith(
        f"Les notes de séance {' '.join(f'[{n}]' for n in notes)} complètent ce que dit le bilan "
        f"{' '.join(f'[{n}]' for n in report)}."
    )
    assert "budget participatif" in answer.text and "boîte à idées" not in answer.text.split("\n")[-1]
