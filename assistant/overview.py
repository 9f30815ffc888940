"""Content that helps people find their way: levers and difficulties per day, a glossary,
a guided tour of the report's parts, and a timeline of the days.

Built from answers and chunks (no I/O here): the engine computes it once per store
revision, right after ingestion, and keeps it in the store so the pages open at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.answering import Answer, Citation, citation_for
from assistant.rows import TerritoryRow
from assistant.verification import verify
from vectorstore.french_text import split_sentences
from vectorstore.records import Chunk, Hit

Ask = Callable[[str], Answer]

GLOSSARY = (
    ("Communauté apprenante", "Qu'est-ce qu'une communauté apprenante ?"),
    ("Logique d'alliance", "Qu'est-ce que la logique d'alliance ?"),
    ("Conduite du changement systémique", "Qu'est-ce que la conduite du changement systémique ?"),
    ("Codéveloppement", "Qu'est-ce que le codéveloppement ?"),
    ("Pair-à-pair", "Qu'est-ce que l'apprentissage entre pairs ?"),
)
SUGGESTED_QUESTIONS = (
    "Qu'attendaient les territoires de la première journée ?",
    "Quels leviers ont été identifiés lors de la journée 2 ?",
    "Quelles difficultés les territoires ont-ils rencontrées ?",
    "Combien de territoires ont participé aux journées ?",
    "Quel est le coût total du cycle ?",
    "Quelles suites ont été données après les journées ?",
)
_INFO = re.compile(
    r"Date\s*:\s*(?P<date>.+?)\s+Lieu\s*:\s*(?P<place>.+?)\s+Th[èe]me\s*:\s*(?P<theme>.+?)"
    r"(?=\s+Participants\s*:|\s*$)",
    re.DOTALL,
)


@dataclass(frozen=True)
class Topic:
    title: str
    answer: Answer
    day: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "day": self.day, "answer": self.answer.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Topic:
        return cls(data["title"], Answer.from_dict(data["answer"]), data.get("day"))


@dataclass(frozen=True)
class DayCard:
    day: int
    date: str
    place: str
    theme: str
    territories: tuple[str, ...]
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__ | {
            "territories": list(self.territories),
            "citations": [c.to_dict() for c in self.citations],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DayCard:
        return cls(
            data["day"], data["date"], data["place"], data["theme"], tuple(data["territories"]),
            tuple(Citation.from_dict(c) for c in data["citations"]),
        )  # fmt: skip


@dataclass(frozen=True)
class Overview:
    revision: str
    glossary: tuple[Topic, ...]
    tour: tuple[Topic, ...]
    timeline: tuple[DayCard, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "glossary": [t.to_dict() for t in self.glossary],
            "tour": [t.to_dict() for t in self.tour],
            "timeline": [d.to_dict() for d in self.timeline],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Overview:
        return cls(
            data["revision"],
            tuple(Topic.from_dict(t) for t in data["glossary"]),
            tuple(Topic.from_dict(t) for t in data["tour"]),
            tuple(DayCard.from_dict(d) for d in data["timeline"]),
        )


def build_overview(
    ask: Ask, chunks: Sequence[Chunk], rows: Sequence[TerritoryRow], revision: str
) -> Overview:
    days = sorted({c.session for c in chunks if c.session})
    return Overview(revision, glossary(ask), tour(chunks), timeline(chunks, rows, days))


def glossary(ask: Ask) -> tuple[Topic, ...]:
    """The key notions the documents define (a notion they do not define is left out)."""
    found = ((notion, ask(question)) for notion, question in GLOSSARY)
    return tuple(Topic(notion, answer) for notion, answer in found if not answer.refused)


def tour(chunks: Sequence[Chunk], sentences: int = 3) -> tuple[Topic, ...]:
    """One card per part of the report: its opening sentences, each cited."""
    cards = []
    for part in sorted({c.part for c in chunks if c.part and c.kind == "bilan"}):
        prose = sorted(
            (
                c
                for c in chunks
                if c.part == part and c.kind == "bilan" and not c.cells and not _heading_only(c)
            ),
            key=lambda c: (c.source, c.page_start or 0, c.position),
        )
        if not prose:
            continue
        hits = [Hit(chunk, 1.0) for chunk in prose[:2]]
        parts, used = [], []
        for n, hit in enumerate(hits, start=1):
            for sentence in split_sentences(hit.chunk.text)[: sentences - len(parts)]:
                parts.append(f"{sentence} [{n}]")
                used.append(n)
        citations = tuple(citation_for(n, hits[n - 1]) for n in sorted(set(used)))
        text, check = verify(" ".join(parts), {c.n: c.text for c in citations})
        title = prose[0].section.split(" > ")[0] or f"Partie {part}"
        cards.append(Topic(title, Answer(title, text, citations, verification=check)))
    return tuple(cards)


def _heading_only(chunk: Chunk) -> bool:
    """A passage that is only its own headings (a chapter's title kept as text, with nothing
    of its own under it before its first section): no part's opening."""
    headings = set(chunk.section.split(" > "))
    return all(line.strip() in headings for line in chunk.text.splitlines() if line.strip())


def timeline(
    chunks: Sequence[Chunk], rows: Sequence[TerritoryRow], days: Sequence[int]
) -> tuple[DayCard, ...]:
    """Date, place, theme and territories of each day, from the report's day headers or the
    notes' front matter, with the passages they come from."""
    cards = []
    for day in days:
        date = place = theme = ""
        sources: list[Chunk] = []
        that_day = sorted(
            (c for c in chunks if c.session == day and not c.cells),
            key=lambda c: (c.kind != "bilan", c.source, c.page_start or 0, c.position),
        )
        for chunk in that_day:  # the report's day header first, then the notes' front matter
            info = _INFO.search(chunk.text)
            if info and not date:
                date, place, theme = (" ".join(info.group(k).split()) for k in ("date", "place", "theme"))
                sources.append(chunk)
            extra = dict(chunk.extra)
            if chunk.kind == "notes" and extra.get("date") and chunk not in sources and len(sources) < 2:
                date, place = date or extra["date"], place or extra.get("lieu", "")
                sources.append(chunk)
        territories = tuple(dict.fromkeys(row.territory for row in rows if row.session == day))
        citations = tuple(citation_for(n, Hit(c, 1.0)) for n, c in enumerate(sources, start=1))
        cards.append(DayCard(day, date, place, theme, territories, citations))
    return tuple(cards)
