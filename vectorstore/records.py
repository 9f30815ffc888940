"""The small frozen records every stage exchanges: chunks, hits and documents.

They carry source, page and section from ingestion to the cited answer, so no
stage has to look anything up again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from vectorstore.french_text import split_sentences

KIND_REPORT = "bilan"
KIND_NOTES = "notes"
EXTRA_FIELDS = ("date", "lieu", "territoires")  # front-matter fields kept on note chunks
SENTENCE_VECTORS = "phrases"  # chunk metadata: the packed vectors of its sentences
LEVERS = "leviers"  # chunk metadata: the levers and difficulties its text names (JSON)
LEVER, DIFFICULTY = "levier", "difficulte"


def content_hash(*parts: str) -> str:
    """Hex SHA-256 of the parts, separated so that ("ab", "c") != ("a", "bc")."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


@dataclass(frozen=True)
class LeverMention:
    """A lever or a difficulty a passage names (found at ingestion by ``ingest.levers``)."""

    kind: str  # LEVER or DIFFICULTY
    name: str  # short name ("budget participatif")
    text: str  # the verbatim sentence, list item or enumeration part that names it
    page: int | None = None


@dataclass(frozen=True)
class Chunk:
    """A passage of a document, as indexed and as cited."""

    text: str
    doc_id: str
    source: str
    kind: str
    title: str = ""
    section: str = ""
    page_start: int | None = None
    page_end: int | None = None
    session: int | None = None
    position: int = 0
    part: int | None = None
    territory: str | None = None
    cells: tuple[tuple[str, str], ...] = ()  # a table row: (column, value) pairs
    extra: tuple[tuple[str, str], ...] = ()  # document fields (date, lieu, territoires)
    sentence_vectors: str = ""  # one vector per ``sentences`` item, packed (see sentence_vectors.py)
    levers: tuple[LeverMention, ...] = ()  # levers and difficulties its text names

    @cached_property
    def id(self) -> str:
        """Content hash: the same passage of the same document keeps its id,
        so re-ingesting is an upsert and never a duplicate (computed once per object)."""
        return content_hash(self.doc_id, self.context, self.text)[:32]

    @property
    def context(self) -> str:
        """Title and section path, prepended to the text that is embedded."""
        return " > ".join(part for part in (self.title, self.section) if part)

    @property
    def indexed_text(self) -> str:
        return f"{self.context}\n{self.text}" if self.context else self.text

    @property
    def sentences(self) -> list[str]:
        """What an answer may quote: each sentence, or a table row as a whole."""
        return [self.text] if self.cells else split_sentences(self.text)

    @property
    def page_label(self) -> str:
        """ "4", "4-5" or "" for documents without pages."""
        if self.page_start is None:
            return ""
        if self.page_end is None or self.page_end == self.page_start:
            return str(self.page_start)
        return f"{self.page_start}-{self.page_end}"

    def to_metadata(self) -> dict[str, str | int]:
        """Flat metadata for the vector store (no None values allowed there)."""
        meta: dict[str, str | int] = {
            "doc_id": self.doc_id,
            "source": self.source,
            "kind": self.kind,
            "title": self.title,
            "section": self.section,
            "position": self.position,
        }
        optional = {
            "page_start": self.page_start,
            "page_end": self.page_end,
            "session": self.session,
            "part": self.part,
            "territory": self.territory,
            "cells": json.dumps([list(pair) for pair in self.cells], ensure_ascii=False)
            if self.cells
            else None,
        }
        meta.update({key: value for key, value in optional.items() if value is not None})
        meta.update({key: value for key, value in self.extra if key not in meta})
        if self.sentence_vectors:
            meta[SENTENCE_VECTORS] = self.sentence_vectors
        if self.levers:
            items = [[item.kind, item.name, item.text, item.page] for item in self.levers]
            meta[LEVERS] = json.dumps(items, ensure_ascii=False)
        return meta

    @classmethod
    def from_metadata(cls, text: str, meta: dict[str, Any]) -> Chunk:
        return cls(
            text=text,
            doc_id=str(meta["doc_id"]),
            source=str(meta["source"]),
            kind=str(meta["kind"]),
            title=str(meta.get("title", "")),
            section=str(meta.get("section", "")),
            page_start=_int_or_none(meta.get("page_start")),
            page_end=_int_or_none(meta.get("page_end")),
            session=_int_or_none(meta.get("session")),
            position=int(meta.get("position", 0)),
            part=_int_or_none(meta.get("part")),
            territory=str(meta["territory"]) if meta.get("territory") else None,
            cells=tuple((str(k), str(v)) for k, v in json.loads(str(meta.get("cells") or "[]"))),
            extra=tuple((key, str(meta[key])) for key in EXTRA_FIELDS if meta.get(key) is not None),
            sentence_vectors=str(meta.get(SENTENCE_VECTORS) or ""),
            levers=tuple(LeverMention(*item) for item in json.loads(str(meta.get(LEVERS) or "[]"))),
        )


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk and its score (higher is better, cosine similarity)."""

    chunk: Chunk
    score: float


@dataclass(frozen=True)
class DocumentRecord:
    """One indexed file, as the manifest remembers it."""

    doc_id: str
    source: str
    path: str
    sha256: str
    kind: str
    pages: int
    chunk_ids: tuple[str, ...] = field(default=())
    title: str = ""
    indexed_at: str = ""
    warnings: tuple[str, ...] = field(default=())  # what ingestion flagged ("page 10 : aucune couche texte")
    reader: int = 0  # ingest.READER_VERSION that read it (0: recorded before versions were)

    @property
    def chunks(self) -> int:
        return len(self.chunk_ids)

    def to_json(self) -> str:
        data = self.__dict__ | {"chunk_ids": list(self.chunk_ids), "warnings": list(self.warnings)}
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> DocumentRecord:
        data = json.loads(raw)
        data["chunk_ids"] = tuple(data.get("chunk_ids", ()))
        data["warnings"] = tuple(data.get("warnings", ()))  # manifests written before it: none
        data["reader"] = int(data.get("reader") or 0)  # manifests written before it: version 0
        return cls(**data)

    def with_chunks(self, chunk_ids: tuple[str, ...], indexed_at: str) -> DocumentRecord:
        return replace(self, chunk_ids=chunk_ids, indexed_at=indexed_at)
