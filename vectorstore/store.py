"""The Chroma store: chunks with their embeddings, and a manifest of documents.

Both live in Chroma (two collections), so the store is one thing to back up and
works the same when Chroma is a server. Chunk ids are content hashes: writing a
document is an upsert of its new chunks followed by the deletion of the ones it
no longer has, and a chunk whose text did not change reuses its embedding.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from vectorstore.errors import ModelMismatchError, StoreError
from vectorstore.records import Chunk, DocumentRecord, Hit, content_hash

CHUNKS = "chunks"
DOCUMENTS = "documents"
STATE = "state"
_REVISION = "revision"
_WRITE_BATCH = 1000

Filters = Mapping[str, str | int]


def where_clause(filters: Filters | None) -> dict[str, Any] | None:
    """Chroma ``where`` for equality filters on chunk metadata."""
    if not filters:
        return None
    terms = [{key: value} for key, value in sorted(filters.items())]
    return terms[0] if len(terms) == 1 else {"$and": terms}


class ChromaStore:
    """Chunks and documents in a local (embedded) Chroma database."""

    def __init__(self, path: Path, embeddings: Embeddings, model_name: str) -> None:
        self.path = Path(path)
        self.embeddings = embeddings
        self.model_name = model_name
        self._client: Any = None
        self._lock = threading.Lock()

    # -- opening -------------------------------------------------------------

    def _connect(self) -> Any:
        with self._lock:
            if self._client is None:
                import chromadb
                from chromadb.config import Settings as ChromaSettings

                try:
                    self.path.mkdir(parents=True, exist_ok=True)
                    self._client = chromadb.PersistentClient(
                        path=str(self.path),
                        settings=ChromaSettings(anonymized_telemetry=False),
                    )
                except Exception as exc:
                    raise StoreError(f"Impossible d'ouvrir l'index « {self.path} » : {exc}") from exc
            return self._client

    def _collection(self, name: str) -> Any:
        client = self._connect()
        if name != CHUNKS:
            return client.get_or_create_collection(name, embedding_function=None)
        collection = client.get_or_create_collection(
            CHUNKS,
            embedding_function=None,
            metadata={"embedding_model": self.model_name},
            configuration={"hnsw": {"space": "cosine"}},
        )
        built_with = (collection.metadata or {}).get("embedding_model")
        if built_with and built_with != self.model_name:
            raise ModelMismatchError(
                f"Cet index a été construit avec le modèle « {built_with} », pas « {self.model_name} ». "
                "Reconstruisez-le : python -m assistant ingest --rebuild CHEMINS..."
            )
        return collection

    def check_model(self) -> None:
        """Fail early with a clear message if the store belongs to another model."""
        self._collection(CHUNKS)

    def reset(self) -> None:
        """Drop every chunk and document (used by ``ingest --rebuild``)."""
        client = self._connect()
        existing = {collection.name for collection in client.list_collections()}
        for name in (CHUNKS, DOCUMENTS, STATE):
            if name in existing:
                client.delete_collection(name)

    # -- documents -----------------------------------------------------------

    def documents(self) -> list[DocumentRecord]:
        result = self._collection(DOCUMENTS).get(include=["documents"])
        records = [DocumentRecord.from_json(raw) for raw in result["documents"]]
        return sorted(records, key=lambda record: record.source)

    def document(self, doc_id: str) -> DocumentRecord | None:
        result = self._collection(DOCUMENTS).get(ids=[doc_id], include=["documents"])
        return DocumentRecord.from_json(result["documents"][0]) if result["ids"] else None

    def write_document(self, record: DocumentRecord, chunks: Sequence[Chunk]) -> DocumentRecord:
        """Replace a document's chunks with ``chunks`` and record it in the manifest."""
        return self.write_documents([(record, chunks)])[0]

    def write_documents(
        self, items: Sequence[tuple[DocumentRecord, Sequence[Chunk]]]
    ) -> list[DocumentRecord]:
        """Write several documents, embedding all their new chunks in one model call.

        One call lets sentence-transformers sort the passages by length and pad
        less, which is most of the indexing time. Embeddings are computed before
        anything is written, so a model failure leaves the store as it was; each
        document is then replaced whole (chunks, stale chunks, manifest entry).
        """
        collection = self._collection(CHUNKS)
        uniques = [list({chunk.id: chunk for chunk in chunks}.values()) for _, chunks in items]
        every = [chunk for unique in uniques for chunk in unique]
        vectors = dict(
            zip((chunk.id for chunk in every), self._embeddings_for(collection, every), strict=True)
        )
        stored = [
            self._replace_document(collection, record, unique, vectors)
            for (record, _), unique in zip(items, uniques, strict=True)
        ]
        self.refresh_revision()
        return stored

    def _replace_document(
        self, collection: Any, record: DocumentRecord, chunks: list[Chunk], vectors: dict[str, list[float]]
    ) -> DocumentRecord:
        ids = [chunk.id for chunk in chunks]
        for start in range(0, len(chunks), _WRITE_BATCH):
            batch = chunks[start : start + _WRITE_BATCH]
            collection.upsert(
                ids=[chunk.id for chunk in batch],
                embeddings=[vectors[chunk.id] for chunk in batch],
                documents=[chunk.text for chunk in batch],
                metadatas=[chunk.to_metadata() for chunk in batch],
            )
        previous = self.document(record.doc_id)
        stale = set(previous.chunk_ids) - set(ids) if previous else set()
        if stale:
            collection.delete(ids=sorted(stale))
        stored = record.with_chunks(tuple(ids), datetime.now(UTC).isoformat(timespec="seconds"))
        self._collection(DOCUMENTS).upsert(
            ids=[record.doc_id], embeddings=[[1.0]], documents=[stored.to_json()]
        )
        return stored

    def _embeddings_for(self, collection: Any, chunks: Sequence[Chunk]) -> list[list[float]]:
        """Embeddings of ``chunks``, reusing those already stored under the same id."""
        if not chunks:
            return []
        known = collection.get(ids=[chunk.id for chunk in chunks], include=["embeddings"])
        reuse = {cid: list(vec) for cid, vec in zip(known["ids"], known["embeddings"], strict=True)}
        missing = [chunk for chunk in chunks if chunk.id not in reuse]
        if missing:
            fresh = self.embeddings.embed_documents([chunk.indexed_text for chunk in missing])
            reuse.update({chunk.id: vector for chunk, vector in zip(missing, fresh, strict=True)})
        return [reuse[chunk.id] for chunk in chunks]

    def delete_document(self, doc_id: str) -> bool:
        record = self.document(doc_id)
        if record is None:
            return False
        if record.chunk_ids:
            self._collection(CHUNKS).delete(ids=list(record.chunk_ids))
        self._collection(DOCUMENTS).delete(ids=[doc_id])
        self.refresh_revision()
        return True

    # -- revision ------------------------------------------------------------

    def revision(self) -> str:
        """A name for the current content: derived indexes are keyed by it.

        Stored after every change, so reading it is one small lookup; a store
        that has none yet (or lost it in a crash) gets it recomputed.
        """
        result = self._collection(STATE).get(ids=[_REVISION], include=["documents"])
        return result["documents"][0] if result["ids"] else self.refresh_revision()

    def refresh_revision(self) -> str:
        """Recompute the revision from the manifest: a hash of every chunk id."""
        chunk_ids = sorted(cid for record in self.documents() for cid in record.chunk_ids)
        revision = content_hash(self.model_name, *chunk_ids)[:32]
        self._collection(STATE).upsert(ids=[_REVISION], embeddings=[[1.0]], documents=[revision])
        return revision

    # -- chunks --------------------------------------------------------------

    def count(self) -> int:
        return int(self._collection(CHUNKS).count())

    def all_chunks(self) -> list[Chunk]:
        """Every chunk, in a stable order (document, then position), read in pages."""
        collection = self._collection(CHUNKS)
        chunks: list[Chunk] = []
        for offset in range(0, collection.count(), _WRITE_BATCH):
            page = collection.get(include=["documents", "metadatas"], limit=_WRITE_BATCH, offset=offset)
            chunks += [
                Chunk.from_metadata(text, meta)
                for text, meta in zip(page["documents"], page["metadatas"], strict=True)
            ]
        return sorted(chunks, key=lambda chunk: (chunk.doc_id, chunk.position, chunk.id))

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        result = self._collection(CHUNKS).get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
        chunks = [
            Chunk.from_metadata(text, meta)
            for text, meta in zip(result["documents"], result["metadatas"], strict=True)
        ]
        return sorted(chunks, key=lambda chunk: chunk.position)

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """The ``k`` chunks closest to the query, best first."""
        collection = self._collection(CHUNKS)
        if k <= 0 or collection.count() == 0:
            return []
        vector = self.embeddings.embed_query(query)
        result = collection.query(
            query_embeddings=[vector],
            n_results=k,
            where=where_clause(filters),
            include=["documents", "metadatas", "distances"],
        )
        rows = zip(result["documents"][0], result["metadatas"][0], result["distances"][0], strict=True)
        return [Hit(Chunk.from_metadata(text, meta), 1.0 - float(dist)) for text, meta, dist in rows]
