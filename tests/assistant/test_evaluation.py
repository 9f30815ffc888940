import json
from pathlib import Path

import pytest

from assistant.evaluation import EvalQuestion, first_hit_rank, load_questions, percentile, score_run
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


def test_answer_figures_exact() -> None:
    from assistant.answering import Answer, Citation
    from assistant.evaluation import EvalQuestion, score_answers

    def cite(n: int, text: str) -> Citation:
        return Citation(n, "b.pdf", "1", "", text, 1.0, "bilan")

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
        "citation_precision": round(2 / 3, 4),
        "refusal_rate": round(1 / 3, 4),
        "answer_ms_p50": 2.0,
        "answer_ms_p95": 9.0,
    }
