"""LangChain adapters: our hits as ``Document``s, our retriever as a ``BaseRetriever``.

Framework types stay here; the rest of the code exchanges ``Chunk`` and ``Hit``.
Use it to plug the hybrid retriever into a LangChain chain:
``HybridLangChainRetriever(retriever=engine.retriever, k=5).invoke("question")``.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from vectorstore.records import Chunk, Hit
from vectorstore.retrieval.hybrid import HybridRetriever


def chunk_to_document(chunk: Chunk, score: float | None = None) -> Document:
    """A LangChain ``Document`` with the chunk's metadata (and score, when retrieved)."""
    metadata: dict[str, Any] = {"id": chunk.id, "page": chunk.page_label, **chunk.to_metadata()}
    if score is not None:
        metadata["score"] = score
    return Document(page_content=chunk.text, metadata=metadata, id=chunk.id)


def hit_to_document(hit: Hit) -> Document:
    return chunk_to_document(hit.chunk, hit.score)


class HybridLangChainRetriever(BaseRetriever):
    """The hybrid retriever behind LangChain's retriever interface.

    ``k`` and ``filters`` given to ``invoke`` (``retriever.invoke("question", k=1)``) win
    over the constructor's, for that call only, as LangChain's standard retriever tests expect.
    ``BaseRetriever``'s pydantic configuration already accepts a ``HybridRetriever`` field
    (``arbitrary_types_allowed``): pydantic stays confined to ``assistant``.
    """

    retriever: HybridRetriever
    k: int = 5
    filters: dict[str, str | int] | None = None

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        filters: dict[str, str | int] | None = None,
    ) -> list[Document]:
        hits = self.retriever.search(
            query, self.k if k is None else k, self.filters if filters is None else filters
        )
        return [hit_to_document(hit) for hit in hits]
