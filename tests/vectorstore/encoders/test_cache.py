"""The machine-wide cache of passage vectors (SQLite), kept by the encoder in front of the real model."""

from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from vectorstore.encoders import Encoder, VectorCache


class _Counting(Embeddings):
    def __init__(self, real: Embeddings) -> None:
        self.real, self.asked = real, []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.asked += texts
        return self.real.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.real.embed_query(text)


def test_the_vector_cache_embeds_each_text_once_per_machine(embeddings: Embeddings, tmp_path: Path) -> None:
    counting = _Counting(embeddings)
    first = Encoder(counting, "m", VectorCache(tmp_path / "v.sqlite"))
    vectors = first.embed_documents(["un texte", "un autre", "un texte"])
    assert counting.asked == ["un texte", "un autre"]
    # another process (a new cache object on the same file) reuses them, exactly
    again = Encoder(counting, "m", VectorCache(tmp_path / "v.sqlite")).embed_documents(["un autre"])
    assert counting.asked == ["un texte", "un autre"]
    assert np.allclose(again[0], vectors[1], atol=1e-7)
    # another model's vectors are never taken for this one's
    Encoder(counting, "autre", VectorCache(tmp_path / "v.sqlite")).embed_documents(["un texte"])
    assert counting.asked == ["un texte", "un autre", "un texte"]


def test_a_damaged_cache_file_only_costs_the_embedding(embeddings: Embeddings, tmp_path: Path) -> None:
    (tmp_path / "v.sqlite").write_bytes(b"ceci n'est pas une base SQLite" * 100)
    cached = Encoder(embeddings, "m", VectorCache(tmp_path / "v.sqlite"))
    assert len(cached.embed_documents(["un texte"])[0]) == 384
