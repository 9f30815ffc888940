"""The vector store: chunk records, offline embeddings and the Chroma store."""

from vectorstore.embeddings import DEFAULT_MODEL, SentenceTransformerEmbeddings
from vectorstore.errors import EmbeddingModelError, ModelMismatchError, StoreError, UserFacingError
from vectorstore.records import KIND_NOTES, KIND_REPORT, Chunk, DocumentRecord, Hit, content_hash
from vectorstore.store import ChromaStore, Filters

__all__ = [
    "DEFAULT_MODEL",
    "KIND_NOTES",
    "KIND_REPORT",
    "ChromaStore",
    "Chunk",
    "DocumentRecord",
    "EmbeddingModelError",
    "Filters",
    "Hit",
    "ModelMismatchError",
    "SentenceTransformerEmbeddings",
    "StoreError",
    "UserFacingError",
    "content_hash",
]
