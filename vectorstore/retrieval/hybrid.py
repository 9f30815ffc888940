"""Hybrid retrieval: dense (Chroma) and lexical (BM25) candidates, fused, deduplicated, reranked.

The lexical index follows the store's revision: it is loaded from disk or
rebuilt from the Chroma collection whenever the collection has changed, by this
process or another one (a CLI ingest while the web app runs). It is also the
catalogue of the revision's passages, handed out inside a ``Snapshot``.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from vectorstore.encoders import CrossEncoderReranker
from vectorstore.french_text import ANALYZER_VERSION
from vectorstore.records import Hit, content_hash
from vectorstore.retrieval.bm25 import BM25Params, LexicalIndex
from vectorstore.retrieval.fusion import CONVEX, RRF, drop_near_duplicates, fuse, rescore_by_sentences
from vectorstore.retrieval.sentence_index import SentenceIndex
from vectorstore.retrieval.snapshot import Snapshot
from vectorstore.store import ChromaStore, Filters

HYBRID, DENSE, LEXICAL = "hybrid", "dense", "lexical"
MODES = (HYBRID, DENSE, LEXICAL)
FUSIONS = (RRF, CONVEX)
RERANK_POOL = 20  # fused candidates rescored (sentences, cross-encoder)


@dataclass(frozen=True)
class RetrievalConfig:
    """How candidates are gathered and combined (defaults measured on PIAF dev, see README)."""

    mode: str = HYBRID
    fusion: str = CONVEX
    lexical_weight: float = 0.5
    sentence_search_weight: float = 0.2  # the passages ranked by their best sentence (0: off)
    rrf_k: int = 60
    candidates: int = 40
    sentence_weight: float = 2.0  # weight of the best sentence's meaning when rescoring (0: off)
    duplicate_threshold: float = 0.9
    bm25: BM25Params = field(default_factory=BM25Params)

    def __post_init__(self) -> None:
        if self.mode not in MODES or self.fusion not in FUSIONS:
            raise ValueError(f"mode must be one of {MODES} and fusion one of {FUSIONS}")
        weights = (self.lexical_weight, self.sentence_search_weight)
        if min(weights) < 0.0 or sum(weights) > 1.0 or self.candidates < 1:
            raise ValueError(
                "lexical_weight and sentence_search_weight must be >= 0 and sum to at most 1, "
                "and candidates >= 1"
            )


class HybridRetriever:
    """The one search entry point: ``search(query, k, filters) -> hits``, best first."""

    def __init__(
        self,
        store: ChromaStore,
        lexical_dir: Path,
        config: RetrievalConfig = RetrievalConfig(),
        reranker: CrossEncoderReranker | None = None,
    ) -> None:
        self.store = store
        self.lexical_dir = Path(lexical_dir)
        self.config = config
        self.reranker = reranker
        self._lexical: LexicalIndex | None = None
        self._sentences: tuple[LexicalIndex, SentenceIndex] | None = None  # from that catalogue
        self._lock = threading.Lock()

    def snapshot(self) -> Snapshot:
        """The store as it is now: one revision read, the catalogue and manifest of that
        revision (loaded or rebuilt only when it changed). A question takes one and
        passes it to every search and lookup, so it never sees two revisions."""
        revision = self.store.revision()
        return Snapshot(revision, self.store.documents_at(revision), self._lexical_index(revision))

    def search(
        self, query: str, k: int, filters: Filters | None = None, snapshot: Snapshot | None = None
    ) -> list[Hit]:
        """The ``k`` best passages for ``query`` within ``filters``, best first, all from
        ``snapshot``'s revision (a fresh one when not given)."""
        if k <= 0:
            return []
        snapshot = snapshot or self.snapshot()
        pool = max(k, self.config.candidates)
        config = self.config
        dense = self.store.search(query, pool, filters, snapshot.revision) if config.mode != LEXICAL else []
        index = snapshot.lexical
        lexical = index.search(query, pool, dict(filters or {})) if config.mode != DENSE else []
        if config.mode == HYBRID:
            sentences = (
                self._by_sentences(query, index, pool, filters) if config.sentence_search_weight else []
            )
            ranked = fuse(
                dense,
                lexical,
                config.fusion,
                config.lexical_weight,
                config.rrf_k,
                sentences=sentences,
                sentence_weight=config.sentence_search_weight,
            )
        else:
            ranked = dense or lexical
        shortlist = drop_near_duplicates(ranked, config.duplicate_threshold, limit=max(k, RERANK_POOL))
        if config.mode != LEXICAL and config.sentence_weight > 0:
            vector = self.store.query_vector(query)  # computed once, by the dense search
            shortlist = rescore_by_sentences(shortlist, vector, config.sentence_weight)
        if self.reranker is None:
            return shortlist[:k]
        return self.reranker.rerank(query, shortlist)[:k]

    def _by_sentences(self, query: str, index: LexicalIndex, pool: int, filters: Filters | None) -> list[Hit]:
        """The passages ranked by their best sentence's meaning, within ``filters``."""
        with self._lock:
            # Keyed by the catalogue itself, not its revision: a reader still holding the
            # previous catalogue while a writer's is built gets the matrix of its own chunks,
            # which its filters' mask matches passage for passage.
            if self._sentences is None or self._sentences[0] is not index:
                self._sentences = (index, SentenceIndex(index.chunks))
            sentences = self._sentences[1]
        if not sentences.sentences:
            return []
        allowed = index.mask(dict(filters)) if filters else None
        return sentences.search(self.store.query_vector(query), pool, allowed)

    def _lexical_index(self, store_revision: str) -> LexicalIndex:
        """The BM25 index and passage catalogue of ``store_revision`` (loaded or rebuilt).

        Its name also covers the analyser version and BM25 parameters, so an
        index saved by other code or settings is never loaded by mistake.
        """
        bm25 = self.config.bm25
        revision = content_hash(store_revision, ANALYZER_VERSION, str(bm25.k1), str(bm25.b))[:32]
        with self._lock:
            if self._lexical is None or self._lexical.revision != revision:
                self._lexical = LexicalIndex.load(self.lexical_dir, revision) or self._build(revision)
            return self._lexical

    def _build(self, revision: str) -> LexicalIndex:
        index = LexicalIndex.build(self.store.all_chunks(), revision, self.config.bm25)
        with contextlib.suppress(OSError):  # a read-only disk only costs a rebuild at the next start
            index.save(self.lexical_dir)
        return index
