"""Pure ranking functions: fuse ranked lists, drop near-duplicate passages.

Rankings in, one ranking out; no store, no model. Two fusions are offered:
reciprocal rank fusion, which only uses ranks, and a convex combination of
min-max normalised scores, which also uses how far apart the scores are. The
benchmark (bench/tune_fusion.py) measures both; the README gives the figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from vectorstore.french_text import words
from vectorstore.records import Chunk, Hit
from vectorstore.sentence_vectors import similarities, strength

SENTENCE_FLOOR = 0.75  # cosine of multilingual-e5 below which sentences are unrelated

RRF, CONVEX = "rrf", "convex"


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Hit]], weights: Sequence[float], k: int = 60
) -> list[Hit]:
    """Score = sum over rankings of weight / (k + rank), rank counted from 1."""
    scores: dict[str, float] = {}
    chunks: dict[str, Chunk] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, hit in enumerate(ranking, start=1):
            scores[hit.chunk.id] = scores.get(hit.chunk.id, 0.0) + weight / (k + rank)
            chunks.setdefault(hit.chunk.id, hit.chunk)
    return _ranked(scores, chunks)


def convex_fusion(rankings: Sequence[Sequence[Hit]], weights: Sequence[float]) -> list[Hit]:
    """Score = sum over rankings of weight x (score min-max normalised within that ranking).

    A passage missing from a ranking gets 0 there, the score of that ranking's
    last candidate.
    """
    scores: dict[str, float] = {}
    chunks: dict[str, Chunk] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        if not ranking:
            continue
        values = [hit.score for hit in ranking]
        low, spread = min(values), max(values) - min(values)
        for hit in ranking:
            normalised = (hit.score - low) / spread if spread > 0 else 1.0
            scores[hit.chunk.id] = scores.get(hit.chunk.id, 0.0) + weight * normalised
            chunks.setdefault(hit.chunk.id, hit.chunk)
    return _ranked(scores, chunks)


def _ranked(scores: dict[str, float], chunks: dict[str, Chunk]) -> list[Hit]:
    order = sorted(scores, key=lambda cid: (-scores[cid], cid))
    return [Hit(chunks[cid], round(scores[cid], 6)) for cid in order]


def fuse(
    dense: Sequence[Hit],
    lexical: Sequence[Hit],
    method: str,
    lexical_weight: float,
    rrf_k: int = 60,
    *,
    sentences: Sequence[Hit] = (),
    sentence_weight: float = 0.0,
) -> list[Hit]:
    """The rankings fused: ``lexical_weight`` on the lexical side, ``sentence_weight`` on the
    passages ranked by their best sentence (``sentence_index``), the rest on the dense side."""
    weights = (1.0 - lexical_weight - sentence_weight, lexical_weight, sentence_weight)
    rankings = (dense, lexical, sentences)
    if method == RRF:
        return reciprocal_rank_fusion(rankings, weights, rrf_k)
    if method == CONVEX:
        return convex_fusion(rankings, weights)
    raise ValueError(f"unknown fusion method {method!r}")


def drop_near_duplicates(hits: Sequence[Hit], threshold: float = 0.9, limit: int | None = None) -> list[Hit]:
    """Keep a passage only if its words are not mostly those of a better-ranked one.

    Two passages are near-duplicates when their word sets overlap by at least
    ``threshold`` of the smaller set (the same paragraph in the report and in a
    note, or a passage repeated by an overlapping split). Stops once ``limit``
    passages are kept, since only the top of a ranking is shown.
    """
    kept: list[tuple[Hit, frozenset[str]]] = []
    for hit in hits:
        if limit is not None and len(kept) >= limit:
            break
        vocabulary = _vocabulary(hit.chunk.text)
        if not any(_overlap(vocabulary, seen) >= threshold for _, seen in kept):
            kept.append((hit, vocabulary))
    return [hit for hit, _ in kept]


@lru_cache(maxsize=4096)
def _vocabulary(text: str) -> frozenset[str]:
    """A passage's word set, kept: the same passages come back question after question."""
    return frozenset(words(text))


def _overlap(first: frozenset[str], second: frozenset[str]) -> float:
    smaller = min(len(first), len(second))
    return len(first & second) / smaller if smaller else float(first == second)


def rescore_by_sentences(
    hits: Sequence[Hit], question_vector: Sequence[float], weight: float, floor: float = SENTENCE_FLOOR
) -> list[Hit]:
    """``hits`` reordered by their fused score plus ``weight`` times their best sentence's
    similarity to the question (rescaled above ``floor``: e5's cosines are compressed).

    A passage's vector averages everything it says; the question usually asks about one
    sentence of it. The sentence vectors stored at indexing give that signal for free.
    Passages without sentence vectors keep their fused score alone. Scores stay in [0, 1].
    """
    if not hits or weight <= 0:
        return list(hits)
    question = np.asarray(question_vector, dtype=np.float32)
    fused = np.array([hit.score for hit in hits])
    spread = fused.max() - fused.min()
    fused = (fused - fused.min()) / spread if spread > 0 else np.ones(len(hits))
    best = np.array([_best_sentence(hit, question) for hit in hits])
    meaning = strength(best, floor)
    combined = (fused + weight * meaning) / (1.0 + weight)
    order = np.argsort(-combined, kind="stable")
    return [Hit(hits[i].chunk, float(combined[i])) for i in order]


def _best_sentence(hit: Hit, question: np.ndarray) -> float:
    cosines = similarities(hit.chunk, question)
    return float(cosines.max()) if cosines is not None and len(cosines) else 0.0
