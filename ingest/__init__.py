"""Ingestion: files (PDF, Markdown, text) to chunks in the store."""

from ingest.chunking import ChunkingConfig, chunk_document
from ingest.document import Block, ParsedDocument
from ingest.errors import IngestError
from ingest.page_pictures import page_picture
from ingest.pipeline import (
    FAILED,
    INDEXED,
    READER_VERSION,
    REMOVED,
    UNCHANGED,
    FileOutcome,
    IngestOptions,
    IngestReport,
    ingest_paths,
    load_document,
)

__all__ = [
    "FAILED",
    "INDEXED",
    "READER_VERSION",
    "REMOVED",
    "UNCHANGED",
    "Block",
    "ChunkingConfig",
    "FileOutcome",
    "IngestError",
    "IngestOptions",
    "IngestReport",
    "ParsedDocument",
    "chunk_document",
    "ingest_paths",
    "load_document",
    "page_picture",
]
