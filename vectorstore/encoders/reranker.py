"""Optional cross-encoder reranking of the fused candidates.

Off by default: a cross-encoder is one more model to download. When a name or a local
folder is given, it is found and loaded like a sentence-transformers embedding model (by
:class:`.loading.LocalModel`: local folder, bundled package or local cache, download only
when allowed), lazily, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from vectorstore.encoders.loading import LocalModel
from vectorstore.records import Hit

if TYPE_CHECKING:
    from sentence_transformers import CrossEncoder


class CrossEncoderReranker:
    """Scores (question, passage) pairs jointly and reorders the passages."""

    def __init__(self, model_name: str, *, allow_download: bool = False) -> None:
        self.model_name = model_name
        self.allow_download = allow_download
        self._local: LocalModel[CrossEncoder] = LocalModel(
            model_name, "CrossEncoder", allow_download=allow_download
        )

    @property
    def model(self) -> CrossEncoder:
        return self._local.get()

    def rerank(self, query: str, hits: Sequence[Hit]) -> list[Hit]:
        """``hits`` reordered by the cross-encoder's score (which replaces theirs)."""
        if not hits:
            return []
        pairs = [(query, hit.chunk.indexed_text) for hit in hits]
        scores = self.model.predict(pairs, show_progress_bar=False, convert_to_numpy=True)
        ranked = sorted(zip(hits, scores, strict=True), key=lambda pair: -float(pair[1]))
        return [Hit(hit.chunk, round(float(score), 6)) for hit, score in ranked]
