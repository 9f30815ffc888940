"""Retrieval and answer evaluation over a question file: ``run`` asks, the rest scores.

A question is a hit@k when one of its first k passages contains one of its
gold answers, both compared in ``fold`` form (casefolded, accents stripped,
whitespace collapsed). A question marked ``"unanswerable": true`` has no gold
answer: it counts for whether the answer declines, or answers in part naming what
the documents do not give (its optional ``"missing"`` words: « habitants »); its
optional ``"kind"`` (count, amount, date, person…) groups the figures by kind.
"""

from __future__ import annotations

import json
import math
import re
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answering import Answer, Citation
from assistant.gap_wording import GENERIC_GAP
from assistant.questions import Answerer
from vectorstore.errors import UserFacingError
from vectorstore.french_text import fold, terms
from vectorstore.records import Hit

# A group of citation markers ("[1]", "[1][2]", "[1, 2]"), maybe closed by the sentence's
# punctuation, then a space or the end of the text.
_MARKER_GROUP_END = re.compile(r"(?:\s*\[\d+(?:\s*,\s*\d+)*\])+[.!?…]?(?=\s|$)")
_SENTENCE_END = re.compile(r"[.!?](?=\s)")
_PAGE_LABEL = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?")
RESTATED = 0.6  # share of the question's words a gap sentence restating the question holds


@dataclass(frozen=True)
class EvalQuestion:
    question: str
    answers: tuple[str, ...]
    source: str | None = None
    page: int | None = None
    unanswerable: bool = False
    kind: str | None = None  # what kind of answer it expects (count, amount, date, person…)
    missing: tuple[str, ...] = ()  # unanswerable: words a partial answer should name

    @property
    def kind_name(self) -> str:
        """The kind as given by the question file, else as the assistant reads it."""
        from assistant.answer_kinds import expected_kind

        return self.kind or expected_kind(self.question).name.lower()


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
            questions.append(_question_from(json.loads(line)))
        except (json.JSONDecodeError, ValueError) as exc:
            raise UserFacingError(
                f"{path}, ligne {number} : objet JSON attendu avec « question » et « answers » "
                f"(liste non vide, facultative si « unanswerable » vaut true), « source » et « page » "
                f"(entier) facultatifs ({exc})"
            ) from exc
    if not questions:
        raise UserFacingError(f"Aucune question dans {path}.")
    return questions


def _question_from(item: Any) -> EvalQuestion:
    """The question of one parsed line; ValueError (in French) when it is malformed."""
    if not isinstance(item, dict):
        raise ValueError("la ligne n'est pas un objet")
    if not isinstance(item.get("question"), str):
        raise ValueError("« question » manquante")
    unanswerable = item.get("unanswerable", False)
    if not isinstance(unanswerable, bool):
        raise ValueError("« unanswerable » doit valoir true ou false")
    answers = item.get("answers", [] if unanswerable else None)
    if not isinstance(answers, list) or not (answers or unanswerable):
        raise ValueError("« answers » manquant ou vide")
    page = item.get("page")
    if page is not None and (isinstance(page, bool) or not isinstance(page, int)):
        raise ValueError("« page » doit être un entier")
    source = item.get("source")
    if source is not None and not isinstance(source, str):
        raise ValueError("« source » doit être un texte")
    kind = item.get("kind")
    if kind is not None and not isinstance(kind, str):
        raise ValueError("« kind » doit être un texte")
    missing = item.get("missing", [])
    if not isinstance(missing, list) or not all(isinstance(word, str) for word in missing):
        raise ValueError("« missing » doit être une liste de mots")
    return EvalQuestion(
        item["question"], tuple(str(a) for a in answers), source, page, unanswerable, kind, tuple(missing)
    )


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


def _share(count: int, total: int) -> float:
    return round(count / total, 4)


def score_run(
    questions: Sequence[EvalQuestion],
    results: Sequence[Sequence[Hit]],
    latencies_ms: Sequence[float],
) -> dict[str, float | int]:
    """The figures of ``eval --json`` for retrieved ``results`` (one list per question).

    Retrieval figures are over the answerable questions (the others have no gold
    answer) and left out when there are none; latencies are over every question.
    """
    pairs = [(q, hits) for q, hits in zip(questions, results, strict=True) if not q.unanswerable]
    report: dict[str, float | int] = {"questions": len(questions)}
    if pairs:
        ranks = [first_hit_rank(hits, q.answers) for q, hits in pairs]
        total = len(pairs)
        for k in (1, 5, 10):
            report[f"hit@{k}"] = _share(sum(1 for rank in ranks if rank is not None and rank <= k), total)
        reciprocal = sum(1 / rank for rank in ranks if rank is not None and rank <= 10)
        report["mrr@10"] = round(reciprocal / total, 4)
        with_source = [(q, hits) for q, hits in pairs if q.source]
        if with_source:
            found = sum(1 for q, hits in with_source if q.source in {h.chunk.source for h in hits[:5]})
            report["source_hit@5"] = _share(found, len(with_source))
    report["latency_ms_p50"] = round(statistics.median(latencies_ms), 2)
    report["latency_ms_p95"] = round(percentile(latencies_ms, 0.95), 2)
    report["answerable"] = len(pairs)
    report["unanswerable"] = len(questions) - len(pairs)
    return report


def contains_gold(text: str, answers: Sequence[str]) -> bool:
    """Whether ``text`` holds one of the gold answers, both casefolded, accent-stripped
    and whitespace-collapsed."""
    passage = fold(text)
    return any(fold(answer) and fold(answer) in passage for answer in answers)


def first_sentence(text: str) -> str:
    """The answer's first sentence: up to and including its first group of citation markers
    ("[1]", "[1, 2]", with the period that may follow it), or, without any marker, up to
    the first ``. ! ?`` followed by a space; the whole text when neither is found."""
    marker = _MARKER_GROUP_END.search(text)
    end = marker or _SENTENCE_END.search(text)
    return (text[: end.end()] if end else text).strip()


def page_covers(label: str, page: int) -> bool:
    """Whether a citation's page label ("4", "4-5" or "") covers ``page``."""
    match = _PAGE_LABEL.fullmatch(label)
    if match is None:
        return False
    start = int(match.group(1))
    return start <= page <= int(match.group(2) or start)


def cites_expected_place(question: EvalQuestion, citation: Citation) -> bool:
    """Whether the citation points where the question's answer is: its page (and source,
    when given); without a page, a passage of its source (if given) holding a gold answer."""
    if question.source and citation.source != question.source:
        return False
    if question.page is not None:
        return page_covers(citation.page, question.page)
    return contains_gold(citation.text, question.answers)


def score_answers(
    questions: Sequence[EvalQuestion], answers: Sequence[Answer], answer_ms: Sequence[float]
) -> dict[str, float | int]:
    """Answer-level figures: gold answer in the text and in its first sentence, right page
    cited, both (``fact_and_page``), cited passages holding a gold answer, refusals, and
    partial answers given to answerable questions (``wrongly_partial``).

    Those are over the answerable questions, a refusal counting as a miss and a partial
    answer as given (``citation_precision`` is over the passages cited by the answers
    given); for the unanswerable ones, ``_declined_figures``. A group without questions
    leaves its figures out.
    """
    pairs = list(zip(questions, answers, strict=True))
    answerable = [(q, a) for q, a in pairs if not q.unanswerable]
    figures: dict[str, float | int] = {}
    if answerable:
        total = len(answerable)
        given = [(q, a) for q, a in answerable if not a.refused]
        cited = [(q, c) for q, a in given for c in a.citations]
        refusals = total - len(given)
        figures |= {
            "answer_has_gold": _share(sum(contains_gold(a.text, q.answers) for q, a in given), total),
            "first_sentence_has_gold": _share(
                sum(contains_gold(first_sentence(a.text), q.answers) for q, a in given), total
            ),
            "page_hit": _share(
                sum(any(cites_expected_place(q, c) for c in a.citations) for q, a in given), total
            ),
            # what a person asking needs: the fact in the answer, and its page among the citations
            "fact_and_page": _share(
                sum(
                    contains_gold(a.text, q.answers) and any(cites_expected_place(q, c) for c in a.citations)
                    for q, a in given
                ),
                total,
            ),
            "citation_precision": _share(sum(contains_gold(c.text, q.answers) for q, c in cited), len(cited))
            if cited
            else 0.0,
            "refusal_rate": _share(refusals, total),
            "wrongly_refused": _share(refusals, total),
        }
    if answerable:
        figures["wrongly_partial"] = _share(sum(a.partial for _, a in answerable), len(answerable))
    declined = [(q, a) for q, a in pairs if q.unanswerable]
    if declined:
        figures |= _declined_figures(declined)
    figures["answer_ms_p50"] = round(statistics.median(answer_ms), 2)
    figures["answer_ms_p95"] = round(percentile(answer_ms, 0.95), 2)
    return figures


def names_what_is_missing(question: EvalQuestion, answer: Answer) -> bool:
    """Whether a partial answer says what the documents do not give: its gap sentence names
    one of the question's ``missing`` words (by their analysed form), or restates the
    question (« Les documents ne disent pas qui préside l'association… » holds most of its
    words); any specific gap when the question file lists no missing word."""
    if not answer.partial or answer.gap == GENERIC_GAP:
        return False
    named = set(terms(answer.gap))
    asked = set(terms(question.question))
    if not question.missing or (asked and len(asked & named) >= RESTATED * len(asked)):
        return True
    return any(set(terms(word)) & named for word in question.missing)


def _declined_figures(declined: Sequence[tuple[EvalQuestion, Answer]]) -> dict[str, float | int]:
    """For questions the documents do not answer: refused, partial, partial naming what is
    missing (``partial_ok``), either (``refused_or_partial``), and the last by kind."""
    ok = [a.refused or names_what_is_missing(q, a) for q, a in declined]
    figures: dict[str, float | int] = {
        "refused": _share(sum(a.refused for _, a in declined), len(declined)),
        "partial": _share(sum(a.partial for _, a in declined), len(declined)),
        "partial_ok": _share(sum(names_what_is_missing(q, a) for q, a in declined), len(declined)),
        "refused_or_partial": _share(sum(ok), len(declined)),
    }
    kinds: dict[str, list[bool]] = {}
    for (question, _), good in zip(declined, ok, strict=True):
        kinds.setdefault(question.kind_name, []).append(good)
    for kind, found in sorted(kinds.items()):
        figures[f"refused_or_partial.{kind}"] = _share(sum(found), len(found))
    return figures


def run(
    answerer: Answerer, questions: Sequence[EvalQuestion], k: int = 10, answers: bool = False
) -> dict[str, float | int]:
    """Retrieval figures and, with ``answers``, the figures of the answers the assistant
    gives (the same path as ``ask``, unjournaled; timed whole, retrieval included)."""
    results: list[list[Hit]] = []
    latencies: list[float] = []
    for item in questions:
        started = time.perf_counter()
        results.append(answerer.retriever.search(item.question, k))
        latencies.append((time.perf_counter() - started) * 1000)
    figures = score_run(questions, results, latencies)
    if not answers:
        return figures
    composed, answer_ms = [], []
    for item in questions:
        answerer.retriever.store.forget_query_vectors()  # timed as asked afresh: embedding included
        started = time.perf_counter()
        composed.append(answerer.quiet_answer(item.question))
        answer_ms.append((time.perf_counter() - started) * 1000)
    return figures | score_answers(questions, composed, answer_ms)
