"""Pure text clean-up for extracted text: glyphs, hyphenation, running headers.

No I/O here: lists of strings in, lists of strings out, so every rule is tested
exactly on small inputs.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from ingest.hyphenation import SOFT_HYPHEN, keeps_hyphen
from ingest.structure import numbered_heading_level

_GLYPHS = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
    "\u00ad": "",  # soft hyphen
    "\u00a0": " ",  # non-breaking space
    "\u202f": " ",  # narrow non-breaking space
    "\u2009": " ",
    "\u200b": "",
    "\u2010": "-",
    "\u2011": "-",
    "\u2022": "-",  # bullets
    "\u25aa": "-",
    "\u25e6": "-",
    "\uf0b7": "-",
}
_GLYPH_TABLE = str.maketrans(_GLYPHS)
_PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,4}(\s*(/|sur)\s*\d{1,4})?$", re.IGNORECASE)
_HYPHEN_END = re.compile(r"(\w)-$")
_LAST_WORD = re.compile(r"([^\W\d_]+(?:-[^\W\d_]+)*)-$")
_FIRST_WORD = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*['\u2019]?")
_SENTENCE_END = re.compile(r"[.!?:»;]$")


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # symbol fonts' glyphs (Wingdings bullets: U+F06E…)


def normalize_glyphs(text: str, keep_final_soft_hyphen: bool = False) -> str:
    """NFC, ligatures expanded, odd spaces and bullets made plain (a symbol font's
    private-use glyph is a bullet); with ``keep_final_soft_hyphen``, a soft hyphen ending
    the text (a line's last piece, where it marks a cut word) is kept for ``join_lines``."""
    plain = _PRIVATE_USE.sub("-", unicodedata.normalize("NFC", text).translate(_GLYPH_TABLE))
    return plain + SOFT_HYPHEN if keep_final_soft_hyphen and text.endswith(SOFT_HYPHEN) else plain


def _line_shape(line: str) -> str:
    """A line with its digits masked, so "Page 3" and "Page 4" look the same."""
    return re.sub(r"\d+", "#", " ".join(line.split()).casefold())


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line.strip()))


def strip_running_lines(pages: Sequence[Sequence[str]], edge: int = 3) -> list[list[str]]:
    """Remove running headers/footers and page numbers from each page's lines."""
    flags = running_flags(pages, edge)
    return [
        [line for line, running in zip(lines, page_flags, strict=True) if not running]
        for lines, page_flags in zip(pages, flags, strict=True)
    ]


def running_flags(pages: Sequence[Sequence[str]], edge: int = 3) -> list[list[bool]]:
    """For each line of each page, whether it is a running header, footer or page number.

    A line counts as running when its shape (digits masked) appears within the
    first or last ``edge`` lines of at least half of the pages (and of 2 pages
    at least), or of half of the odd pages or of the even pages (a book's left and
    right pages carry different lines), the first page left out of its group's count
    (a title page has none); a bare page number at a page edge is always dropped.
    A short edge line that ends or starts with the page's own number is a footer even on a
    single page. Numbered headings ("2.1 Journée 1", "2.2 Journée 2") share a shape but
    are content, so they are kept.
    """
    edges = [_edge_lines(lines, edge) for lines in pages]
    shapes = [{_line_shape(line) for line in page_edges} for page_edges in edges]
    running = _repeated(shapes) | _repeated(shapes[2::2]) | _repeated(shapes[1::2])
    return [
        [line in set(page_edges) and (_is_running(line, running) or _numbered(line, n)) for line in lines]
        for n, (lines, page_edges) in enumerate(zip(pages, edges, strict=True), start=1)
    ]


def _numbered(line: str, page: int) -> bool:
    """A short line at the page's edge that ends or starts with the page's own number
    (« Guide de l'accompagnement — édition 2025 — 3 » on page 3): a footer, even printed once."""
    words = line.split()
    return (
        2 <= len(words) <= 12 and str(page) in (words[0], words[-1]) and numbered_heading_level(line) is None
    )


def _repeated(pages: Sequence[set[str]]) -> set[str]:
    """The shapes found on at least half of ``pages``, and on 2 of them at least."""
    counts = Counter(shape for page in pages for shape in page)
    threshold = max(2, (len(pages) + 1) // 2)
    return {shape for shape, count in counts.items() if count >= threshold}


def _is_running(line: str, running_shapes: set[str]) -> bool:
    if is_page_number(line):
        return True
    return _line_shape(line) in running_shapes and numbered_heading_level(line) is None


def _edge_lines(lines: Sequence[str], edge: int) -> list[str]:
    non_empty = [line for line in lines if line.strip()]
    return non_empty[:edge] + non_empty[-edge:]


def join_lines(lines: Sequence[str], known: frozenset[str] = frozenset()) -> str:
    """Rebuild running text from extracted lines.

    A word cut at a line end is joined: always after a soft hyphen, after a hyphen
    unless the two pieces form a compound (``hyphenation.keeps_hyphen``, decided from
    ``known``, the document's vocabulary, then a French word list): « maté- » + « riel »
    gives « matériel », « centre- » + « bourg » gives « centre-bourg ». A line that ends a
    sentence keeps its line break (a likely paragraph end); other lines are joined with a
    space.
    """
    text = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if not text:
            text = line
        elif text.endswith(SOFT_HYPHEN):
            text = text[:-1] + line
        elif _HYPHEN_END.search(text) and line[:1].isalpha():
            text = join_at_hyphen(text, line, known)
        elif _SENTENCE_END.search(text) and not (line[:1].islower() and text[-1] in "»."):
            text += "\n" + line  # a likely paragraph end; « coopération »\nadressée goes on
        else:
            text += " " + line
    return text.replace(SOFT_HYPHEN, "")


def join_at_hyphen(text: str, line: str, known: frozenset[str]) -> str:
    """``text`` ending with a hyphen, followed by ``line``: one word cut, or a compound."""
    head, tail = _LAST_WORD.search(text), _FIRST_WORD.match(line)
    if head and tail and not keeps_hyphen(head.group(1), tail.group(), known):
        return text[:-1] + line  # a cut word
    return text + line  # a compound keeps its hyphen
