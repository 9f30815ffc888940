"""BM25 over French-analysed chunk texts: the lexical half of hybrid retrieval.

The Chroma collection stays the single source of truth. This index is a
derived copy, named by the store's revision (a hash of every chunk id, and chunk
ids are content hashes): when the revision changes, the index is rebuilt from
the collection. It is saved in a folder per revision, written aside and renamed
into place, so a crash never leaves a half-written index to be loaded.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vectorstore.french_text import terms
from vectorstore.records import Chunk, Hit

_CHUNKS_FILE = "chunks.jsonl"
_EMPTY_TOKEN = "\x00vide"  # keeps bm25s happy with a passage that has no content word


@dataclass(frozen=True)
class BM25Params:
    """Okapi BM25 with Lucene's idf; k1 and b measured on PIAF dev (bench/tune_fusion.py):
    a softer length normalisation than the usual 0.75 suits passages cut at sections."""

    k1: float = 0.9
    b: float = 0.5


class LexicalIndex:
    """BM25 scores of analysed passages, with equality filters on chunk metadata."""

    def __init__(self, chunks: Sequence[Chunk], revision: str, retriever: object) -> None:
        self.chunks = list(chunks)
        self.revision = revision
        self._retriever = retriever
        self._document_frequencies: dict[str, int] | None = None
        self._masks: dict[tuple[tuple[str, str | int], ...], np.ndarray] = {}

    @classmethod
    def build(cls, chunks: Sequence[Chunk], revision: str, params: BM25Params = BM25Params()) -> LexicalIndex:
        import bm25s

        retriever = bm25s.BM25(k1=params.k1, b=params.b, method="lucene")
        corpus = [terms(chunk.indexed_text) or [_EMPTY_TOKEN] for chunk in chunks]
        if corpus:
            retriever.index(corpus, show_progress=False)
        return cls(chunks, revision, retriever)

    def search(self, query: str, k: int, filters: dict[str, str | int] | None = None) -> list[Hit]:
        """The ``k`` best passages for ``query`` (BM25 score > 0), best first."""
        query_terms = [term for term in terms(query) if term in self._vocabulary]
        if not query_terms or not self.chunks or k <= 0:
            return []
        scores = np.asarray(self._retriever.get_scores(query_terms), dtype=np.float64)  # type: ignore[attr-defined]
        if filters:
            scores = np.where(self.mask(filters), scores, 0.0)
        count = min(k, int(np.count_nonzero(scores > 0)))
        if count == 0:
            return []
        best = np.argpartition(-scores, count - 1)[:count]
        best = best[np.lexsort((best, -scores[best]))]  # score, then position: deterministic
        return [Hit(self.chunks[i], float(scores[i])) for i in best]

    def idf(self, term: str) -> float:
        """Lucene idf of an analysed term: how much finding it says (absent terms say most)."""
        df = self.document_frequency(term)
        return math.log(1 + (len(self.chunks) - df + 0.5) / (df + 0.5))

    def document_frequency(self, term: str) -> int:
        """Number of passages containing the analysed ``term``."""
        if self._document_frequencies is None:
            self._document_frequencies = self._count_documents()
        return self._document_frequencies.get(term, 0)

    def _count_documents(self) -> dict[str, int]:
        if not self.chunks:
            return {}
        per_token = np.diff(self._retriever.scores["indptr"])  # type: ignore[attr-defined]
        return {
            token: int(per_token[index])
            for token, index in self._vocabulary.items()
            if index < len(per_token)
        }

    @property
    def _vocabulary(self) -> dict[str, int]:
        return self._retriever.vocab_dict if self.chunks else {}  # type: ignore[attr-defined]

    def mask(self, filters: dict[str, str | int]) -> np.ndarray:
        """Which passages pass ``filters``; kept per filter, since the same few (a day, a
        document) come back and reading every passage's metadata grows with the store."""
        key = tuple(sorted(filters.items()))
        if key not in self._masks:
            if len(self._masks) >= 64:  # bounded: filters by document could be many
                self._masks.clear()
            metadata = [chunk.to_metadata() for chunk in self.chunks]
            self._masks[key] = np.array(
                [all(meta.get(name) == value for name, value in filters.items()) for meta in metadata]
            )
        return self._masks[key]

    # -- persistence ---------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write this index as ``folder/<revision>``, atomically, and drop older revisions."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / self.revision
        if target.exists():
            return
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
        try:
            if self.chunks:
                self._retriever.save(str(staging), show_progress=False)  # type: ignore[attr-defined]
            with (staging / _CHUNKS_FILE).open("w", encoding="utf-8") as out:
                for chunk in self.chunks:
                    out.write(json.dumps({"text": chunk.text, **chunk.to_metadata()}, ensure_ascii=False))
                    out.write("\n")
            staging.rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        for other in folder.iterdir():
            if other != target and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, revision: str) -> LexicalIndex | None:
        """The saved index of ``revision``, or None if there is none (or it is unreadable)."""
        import bm25s

        target = folder / revision
        try:
            lines = (target / _CHUNKS_FILE).read_text(encoding="utf-8").splitlines()
            chunks = [Chunk.from_metadata(row.pop("text"), row) for row in map(json.loads, lines)]
            retriever = bm25s.BM25.load(str(target), show_progress=False) if chunks else bm25s.BM25()
        except (OSError, ValueError, KeyError):
            return None
        return cls(chunks, revision, retriever)
