"""Measures shared by the real-layout tests: the PDFs' text layer and the passages read from them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

import pdfplumber
from pdfplumber.page import Page

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
X_TOLERANCE = 1.5  # Word-like gaps without a space glyph are wider; kerning offsets narrower


class Passage(Protocol):
    """What the tests need of a chunk."""

    text: str
    section: str
    title: str
    page_start: int | None
    page_end: int | None


def flat(text: str) -> str:
    """Whitespace (non-breaking spaces too) made single spaces."""
    return " ".join(text.split())


def squash(text: str) -> str:
    """Text without spaces, line breaks and hyphens: a sentence matches whatever the line breaking."""
    return re.sub(r"[\s\-‐\u00ad]+", "", text)


def word_list(text: str) -> list[str]:
    """The casefolded words and compounds of ``text``, in order, repeated as often as written."""
    return [match.group().casefold() for match in WORD.finditer(text)]


def without_calls(page: Page) -> Page:
    """The page without its note calls and other raised small digits (under 8 points)."""
    return page.filter(lambda obj: not (obj["object_type"] == "char" and obj.get("size", 99) < 8))


def page_text(pdf: pdfplumber.PDF, number: int) -> str:
    """The page's text as pdfplumber lays it out, note calls left out."""
    return without_calls(pdf.pages[number - 1]).extract_text(x_tolerance=X_TOLERANCE) or ""


def _is_head(word: str) -> bool:
    """The first half of a word hyphenated at a line end (« communau- »)."""
    return word.endswith(("-", "\u2010", "\u00ad"))


def printed_words(page: Page) -> list[str]:
    """The page's words as pdfplumber separates them (gaps of 1.5 points and more), calls left out."""
    return [w["text"] for w in without_calls(page).extract_words(x_tolerance=X_TOLERANCE)]


def layer_words(printed: Sequence[str], running: Sequence[str]) -> Counter[str]:
    """A page's words as its text layer writes them, without the first halves of words hyphenated
    at a line end and without the words of its running lines."""
    found = Counter(word for text in printed if not _is_head(text) for word in word_list(text))
    for line in running:
        found.subtract(word_list(line))
    return +found


def hyphen_tails(printed: Sequence[str], vocabulary: set[str]) -> set[str]:
    """Words of the page that are second halves of a word hyphenated at a line end."""
    heads = [word_list(text[:-1])[-1] for text in printed if _is_head(text) and word_list(text[:-1])]
    return {
        tail
        for text in printed
        for tail in word_list(text)
        if any(head + tail in vocabulary or f"{head}-{tail}" in vocabulary for head in heads)
    }


def on_page(passages: Sequence[Passage], number: int) -> list[Passage]:
    return [
        p for p in passages if p.page_start is not None and p.page_start <= number <= (p.page_end or number)
    ]


def passage_words(passages: Sequence[Passage]) -> Counter[str]:
    """Words of passages: their text, section path and document title (shown with each passage)."""
    found: Counter[str] = Counter()
    titles = {passage.title for passage in passages}
    found.update(word for title in titles for word in word_list(title))
    for passage in passages:
        for word in word_list(passage.text) + word_list(passage.section):
            found[word] += 1
            found.update(word.split("-") if "-" in word else ())  # « vingt-sept » cut at its hyphen
    return found


def coverage(layer: Counter[str], read: Counter[str], vocabulary: set[str]) -> tuple[float, list[str]]:
    """Share of the page's words (those the document writes: second halves of hyphenated words
    left out) found in what was read, each occurrence counted; and the words missing."""
    wanted = Counter({word: count for word, count in layer.items() if word in vocabulary})
    missing = wanted - read
    total = sum(wanted.values())
    return (1 - sum(missing.values()) / total if total else 1.0), sorted(missing.elements())


def holding(sentence: str, passages: Sequence[Passage]) -> list[Passage]:
    """The passages holding ``sentence`` whole (whitespace aside)."""
    wanted = flat(sentence)
    return [p for p in passages if wanted in flat(p.text)]


def closest(sentence: str, passages: Sequence[Passage], width: int = 160) -> str:
    """What the passages hold where ``sentence`` should be: the passage holding its longest first
    words, from there, with its page; or the passage holding its longest last words."""
    words = flat(sentence).split()
    for count in range(len(words) - 1, 1, -1):
        for part, at_start in ((" ".join(words[:count]), True), (" ".join(words[-count:]), False)):
            for passage in passages:
                text = flat(passage.text)
                index = text.find(part)
                if index >= 0:
                    start = index if at_start else max(0, index + len(part) - width)
                    pages = f"p. {passage.page_start}-{passage.page_end}"
                    return f"[{pages}, section « {passage.section} »] …{text[start : start + width]}…"
    return "(no passage holds even two of its words in a row)"


def find_words(page: Page, text: str, below: float = 0) -> list[dict]:
    """The page's words (with size and font) that print ``text`` in a row, hyphens and line
    breaks aside; the first such run below ``below``."""
    words = without_calls(page).extract_words(x_tolerance=X_TOLERANCE, extra_attrs=["size", "fontname"])
    wanted = squash(text)
    for start, first in enumerate(words):
        if first["top"] <= below or not wanted.startswith(squash(first["text"])):
            continue
        run = ""
        for end in range(start, len(words)):
            run += squash(words[end]["text"])
            if run == wanted:
                return words[start : end + 1]
            if not wanted.startswith(run):
                break
    raise LookupError(f"« {text} » is not printed on page {page.page_number}")
