"""The vector store: chunk records, offline embeddings and the Chroma store."""

from vectorstore.encoders import (
    DEFAULT_MODEL,
    CrossEncoderReranker,
    EmbeddingConfig,
    SentenceTransformerEmbeddings,
    build_embeddings,
    meaning_calibrated,
)
from vectorstore.errors import EmbeddingModelError, ModelMismatchError, StoreError, UserFacingError
from vectorstore.records import KIND_NOTES, KIND_REPORT, Chunk, DocumentRecord, Hit, content_hash
from vectorstore.retrieval.bm25 import BM25Params, LexicalIndex
from vectorstore.retrieval.hybrid import HybridRetriever, RetrievalConfig
from vectorstore.store import ChromaStore, Filters

__all__ = [
    "DEFAULT_MODEL",
    "KIND_NOTES",
    "KIND_REPORT",
    "BM25Params",
    "ChromaStore",
    "Chunk",
    "CrossEncoderReranker",
    "DocumentRecord",
    "EmbeddingConfig",
    "EmbeddingModelError",
    "Filters",
    "Hit",
    "HybridRetriever",
    "LexicalIndex",
    "ModelMismatchError",
    "RetrievalConfig",
    "SentenceTransformerEmbeddings",
    "StoreError",
    "UserFacingError",
    "build_embeddings",
    "content_hash",
    "meaning_calibrated",
]
