"""The BM25 index, checked against the Lucene BM25 formula computed by hand."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from vectorstore import BM25Params, Chunk, LexicalIndex
from vectorstore.french_text import terms

TEXTS = ["zorg blip", "blip krull", "plonk"]


def _chunks() -> list[Chunk]:
    kinds = ["bilan", "notes", "notes"]
    return [
        Chunk(text=text, doc_id=f"d{i}", source=f"f{i}", kind=kind, session=i + 1, position=i)
        for i, (text, kind) in enumerate(zip(TEXTS, kinds, strict=True))
    ]


def _lucene_bm25(query: list[str], docs: list[list[str]], k1: float, b: float) -> list[float]:
    avgdl = sum(map(len, docs)) / len(docs)
    scores = []
    for doc in docs:
        score = 0.0
        for term in query:
            df = sum(term in other for other in docs)
            idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
            tf = doc.count(term)
            score += idf * tf / (tf + k1 * (1 - b + b * len(doc) / avgdl))
        scores.append(score)
    return scores


def test_analysed_words_are_their_own_terms() -> None:
    assert [terms(text) for text in TEXTS] == [["zorg", "blip"], ["blip", "krull"], ["plonk"]]


@pytest.mark.parametrize(("k1", "b"), [(1.2, 0.75), (1.5, 0.5)])
def test_scores_match_the_lucene_formula(k1: float, b: float) -> None:
    index = LexicalIndex.build(_chunks(), "r1", BM25Params(k1=k1, b=b))
    hits = index.search("blip krull", k=10)
    expected = _lucene_bm25(["blip", "krull"], [text.split() for text in TEXTS], k1, b)
    assert [hit.chunk.text for hit in hits] == ["blip krull", "zorg blip"]
    assert [hit.score for hit in hits] == pytest.approx([expected[1], expected[0]], rel=1e-5)


def test_unknown_words_and_empty_queries_find_nothing() -> None:
    index = LexicalIndex.build(_chunks(), "r1")
    assert index.search("inconnu", 5) == []
    assert index.search("les de la", 5) == []
    assert LexicalIndex.build([], "vide").search("blip", 5) == []


def test_filters_mask_other_chunks() -> None:
    index = LexicalIndex.build(_chunks(), "r1")
    assert [hit.chunk.text for hit in index.search("blip", 5, {"kind": "notes"})] == ["blip krull"]
    assert index.search("blip", 5, {"session": 3}) == []


def test_save_then_load_gives_the_same_results(tmp_path: Path) -> None:
    index = LexicalIndex.build(_chunks(), "r1")
    index.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path, "r1")
    assert loaded is not None
    assert loaded.search("blip", 5) == index.search("blip", 5)
    assert loaded.chunks == index.chunks


def test_saving_a_new_revision_drops_the_old_one(tmp_path: Path) -> None:
    LexicalIndex.build(_chunks(), "r1").save(tmp_path)
    LexicalIndex.build(_chunks()[:1], "r2").save(tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == ["r2"]
    assert LexicalIndex.load(tmp_path, "r1") is None


def test_a_damaged_saved_index_is_not_loaded(tmp_path: Path) -> None:
    LexicalIndex.build(_chunks(), "r1").save(tmp_path)
    (tmp_path / "r1" / "chunks.jsonl").write_text("{pas du json", encoding="utf-8")
    assert LexicalIndex.load(tmp_path, "r1") is None
