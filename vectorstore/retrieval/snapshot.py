"""One revision of the store, as a question reads it: taken once, passed down.

A question used to read the store's revision several times (the search, the term
statistics, the territory tables, each citation's picture) and could see two
revisions if a writer finished in between. A ``Snapshot`` is read once per question
(one revision read; the catalogue and the manifest are kept per revision, so a warm
snapshot costs one round trip) and everything that question needs comes from it:
the live passages, the term statistics, the documents, and the dense search kept
to that revision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from vectorstore.records import Chunk, DocumentRecord
from vectorstore.retrieval.bm25 import LexicalIndex


@dataclass(frozen=True)
class Snapshot:
    """The store at ``revision``: its live passages (in document, then reading order),
    their term statistics and the documents' manifest."""

    revision: str
    documents: tuple[DocumentRecord, ...]
    lexical: LexicalIndex = field(repr=False)  # the retriever's; read through the methods below

    @property
    def chunks(self) -> Sequence[Chunk]:
        """Every live passage of the revision."""
        return self.lexical.chunks

    def idf(self, term: str) -> float:
        """How much finding an analysed term says (Lucene idf over the live passages)."""
        return self.lexical.idf(term)

    def document_frequency(self, term: str) -> int:
        """Number of live passages containing the analysed ``term``."""
        return self.lexical.document_frequency(term)

    def document(self, source: str) -> DocumentRecord | None:
        """The indexed document named ``source`` (its file name), if any."""
        return next((record for record in self.documents if record.source == source), None)

    def has(self, filters: Mapping[str, str | int]) -> bool:
        """Whether any live passage passes ``filters`` (no store round trip)."""
        return bool(self.chunks) and bool(np.any(self.lexical.mask(dict(filters))))
