"""Which lines of a PDF page are headings: pure, lines in, levels and titles out.

A designed report marks its headings by number (« 2.1 », « 2- »), by size, or by bold type
alone in the body's size; it also sets in large type what is no heading: a key figure
(« 898 »), an ornament (a 60-point « + »), the rest of a sentence, a formula.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.layout import Line
from ingest.structure import numbered_heading_level

_WORD = re.compile(r"[^\W\d_]{2,}")
LARGE_TYPE = 1.6  # type this many times the body's is display type: a key figure, an ornament


def cover_title(first_page: Sequence[Line], fallback: str) -> str:
    """The first page's largest text, its lines joined when it stands out from the rest (a
    cover title set on two lines)."""
    if not first_page:
        return fallback
    largest = max(line.size for line in first_page)
    start = next(n for n, line in enumerate(first_page) if line.size == largest)
    lines = [first_page[start]]
    stands_out = largest > min(line.size for line in first_page)
    for line in first_page[start + 1 :]:
        if not stands_out or line.size != largest or not 0 < lines[-1].y - line.y <= 2 * largest:
            break
        lines.append(line)
    return " ".join(line.text for line in lines)


def is_ornament(line: Line, body: float) -> bool:
    """A glyph drawn large with no letter or digit (a « + » of 60 points between two lines)."""
    return line.size >= LARGE_TYPE * body and not any(char.isalnum() for char in line.text)


def heading_level(line: Line, levels: dict[float, int]) -> int | None:
    numbered = numbered_heading_level(line.text)
    if numbered is not None:
        return numbered
    if (
        line.size in levels
        and len(line.text) <= 120
        and not line.text.endswith((".", ",", ";", ":"))
        and _WORD.search(line.text)  # a key figure in large type (« 898 », « x3 ») is text
        and not line.text[:1].islower()  # the rest of a sentence set in larger type
    ):
        return levels[line.size]
    return None


BOLD_HEADING_LEVEL = 6  # under every numbered or larger heading


def is_bold_heading(group: Sequence[Line], after: Sequence[Line] | None, body_size: float) -> bool:
    """A paragraph of one short bold line that ends like no sentence, above text that is not
    bold: a heading in the body's size (« L’Éco-prêt à taux zéro (éco-PTZ) »), not smaller."""
    line = group[0]
    return (
        len(group) == 1
        and line.bold
        and line.size >= 0.9 * body_size
        and len(line.text) <= 100
        and not line.text.endswith((".", ",", ";", ":", "!", "?"))
        and line.text[:1].isupper()
        and _WORD.search(line.text) is not None
        and "=" not in line.text  # a formula set in bold
        and after is not None
        and not after[0].bold
    )


def wraps(heading: Line, line: Line, body_size: float) -> bool:
    """Whether ``line``, right under a heading in its paragraph, goes on with it: the same
    type, larger than the body's (or bold like it), short, and no heading of its own."""
    styled = line.size > body_size or (line.bold and heading.bold)
    return (
        line.size == heading.size
        and line.bold == heading.bold
        and styled
        and len(line.text) <= 80
        and numbered_heading_level(line.text) is None
    )
