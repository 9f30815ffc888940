"""Extractive answering: retrieved passages in, a short cited French answer out.

Pure functions, no model: the sentences of the retrieved passages that share
the most content words with the question are kept (at most a few), put back in
reading order and marked ``[n]`` with the passage they come from. When no
sentence shares enough with the question, the answer is an honest refusal that
still shows the closest passages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from vectorstore.records import Hit
from vectorstore.text import terms

REFUSAL = (
    "Les documents indexés ne permettent pas de répondre à cette question. "
    "Voici les passages les plus proches, à vérifier."
)
NOTHING_INDEXED = "Aucun document n'est indexé : lancez d'abord « python -m assistant ingest »."

_SENTENCE_END = re.compile(r"(?<=[.!?…»])\s+(?=[«A-ZÀ-ÖØ-Ý0-9\"-])|\n+")
_MIN_COVERAGE = 0.34


@dataclass(frozen=True)
class Citation:
    """A passage an answer cites, numbered as in the answer's ``[n]`` markers."""

    n: int
    source: str
    page: str
    section: str
    text: str
    score: float
    kind: str

    def to_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "source": self.source,
            "page": self.page,
            "section": self.section,
            "text": self.text,
            "score": round(self.score, 4),
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    citations: tuple[Citation, ...]
    refused: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "citations": [citation.to_dict() for citation in self.citations],
        }


@dataclass(frozen=True)
class _Candidate:
    score: float
    coverage: float
    hit_rank: int
    position: int
    sentence: str


def split_sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def citation_for(n: int, hit: Hit) -> Citation:
    chunk = hit.chunk
    return Citation(n, chunk.source, chunk.page_label, chunk.section, chunk.text, hit.score, chunk.kind)


def _candidates(question_terms: set[str], hits: Sequence[Hit]) -> list[_Candidate]:
    found = []
    for rank, hit in enumerate(hits):
        for position, sentence in enumerate(split_sentences(hit.chunk.text)):
            shared = question_terms & set(terms(sentence))
            if not shared:
                continue
            coverage = len(shared) / len(question_terms)
            score = coverage + 0.25 * hit.score + 0.15 / (rank + 1)
            found.append(_Candidate(score, coverage, rank, position, sentence))
    return found


def compose_answer(question: str, hits: Sequence[Hit], max_sentences: int = 3) -> Answer:
    """The extractive answer to ``question`` from ``hits`` (best first)."""
    if not hits:
        return Answer(question, NOTHING_INDEXED, (), refused=True)
    question_terms = set(terms(question))
    candidates = _candidates(question_terms, hits) if question_terms else []
    if not candidates or max(c.coverage for c in candidates) < _MIN_COVERAGE:
        closest = tuple(citation_for(n, hit) for n, hit in enumerate(hits[:3], start=1))
        return Answer(question, REFUSAL, closest, refused=True)
    best = sorted(candidates, key=lambda c: -c.score)
    chosen: list[_Candidate] = []
    for candidate in best:
        if len(chosen) == max_sentences:
            break
        if candidate.coverage >= best[0].coverage / 2 and candidate.sentence not in {
            c.sentence for c in chosen
        }:
            chosen.append(candidate)
    chosen.sort(key=lambda c: (c.hit_rank, c.position))
    numbers: dict[int, int] = {}
    parts = []
    for candidate in chosen:
        n = numbers.setdefault(candidate.hit_rank, len(numbers) + 1)
        parts.append(f"{candidate.sentence} [{n}]")
    citations = tuple(citation_for(n, hits[rank]) for rank, n in numbers.items())
    return Answer(question, " ".join(parts), citations)
