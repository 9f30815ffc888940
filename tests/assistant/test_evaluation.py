import json
from pathlib import Path

import pytest

from assistant.answering import REFUSAL, Answer, Citation
from assistant.evaluation import (
    EvalQuestion,
    cites_expected_place,
    first_hit_rank,
    first_sentence,
    load_questions,
    page_covers,
    percentile,
    score_answers,
    score_run,
)
from vectorstore import Chunk, Hit, UserFacingError


def hits(*texts: str, source: str = "a.pdf") -> list[Hit]:
    return [Hit(Chunk(text=t, doc_id="d", source=source, kind="bilan"), 1.0) for t in texts]


def test_answers_match_casefolded_accent_stripped_whitespace_collapsed() -> None:
    assert first_hit_rank(hits("rien", "La  Journée\nÉTÉ 2026"), ["journee ete"]) == 2
    assert first_hit_rank(hits("rien"), ["journée"]) is None
    assert first_hit_rank(hits("x"), ["", "  "]) is None


def test_score_run_exact_figures() -> None:
    questions = [
        EvalQuestion("q1", ("alpha",), "a.pdf"),
        EvalQuestion("q2", ("beta",), "b.pdf"),
        EvalQuestion("q3", ("gamma",)),
        EvalQuestion("q4", ("delta",)),
    ]
    results = [
        hits("alpha"),  # rank 1
        hits("x", "y", "beta"),  # rank 3, wrong source
        hits(*["x"] * 6, "gamma"),  # rank 7
        hits("none"),  # miss
    ]
    report = score_run(questions, results, [10.0, 20.0, 30.0, 40.0])
    assert report["questions"] == 4
    assert report["hit@1"] == 0.25
    assert report["hit@5"] == 0.5
    assert report["hit@10"] == 0.75
    assert report["mrr@10"] == round((1 + 1 / 3 + 1 / 7) / 4, 4)
    assert report["source_hit@5"] == 0.5
    assert report["latency_ms_p50"] == 25.0
    assert report["latency_ms_p95"] == 40.0
    assert (report["answerable"], report["unanswerable"]) == (4, 0)


def test_source_hit_is_absent_without_sources() -> None:
    report = score_run([EvalQuestion("q", ("a",))], [hits("a")], [1.0])
    assert "source_hit@5" not in report


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.95) == 95.0
    assert percentile(values, 0.5) == 50.0
    assert percentile([7.0], 0.95) == 7.0


def test_load_questions(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    lines = [
        {"question": "Q ?", "answers": ["a", "b"], "source": "x.pdf"},
        {"question": "R ?", "answers": ["c"]},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    assert load_questions(path) == [EvalQuestion("Q ?", ("a", "b"), "x.pdf"), EvalQuestion("R ?", ("c",))]


def test_bad_question_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "ok", "answers": ["a"]}\n{"question": "no answers"}\n', encoding="utf-8")
    with pytest.raises(UserFacingError, match="ligne 2"):
        load_questions(path)
    with pytest.raises(UserFacingError, match="illisible"):
        load_questions(tmp_path / "missing.jsonl")


def test_retrieval_figures_leave_unanswerable_questions_out() -> None:
    questions = [
        EvalQuestion("q1", ("alpha",), "a.pdf"),
        EvalQuestion("q2", ("beta",)),
        EvalQuestion("hors sujet", (), unanswerable=True),
    ]
    results = [hits("alpha"), hits("x", "beta"), hits("alpha")]
    report = score_run(questions, results, [10.0, 20.0, 30.0])
    assert report == {
        "questions": 3,
        "hit@1": 0.5,
        "hit@5": 1.0,
        "hit@10": 1.0,
        "mrr@10": 0.75,
        "source_hit@5": 1.0,
        "latency_ms_p50": 20.0,
        "latency_ms_p95": 30.0,
        "answerable": 2,
        "unanswerable": 1,
    }


def test_retrieval_figures_are_left_out_without_answerable_questions() -> None:
    report = score_run([EvalQuestion("hors sujet", (), unanswerable=True)], [hits("x")], [5.0])
    assert report == {
        "questions": 1,
        "latency_ms_p50": 5.0,
        "latency_ms_p95": 5.0,
        "answerable": 0,
        "unanswerable": 1,
    }


def test_load_questions_with_pages_and_unanswerable_lines(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    lines = [
        {"question": "Q ?", "answers": ["a"], "source": "x.pdf", "page": 4},
        {"question": "Hors sujet ?", "unanswerable": True},
        {"question": "Autre ?", "answers": [], "unanswerable": True},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    assert load_questions(path) == [
        EvalQuestion("Q ?", ("a",), "x.pdf", page=4),
        EvalQuestion("Hors sujet ?", (), unanswerable=True),
        EvalQuestion("Autre ?", (), unanswerable=True),
    ]


@pytest.mark.parametrize(
    "line",
    [
        '{"question": "Q ?", "answers": []}',
        '{"question": "Q ?", "unanswerable": false}',
        '{"question": "Q ?", "answers": ["a"], "page": "4"}',
        '{"question": "Q ?", "answers": ["a"], "page": true}',
        '{"question": "Q ?", "unanswerable": "oui"}',
        '{"question": "Q ?", "answers": "a"}',
        '{"answers": ["a"]}',
        '["Q ?", ["a"]]',
        "{pas du JSON",
    ],
)
def test_bad_question_line_names_the_file_and_line(tmp_path: Path, line: str) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "ok", "answers": ["a"]}\n\n' + line + "\n", encoding="utf-8")
    with pytest.raises(UserFacingError, match=r"q\.jsonl, ligne 3 : objet JSON attendu"):
        load_questions(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Il a réuni 47 participants [1]. Il a eu lieu en juin [2].", "Il a réuni 47 participants [1]."),
        ("Il a réuni 47 participants. [1] Il a eu lieu en juin. [2]", "Il a réuni 47 participants. [1]"),
        ("Deux sources [1, 2] puis une autre [3]", "Deux sources [1, 2]"),
        ("Deux marqueurs [1][2] puis [3]", "Deux marqueurs [1][2]"),
        ("Au milieu [1], puis la fin [2]. Ensuite.", "Au milieu [1], puis la fin [2]."),
        ("Première phrase. Deuxième phrase.", "Première phrase."),
        ("Il coûte 3.5 euros ! Oui.", "Il coûte 3.5 euros !"),
        ("Vraiment ?\nOui.", "Vraiment ?"),
        ("Sans fin de phrase", "Sans fin de phrase"),
        ("", ""),
    ],
)
def test_first_sentence(text: str, expected: str) -> None:
    assert first_sentence(text) == expected


@pytest.mark.parametrize(
    ("label", "page", "expected"),
    [("4", 4, True), ("4", 5, False), ("4-5", 4, True), ("4-5", 5, True), ("4-5", 6, False), ("", 4, False)],
)
def test_page_covers(label: str, page: int, expected: bool) -> None:
    assert page_covers(label, page) is expected


def cite(n: int, text: str, source: str = "b.pdf", page: str = "1") -> Citation:
    return Citation(n, source, page, "", text, 1.0, "bilan")


def test_expected_place_without_page() -> None:
    with_source = EvalQuestion("Où ?", ("Brumeval",), "b.pdf")
    assert cites_expected_place(with_source, cite(1, "à Brumeval", page="9"))
    assert not cites_expected_place(with_source, cite(1, "à Brumeval", source="c.pdf"))
    assert not cites_expected_place(with_source, cite(1, "ailleurs"))
    anywhere = EvalQuestion("Où ?", ("Brumeval",))
    assert cites_expected_place(anywhere, cite(1, "à Brumeval", source="c.pdf", page=""))
    assert not cites_expected_place(anywhere, cite(1, "ailleurs"))
    page_only = EvalQuestion("Où ?", ("Brumeval",), page=2)
    assert cites_expected_place(page_only, cite(1, "ailleurs", source="c.pdf", page="1-3"))


def test_answer_figures_exact() -> None:
    questions = [
        EvalQuestion("Combien ?", ("47 participants",)),
        EvalQuestion("Où ?", ("Brumeval",)),
        EvalQuestion("Quand ?", ("en juin",)),
    ]
    answers = [
        Answer(
            "Combien ?",
            "Le cycle a réuni 47 participants. [1]",
            (cite(1, "47 participants"), cite(2, "autre")),
        ),
        Answer("Où ?", "À Sauvelière. [1]", (cite(1, "Sauvelière puis Brumeval"),)),
        Answer("Quand ?", "Les documents ne le disent pas.", (cite(1, "en juin"),), refused=True),
    ]
    figures = score_answers(questions, answers, [1.0, 2.0, 9.0])
    assert figures == {
        "answer_has_gold": round(1 / 3, 4),
        "first_sentence_has_gold": round(1 / 3, 4),
        "page_hit": round(2 / 3, 4),  # no page nor source: a cited passage holding the answer
        "fact_and_page": round(1 / 3, 4),
        "citation_precision": round(2 / 3, 4),
        "refusal_rate": round(1 / 3, 4),
        "wrongly_refused": round(1 / 3, 4),
        "wrongly_partial": 0.0,
        "answer_ms_p50": 2.0,
        "answer_ms_p95": 9.0,
    }


def test_answer_figures_with_pages_and_unanswerable_questions() -> None:
    questions = [
        EvalQuestion("Combien ?", ("47 participants",), "bilan.pdf", page=5),
        EvalQuestion("Où ?", ("Brumeval",), "bilan.pdf", page=3),
        EvalQuestion("Quand ?", ("en juin",), "notes.md"),
        EvalQuestion("Combien de territoires ?", ("douze",)),
        EvalQuestion("Quel temps faisait-il ?", (), unanswerable=True),
        EvalQuestion("Quel budget ?", (), unanswerable=True, kind="amount"),
        EvalQuestion("Combien d'habitants ?", (), unanswerable=True, kind="count", missing=("habitants",)),
        EvalQuestion("Combien d'agents ?", (), unanswerable=True, kind="count", missing=("agents",)),
    ]
    answers = [
        # gold in the first sentence, page 5 inside "4-5" of the expected source
        Answer(
            "Combien ?",
            "Le cycle a réuni 47 participants [1]. Il s'est tenu à Brumeval [2].",
            (cite(1, "47 participants", "bilan.pdf", "4-5"), cite(2, "Brumeval", "notes.md", "")),
        ),
        # gold only in the second sentence; the expected page is cited (by a passage without gold)
        Answer(
            "Où ?",
            "Le cycle a commencé en juin [1]. Il s'est tenu à Brumeval [2].",
            (cite(1, "en juin", "bilan.pdf", "3"), cite(2, "à Brumeval", "bilan.pdf", "7")),
        ),
        # no marker: the first sentence ends at its period; the passage is not from notes.md
        Answer(
            "Quand ?",
            "Les ateliers ont eu lieu en juin. Ils étaient ouverts à tous.",
            (cite(1, "en juin", "bilan.pdf", "2"),),
        ),
        # wrongly refused, though its closest passage holds the answer
        Answer("Combien de territoires ?", REFUSAL, (cite(1, "douze", "bilan.pdf", "6"),), refused=True),
        Answer("Quel temps faisait-il ?", REFUSAL, (cite(1, "rien", "bilan.pdf", "1"),), refused=True),
        Answer("Quel budget ?", "Le budget était de 3 millions [1].", (cite(1, "3 millions"),)),
        # partial, naming what is missing: counts as declined
        Answer("Combien d'habitants ?", "…", (), gap="Les documents ne donnent pas le nombre d'habitants."),
        # partial, but naming something else: answered, not declined
        Answer("Combien d'agents ?", "…", (), gap="Les documents ne parlent pas de « Brumeval »."),
    ]
    figures = score_answers(questions, answers, [1.0, 2.0, 3.0, 4.0, 5.0, 100.0, 1.0, 1.0])
    assert figures == {
        "answer_has_gold": 0.75,
        "first_sentence_has_gold": 0.5,
        "page_hit": 0.5,
        "fact_and_page": 0.5,  # the first two; the third's passage is not from notes.md
        "citation_precision": 0.6,  # 3 of the 5 passages cited by the 3 answers given
        "refusal_rate": 0.25,
        "wrongly_refused": 0.25,
        "wrongly_partial": 0.0,
        "refused": 0.25,
        "partial": 0.5,
        "partial_ok": 0.25,
        "refused_or_partial": 0.5,
        "refused_or_partial.amount": 0.0,
        "refused_or_partial.count": 0.5,
        "refused_or_partial.open": 1.0,  # « Quel temps faisait-il ? », read by the assistant
        "answer_ms_p50": 2.5,
        "answer_ms_p95": 100.0,
    }


def test_answer_figures_leave_empty_groups_out() -> None:
    unanswerable = [EvalQuestion("Hors sujet ?", (), unanswerable=True)]
    refusal = Answer("Hors sujet ?", REFUSAL, (), refused=True)
    assert score_answers(unanswerable, [refusal], [2.0]) == {
        "refused": 1.0,
        "partial": 0.0,
        "partial_ok": 0.0,
        "refused_or_partial": 1.0,
        "refused_or_partial.open": 1.0,
        "answer_ms_p50": 2.0,
        "answer_ms_p95": 2.0,
    }
    answerable = [EvalQuestion("Où ?", ("Brumeval",))]
    given = Answer("Où ?", "À Brumeval [1].", (cite(1, "Brumeval"),))
    assert "refused" not in score_answers(answerable, [given], [2.0])
