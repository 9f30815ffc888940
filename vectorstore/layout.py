"""Where everything of one store lives: the one place that names the folder's contents.

A store folder holds Chroma's database, the lexical index per revision, the page
pictures, the uploaded files, the precomputed overview, the journals and the writer's
lock. The engine, the web app's served paths and the benchmarks all ask this object
rather than spelling the names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StoreLayout:
    """The paths of the store folder ``root`` (nothing is created by naming them)."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @property
    def database(self) -> Path:
        """Chroma's own file (a local store; a ``chroma run`` server keeps its own)."""
        return self.root / "chroma.sqlite3"

    @property
    def lexical(self) -> Path:
        """The BM25 index and passage catalogue, one folder per revision."""
        return self.root / "lexical"

    @property
    def conversation_key(self) -> Path:
        """The key the web app signs the conversations kept by browsers with (mode 0600)."""
        return self.root / "cle-conversations"

    @property
    def pages(self) -> Path:
        """Page pictures and passage crops of the PDFs, the only folder the web app serves."""
        return self.root / "pages"

    @property
    def library(self) -> Path:
        """Copies of the files uploaded through the web app (never served as such)."""
        return self.root / "fichiers"

    @property
    def overview(self) -> Path:
        """The overview (levers, glossary, tour, timeline) of the last revision."""
        return self.root / "overview.json"

    @property
    def unanswered(self) -> Path:
        """Journal of the questions the documents did not answer (JSON Lines)."""
        return self.root / "unanswered.jsonl"

    @property
    def feedback(self) -> Path:
        """Journal of the readers' thumbs up and down (JSON Lines)."""
        return self.root / "feedback.jsonl"

    @property
    def writer_lock(self) -> Path:
        """The advisory lock held by the one process writing to the store."""
        return self.root / ".ecriture.lock"

    def private(self) -> list[Path]:
        """Everything of the store the web app must never serve: all but the page pictures
        (what exists now, and the files that may appear later)."""
        existing = sorted(p for p in self.root.iterdir() if p != self.pages) if self.root.is_dir() else []
        named = [self.database, self.library, self.overview, self.unanswered, self.feedback, self.lexical]
        named.append(self.conversation_key)
        return sorted({*existing, *named})
