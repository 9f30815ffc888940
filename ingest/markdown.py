"""Markdown and plain-text loaders: front matter, headings, paragraphs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ingest.cleanup import normalize_glyphs
from ingest.document import Block, ParsedDocument
from ingest.errors import IngestError, Reason
from ingest.structure import SectionPath, session_from_text
from vectorstore.records import EXTRA_FIELDS, KIND_NOTES

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def read_text_file(path: Path) -> str:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise IngestError("fichier binaire : ce n'est pas un texte", Reason.UNSUPPORTED)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return normalize_glyphs(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise IngestError(
        "encodage du texte non reconnu", Reason.UNREADABLE_TEXT
    )  # pragma: no cover - cp1252 decodes most bytes


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter (as a dict) and the body after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    import yaml

    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise IngestError("en-tête YAML illisible (entre les lignes ---)", Reason.UNREADABLE_TEXT) from exc
    if not isinstance(data, dict):
        raise IngestError(
            "en-tête YAML invalide : un dictionnaire clé: valeur est attendu", Reason.UNREADABLE_TEXT
        )
    return data, text[match.end() :]


def parse_markdown(source: str, text: str, fallback_title: str) -> ParsedDocument:
    """Pure core: Markdown in, blocks under their heading path out.

    The first level-1 heading is the document title; the others build the path.
    """
    meta, body = split_front_matter(text)
    title = ""
    section = SectionPath()
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        joined = " ".join(" ".join(line.split()) for line in paragraph).strip()
        if joined:
            blocks.append(Block(text=joined, section=section.path))
        paragraph.clear()

    for line in body.splitlines():
        heading = _HEADING.match(line)
        if heading:
            flush()
            level, heading_text = len(heading.group(1)), heading.group(2)
            if level == 1 and not title:
                title = heading_text
            else:
                section.enter(level, heading_text)
        elif line.lstrip().startswith(("- ", "* ", "+ ")):
            flush()  # each list item is its own block
            paragraph.append(line.strip())
        elif line.strip():
            paragraph.append(line)
        else:
            flush()
    flush()
    session = _session(meta.get("session")) or session_from_text([title, source])
    return ParsedDocument(
        source=source,
        kind=KIND_NOTES,
        title=str(meta.get("title") or title or fallback_title),
        blocks=tuple(blocks),
        session=session,
        metadata=front_matter_fields(meta),
    )


def front_matter_fields(meta: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The front-matter fields kept on every chunk (lists joined with commas)."""
    fields = []
    for key in EXTRA_FIELDS:
        value = meta.get(key)
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        if value not in (None, ""):
            fields.append((key, str(value)))
    return tuple(fields)


def _session(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return session_from_text([str(value)])


def load_markdown(path: Path) -> ParsedDocument:
    return parse_markdown(path.name, read_text_file(path), path.stem)


def load_text(path: Path) -> ParsedDocument:
    """Plain text: paragraphs separated by blank lines, no headings."""
    text = read_text_file(path)
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n\s*\n", text)]
    blocks = tuple(Block(text=paragraph) for paragraph in paragraphs if paragraph)
    return ParsedDocument(
        source=path.name,
        kind=KIND_NOTES,
        title=path.stem,
        blocks=blocks,
        session=session_from_text([path.stem]),
    )
