"""Headings and section paths, from numbered PDF lines or Markdown '#' lines."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# "2.1 Titre", and "2.1Titre" / "1.Titre" as an office suite's numbering piece glued to its title
# and "2- Titre", "4.5 – Titre" as designers number parts
_NUMBERED_HEADING = re.compile(
    r"^(?P<num>\d{1,2}(?:\.\d{1,2})*)(?P<sep>\.?\s+|\.?(?=[A-ZÀ-ÖØ-Ý«])|\s?[-–]\s*)(?P<title>[A-ZÀ-ÖØ-Ý«].{1,100})$"
)


def heading_text(line: str) -> str:
    """A numbered heading written with one space after its number ("1.1Objectifs" ->
    "1.1 Objectifs", "1.Contexte" -> "1. Contexte"); other lines unchanged."""
    match = _NUMBERED_HEADING.match(line.strip())
    if not match or match["sep"].strip() in ("-", "–"):
        return line
    dot = "." if line.strip()[len(match["num"]) :].startswith(".") else ""
    return f"{match['num']}{dot} {match['title']}"


_PART = re.compile(r"^(\d{1,2})(?:\.|\s)")
_SESSION_IN_TEXT = re.compile(r"\b(?:journ[ée]e|session)\s*(?:n°\s*)?(\d{1,2})\b", re.IGNORECASE)


def numbered_heading_level(line: str) -> int | None:
    """Level of a numbered heading ("2." -> 1, "2.3" -> 2), or None for body text.

    A heading is short, starts with a capital and does not end like a sentence.
    """
    match = _NUMBERED_HEADING.match(line.strip())
    if not match or line.rstrip().endswith((".", ",", ";")):
        return None
    if len(line) > 110 or int(match["num"].split(".")[0]) > 40:
        return None
    return match["num"].count(".") + 1


class SectionPath:
    """The path of headings above the current line ("2. Déroulé > 2.1 Journée 1")."""

    def __init__(self) -> None:
        self._levels: list[tuple[int, str]] = []
        self._written = True  # some text stands under the deepest heading
        self._page: int | None = None  # where the deepest heading stands
        self._bare: list[tuple[str, str, int | None]] = []  # closed with no text under them

    def enter(self, level: int, heading: str, page: int | None = None) -> None:
        if not self._written and self._levels:
            self._bare.append((self._levels[-1][1], self.path, self._page))
        self._levels = [(lvl, text) for lvl, text in self._levels if lvl < level]
        self._levels.append((level, " ".join(heading.split())))
        self._written, self._page = False, page

    def save(self) -> tuple[tuple[int, str], ...]:
        """The path as it stands, to come back to after a box with headings of its own."""
        return tuple(self._levels)

    def restore(self, saved: tuple[tuple[int, str], ...]) -> None:
        self._levels, self._written = list(saved), True

    def wrote(self) -> None:
        """Text was read under the current heading."""
        self._written = True

    def bare_headings(self, *, closing: bool = False) -> list[tuple[str, str, int | None]]:
        """The headings that had no text under them (a cover's lines, a contents page), each
        with its path and page, taken once: text to keep, not a title to drop. ``closing``:
        the document ends, its last heading too."""
        if closing and not self._written and self._levels:
            self._bare.append((self._levels[-1][1], self.path, self._page))
            self._written = True
        bare, self._bare = self._bare, []
        return bare

    def extend(self, more: str, join: Callable[[str, str], str] | None = None) -> None:
        """Continue the deepest heading (its title wrapped onto another line); ``join`` puts
        the two lines together (a word cut at the line end made whole)."""
        if self._levels:
            level, text = self._levels[-1]
            more = " ".join(more.split())
            glue = "" if text.endswith("-") else " "  # « sous- » + « station »
            self._levels[-1] = (level, join(text, more) if join else f"{text}{glue}{more}")

    @property
    def path(self) -> str:
        return " > ".join(text for _, text in self._levels)


def part_from_section(section: str) -> int | None:
    """Number of the top-level part a section path starts in ("3. Résultats > 3.1 ..." -> 3)."""
    match = _PART.match(section)
    return int(match.group(1)) if match else None


def session_from_text(parts: Sequence[str]) -> int | None:
    """Session (day) number named in a section path or file name, if any."""
    for part in reversed(parts):
        match = _SESSION_IN_TEXT.search(part.replace("-", " ").replace("_", " "))
        if match:
            return int(match.group(1))
    return None
