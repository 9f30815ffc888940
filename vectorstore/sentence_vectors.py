"""Sentence vectors packed into a passage's metadata.

An answer is made of the passage sentences that answer the question, chosen partly by
meaning: each sentence's vector is computed once, when its passage is indexed, and kept
with the passage (half-precision, base64), so answering needs no embedding but the
question's. Half precision changes a cosine by less than 1e-3, far below what ranks
sentences apart.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import numpy as np

from vectorstore.records import Chunk


def pack(vectors: Sequence[Sequence[float]]) -> str:
    return base64.b64encode(np.asarray(vectors, dtype="<f2").tobytes()).decode("ascii")


def unpack(packed: str, count: int) -> np.ndarray | None:
    """The ``count`` vectors of ``packed`` (rows), or None if it does not hold that many."""
    if not packed or count <= 0:
        return None
    raw = np.frombuffer(base64.b64decode(packed), dtype="<f2")
    if raw.size % count:
        return None
    return raw.reshape(count, raw.size // count).astype(np.float32)


def sentence_matrix(chunk: Chunk) -> np.ndarray | None:
    """The vectors of ``chunk.sentences``, in order, or None when the chunk has none (a store
    written before they existed, or without them)."""
    return unpack(chunk.sentence_vectors, len(chunk.sentences))


def similarities(chunk: Chunk, question_vector: Sequence[float]) -> np.ndarray | None:
    """The cosine of each of ``chunk.sentences`` with the question (vectors are normalised),
    or None when the chunk has no sentence vectors."""
    matrix = sentence_matrix(chunk)
    return None if matrix is None else matrix @ np.asarray(question_vector, dtype=np.float32)


def strength(cosines: np.ndarray | float, floor: float) -> np.ndarray:
    """Cosines of multilingual-e5 rescaled to [0, 1] above ``floor``: its cosines are
    compressed (unrelated French sentences still score about 0.75), so only the part above
    the floor says anything."""
    return np.clip((np.asarray(cosines, dtype=np.float64) - floor) / (1.0 - floor), 0.0, 1.0)
