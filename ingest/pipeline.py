"""The ingestion shell: find files, skip unchanged ones, parse, chunk, store.

Each file is handled on its own: a failure becomes a line in the report and
leaves the store as it was, and the other files are still indexed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunking import DEFAULT_CHUNKING, ChunkingConfig, chunk_document
from ingest.document import ParsedDocument
from ingest.errors import IngestError
from ingest.markdown import load_markdown, load_text
from ingest.pdf import load_pdf
from vectorstore.records import DocumentRecord, content_hash
from vectorstore.store import ChromaStore

LOADERS: dict[str, Callable[[Path], ParsedDocument]] = {
    ".pdf": load_pdf,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
}

INDEXED, UNCHANGED, FAILED, REMOVED = "indexed", "unchanged", "failed", "removed"


@dataclass(frozen=True)
class FileOutcome:
    path: str
    status: str
    reason: str = ""
    pages: int = 0
    chunks: int = 0
    warnings: tuple[str, ...] = ()


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)

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
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in LOADERS))
        elif not path.exists():
            problems.append(FileOutcome(str(path), FAILED, "fichier ou dossier introuvable"))
        elif path.suffix.lower() not in LOADERS:
            problems.append(FileOutcome(str(path), FAILED, "format non pris en charge (.pdf, .md, .txt)"))
        else:
            found.append(path)
    return list(dict.fromkeys(found)), problems


def load_document(path: Path) -> ParsedDocument:
    """Parse one file; any failure becomes an IngestError with a short reason."""
    try:
        if path.stat().st_size == 0:
            raise IngestError("fichier vide (0 octet)")
        return LOADERS[path.suffix.lower()](path)
    except IngestError:
        raise
    except RecursionError as exc:
        raise IngestError("structure du fichier trop imbriquée pour être lue") from exc
    except Exception as exc:
        raise IngestError(f"lecture impossible ({type(exc).__name__})") from exc


def ingest_file(store: ChromaStore, path: Path, config: ChunkingConfig) -> FileOutcome:
    doc_id = document_id(path)
    sha = file_sha256(path)
    previous = store.document(doc_id)
    if previous and previous.sha256 == sha:
        return FileOutcome(str(path), UNCHANGED, pages=previous.pages, chunks=previous.chunks)
    try:
        parsed = load_document(path)
    except IngestError as exc:
        return FileOutcome(str(path), FAILED, str(exc))
    chunks = chunk_document(parsed, doc_id, config)
    if not chunks:
        return FileOutcome(
            str(path), FAILED, "aucun texte exploitable (document scanné ?)", pages=parsed.pages
        )
    record = DocumentRecord(
        doc_id=doc_id,
        source=parsed.source,
        path=str(path.resolve()),
        sha256=sha,
        kind=parsed.kind,
        pages=parsed.pages,
        title=parsed.title,
    )
    stored = store.write_document(record, chunks)
    return FileOutcome(str(path), INDEXED, pages=parsed.pages, chunks=stored.chunks, warnings=parsed.warnings)


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
    config: ChunkingConfig = DEFAULT_CHUNKING,
    *,
    rebuild: bool = False,
    prune: bool = False,
    on_outcome: Callable[[FileOutcome], None] = lambda outcome: None,
) -> IngestReport:
    """Index ``paths`` into ``store`` and report what happened to each file."""
    if rebuild:
        store.reset()
    store.check_model()
    files, problems = discover(paths)
    report = IngestReport()
    for outcome in problems:
        report.outcomes.append(outcome)
        on_outcome(outcome)
    for path in files:
        outcome = ingest_file(store, path, config)
        report.outcomes.append(outcome)
        on_outcome(outcome)
    if prune:
        for outcome in prune_missing(store):
            report.outcomes.append(outcome)
            on_outcome(outcome)
    return report
