"""Keeping a store whole: repair after a crash, and prove every chunk can be found.

``reconcile`` runs when a writer or the web app starts. It compares id sets, not
counts (a count can look right while the sets differ): chunks no manifest entry
lists are deleted, documents whose chunks went missing are dropped from the
manifest (the next ``ingest`` indexes their file again), an interrupted
compaction is finished and a stale revision recomputed.

``check`` queries the collection with each live chunk's own vector: a chunk
that does not come back near the top cannot be found by any question, whatever
the counts say (chromadb issue 7758); ``ingest --rebuild`` compacts the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vectorstore.store import CHUNKS, ChromaStore

_BATCH = 256
_NEIGHBOURS = 10  # a chunk's own vector must bring it back among this many


@dataclass(frozen=True)
class Reconciliation:
    """What ``reconcile`` found and did."""

    orphans_removed: int = 0
    documents_dropped: tuple[str, ...] = ()
    revision_fixed: bool = False
    compaction: str = ""  # "", "finished" or "dropped"

    @property
    def changed(self) -> bool:
        return bool(self.orphans_removed or self.documents_dropped or self.revision_fixed or self.compaction)

    def lines(self) -> list[str]:
        """What was repaired, in French, one line each (none when all was in order)."""
        lines = []
        if self.compaction == "finished":
            lines.append("compactage interrompu terminé")
        elif self.compaction == "dropped":
            lines.append("copie de compactage incomplète supprimée")
        if self.documents_dropped:
            names = ", ".join(self.documents_dropped)
            lines.append(f"document(s) incomplet(s) retiré(s), à réindexer : {names}")
        if self.orphans_removed:
            lines.append(f"{self.orphans_removed} passage(s) d'une écriture interrompue supprimé(s)")
        if self.revision_fixed:
            lines.append("révision de l'index recalculée")
        return lines


def reconcile(store: ChromaStore) -> Reconciliation:
    """Bring manifest and collection back to one consistent set of live chunks."""
    compaction = store.finish_compaction()
    stored = store.stored_ids()
    dropped = []
    for record in store.documents():
        if not set(record.chunk_ids) <= stored:
            store.drop_record(record.doc_id)
            dropped.append(record.source)
    listed = {cid for record in store.documents() for cid in record.chunk_ids}
    orphans = stored - listed - store.retired_ids()
    stale_revision = store.revision() != store.expected_revision()
    if stale_revision or dropped:
        store.refresh_revision()
    if orphans:
        store.client().get_collection(store.name(CHUNKS)).delete(ids=sorted(orphans))
    return Reconciliation(len(orphans), tuple(dropped), stale_revision or bool(dropped), compaction)


@dataclass(frozen=True)
class Health:
    """What ``check`` measured: reachability and agreement of the two indexes."""

    live: int
    reachable: int
    unreachable: tuple[str, ...]
    orphans: int
    missing: int
    lexical_agrees: bool

    @property
    def ok(self) -> bool:
        return not self.unreachable and not self.orphans and not self.missing and self.lexical_agrees

    @property
    def reachability(self) -> float:
        return self.reachable / self.live if self.live else 1.0


def unreachable_chunks(store: ChromaStore, ids: Sequence[str]) -> list[str]:
    """The chunks among ``ids`` that a query with their own vector does not bring back."""
    collection = store.client().get_collection(store.name(CHUNKS))
    total = collection.count()
    lost: list[str] = []
    for start in range(0, len(ids), _BATCH):
        page = collection.get(ids=list(ids[start : start + _BATCH]), include=["embeddings"])
        if not page["ids"]:
            continue
        found = collection.query(
            query_embeddings=page["embeddings"], n_results=min(_NEIGHBOURS, total), include=[]
        )["ids"]
        lost += [cid for cid, neighbours in zip(page["ids"], found, strict=True) if cid not in neighbours]
    return lost


def check(store: ChromaStore, lexical_ids: set[str]) -> Health:
    """Every live chunk queried with its own vector, and the id sets of both indexes compared."""
    live = store.live_ids()
    stored = store.stored_ids()
    present = sorted(live & stored)
    lost = unreachable_chunks(store, present)
    return Health(
        live=len(live),
        reachable=len(present) - len(lost),
        unreachable=tuple(lost),
        orphans=len(stored - live - store.retired_ids()),
        missing=len(live - stored),
        lexical_agrees=lexical_ids == set(live),
    )
