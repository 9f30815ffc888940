"""The items both office readers (``wordprocessing``, ``opendocument``) walk a document
into, in reading order, and ``office`` turns into blocks: a module of its own so the
readers and ``office`` import one way."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    """A heading and its outline level (1 = the title's level)."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph, a list item, or a note's text: one block each."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table's cells, row by row (the first row names the columns)."""

    rows: tuple[tuple[str, ...], ...]


Item = Heading | Paragraph | Table
