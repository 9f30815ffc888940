"""Retrieval evaluation: hit@k, MRR@10 and latency over a question file.

A question is a hit@k when one of its first k passages contains one of its
gold answers, both compared in ``fold`` form (casefolded, accents stripped,
whitespace collapsed).
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.answering import Answer
from vectorstore.errors import UserFacingError
from vectorstore.records import Hit
from vectorstore.text import fold


@dataclass(frozen=True)
class EvalQuestion:
    question: str
    answers: tuple[str, ...]
    source: str | None = None


def load_questions(path: Path) -> list[EvalQuestion]:
    """Questions from a JSON Lines file; a bad line is a clear error naming it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UserFacingError(f"Fichier de questions illisible : {path} ({exc.strerror})") from exc
    questions = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            answers = tuple(str(answer) for answer in item["answers"])
            questions.append(EvalQuestion(str(item["question"]), answers, item.get("source")))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise UserFacingError(
                f"{path}, ligne {number} : objet JSON attendu avec « question » et « answers »"
            ) from exc
    if not questions:
        raise UserFacingError(f"Aucune question dans {path}.")
    return questions


def first_hit_rank(hits: Sequence[Hit], answers: Sequence[str]) -> int | None:
    """1-based rank of the first passage containing a gold answer, or None."""
    return next(
        (rank for rank, hit in enumerate(hits, start=1) if contains_gold(hit.chunk.text, answers)), None
    )


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of a non-empty list."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))
    return ordered[index]


def score_run(
    questions: Sequence[EvalQuestion],
    results: Sequence[Sequence[Hit]],
    latencies_ms: Sequence[float],
) -> dict[str, float | int]:
    """The figures of ``eval --json`` for retrieved ``results`` (one list per question)."""
    ranks = [first_hit_rank(hits, q.answers) for q, hits in zip(questions, results, strict=True)]
    total = len(questions)

    def hit_at(k: int) -> float:
        return round(sum(1 for rank in ranks if rank is not None and rank <= k) / total, 4)

    report: dict[str, float | int] = {
        "questions": total,
        "hit@1": hit_at(1),
        "hit@5": hit_at(5),
        "hit@10": hit_at(10),
        "mrr@10": round(sum(1 / rank for rank in ranks if rank is not None and rank <= 10) / total, 4),
    }
    with_source = [(q, hits) for q, hits in zip(questions, results, strict=True) if q.source]
    if with_source:
        found = sum(1 for q, hits in with_source if q.source in {h.chunk.source for h in hits[:5]})
        report["source_hit@5"] = round(found / len(with_source), 4)
    report["latency_ms_p50"] = round(statistics.median(latencies_ms), 2)
    report["latency_ms_p95"] = round(percentile(latencies_ms, 0.95), 2)
    return report


def contains_gold(text: str, answers: Sequence[str]) -> bool:
    """Whether ``text`` holds one of the gold answers, both casefolded, accent-stripped
    and whitespace-collapsed."""
    passage = fold(text)
    return any(fold(answer) and fold(answer) in passage for answer in answers)


def score_answers(
    questions: Sequence[EvalQuestion], answers: Sequence[Answer], answer_ms: Sequence[float]
) -> dict[str, float | int]:
    """Answer-level figures: gold answer in the text, cited passages holding one, refusals.

    ``answer_has_gold`` counts every question (a refusal counts as a miss);
    ``citation_precision`` is over the passages cited by the answers given.
    """
    pairs = list(zip(questions, answers, strict=True))
    given = [(q, a) for q, a in pairs if not a.refused]
    cited = [(q, c) for q, a in given for c in a.citations]
    return {
        "answer_has_gold": round(sum(contains_gold(a.text, q.answers) for q, a in pairs) / len(pairs), 4),
        "citation_precision": round(sum(contains_gold(c.text, q.answers) for q, c in cited) / len(cited), 4)
        if cited
        else 0.0,
        "refusal_rate": round(1 - len(given) / len(pairs), 4),
        "answer_ms_p50": round(statistics.median(answer_ms), 2),
        "answer_ms_p95": round(percentile(answer_ms, 0.95), 2),
    }
