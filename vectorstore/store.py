"""The Chroma store: chunks with their embeddings, and a manifest of documents.

Both live in Chroma (two collections), so the store is one thing to back up and
works the same when Chroma is a server (``url``). Chunk ids are content hashes.

The manifest decides what readers see: a chunk is *live* only when a manifest
entry lists it. Writing a document therefore adds its new chunks first (unseen),
switches its manifest entry in one write (the whole new version appears at
once) and records the new revision. The chunks the old version had are
*retired*: deleted by the next change rather than at once, so a reader still
holding the previous revision finds that version whole. A crash at any step
leaves chunks no entry lists, which searches ignore and
``vectorstore.integrity.reconcile`` removes; never half a document.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from langchain_core.embeddings import Embeddings

from vectorstore.chunk_vectors import embed_chunks, text_hash
from vectorstore.encoders.encoder import Encoder, Progress
from vectorstore.errors import ModelMismatchError, StoreError
from vectorstore.records import SENTENCE_VECTORS, Chunk, DocumentRecord, Hit, content_hash

CHUNKS = "chunks"
DOCUMENTS = "documents"
STATE = "state"
COMPACTED = "chunks-compacted"  # a compaction's copy, until it replaces CHUNKS
_REVISION = "revision"
_COMPACTION = "compaction"
_RETIRED = "retired"
_ATTEMPTS = 5  # searches run again when a write lands during them
_MANIFESTS = 4  # revisions whose manifest is kept (snapshots still held by questions)
_TEXT_HASH = "texte_sha"  # chunk metadata: hash of the embedded text, so its vector can be reused
_WRITE_BATCH = 1000

Filters = Mapping[str, str | int]
_Result = TypeVar("_Result")


def _reopening(method: Callable[..., _Result]) -> Callable[..., _Result]:
    """Collection handles are kept between calls (opening one costs about a millisecond, a
    search needs four). Another process may have replaced a collection since (compaction,
    rebuild): then the handles are dropped and the read is made once more."""

    @functools.wraps(method)
    def wrapper(self: ChromaStore, *args: Any, **kwargs: Any) -> _Result:
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:
            if type(exc).__name__ != "NotFoundError":
                raise
            self._forget_handles()
            return method(self, *args, **kwargs)

    return wrapper


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _live_hits(result: Mapping[str, Any], live: frozenset[str]) -> list[Hit]:
    """The rows of a Chroma query result that are live chunks (a record deleted while the
    query ran comes back without metadata: dropped too)."""
    rows = zip(
        result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0], strict=True
    )
    return [
        Hit(Chunk.from_metadata(text, meta), 1.0 - float(distance))
        for cid, text, meta, distance in rows
        if cid in live and meta is not None and text is not None
    ]


def _stored_metadata(chunk: Chunk) -> dict[str, str | int]:
    """A chunk's metadata as stored: its own, plus the hash its vector is found by."""
    return {**chunk.to_metadata(), _TEXT_HASH: text_hash(chunk)}


def _comparable(stored: dict[str, Any]) -> dict[str, Any]:
    """Stored metadata as a fresh chunk's ``to_metadata`` gives it (no sentence vectors)."""
    return {key: value for key, value in stored.items() if key != SENTENCE_VECTORS}


def where_clause(filters: Filters | None) -> dict[str, Any] | None:
    """Chroma ``where`` for equality filters on chunk metadata."""
    if not filters:
        return None
    terms = [{key: value} for key, value in sorted(filters.items())]
    return terms[0] if len(terms) == 1 else {"$and": terms}


class ChromaStore:
    """Chunks and documents in a Chroma database: embedded in ``path``, or on the Chroma
    server at ``url`` (collections named with ``namespace``, so one server can hold
    several stores). Vectors come from one ``Encoder`` (``embeddings`` is wrapped in one
    unless it is already), which the store asks and never caches around."""

    def __init__(
        self,
        path: Path,
        embeddings: Embeddings,
        model_name: str,
        url: str = "",
        namespace: str = "",
    ) -> None:
        self.path = Path(path)
        self.encoder = Encoder.of(embeddings, model_name)
        self.model_name = model_name
        self.url = url
        self.namespace = namespace
        self._client: Any = None
        self._lock = threading.Lock()
        self._manifests: dict[str, tuple[tuple[DocumentRecord, ...], frozenset[str]]] = {}
        self._handles: dict[str, Any] = {}
        self._stored_count: tuple[str, int] = ("", 0)

    @property
    def embeddings(self) -> Encoder:
        """The encoder, under the name LangChain's vector stores give it."""
        return self.encoder

    @property
    def location(self) -> str:
        """Where the chunks live, as a person would name it."""
        return self.url or str(self.path)

    # -- opening -------------------------------------------------------------

    def _connect(self) -> Any:
        with self._lock:
            if self._client is None:
                try:
                    self._client = self._server_client() if self.url else self._local_client()
                except StoreError:
                    raise
                except Exception as exc:
                    raise StoreError(f"Impossible d'ouvrir l'index « {self.location} » : {exc}") from exc
            return self._client

    def _local_client(self) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        self.path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(
            path=str(self.path), settings=ChromaSettings(anonymized_telemetry=False)
        )

    def _server_client(self) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"Adresse du serveur Chroma invalide « {self.url} » (http://hôte:port attendu).")
        try:
            return chromadb.HttpClient(
                host=parts.hostname,
                port=parts.port or (443 if parts.scheme == "https" else 8000),
                ssl=parts.scheme == "https",
                settings=ChromaSettings(anonymized_telemetry=False),
            )
        except Exception as exc:
            raise StoreError(
                f"Le serveur Chroma « {self.url} » ne répond pas ({type(exc).__name__}) : "
                "est-il lancé (chroma run) et joignable ?"
            ) from exc

    def name(self, collection: str) -> str:
        """The Chroma name of one of the store's collections."""
        return f"{self.namespace}{collection}"

    def _collection(self, name: str) -> Any:
        handle = self._handles.get(name)
        if handle is None:
            handle = self._handles[name] = self._open(name)
        return handle

    def _open(self, name: str) -> Any:
        client = self._connect()
        if name != CHUNKS:
            return client.get_or_create_collection(self.name(name), embedding_function=None)
        collection = client.get_or_create_collection(self.name(CHUNKS), **self._chunk_collection_options())
        built_with = (collection.metadata or {}).get("embedding_model")
        if built_with and built_with != self.model_name:
            raise ModelMismatchError(
                f"Cet index a été construit avec le modèle « {built_with} », pas « {self.model_name} ». "
                "Reconstruisez-le : python -m bilan ingest --rebuild CHEMINS..."
            )
        return collection

    def _forget_handles(self) -> None:
        self._handles = {}
        self._stored_count = ("", 0)

    def client(self) -> Any:
        """The Chroma client (for maintenance that works on whole collections)."""
        return self._connect()

    def _chunk_collection_options(self) -> dict[str, Any]:
        return {
            "embedding_function": None,
            "metadata": {"embedding_model": self.model_name},
            "configuration": {"hnsw": {"space": "cosine"}},
        }

    def check_model(self) -> None:
        """Fail early with a clear message if the store belongs to another model."""
        self._forget_handles()  # read the collection's metadata afresh
        self._collection(CHUNKS)

    def reset(self) -> None:
        """Drop every chunk and document (used by ``ingest --rebuild``)."""
        client = self._connect()
        existing = {collection.name for collection in client.list_collections()}
        for name in (CHUNKS, DOCUMENTS, STATE, COMPACTED):
            if self.name(name) in existing:
                client.delete_collection(self.name(name))
        with self._lock:
            self._manifests.clear()
        self._forget_handles()

    # -- documents -----------------------------------------------------------

    @_reopening
    def documents(self) -> list[DocumentRecord]:
        result = self._collection(DOCUMENTS).get(include=["documents"])
        records = [DocumentRecord.from_json(raw) for raw in result["documents"]]
        return sorted(records, key=lambda record: record.source)

    @_reopening
    def document(self, doc_id: str) -> DocumentRecord | None:
        result = self._collection(DOCUMENTS).get(ids=[doc_id], include=["documents"])
        return DocumentRecord.from_json(result["documents"][0]) if result["ids"] else None

    def write_document(self, record: DocumentRecord, chunks: Sequence[Chunk]) -> DocumentRecord:
        """Replace a document's chunks with ``chunks`` and record it in the manifest."""
        return self.write_documents([(record, chunks)])[0]

    def write_documents(
        self, items: Sequence[tuple[DocumentRecord, Sequence[Chunk]]], progress: Progress | None = None
    ) -> list[DocumentRecord]:
        """Write several documents, their new chunks embedded in one encoder call (which the
        encoder cuts into batches, questions going first; ``progress`` hears each batch).

        Embeddings are computed before anything is written, so a model failure leaves
        the store as it was. Each document then appears whole (see the module docstring
        for the order).
        """
        self._forget_handles()  # another process may have compacted since: writes open afresh
        collection = self._collection(CHUNKS)
        uniques = [list({chunk.id: chunk for chunk in chunks}.values()) for _, chunks in items]
        every = [chunk for unique in uniques for chunk in unique]
        known = self._stored(collection, [chunk.id for chunk in every])
        new = [chunk for chunk in every if chunk.id not in known]
        vectors, fresh = self._vectors(collection, new, progress)
        self._add(collection, fresh, vectors)
        moved = [c for c in every if c.id in known and _comparable(known[c.id]) != c.to_metadata()]
        self._update_metadata(
            collection,
            [replace(c, sentence_vectors=str(known[c.id].get(SENTENCE_VECTORS, ""))) for c in moved],
            known,
        )
        stale: set[str] = set()
        stored = []
        for (record, _), unique in zip(items, uniques, strict=True):
            previous = self.document(record.doc_id)
            ids = tuple(chunk.id for chunk in unique)
            stored.append(self._switch(record.with_chunks(ids, _now())))
            stale |= set(previous.chunk_ids) - set(ids) if previous else set()
        self.refresh_revision()
        self._retire(collection, stale)
        return stored

    def warm_up(self) -> None:
        """Load the embedding model now (indexing calls this in its writer thread as soon as
        a file needs writing, so the model loads while the next files are read)."""
        self.encoder.warm_up()

    def retired_ids(self) -> set[str]:
        """Chunks the last change replaced or removed, deleted by the next change rather than at
        once: a reader that read the revision just before the switch still finds them whole."""
        return set(json.loads(self._state(_RETIRED) or "[]"))

    def _retire(self, collection: Any, ids: set[str]) -> None:
        """Delete the chunks retired by the previous change, and retire ``ids`` in their place."""
        self._delete_chunks(collection, self.retired_ids() - self.live_ids())
        self._set_state(_RETIRED, json.dumps(sorted(ids - self.live_ids())))

    def _stored(self, collection: Any, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Metadata of the chunks among ``ids`` already in the collection, by id."""
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), _WRITE_BATCH):
            page = collection.get(ids=list(ids[start : start + _WRITE_BATCH]), include=["metadatas"])
            for cid, meta in zip(page["ids"], page["metadatas"], strict=True):
                found[cid] = {key: value for key, value in (meta or {}).items() if key != _TEXT_HASH}
        return found

    def _vectors(
        self, collection: Any, chunks: Sequence[Chunk], progress: Progress | None
    ) -> tuple[list[list[float]], list[Chunk]]:
        """Vectors for new chunks, and the chunks with their sentence vectors: those of a text
        the store already holds reused (found by ``text_hash``: the store has one model), the
        others embedded (``chunk_vectors.embed_chunks``)."""
        known: dict[str, list[float]] = {}
        sentences: dict[str, str] = {}
        wanted = sorted({text_hash(chunk) for chunk in chunks})
        for start in range(0, len(wanted), _WRITE_BATCH):
            page = collection.get(
                where={_TEXT_HASH: {"$in": wanted[start : start + _WRITE_BATCH]}},
                include=["metadatas", "embeddings"],
            )
            for meta, vector in zip(page["metadatas"], page["embeddings"], strict=True):
                known.setdefault(str(meta[_TEXT_HASH]), [float(x) for x in vector])
                if meta.get(SENTENCE_VECTORS):
                    sentences.setdefault(str(meta[_TEXT_HASH]), str(meta[SENTENCE_VECTORS]))
        return embed_chunks(self.encoder, chunks, known, sentences, progress)

    def _add(self, collection: Any, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]) -> None:
        """Insert new chunks. Only ids the collection lacks: Chroma's ``add`` would silently
        skip an existing id, and in-place upserts can leave records unreachable (chromadb #7758)."""
        for start in range(0, len(chunks), _WRITE_BATCH):
            batch = chunks[start : start + _WRITE_BATCH]
            collection.add(
                ids=[chunk.id for chunk in batch],
                embeddings=[list(vector) for vector in vectors[start : start + _WRITE_BATCH]],
                documents=[chunk.text for chunk in batch],
                metadatas=[_stored_metadata(chunk) for chunk in batch],
            )

    def _update_metadata(
        self, collection: Any, chunks: Sequence[Chunk], known: Mapping[str, Mapping[str, Any]]
    ) -> None:
        """A passage that moved (same text, new position or page): metadata only, vector
        untouched. Chroma merges an update into the stored metadata, so a key the passage no
        longer has (its day, territory, levers) is sent as ``None``, which deletes it."""
        for start in range(0, len(chunks), _WRITE_BATCH):
            batch = chunks[start : start + _WRITE_BATCH]
            metadatas = []
            for chunk in batch:
                metadata: dict[str, Any] = dict(_stored_metadata(chunk))
                metadata |= {key: None for key in known.get(chunk.id, {}) if key not in metadata}
                metadatas.append(metadata)
            collection.update(ids=[c.id for c in batch], metadatas=metadatas)

    def _switch(self, record: DocumentRecord) -> DocumentRecord:
        """Make ``record``'s chunks the document's live ones: one manifest write."""
        self._collection(DOCUMENTS).upsert(
            ids=[record.doc_id], embeddings=[[1.0]], documents=[record.to_json()]
        )
        return record

    def drop_record(self, doc_id: str) -> None:
        """Forget a document's manifest entry, leaving its chunks to ``reconcile``."""
        self._collection(DOCUMENTS).delete(ids=[doc_id])

    def _delete_chunks(self, collection: Any, ids: set[str]) -> None:
        ordered = sorted(ids)
        for start in range(0, len(ordered), _WRITE_BATCH):
            collection.delete(ids=ordered[start : start + _WRITE_BATCH])

    def delete_document(self, doc_id: str) -> bool:
        """Take a document out: its manifest entry goes (it disappears at once), its chunks are retired."""
        self._forget_handles()
        record = self.document(doc_id)
        if record is None:
            return False
        self._collection(DOCUMENTS).delete(ids=[doc_id])
        self.refresh_revision()
        self._retire(self._collection(CHUNKS), set(record.chunk_ids))
        return True

    # -- compaction ----------------------------------------------------------

    def compact(self) -> int:
        """Copy the live chunks, vectors included, into a fresh collection that replaces the
        old one: orphans and the index's scars from many updates are left behind, nothing
        is embedded again. Returns the chunks copied.

        A crash mid-copy leaves the old collection in place; the copy is only marked
        complete once whole, and ``finish_compaction`` completes the swap after a crash.
        """
        self.finish_compaction()
        client = self._connect()
        old = self._collection(CHUNKS)
        copy = client.create_collection(self.name(COMPACTED), **self._chunk_collection_options())
        live = sorted(self.live_ids())
        for start in range(0, len(live), _WRITE_BATCH):
            page = old.get(
                ids=live[start : start + _WRITE_BATCH], include=["embeddings", "documents", "metadatas"]
            )
            if page["ids"]:
                copy.add(
                    ids=page["ids"],
                    embeddings=page["embeddings"],
                    documents=page["documents"],
                    metadatas=page["metadatas"],
                )
        self._set_state(_COMPACTION, "copied")
        self.finish_compaction()
        self._set_state(_RETIRED, "[]")
        return len(live)

    def finish_compaction(self) -> str:
        """After a crash: swap in a complete copy, or drop an incomplete one. Says which ("" if none)."""
        client = self._connect()
        names = {collection.name for collection in client.list_collections()}
        if self.name(COMPACTED) not in names:
            return ""
        if self._state(_COMPACTION) != "copied":
            client.delete_collection(self.name(COMPACTED))
            return "dropped"
        if self.name(CHUNKS) in names:
            client.delete_collection(self.name(CHUNKS))
        client.get_collection(self.name(COMPACTED)).modify(name=self.name(CHUNKS))
        self._forget_handles()
        self._set_state(_COMPACTION, "")
        return "finished"

    @_reopening
    def _state(self, key: str) -> str | None:
        result = self._collection(STATE).get(ids=[key], include=["documents"])
        return result["documents"][0] if result["ids"] else None

    def _set_state(self, key: str, value: str) -> None:
        self._collection(STATE).upsert(ids=[key], embeddings=[[1.0]], documents=[value])

    # -- revision ------------------------------------------------------------

    def revision(self) -> str:
        """A name for the current content: derived indexes are keyed by it.

        Stored after every change, so reading it is one small lookup; a store
        that has none yet gets it computed (a stale one is fixed by ``reconcile``).
        """
        return self._state(_REVISION) or self.refresh_revision()

    def expected_revision(self) -> str:
        """The revision the manifest calls for: a hash of every document's file hash, chunk
        ids and reader version (a passage that only moved changes its document's file hash;
        one whose metadata alone changed, such as its levers, was read by another reader).
        Version 0 adds nothing, so a store written before versions were recorded keeps its
        revision."""
        records = sorted(self.documents(), key=lambda record: record.doc_id)
        parts = [
            f"{r.doc_id}:{r.sha256}:{','.join(sorted(r.chunk_ids))}" + (f":{r.reader}" if r.reader else "")
            for r in records
        ]
        return content_hash(self.model_name, *parts)[:32]

    def refresh_revision(self) -> str:
        revision = self.expected_revision()
        self._set_state(_REVISION, revision)
        return revision

    # -- chunks --------------------------------------------------------------

    def live_ids(self) -> frozenset[str]:
        """The ids of every chunk some document lists: what readers may see (kept per revision)."""
        return self._live_at(self.revision())

    def documents_at(self, revision: str) -> tuple[DocumentRecord, ...]:
        """The manifest of ``revision`` (just read by the caller), by source: read once per
        revision, so a question's citations and pictures cost no round trip."""
        return self._manifest_at(revision)[0]

    def _live_at(self, revision: str) -> frozenset[str]:
        return self._manifest_at(revision)[1]

    def _manifest_at(self, revision: str) -> tuple[tuple[DocumentRecord, ...], frozenset[str]]:
        """The manifest read when ``revision`` was current, kept for the last few revisions:
        a question still holding a snapshot of the previous one after a writer finished
        gets that revision's live ids, not the new ones."""
        with self._lock:
            kept = self._manifests.get(revision)
        if kept is None:
            records = tuple(self.documents())
            kept = (records, frozenset(cid for record in records for cid in record.chunk_ids))
            with self._lock:
                self._manifests[revision] = kept
                while len(self._manifests) > _MANIFESTS:
                    self._manifests.pop(next(iter(self._manifests)))
        return kept

    def count(self) -> int:
        """Live chunks (chunks a crash left behind are not counted)."""
        return len(self.live_ids())

    @_reopening
    def stored_ids(self) -> set[str]:
        """Every chunk id in the collection, live or not, read in pages."""
        collection = self._collection(CHUNKS)
        ids: set[str] = set()
        for offset in range(0, collection.count(), _WRITE_BATCH):
            ids.update(collection.get(include=[], limit=_WRITE_BATCH, offset=offset)["ids"])
        return ids

    @_reopening
    def all_chunks(self) -> list[Chunk]:
        """Every live chunk, in a stable order (document, then position), read in pages."""
        live = self.live_ids()
        collection = self._collection(CHUNKS)
        chunks: list[Chunk] = []
        for offset in range(0, collection.count(), _WRITE_BATCH):
            page = collection.get(include=["documents", "metadatas"], limit=_WRITE_BATCH, offset=offset)
            chunks += [
                Chunk.from_metadata(text, meta)
                for cid, text, meta in zip(page["ids"], page["documents"], page["metadatas"], strict=True)
                if cid in live
            ]
        return sorted(chunks, key=lambda chunk: (chunk.doc_id, chunk.position, chunk.id))

    @_reopening
    def chunks_of(self, doc_id: str) -> list[Chunk]:
        record = self.document(doc_id)
        if record is None or not record.chunk_ids:
            return []
        result = self._collection(CHUNKS).get(ids=list(record.chunk_ids), include=["documents", "metadatas"])
        chunks = [
            Chunk.from_metadata(text, meta)
            for text, meta in zip(result["documents"], result["metadatas"], strict=True)
        ]
        return sorted(chunks, key=lambda chunk: chunk.position)

    def search(
        self, query: str, k: int = 5, filters: Filters | None = None, revision: str | None = None
    ) -> list[Hit]:
        """The ``k`` live chunks closest to the query, best first (``revision``: the store's
        revision if the caller has just read it, saving a read)."""
        if k <= 0:
            return []
        return self.search_vector(self.query_vector(query), k, filters, revision)

    def forget_query_vectors(self) -> None:
        """Drop the kept question vectors (to time a question as a person's first ask)."""
        self.encoder.forget_questions()

    def query_vector(self, query: str) -> list[float]:
        """A question's vector (the encoder keeps the last few: the search and the choice of
        the answer's sentences both need it)."""
        return self.encoder.embed_query(query)

    @_reopening
    def search_vector(
        self, vector: Sequence[float], k: int, filters: Filters | None = None, revision: str | None = None
    ) -> list[Hit]:
        """The ``k`` live chunks closest to ``vector``, all from one revision.

        Chunks no document lists (a write in progress, a crash, retired ones) are
        asked for on top and dropped, so they never show. Given the ``revision`` of a
        caller's snapshot, the search keeps to it in one query (a writer finishing
        meanwhile may only make it return fewer chunks of that revision, never
        another revision's). Without one, a writer that finishes a change while the
        query runs may delete chunks of the revision read: the search is then run
        again on the new one (optimistic concurrency).
        """
        if revision is not None:
            return self._search_live(vector, k, filters, revision)
        current = self.revision()
        for _ in range(_ATTEMPTS):
            read = current
            hits = self._search_live(vector, k, filters, read)
            current = self.revision()
            if current == read:
                break
        return hits

    def _search_live(
        self, vector: Sequence[float], k: int, filters: Filters | None, revision: str
    ) -> list[Hit]:
        """One search of the live chunks. The stored count (live and not) is read once per
        revision; if a writer added chunks since, too few live ones may come back: the
        query is then repeated wider, until the collection has nothing more to give."""
        live = self._live_at(revision)
        collection = self._collection(CHUNKS)
        stored = self._count_stored(collection, revision)
        wanted = k + max(0, stored - len(live))
        while k > 0 and live and stored:
            asked = min(stored, wanted)
            result = collection.query(
                query_embeddings=[list(vector)],
                n_results=asked,
                where=where_clause(filters),
                include=["documents", "metadatas", "distances"],
            )
            hits = _live_hits(result, live)
            if len(hits) >= k or len(result["ids"][0]) < asked:  # enough, or every match returned
                return hits[:k]
            stored = collection.count()
            if asked >= stored:
                return hits
            wanted *= 2
        return []

    def _count_stored(self, collection: Any, revision: str) -> int:
        if self._stored_count[0] != revision:
            self._stored_count = (revision, collection.count())
        return self._stored_count[1]
