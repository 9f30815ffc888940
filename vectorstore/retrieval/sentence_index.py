"""Passages ranked by their best sentence's meaning: the third ranking of the hybrid search.

A passage's vector averages everything it says, and BM25 needs the question's own words;
a question in everyday words often matches one sentence of a passage and little else
(« Les gens étaient-ils contents ? » / « un taux de satisfaction de 92 % »). The sentence
vectors stored at indexing (``sentence_vectors``) are stacked here into one matrix, once per
store revision, so every sentence of the corpus is compared with the question in one
product, and each passage is scored by its closest sentence. Pure: chunks and a question
vector in, hits out; no store, no model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vectorstore.records import Chunk, Hit
from vectorstore.sentence_vectors import sentence_matrix


class SentenceIndex:
    """Every stored sentence vector of ``chunks``, with the passage each belongs to."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.chunks = list(chunks)
        matrices = [(position, sentence_matrix(chunk)) for position, chunk in enumerate(self.chunks)]
        present = [(position, matrix) for position, matrix in matrices if matrix is not None and len(matrix)]
        if present and len({matrix.shape[1] for _, matrix in present}) == 1:
            self._matrix = np.concatenate([matrix for _, matrix in present])
            self._owner = np.concatenate([np.full(len(matrix), position) for position, matrix in present])
        else:  # no sentence vectors (a store written before them), or of mixed models
            self._matrix = np.zeros((0, 0), dtype=np.float32)
            self._owner = np.zeros(0, dtype=np.int64)

    @property
    def sentences(self) -> int:
        return len(self._owner)

    def search(
        self, question_vector: Sequence[float], k: int, allowed: np.ndarray | None = None
    ) -> list[Hit]:
        """The ``k`` passages whose best sentence is closest to the question (cosine, the
        vectors being normalised), best first; ``allowed`` (one boolean per chunk) keeps only
        the passages that pass the search's filters."""
        question = np.asarray(question_vector, dtype=np.float32)
        if not self.sentences or k <= 0 or question.shape != (self._matrix.shape[1],):
            return []
        # einsum, not BLAS: OpenBLAS would wake threads that keep spinning after the product
        # and slow the next question's embedding on a small machine (measured 2x per search).
        cosines = np.einsum("ij,j->i", self._matrix, question)
        best = np.full(len(self.chunks), -np.inf)
        np.maximum.at(best, self._owner, cosines)
        if allowed is not None:
            best = np.where(allowed, best, -np.inf)
        count = min(k, int(np.count_nonzero(np.isfinite(best))))
        if count == 0:
            return []
        top = np.argpartition(-best, count - 1)[:count]
        top = top[np.lexsort((top, -best[top]))]  # score, then position: deterministic
        return [Hit(self.chunks[i], float(best[i])) for i in top]
