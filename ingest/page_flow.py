"""How text flows between lines, columns and pages: note calls, footnotes, continuations.

Pure: positioned pieces or blocks in, the same cleaned out. A report laid out by an
office suite puts a note's call mark as a small raised number inside a sentence and
its text at the page's foot in smaller type; a paragraph cut by a column or a page
break goes on in the next column or page. A reader wants the sentence whole, the
call mark gone and the note kept as a passage of its page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ingest.cleanup import join_at_hyphen
from ingest.document import Block
from ingest.layout import Fragment, Line

_CALL = re.compile(r"^(?:\(?\d{1,3}\)?|[*†‡])$")  # « ³ », « (3) »
_NOTE_START = re.compile(r"^(?:\(?\d{1,3}\)?|[*†‡])\s*(?=\S)")
_SENTENCE_END = re.compile(r"[.!?:;»…)]$")
_SMALL = 0.92  # a note's type, as a share of the body size


def drop_note_calls(fragments: Sequence[Fragment]) -> list[Fragment]:
    """The pieces without note call marks: a short number (or *, †) in smaller type,
    raised above the baseline of the word just before it."""
    kept = list(fragments)
    for mark in fragments:
        if not _CALL.match(mark.text):
            continue
        called = next((i for i, word in enumerate(kept) if _calls_after(word, mark)), None)
        if called is not None:  # the word spans the mark's place: « Quérand¹, » reads « Quérand, »
            word = kept[called]
            kept[called] = replace(word, width=mark.end - word.x)
            kept.remove(mark)
    return kept


def _calls_after(word: Fragment, mark: Fragment) -> bool:
    return (
        word is not mark
        and not _CALL.match(word.text)
        and mark.size < 0.85 * word.size
        and -0.1 * word.size <= mark.x - word.end < 0.3 * word.size  # glyph boxes may overlap a little
        and 0.1 * word.size < mark.y - word.y < 0.9 * word.size
    )


def split_footnotes(lines: Sequence[Line], body: float) -> tuple[list[Line], list[str]]:
    """A page's lines and, apart, the notes at its foot: the trailing lines in smaller type
    than the body, the first of them starting with its note number (removed). A number
    raised on a row of its own above its note's first line (LibreOffice) starts that line."""
    lines = _labels_joined(lines, body)
    start = len(lines)
    while start > 0 and 0 < lines[start - 1].size <= _SMALL * body:
        start -= 1
    while start < len(lines) and not _NOTE_START.match(lines[start].text):
        start += 1  # small type that is no note (a caption) stays in the text
    if start == len(lines) or start == 0:
        return list(lines), []
    notes: list[list[str]] = []
    for line in lines[start:]:
        if _NOTE_START.match(line.text) and (not notes or line.x <= lines[start].x + 1):
            notes.append([_NOTE_START.sub("", line.text, count=1)])
        else:
            notes[-1].append(line.text)
    return list(lines[:start]), [" ".join(" ".join(note).split()) for note in notes]


def _labels_joined(lines: Sequence[Line], body: float) -> list[Line]:
    """Small-type lines with a note number alone joined to the small-type line under it."""
    joined: list[Line] = []
    for line in lines:
        label = joined[-1] if joined else None
        if (
            label is not None
            and _CALL.match(label.text)
            and 0 < label.size <= _SMALL * body
            and 0 < line.size <= _SMALL * body
            and 0 < label.y - line.y < 2 * line.size
        ):
            joined[-1] = replace(line, text=f"{label.text} {line.text}", x=min(label.x, line.x))
        else:
            joined.append(line)
    return joined


def join_continuations(blocks: Sequence[Block], known: frozenset[str] = frozenset()) -> list[Block]:
    """Paragraphs cut by a column or page break joined: a text block that does not end a
    sentence, followed (maybe after footnotes, which stay after it) by a text block of the
    same section that starts in lower case. A word cut at the break is joined as at a line
    end (``hyphenation.keeps_hyphen``, ``known`` being the document's vocabulary)."""
    joined: list[Block] = []
    for block in blocks:
        target = _open_paragraph(joined, block)
        if target is None:
            joined.append(block)
            continue
        before = joined[target]
        text = _glued(before.text, block.text, known)
        page_end = block.last_page if block.last_page != before.page else before.page_end
        joined[target] = replace(before, text=text, page_end=page_end)
    return joined


def _open_paragraph(joined: Sequence[Block], block: Block) -> int | None:
    """The index of the paragraph ``block`` continues, if any: the last text block before
    it, skipping the notes of the page break."""
    if block.cells or block.note or not block.text[:1].islower():
        return None
    index = len(joined) - 1
    while index >= 0 and joined[index].note:
        index -= 1
    if index < 0:
        return None
    before = joined[index]
    if before.cells or before.section != block.section or _SENTENCE_END.search(before.text):
        return None
    return index


def _glued(before: str, after: str, known: frozenset[str]) -> str:
    """Two halves of a paragraph: a word cut at the break joined as at a line end."""
    if before.endswith("-") and before[-2:-1].isalpha() and after[:1].isalpha():
        return join_at_hyphen(before, after, known)
    return f"{before} {after}"
