"""Fusion and near-duplicate removal, checked exactly on hand-made rankings."""

from __future__ import annotations

import pytest

from vectorstore import Chunk, Hit
from vectorstore.retrieval.fusion import (
    CONVEX,
    RRF,
    convex_fusion,
    drop_near_duplicates,
    fuse,
    reciprocal_rank_fusion,
)


def _hit(text: str, score: float) -> Hit:
    return Hit(Chunk(text=text, doc_id="d", source="s.pdf", kind="bilan"), score)


A, B, C = "passage a", "passage b", "passage c"


def _texts(hits: list[Hit]) -> list[str]:
    return [hit.chunk.text for hit in hits]


def test_rrf_scores_are_weighted_reciprocal_ranks() -> None:
    dense = [_hit(A, 0.9), _hit(B, 0.8)]
    lexical = [_hit(B, 12.0), _hit(C, 3.0)]
    fused = reciprocal_rank_fusion([dense, lexical], [1.0, 1.0], k=60)
    assert _texts(fused) == [B, A, C]
    assert [hit.score for hit in fused] == [round(1 / 62 + 1 / 61, 6), round(1 / 61, 6), round(1 / 62, 6)]


def test_convex_fusion_normalises_each_ranking() -> None:
    dense = [_hit(A, 0.9), _hit(B, 0.5)]
    lexical = [_hit(B, 10.0), _hit(C, 4.0), _hit(A, 2.0)]
    fused = convex_fusion([dense, lexical], [0.4, 0.6])
    assert _texts(fused) == [B, A, C]
    assert [hit.score for hit in fused] == [0.6, 0.4, round(0.6 * 2 / 8, 6)]


@pytest.mark.parametrize("method", [RRF, CONVEX])
def test_a_passage_found_only_lexically_still_ranks(method: str) -> None:
    dense = [_hit(A, 0.5), _hit(B, 0.49)]
    lexical = [_hit(C, 20.0), _hit("passage d", 1.0)]
    fused = fuse(dense, lexical, method, lexical_weight=0.7)
    assert _texts(fused)[0] == C
    assert set(_texts(fused)) == {A, B, C, "passage d"}


def test_weight_zero_is_dense_order_and_one_is_lexical_order() -> None:
    dense = [_hit(A, 0.9), _hit(B, 0.5), _hit(C, 0.1)]
    lexical = [_hit(C, 9.0), _hit(B, 5.0), _hit(A, 1.0)]
    assert _texts(fuse(dense, lexical, CONVEX, 0.0))[:3] == [A, B, C]
    assert _texts(fuse(dense, lexical, CONVEX, 1.0))[:3] == [C, B, A]


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fusion"):
        fuse([], [], "max", 0.5)


def test_near_duplicates_keep_the_better_ranked_passage() -> None:
    original = "Les territoires attendaient des méthodes concrètes pour conduire le changement."
    copy = "Les territoires attendaient des méthodes concrètes pour conduire le changement !"
    other = "Le budget des journées a été tenu."
    hits = [_hit(original, 3.0), _hit(copy, 2.0), _hit(other, 1.0)]
    assert _texts(drop_near_duplicates(hits)) == [original, other]


def test_passages_sharing_a_few_words_are_not_duplicates() -> None:
    hits = [_hit("les élus du territoire nord", 2.0), _hit("les élus du territoire sud et leurs agents", 1.0)]
    assert len(drop_near_duplicates(hits)) == 2


def _with_sentences(text: str, score: float, vectors: list[list[float]]) -> Hit:
    from dataclasses import replace

    from vectorstore.sentence_vectors import pack

    chunk = Chunk(text=text, doc_id="d", source="s.pdf", kind="bilan")
    assert len(chunk.sentences) == len(vectors)
    return Hit(replace(chunk, sentence_vectors=pack(vectors)), score)


def test_rescoring_lifts_the_passage_whose_sentence_means_the_question() -> None:
    from vectorstore.retrieval.fusion import rescore_by_sentences

    first = _with_sentences(
        "Il partage un mot commun. Il ne dit rien de plus.", 0.9, [[0.8, 0.6], [0.6, 0.8]]
    )
    second = _with_sentences(
        "La réponse se trouve ici. Une autre chose est dite.", 0.5, [[1.0, 0.0], [0.0, 1.0]]
    )
    plain = Hit(Chunk(text="Sans vecteurs.", doc_id="d", source="s.pdf", kind="bilan"), 0.7)
    ranked = rescore_by_sentences([first, plain, second], [1.0, 0.0], weight=2.0, floor=0.75)
    # fused rescaled to 1, 0.5, 0; best sentence 0.8, none, 1.0 -> meaning 0.2, 0, 1
    assert _texts(ranked) == [
        "La réponse se trouve ici. Une autre chose est dite.",
        "Il partage un mot commun. Il ne dit rien de plus.",
        "Sans vecteurs.",
    ]
    assert [hit.score for hit in ranked] == pytest.approx([2 / 3, 1.4 / 3, 0.5 / 3], abs=1e-3)
    assert rescore_by_sentences([first, second], [1.0, 0.0], weight=0.0) == [first, second]


def test_the_sentence_ranking_is_a_third_weighted_side() -> None:
    dense = [_hit(A, 0.9), _hit(B, 0.5)]
    lexical = [_hit(B, 10.0), _hit(A, 2.0)]
    sentences = [_hit(C, 0.95), _hit(A, 0.80)]
    fused = fuse(dense, lexical, CONVEX, 0.5, sentences=sentences, sentence_weight=0.2)
    assert _texts(fused) == [B, A, C]
    assert [hit.score for hit in fused] == [0.5, 0.3, 0.2]
    assert _texts(fuse(dense, lexical, CONVEX, 0.0, sentences=sentences, sentence_weight=1.0))[0] == C
