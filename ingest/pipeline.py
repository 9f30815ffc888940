"""The ingestion shell: find files, skip unchanged ones, parse, chunk, store.

Each file is handled on its own: a failure becomes a line in the report and
leaves the store as it was, and the other files are still indexed.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from ingest.chunking import DEFAULT_CHUNKING, ChunkingConfig, chunk_document
from ingest.document import ParsedDocument
from ingest.errors import IngestError, Reason
from ingest.isolation import IsolatedReader
from ingest.markdown import load_markdown, load_text
from ingest.ocr import ocr_pdf
from ingest.office import load_docx, load_odt
from ingest.pdf import load_pdf
from ingest.sniffing import DOCX, MARKDOWN, ODT, PDF, TEXT, sniff
from vectorstore.encoders.encoder import Progress
from vectorstore.errors import ModelMismatchError
from vectorstore.integrity import reconcile
from vectorstore.records import Chunk, DocumentRecord, content_hash
from vectorstore.store import ChromaStore

# Suffixes looked for in folders; a file named on the command line is read whatever its name,
# and in every case the loader is chosen by content (``sniff``), not by suffix.
SUFFIXES = (".pdf", ".md", ".markdown", ".txt", ".docx", ".odt")
LOADERS: dict[str, Callable[[Path], ParsedDocument]] = {
    MARKDOWN: load_markdown,
    TEXT: load_text,
    DOCX: load_docx,
    ODT: load_odt,
}

INDEXED, UNCHANGED, FAILED, REMOVED = "indexed", "unchanged", "failed", "removed"
# What the readers make of a file's bytes: loaders, cleanup, chunking and what is attached to
# the chunks. Bump it whenever a reader's output changes for the same bytes: each document
# recorded with another version (``DocumentRecord.reader``) is then read again at the next
# ingestion, like a changed file. 0: recorded before versions were; 2: Markdown read as plain
# text, chunks carry the levers they name; 3: designed pages read by bands, symbol bullets,
# note calls out of cells, sentences whole across line breaks (issue 26).
READER_VERSION = 3
EMBED_GROUP = 256  # passages embedded per model call while indexing


@dataclass(frozen=True)
class FileOutcome:
    path: str
    status: str
    reason: str = ""  # why it failed, or why an unchanged file was indexed again
    pages: int = 0
    code: str = ""  # for failures: a value of ingest.errors.Reason
    chunks: int = 0
    warnings: tuple[str, ...] = ()
    tables: int = 0
    rows: int = 0
    empty_pages: int = 0  # pages that gave no text (scans, pictures, pages a parser gave up on)
    seconds: float = 0.0  # time spent reading it


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)  # what reconciling the store fixed first

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def ok(self) -> bool:
        return self.count(FAILED) == 0


def document_id(path: Path) -> str:
    """Stable id of a file in the store: a hash of its absolute path."""
    return content_hash(str(path.resolve()))[:32]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[FileOutcome]]:
    """Supported files under ``paths`` (folders recursively), and the paths that are not."""
    found: list[Path] = []
    problems: list[FileOutcome] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        elif not path.exists():
            problems.append(failure(path, IngestError("fichier ou dossier introuvable", Reason.MISSING)))
        elif not path.is_file():
            message = "ce n'est pas un fichier ordinaire (tube, périphérique ?)"
            problems.append(failure(path, IngestError(message, Reason.NOT_A_FILE)))
        else:
            found.append(path)
    return list(dict.fromkeys(found)), problems


def failure(path: Path, error: IngestError) -> FileOutcome:
    return FileOutcome(str(path), FAILED, str(error), code=error.reason.value)


@dataclass(frozen=True)
class IngestOptions:
    """How files are read: chunking, OCR of image pages, and the limits of one file
    (reading time in seconds, reader memory in MiB, file size in MiB, pages; 0: none)."""

    chunking: ChunkingConfig = DEFAULT_CHUNKING
    time_limit: float = 120.0
    ocr: bool = False
    memory_mb: int = 0
    max_file_mb: float = 0
    max_pages: int = 0


def load_document(path: Path, ocr: bool = False, max_pages: int = 0) -> ParsedDocument:
    """Parse one file, with the loader its content calls for; any failure becomes an
    IngestError with a short reason."""
    try:
        kind = sniff(path)
        parsed = load_pdf(path, max_pages) if kind == PDF else LOADERS[kind](path)
        if ocr and parsed.empty_pages:
            parsed = _with_ocr(path, parsed)
        return parsed
    except IngestError:
        raise
    except MemoryError:
        raise
    except RecursionError as exc:
        raise IngestError("structure du fichier trop imbriquée pour être lue", Reason.DAMAGED) from exc
    except Exception as exc:
        raise IngestError(f"lecture impossible ({type(exc).__name__})", Reason.DAMAGED) from exc


def check_size(path: Path, max_file_mb: float) -> None:
    """Refuse a file over the size limit before anything reads it."""
    size = path.stat().st_size
    if max_file_mb and size > max_file_mb * (1 << 20):
        raise IngestError(
            f"fichier trop volumineux ({size / (1 << 20):.1f} Mio, {max_file_mb:g} Mio au plus ; "
            "voir ASSISTANT_MAX_FILE_MB)",
            Reason.TOO_LARGE,
        )


def _with_ocr(path: Path, parsed: ParsedDocument) -> ParsedDocument:
    """The PDF read again after OCR of its image pages, under its own name."""
    with tempfile.TemporaryDirectory(prefix="ocr-") as folder:
        recognised = load_pdf(ocr_pdf(path, Path(folder) / path.name, list(parsed.empty_pages)))
    read = [page for page in parsed.empty_pages if page not in recognised.empty_pages]
    notes = [f"page {page} : texte obtenu par OCR" for page in read]
    return replace(recognised, warnings=(*recognised.warnings, *notes))


@dataclass(frozen=True)
class _Prepared:
    """A parsed and chunked file, waiting for its embeddings."""

    path: Path
    record: DocumentRecord
    chunks: list[Chunk]
    warnings: tuple[str, ...]
    tables: int
    empty_pages: int
    seconds: float = 0.0
    reason: str = ""  # why an unchanged file was read again (see READER_VERSION)


def prepare_file(
    store: ChromaStore, path: Path, options: IngestOptions, reader: IsolatedReader, force: bool = False
) -> FileOutcome | _Prepared:
    """Parse and chunk one file, or say why it needs no writing (unchanged, failed);
    ``force`` reads it again even if unchanged."""
    started = time.perf_counter()
    prepared = _prepare(store, path, options, reader, force)
    return replace(prepared, seconds=round(time.perf_counter() - started, 3))


def _prepare(
    store: ChromaStore, path: Path, options: IngestOptions, reader: IsolatedReader, force: bool
) -> FileOutcome | _Prepared:
    doc_id = document_id(path)
    try:
        check_size(path, options.max_file_mb)
        sha = file_sha256(path)
    except OSError:
        return failure(path, IngestError("fichier disparu ou illisible pendant l'indexation", Reason.MISSING))
    except IngestError as exc:
        return failure(path, exc)
    previous = store.document(doc_id)
    reread = ""
    if previous and previous.sha256 == sha and not force:
        if previous.reader == READER_VERSION:
            return FileOutcome(str(path), UNCHANGED, pages=previous.pages, chunks=previous.chunks)
        reread = reread_reason(previous.reader)  # same bytes, another reader: read like a changed file
    try:
        parsed = reader.read(partial(load_document, ocr=options.ocr, max_pages=options.max_pages), path)
    except IngestError as exc:
        return failure(path, exc)
    chunks = chunk_document(parsed, doc_id, options.chunking)
    if not chunks:
        reason = "aucun texte exploitable (document scanné ou pages sans couche texte ?)"
        return replace(failure(path, IngestError(reason, Reason.NO_TEXT)), pages=parsed.pages)
    record = DocumentRecord(
        doc_id=doc_id,
        source=parsed.source,
        path=str(path.resolve()),
        sha256=sha,
        kind=parsed.kind,
        pages=parsed.pages,
        title=parsed.title,
        warnings=parsed.warnings,
        reader=READER_VERSION,
    )
    empty = len(parsed.empty_pages)
    return _Prepared(path, record, chunks, parsed.warnings, parsed.tables, empty, reason=reread)


def reread_reason(recorded: int) -> str:
    """Why a file whose bytes did not change is read again: it was read by another reader."""
    return (
        "relu : la façon de lire les documents a changé depuis son indexation "
        f"(version {recorded} → {READER_VERSION})"
    )


class _Writer:
    """Queues prepared files and writes them in groups, reporting outcomes in file order.

    Grouping lets the model embed a few hundred passages per call instead of a
    handful per file, which makes indexing markedly faster. The model is loaded by
    a background thread as soon as a file needs writing, so it loads while the next
    files are read. Embedding itself is not overlapped with reading: on two cores
    the reader slows torch's threads down more than the overlap saves (measured:
    17-18 s against 19-20 s on the PIAF PDFs, even with one torch thread while reading).
    """

    def __init__(
        self,
        store: ChromaStore,
        report: IngestReport,
        on_outcome: Callable[[FileOutcome], None],
        on_progress: Progress | None = None,
    ):
        self.store = store
        self.report = report
        self.on_outcome = on_outcome
        self.on_progress = on_progress
        self.queue: list[FileOutcome | _Prepared] = []
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="modele")
        self._warming = False

    def add(self, item: FileOutcome | _Prepared) -> None:
        if isinstance(item, _Prepared) and not self._warming:
            self._warming = True
            self._loader.submit(self.store.warm_up)
        self.queue.append(item)
        if sum(len(entry.chunks) for entry in self._prepared()) >= EMBED_GROUP:
            self.flush()

    def _prepared(self) -> list[_Prepared]:
        return [entry for entry in self.queue if isinstance(entry, _Prepared)]

    def flush(self) -> None:
        prepared = self._prepared()
        items = [(entry.record, entry.chunks) for entry in prepared]
        stored = self.store.write_documents(items, self.on_progress)
        written = {entry.path: record for entry, record in zip(prepared, stored, strict=True)}
        for entry in self.queue:
            outcome = entry if isinstance(entry, FileOutcome) else self._indexed(entry, written[entry.path])
            self.report.outcomes.append(outcome)
            self.on_outcome(outcome)
        self.queue.clear()

    def close(self) -> None:
        """End the model's loading thread with the run (a load that failed is tried again,
        and reported, by the write that needs it)."""
        self._loader.shutdown(wait=True)

    @staticmethod
    def _indexed(entry: _Prepared, record: DocumentRecord) -> FileOutcome:
        return FileOutcome(
            str(entry.path),
            INDEXED,
            pages=record.pages,
            chunks=record.chunks,
            warnings=entry.warnings,
            tables=entry.tables,
            rows=sum(1 for chunk in entry.chunks if chunk.cells),
            empty_pages=entry.empty_pages,
            seconds=entry.seconds,
            reason=entry.reason,
        )


def prune_missing(store: ChromaStore) -> list[FileOutcome]:
    """Remove documents whose file no longer exists."""
    removed = []
    for record in store.documents():
        if not Path(record.path).exists():
            store.delete_document(record.doc_id)
            removed.append(FileOutcome(record.path, REMOVED, chunks=record.chunks))
    return removed


def ingest_paths(
    store: ChromaStore,
    paths: Sequence[Path],
    options: IngestOptions = IngestOptions(),
    *,
    rebuild: bool = False,
    prune: bool = False,
    on_outcome: Callable[[FileOutcome], None] = lambda outcome: None,
    on_progress: Progress | None = None,
) -> IngestReport:
    """Index ``paths`` into ``store`` and report what happened to each file (``on_progress``
    hears how many texts of the group being written are embedded, batch by batch).

    The caller holds the store's writer lock. The store is reconciled first, so
    a run after a crash completes the interrupted one; ``rebuild`` reads every
    file again into a compacted store (vectors kept, unless the model changed).
    """
    with IsolatedReader(options.time_limit, options.memory_mb, preload=(__name__,)) as reader:
        reader.start()  # it starts while the store is opened and checked
        if rebuild:  # first: a store of another model cannot be reconciled, only emptied
            _start_over(store)
        report = IngestReport(repairs=reconcile(store).lines())
        store.check_model()
        files, problems = discover(paths)
        writer = _Writer(store, report, on_outcome, on_progress)
        try:
            for outcome in problems:
                writer.add(outcome)
            for path in files:
                writer.add(prepare_file(store, path, options, reader, force=rebuild))
            writer.flush()
        finally:
            writer.close()
    if rebuild:
        _keep_only(store, {document_id(path) for path in files})
    if prune:
        for outcome in prune_missing(store):
            report.outcomes.append(outcome)
            on_outcome(outcome)
    return report


def _keep_only(store: ChromaStore, doc_ids: set[str]) -> None:
    """After a rebuild, only the documents of the paths given remain (a file that failed
    keeps its previous version rather than vanishing)."""
    for record in store.documents():
        if record.doc_id not in doc_ids:
            store.delete_document(record.doc_id)


def _start_over(store: ChromaStore) -> None:
    """Compact the store, or empty it when it was built with another model (its vectors
    are of no use then)."""
    try:
        store.check_model()
    except ModelMismatchError:
        store.reset()
        return
    store.compact()
