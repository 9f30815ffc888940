"""Passages ranked by their best sentence, checked exactly on hand-made vectors."""

from __future__ import annotations

import numpy as np

from vectorstore import Chunk
from vectorstore.retrieval.sentence_index import SentenceIndex
from vectorstore.sentence_vectors import pack


def _chunk(text: str, vectors: list[list[float]] | None, session: int = 1) -> Chunk:
    packed = pack(vectors) if vectors is not None else ""
    return Chunk(
        text=text, doc_id="d", source="s.pdf", kind="bilan", session=session, sentence_vectors=packed
    )


def _unit(x: float) -> list[float]:
    """A normalised 2-d vector whose cosine with (1, 0) is ``x``."""
    return [x, float(np.sqrt(1 - x * x))]


BUDGET = _chunk("Le budget a été tenu. Les participants étaient satisfaits à 92 %.", [_unit(0.2), _unit(0.9)])
PLACE = _chunk("La journée s'est tenue à Brumeval. Il faisait beau.", [_unit(0.6), _unit(0.5)], session=2)
OLD = _chunk("Un passage indexé avant les vecteurs de phrases.", None)


def test_each_passage_scores_its_best_sentence() -> None:
    hits = SentenceIndex([BUDGET, PLACE, OLD]).search([1.0, 0.0], 5)
    assert [hit.chunk for hit in hits] == [BUDGET, PLACE]  # the passage without vectors is left out
    assert [round(hit.score, 3) for hit in hits] == [0.9, 0.6]


def test_only_allowed_passages_are_ranked() -> None:
    hits = SentenceIndex([BUDGET, PLACE]).search([1.0, 0.0], 5, allowed=np.array([False, True]))
    assert [hit.chunk for hit in hits] == [PLACE]
    assert SentenceIndex([BUDGET, PLACE]).search([1.0, 0.0], 5, allowed=np.array([False, False])) == []


def test_k_limits_and_ties_keep_the_passage_order() -> None:
    twin = _chunk("Les ateliers ont commencé tôt. Les élus sont restés tard.", [_unit(0.9), _unit(0.1)])
    hits = SentenceIndex([BUDGET, twin, PLACE]).search([1.0, 0.0], 2)
    assert [hit.chunk for hit in hits] == [BUDGET, twin]


def test_nothing_to_rank_gives_no_hits() -> None:
    assert SentenceIndex([OLD]).search([1.0, 0.0], 5) == []
    assert SentenceIndex([]).search([1.0, 0.0], 5) == []
    assert SentenceIndex([BUDGET]).search([1.0, 0.0, 0.0], 5) == []  # a vector of another model
    mixed = _chunk("Une phrase d'un autre modèle.", [[1.0, 0.0, 0.0]])
    assert SentenceIndex([BUDGET, mixed]).sentences == 0
