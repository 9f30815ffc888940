"""Markdown and plain-text loaders: front matter, headings, paragraphs, lists, tables.

Markdown is parsed by markdown-it-py (CommonMark, with tables and strikethrough) and
turned into plain text: passages are shown escaped, so no syntax may reach them
(asterisks, backticks, link brackets, '#', '>', pipes, HTML comments). Headings
become the section path, each list item a line of its own ("- …" or "2. …"), and a
table's rows sentences such as "Territoire : X. Attentes : …", like the report's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any, ClassVar

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ingest.cleanup import normalize_glyphs
from ingest.document import Block, ParsedDocument
from ingest.errors import IngestError, Reason
from ingest.structure import SectionPath, session_from_text
from ingest.tables import TableRow
from vectorstore.records import EXTRA_FIELDS, KIND_NOTES

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
# HTML is recognised as such (then removed) rather than left as literal text.
_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_LINE_BREAK_TAG = re.compile(r"<br\b", re.IGNORECASE)
_HTML_DROPPED = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE
)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>|<![^>]*>|<\?.*?\?>", re.DOTALL)


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
    """Pure core: Markdown in, blocks of plain text under their heading path out.

    The first level-1 heading is the document title; the others build the path.
    No Markdown syntax reaches a passage (see ``markdown_blocks``).
    """
    meta, body = split_front_matter(text)
    reader = markdown_blocks(body)
    session = _session(meta.get("session")) or session_from_text([reader.title, source])
    return ParsedDocument(
        source=source,
        kind=KIND_NOTES,
        title=str(meta.get("title") or reader.title or fallback_title),
        blocks=tuple(reader.blocks),
        session=session,
        tables=reader.tables,
        metadata=front_matter_fields(meta),
    )


def markdown_blocks(body: str) -> _MarkdownReader:
    """A Markdown body read into plain-text blocks (front matter already removed)."""
    reader = _MarkdownReader()
    reader.read(_PARSER.parse(body))
    return reader


def plain_inline(tokens: Sequence[Token]) -> str:
    """The text of a paragraph's inline tokens with the syntax gone: emphasis marks,
    code ticks, link and image syntax (their text and alt text stay), HTML tags and
    comments; escapes and entities are already resolved by the parser."""
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(plain_inline(token.children or []))
        elif token.type == "html_inline":
            parts.append(" " if _LINE_BREAK_TAG.match(token.content) else "")
    return " ".join(normalize_glyphs("".join(parts)).split())


def plain_html(html: str) -> str:
    """The text of an HTML block: comments, scripts, styles and tags removed, entities decoded."""
    text = _HTML_DROPPED.sub(" ", html)
    text = _HTML_TAG.sub(" ", text)
    return " ".join(normalize_glyphs(unescape(text)).split())


@dataclass
class _ListItem:
    marker: str  # "- " or "3. "
    parts: list[str] = field(default_factory=list)
    written: bool = False  # its first line is out (a nested list followed it)


class _MarkdownReader:
    """Walks markdown-it's block tokens, writing one block per paragraph, list item,
    table row, line of a fenced block and HTML block, under the current heading path."""

    def __init__(self) -> None:
        self.title = ""
        self.section = SectionPath()
        self.blocks: list[Block] = []
        self.tables = 0
        self._items: list[_ListItem] = []
        self._ordered: list[bool] = []  # the open lists, innermost last
        self._rows: list[list[str]] = []
        self._heading_level = 1

    def read(self, tokens: Sequence[Token]) -> None:
        previous = ""
        for token in tokens:
            if token.type == "inline":
                self._inline(previous, plain_inline(token.children or []))
            else:
                self._block(token)
                previous = token.type

    def _block(self, token: Token) -> None:
        handler = self._HANDLERS.get(token.type)
        if handler:
            handler(self, token)

    def _heading_open(self, token: Token) -> None:
        self._heading_level = int(token.tag[1:])

    def _list_open(self, token: Token) -> None:
        self._end_item_line()
        self._ordered.append(token.type == "ordered_list_open")

    def _list_close(self, token: Token) -> None:
        self._ordered.pop()

    def _item_open(self, token: Token) -> None:
        ordered = bool(self._ordered and self._ordered[-1])
        self._items.append(_ListItem(f"{token.info}{token.markup} " if ordered else "- "))

    def _item_close(self, token: Token) -> None:
        self._end_item_line()
        self._items.pop()

    def _fence(self, token: Token) -> None:
        """A fenced block keeps its lines (a list, an address, lines of a poem)."""
        for line in token.content.splitlines():
            self._text(" ".join(line.split()))

    def _code_block(self, token: Token) -> None:
        """Indented text: a paragraph to whoever wrote the notes."""
        self._text(" ".join(token.content.split()))

    def _html_block(self, token: Token) -> None:
        self._text(plain_html(token.content))

    def _table_open(self, token: Token) -> None:
        self._end_item_line()  # a table in a list item comes after the item's text
        self._rows = []

    def _row_open(self, token: Token) -> None:
        self._rows.append([])

    def _table_close(self, token: Token) -> None:
        self._table(self._rows)

    _HANDLERS: ClassVar[dict[str, Callable[[_MarkdownReader, Token], None]]] = {
        "heading_open": _heading_open,
        "bullet_list_open": _list_open,
        "ordered_list_open": _list_open,
        "bullet_list_close": _list_close,
        "ordered_list_close": _list_close,
        "list_item_open": _item_open,
        "list_item_close": _item_close,
        "fence": _fence,
        "code_block": _code_block,
        "html_block": _html_block,
        "table_open": _table_open,
        "tr_open": _row_open,
        "table_close": _table_close,
    }

    def _inline(self, opener: str, text: str) -> None:
        if opener == "heading_open":
            self._heading(text)
        elif opener in ("th_open", "td_open"):
            self._rows[-1].append(text)
        else:
            self._text(text)

    def _heading(self, text: str) -> None:
        level = self._heading_level
        if not text:
            return
        if level == 1 and not self.title:
            self.title = text
        else:
            self.section.enter(level, text)

    def _text(self, text: str) -> None:
        """A paragraph's text: a block of its own, or more of the open list item."""
        if not text:
            return
        if self._items:
            self._items[-1].parts.append(text)
        else:
            self.blocks.append(Block(text=text, section=self.section.path))

    def _end_item_line(self) -> None:
        """Write the open list item's text as one line (its marker first, unless a nested
        list already took its first line)."""
        if not self._items or not self._items[-1].parts:
            return
        item = self._items[-1]
        text = " ".join(item.parts)
        self.blocks.append(
            Block(text=text if item.written else item.marker + text, section=self.section.path)
        )
        item.parts.clear()
        item.written = True

    def _table(self, rows: list[list[str]]) -> None:
        """Rows read as sentences ("Territoire : X. Attentes : …"), like the report's tables."""
        if len(rows) < 2:
            return
        self.tables += 1
        header = tuple(rows[0])
        for values in rows[1:]:
            if not any(values):
                continue
            row = TableRow(0, header, tuple(values), self.tables)
            self.blocks.append(
                Block(
                    row.as_sentence(),
                    section=self.section.path,
                    cells=row.pairs,
                    territory=row.territory,
                    session=row.session,
                )
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
