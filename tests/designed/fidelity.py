"""Fidelity of a designed report's reading: its passages against what a perfect reader
returns (``Expectations``) and against the words of its Markdown twin. Used by the tests
(tests/ingest/test_designed_documents.py) and by ``make bench`` (bench/fidelity.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.chunking import chunk_document
from ingest.pipeline import load_document
from tests.designed.documents import Expectations

_WORDS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def flat(text: str) -> str:
    """``text`` with each run of whitespace made one space."""
    return " ".join(text.split())


def words(text: str) -> set[str]:
    """The casefolded words and compounds of ``text`` (apostrophes and hyphens inside)."""
    return {match.group().casefold() for match in _WORDS.finditer(text)}


@dataclass(frozen=True)
class Fidelity:
    """What reading one file gives, against the expectations."""

    file: str
    sentences_intact: int
    sentences: int
    foreign_words: tuple[str, ...]  # words of the passages that the twin never writes
    running_leaks: int  # passages holding the running header or footer
    headings_found: int
    headings: int
    rows_right: int
    rows: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "fichier": self.file,
            "phrases intactes": f"{self.sentences_intact}/{self.sentences}",
            "mots coupés ou collés": len(self.foreign_words),
            "en-têtes ou pieds dans les passages": self.running_leaks,
            "titres numérotés retrouvés": f"{self.headings_found}/{self.headings}",
            "lignes de tableau exactes": f"{self.rows_right}/{self.rows}",
            "exemples": list(self.foreign_words[:8]),
        }


def measure(path: Path, expected: Expectations, twin: str) -> Fidelity:
    """Read ``path`` as indexing does and score its passages."""
    chunks = chunk_document(load_document(path), "designed")
    passages = [Passage(chunk.text, chunk.section, dict(chunk.cells)) for chunk in chunks]
    return score(path.name, passages, expected, twin)


@dataclass(frozen=True)
class Passage:
    text: str
    section: str = ""
    cells: dict[str, str] | None = None  # a table row's cells
    page_start: int | None = None  # the pages it was cut from, when known
    page_end: int | None = None


def score(file: str, passages: list[Passage], expected: Expectations, twin: str) -> Fidelity:
    """The fidelity of ``passages`` (any reader's) to the designed report."""
    texts = [flat(passage.text) for passage in passages]
    foreign = sorted({word for text in texts for word in words(text)} - words(twin))
    cells = [passage.cells for passage in passages if passage.cells]
    return Fidelity(
        file=file,
        sentences_intact=sum(any(flat(s) in text for text in texts) for s, _ in expected.key_sentences),
        sentences=len(expected.key_sentences),
        foreign_words=tuple(foreign),
        running_leaks=sum(any(r in text for r in expected.running_texts) for text in texts),
        headings_found=sum(
            any(_title(h) in passage.section for passage in passages) for h, _, _ in expected.headings
        ),
        headings=len(expected.headings),
        rows_right=sum(row in cells for row in expected.table_rows),
        rows=len(expected.table_rows),
    )


def _title(heading: str) -> str:
    """A heading as a section path may write it: the PDF keeps « 1.1 Titre », the office
    files give the title only (their numbering is a style, not text)."""
    return heading.split(" ", 1)[1] if heading[:1].isdigit() else heading
