"""The levers registry: every lever and difficulty the documents name, listed once.

Pure: the indexed chunks (whose ``levers`` were found at ingestion, ``ingest.levers``)
and the known territory names in, ``LeverEntry`` items out. The same lever named by
the report and by the notes (« le tirage au sort pour diversifier les profils », « Le
tirage au sort … a été retenu »), or in near words (« la peur de montrer aux élus une
carte », « la crainte de présenter aux élus une carte »: the chat listings' rule,
``assistant.same_thing``), becomes one entry with its days, the territories that raised
it and every citation; ``filter_levers`` narrows the list for the « Leviers » tab.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.names import mentions
from assistant.same_thing import same_thing, shared_share
from vectorstore.french_text import fold, terms
from vectorstore.records import DIFFICULTY, LEVER, Chunk, LeverMention

__all__ = ["DIFFICULTY", "LEVER", "LeverEntry", "LeverSource", "build_registry", "filter_levers"]

KIND_LABELS = {LEVER: "Levier", DIFFICULTY: "Difficulté"}
_PART_WORDS = 16
_COVER = 0.6  # share of a name's words another mention must hold to be the same lever


@dataclass(frozen=True)
class LeverSource:
    """Where a lever is named: the document, its page, section and day, and the words."""

    source: str
    page: str
    section: str
    text: str
    day: int | None = None
    doc_kind: str = "bilan"

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class LeverEntry:
    kind: str  # LEVER or DIFFICULTY
    name: str
    days: tuple[int, ...]
    territories: tuple[str, ...]
    sources: tuple[LeverSource, ...]

    @property
    def label(self) -> str:
        """The name as shown, with its capital."""
        return self.name[:1].upper() + self.name[1:]

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "name": self.name,
            "days": list(self.days),
            "territories": list(self.territories),
            "sources": [source.to_dict() for source in self.sources],
        }


@dataclass
class _Group:
    kind: str
    mentions: list[tuple[LeverMention, Chunk]]

    @property
    def doc_ids(self) -> set[str]:
        return {chunk.doc_id for _, chunk in self.mentions}


def known_territories(chunks: Iterable[Chunk], table_territories: Iterable[str] = ()) -> list[str]:
    """The territory names the corpus knows: its tables' and its notes' front matter."""
    names = list(table_territories)
    for chunk in chunks:
        listed = dict(chunk.extra).get("territoires", "")
        names += [name.strip() for name in listed.split(",") if name.strip()]
    return list(dict.fromkeys(names))


def build_registry(chunks: Sequence[Chunk], territories: Sequence[str] = ()) -> list[LeverEntry]:
    """One entry per lever or difficulty, near-duplicates across documents merged; the
    report's mentions first, then by day and order of appearance."""
    ordered = sorted(
        (chunk for chunk in chunks if chunk.levers),
        key=lambda c: (c.kind != "bilan", c.source, c.page_start or 0, c.position),
    )
    groups: list[_Group] = []
    for chunk in ordered:
        for mention in chunk.levers:
            group = _closest(groups, mention, chunk)
            if group is None:
                groups.append(_Group(mention.kind, [(mention, chunk)]))
            else:
                group.mentions.append((mention, chunk))
    entries = _one_per_name([_entry(group, territories) for group in groups])
    return sorted(entries, key=lambda e: (e.days[0] if e.days else 99, e.kind != LEVER))


def _closest(groups: Sequence[_Group], mention: LeverMention, chunk: Chunk) -> _Group | None:
    """The group naming the same lever in another document, if any (the best covered; one
    in near words only when none is covered), or by the same name in this one."""
    best, best_score = None, (0, 0.0)
    for group in groups:
        if group.kind != mention.kind:
            continue
        if chunk.doc_id in group.doc_ids:
            if any(fold(other.name) == fold(mention.name) for other, _ in group.mentions):
                return group
            continue
        score = max(_similarity(mention, other) for other, _ in group.mentions)
        if score > best_score:
            best, best_score = group, score
    return best


def _similarity(first: LeverMention, second: LeverMention) -> tuple[int, float]:
    """(2, cover) when one's name words are found in the other (``_cover``); (1, share)
    when both their names and their sentences are near-duplicates (``same_thing``: « peur de
    montrer aux élus une carte », « crainte de présenter aux élus une carte »); (0, 0) else."""
    cover = _cover(first, second)
    if cover:
        return 2, cover
    names = set(terms(first.name)), set(terms(second.name))
    if same_thing(*names) and same_thing(set(terms(first.text)), set(terms(second.text))):
        return 1, shared_share(*names)
    return 0, 0.0


def _cover(first: LeverMention, second: LeverMention) -> float:
    """How well each names the other: the share of one's name words found in the other's
    name or text (0 when fewer than two words, or one single word, are shared)."""
    scores = []
    for one, other in ((first, second), (second, first)):
        name = set(terms(one.name))
        if not name:
            continue
        # another's text counts when it is a part naming one lever, not a whole sentence
        # naming several (« Outre A et B, … : C »)
        text = other.text if len(other.text.split()) <= _PART_WORDS else ""
        shared = name & (set(terms(other.name)) | set(terms(text)))
        cover = len(shared) / len(name)
        if cover >= _COVER and (len(shared) >= 2 or len(name) == 1):
            scores.append(cover)
    if fold(first.name) == fold(second.name):
        scores.append(1.0)
    return max(scores, default=0.0)


def _one_per_name(entries: Sequence[LeverEntry]) -> list[LeverEntry]:
    """Entries of one kind and name (accents and case ignored) merged: the « Levier » menu
    names each entry by its kind and name."""
    merged: dict[tuple[str, str], LeverEntry] = {}
    for entry in entries:
        key = (entry.kind, fold(entry.name))
        if (first := merged.get(key)) is None:
            merged[key] = entry
            continue
        merged[key] = LeverEntry(
            entry.kind,
            first.name,
            tuple(sorted({*first.days, *entry.days})),
            tuple(dict.fromkeys((*first.territories, *entry.territories))),
            (*first.sources, *entry.sources),
        )
    return list(merged.values())


def _entry(group: _Group, territories: Sequence[str]) -> LeverEntry:
    names = [mention.name for mention, _ in group.mentions]
    sentence_like = [name for name in names if len(name.split()) <= 9]
    name = min(sentence_like or names, key=lambda n: (len(n.split()) < 2, len(n)))
    days = sorted({chunk.session for _, chunk in group.mentions if chunk.session is not None})
    raised = [
        territory
        for territory in territories
        if any(
            mentions(m.text, territory) or mentions(_leaf(c.section), territory) for m, c in group.mentions
        )
    ]
    sources = tuple(
        LeverSource(
            chunk.source,
            str(mention.page) if mention.page is not None else chunk.page_label,
            chunk.section,
            mention.text,
            chunk.session,
            chunk.kind,
        )
        for mention, chunk in group.mentions
    )
    return LeverEntry(group.kind, name, tuple(days), tuple(dict.fromkeys(raised)), sources)


def _leaf(section: str) -> str:
    return section.rsplit(" > ", maxsplit=1)[-1]


def filter_levers(
    entries: Sequence[LeverEntry],
    query: str = "",
    day: int | None = None,
    territory: str | None = None,
    kind: str | None = None,
) -> list[LeverEntry]:
    """The entries that hold every word of ``query`` (accents and case ignored, a plural
    finding its singular) in their name, territories or sentences, of the day, territory and
    kind asked (None: any)."""
    wanted = fold(query).split()
    chosen = []
    for entry in entries:
        if kind and entry.kind != kind:
            continue
        if day is not None and day not in entry.days:
            continue
        if territory and territory not in entry.territories:
            continue
        haystack = fold(" ".join([entry.name, *entry.territories, *(s.text for s in entry.sources)]))
        if all(_found(word, haystack) for word in wanted):
            chosen.append(entry)
    return chosen


def _found(word: str, haystack: str) -> bool:
    """``word`` in ``haystack``, or its singular: « élus » finds « un élu des Monts »."""
    return word in haystack or (len(word) > 3 and word[-1] in "sx" and word[:-1] in haystack)
