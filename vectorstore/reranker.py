"""Optional cross-encoder reranking of the fused candidates.

Off by default: a cross-encoder is one more model to download. When a name or a
local folder is given, it is resolved like the embedding model (local folder,
local cache, or download only when allowed) and loaded lazily, once.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from vectorstore.embeddings import resolve_model_location
from vectorstore.errors import EmbeddingModelError
from vectorstore.records import Hit

if TYPE_CHECKING:
    from sentence_transformers import CrossEncoder


class CrossEncoderReranker:
    """Scores (question, passage) pairs jointly and reorders the passages."""

    def __init__(self, model_name: str, *, allow_download: bool = False) -> None:
        self.model_name = model_name
        self.allow_download = allow_download
        self._model: CrossEncoder | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> CrossEncoder:
        with self._lock:
            if self._model is None:
                self._model = self._load()
            return self._model

    def _load(self) -> CrossEncoder:
        location, is_local = resolve_model_location(self.model_name)
        from sentence_transformers import CrossEncoder

        try:
            return CrossEncoder(location, device="cpu", local_files_only=is_local or not self.allow_download)
        except Exception as exc:
            hint = (
                "indiquez le chemin d'un dossier local ou autorisez le téléchargement "
                "avec ASSISTANT_ALLOW_DOWNLOAD=true"
            )
            raise EmbeddingModelError(
                f"Impossible de charger le modèle de reclassement « {self.model_name} » : {hint}."
            ) from exc

    def rerank(self, query: str, hits: Sequence[Hit]) -> list[Hit]:
        """``hits`` reordered by the cross-encoder's score (which replaces theirs)."""
        if not hits:
            return []
        pairs = [(query, hit.chunk.indexed_text) for hit in hits]
        scores = self.model.predict(pairs, show_progress_bar=False, convert_to_numpy=True)
        ranked = sorted(zip(hits, scores, strict=True), key=lambda pair: -float(pair[1]))
        return [Hit(hit.chunk, round(float(score), 6)) for hit, score in ranked]
