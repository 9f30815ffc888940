"""The documents of the store: indexing, uploads, removal, the health check, page pictures.

Every change happens under two locks: one writing thread in this process, one
writing process per store (``WriterLock``, held across processes). After a change
``refresh`` is called, so the next question finds the indexes and the overview of the
new revision ready.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.answering import Citation
from assistant.settings import Settings
from assistant.uploads import safe_name
from assistant.user_text import shown
from ingest import ChunkingConfig, FileOutcome, IngestOptions, IngestReport, ingest_paths, page_picture
from ingest.page_crops import passage_crop
from vectorstore import ChromaStore, DocumentRecord, HybridRetriever, UserFacingError
from vectorstore.encoders.encoder import Progress
from vectorstore.integrity import Health, check, reconcile
from vectorstore.layout import StoreLayout
from vectorstore.retrieval.snapshot import Snapshot
from vectorstore.writer_lock import StoreBusyError, WriterLock

Outcomes = Callable[[FileOutcome], None]


@dataclass(frozen=True)
class Status:
    documents: int
    chunks: int
    embedding_model: str
    answer_mode: str


@dataclass(frozen=True)
class PassagePicture:
    """A citation's picture: the part of its PDF page where the passage lies (``crop``), the
    whole page (``page_image``), and what they show, in French (``alt``)."""

    crop: Path
    page_image: Path
    page: int
    alt: str
    width: int  # the crop's display size, CSS pixels (its file has twice as many)
    height: int
    located: bool  # False: the passage was not found on the page, the crop is its top


class Library:
    """The store's documents; ``refresh`` runs after every change (indexes, overview)."""

    def __init__(
        self,
        settings: Settings,
        store: ChromaStore,
        retriever: HybridRetriever,
        refresh: Callable[[], None],
    ) -> None:
        self.settings = settings
        self.store = store
        self.retriever = retriever
        self.refresh = refresh
        self.layout = StoreLayout(settings.store)
        self.write_lock = threading.RLock()  # one writing thread in this process...
        self.writer = WriterLock(settings.store)  # ...and one writing process per store

    def repair(self) -> list[str]:
        """Reconcile the store after a crash, unless another process is writing to it (it
        reconciled when it started, and its chunks in progress must not be touched).
        Returns what was repaired (French lines)."""
        try:
            with self.write_lock, self.writer:
                return reconcile(self.store).lines()
        except StoreBusyError:
            return []

    def check(self) -> Health:
        """Every live chunk found by its own vector, and both indexes holding the same ids."""
        with self.write_lock, self.writer:
            reconcile(self.store)
        return check(self.store, {chunk.id for chunk in self.retriever.snapshot().chunks})

    def ingest(
        self,
        paths: Sequence[Path],
        *,
        rebuild: bool = False,
        prune: bool = False,
        ocr: bool = False,
        on_outcome: Outcomes = lambda outcome: None,
        on_progress: Progress | None = None,
    ) -> IngestReport:
        with self.write_lock, self.writer:
            report = ingest_paths(
                self.store,
                paths,
                self._options(ocr),
                rebuild=rebuild,
                prune=prune,
                on_outcome=on_outcome,
                on_progress=on_progress,
            )
            self.refresh()
            return report

    def _options(self, ocr: bool) -> IngestOptions:
        settings = self.settings
        return IngestOptions(
            chunking=ChunkingConfig(
                settings.chunk_size, min(settings.chunk_overlap, settings.chunk_size - 1)
            ),
            time_limit=settings.ingest_timeout,
            ocr=ocr,
            memory_mb=settings.ingest_memory_mb,
            max_file_mb=settings.max_file_mb,
            max_pages=settings.max_pages,
        )

    def add_files(
        self,
        uploaded: Sequence[Path],
        on_outcome: Outcomes = lambda outcome: None,
        on_progress: Progress | None = None,
    ) -> IngestReport:
        """Copy uploaded files into the store's library (their pages stay viewable) and index
        them. Names are made safe (``uploads.safe_name``) before anything is copied, and the
        store is locked first, so a file is never copied without being indexed."""
        names = [safe_name(str(path)) for path in uploaded]
        library = self.layout.library
        with self.write_lock, self.writer:
            library.mkdir(parents=True, exist_ok=True)
            copies = []
            for path, name in zip(uploaded, names, strict=True):
                shutil.copyfile(path, library / name)
                copies.append(library / name)
            return self.ingest(copies, on_outcome=on_outcome, on_progress=on_progress)

    def remove(self, source: str) -> None:
        """Take a document and all its passages out of the store."""
        with self.write_lock, self.writer:
            record = next((r for r in self.store.documents() if r.source == source), None)
            if record is None:
                raise UserFacingError(f"Aucun document indexé ne s'appelle « {shown(source, 80)} ».")
            self.store.delete_document(record.doc_id)
            self.refresh()

    def documents(self) -> list[DocumentRecord]:
        return self.store.documents()

    def status(self) -> Status:
        return Status(
            documents=len(self.store.documents()),
            chunks=self.store.count(),
            embedding_model=self.settings.embedding_model,
            answer_mode=(
                f"modèle de langue {self.settings.llm_model}"
                if self.settings.llm_model
                else "extractif (sans modèle de langue)"
            ),
        )

    def page_picture(self, source: str, page: int, snapshot: Snapshot | None = None) -> Path:
        """A picture of one page of an indexed PDF (rendered once, kept in the store)."""
        record = (snapshot or self.retriever.snapshot()).document(source)
        if record is None or not record.source.lower().endswith(".pdf"):
            raise UserFacingError(f"Aucun PDF indexé ne s'appelle « {shown(source, 80)} ».")
        return page_picture(Path(record.path), page, record.sha256, self.layout.pages)

    def answer_pictures(self, citations: Sequence[Citation]) -> dict[int, PassagePicture]:
        """Each cited PDF passage's picture, by citation number, all from one snapshot; a
        picture already shown for these citations is not given twice, and a citation
        without one (notes, a moved file, a failed rendering) is left out."""
        snapshot = self.retriever.snapshot()
        pictures: dict[int, PassagePicture] = {}
        shown: set[Path] = set()
        for citation in citations:
            try:
                picture = self.passage_picture(citation, snapshot)
            except UserFacingError:
                continue
            if picture.crop not in shown:
                shown.add(picture.crop)
                pictures[citation.n] = picture
        return pictures

    def passage_picture(self, citation: Citation, snapshot: Snapshot | None = None) -> PassagePicture:
        """The picture of the cited passage on its (first) page, and of the whole page, both
        rendered once and kept in the store's pages folder; a UserFacingError (a
        ``PictureError`` when rendering failed) when there is none to show."""
        record = (snapshot or self.retriever.snapshot()).document(citation.source)
        page = citation.first_page
        if record is None or not record.source.lower().endswith(".pdf") or page is None:
            raise UserFacingError(f"Pas d'extrait de page pour « {citation.source} ».")
        crop = passage_crop(Path(record.path), page, citation.text, record.sha256, self.layout.pages)
        alt = (
            f"Extrait de la page {page} de {citation.source}"
            if crop.located
            else f"Haut de la page {page} de {citation.source} (passage non repéré sur la page)"
        )
        width, height = crop.display_size
        return PassagePicture(crop.crop, crop.page_image, page, alt, width, height, crop.located)
