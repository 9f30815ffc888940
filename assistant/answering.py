"""Extractive answering: retrieved passages in, a short cited French answer out.

Pure functions, no model: the sentences that answer best (scored in ``relevance.py``) are
kept, at most a few, the best one first, then each passage's in reading order, and marked
``[n]`` with the passage they come from. When the evidence is too weak, the answer is an
honest refusal that still shows the closest passages.

A question asking for a list (``listing.listing_question``: the territories' expectations
or follow-ups, the levers, the difficulties) is answered as one: a lead sentence, then
one « - item [n] » line per item, each item verified as a claim of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.answer_kinds import expected_kind
from assistant.listing import (
    ListingQuestion,
    Subject,
    listing_question,
    listing_text,
    territory_listing,
    topic_listing,
)
from assistant.relevance import (
    Candidate,
    TermStatistics,
    UniformTerms,
    Vector,
    asked_terms,
    sentence_candidates,
    too_weak,
)
from assistant.rows import TerritoryRow
from assistant.verification import Verification, verify
from vectorstore.records import Chunk, Hit

REFUSAL = (
    "Les documents indexés ne permettent pas de répondre à cette question. "
    "Voici les passages les plus proches, à vérifier."
)
NOTHING_INDEXED = "Aucun document n'est indexé : lancez d'abord « python -m bilan ingest »."
KEEP_RATIO = 0.8  # a sentence joins the answer when it scores this share of the best one


@dataclass(frozen=True)
class Citation:
    """A passage an answer cites, numbered as in the answer's ``[n]`` markers."""

    n: int
    source: str
    page: str
    section: str
    text: str
    score: float
    kind: str
    first_page: int | None = None  # the number ``page`` starts with; None for notes

    def to_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "source": self.source,
            "page": self.page,
            "section": self.section,
            "text": self.text,
            "score": round(self.score, 4),
            "kind": self.kind,
            "first_page": self.first_page,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Citation:
        return cls(
            int(data["n"]),
            data["source"],
            data["page"],
            data["section"],
            data["text"],
            data["score"],
            data["kind"],
            data.get("first_page"),
        )


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    citations: tuple[Citation, ...]
    refused: bool = False
    verification: Verification = field(default_factory=lambda: Verification((), 0, ()))
    notice: str = ""  # one line to show first, e.g. why the language model's answer is missing

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "citations": [citation.to_dict() for citation in self.citations],
            "verification": self.verification.to_dict(),
        }
        return (data | {"notice": self.notice}) if self.notice else data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        """The answer ``to_dict`` wrote (for answers cached on disk)."""
        check = data.get("verification") or {}
        return cls(
            data["question"],
            data["answer"],
            tuple(Citation.from_dict(c) for c in data["citations"]),
            bool(data["refused"]),
            Verification(
                tuple(check.get("cited_passages", ())),
                int(check.get("removed_markers", 0)),
                tuple(check.get("unsupported_sentences", ())),
                int(check.get("removed_quotes", 0)),
            ),
            str(data.get("notice", "")),
        )


def citation_for(n: int, hit: Hit) -> Citation:
    chunk = hit.chunk
    return Citation(
        n, chunk.source, chunk.page_label, chunk.section, chunk.text, hit.score, chunk.kind, chunk.page_start
    )


def refusal(question: str, hits: Sequence[Hit]) -> Answer:
    """The honest "the documents do not say", with the closest passages to check."""
    if not hits:
        return Answer(question, NOTHING_INDEXED, (), refused=True)
    closest = tuple(citation_for(n, hit) for n, hit in enumerate(hits[:3], start=1))
    return Answer(question, REFUSAL, closest, refused=True)


def _select(candidates: Sequence[Candidate], hits: Sequence[Hit], max_sentences: int) -> list[Candidate]:
    """The best sentences: nearly as good as the best one (with sentence vectors), or
    covering at least half as much of the question (words alone).

    When they all come from one kind of document (report or notes) and the other
    kind has a sentence nearly as good (three quarters of the best coverage, and
    half the own words of the sentence it would replace), its best one replaces
    the last choice: the answer can then say how the report and the notes relate.
    """
    best = sorted(candidates, key=lambda c: -c.score)
    if best[0].meaning:  # words and meaning: sentences scoring nearly as well as the best
        qualifying = [c for c in best if c.score >= KEEP_RATIO * best[0].score]
    else:
        qualifying = [c for c in best if c.coverage >= best[0].coverage / 2]
    chosen: list[Candidate] = []
    for candidate in qualifying:
        if len(chosen) < max_sentences and candidate.sentence not in {c.sentence for c in chosen}:
            chosen.append(candidate)
    kinds = {hits[c.hit_rank].chunk.kind for c in chosen}
    other = [
        c
        for c in qualifying
        if hits[c.hit_rank].chunk.kind not in kinds
        and c.coverage >= 0.75 * best[0].coverage
        and c.own_coverage >= chosen[-1].own_coverage / 2
    ]
    if len(kinds) == 1 and other and len(chosen) > 1:
        chosen[-1] = other[0]
    return chosen


def compose_answer(
    question: str,
    hits: Sequence[Hit],
    max_sentences: int = 3,
    stats: TermStatistics | None = None,
    question_vector: Vector = None,
    *,
    rows: Sequence[TerritoryRow] = (),
) -> Answer:
    """The extractive answer to ``question`` from ``hits`` (best first).

    A sentence's relevance combines its coverage (the share of the question's
    terms it or its section heading contains, each weighted by its idf in
    ``stats``: a sentence naming a frequent territory but none of the rare
    words asked about does not pass for an answer), its meaning (the cosine
    of its stored vector with ``question_vector``) and its passage's rank.
    The answer is refused when the calibrated evidence is too weak.

    A listing question is answered as a list when the passages (or, for the
    territories, ``rows``: every row of the participants tables) give one; the
    territories' rows are authoritative, so they need not pass the evidence gate.
    """
    if not hits:
        return Answer(question, NOTHING_INDEXED, (), refused=True)
    asked = listing_question(question)
    if asked and rows and asked.subject is Subject.TERRITORIES:
        listed = listing_answer(question, asked, hits, rows)
        if listed is not None:
            return listed
    stats = stats or UniformTerms()
    question_terms = asked_terms(question)
    usable = question_terms or question_vector is not None
    kind = expected_kind(question)
    candidates = sentence_candidates(question_terms, hits, stats, question_vector, kind) if usable else []
    if too_weak(candidates, question_terms, stats):
        return refusal(question, hits)
    if asked:
        listed = listing_answer(question, asked, hits)
        if listed is not None:
            return listed
    chosen = _select(candidates, hits, max_sentences)
    # The sentence that answers best leads; then its passage's others and the other
    # passages', each passage in reading order.
    lead = chosen[0]
    passage_order = {rank: i for i, rank in enumerate(dict.fromkeys(c.hit_rank for c in chosen))}
    chosen = [lead, *sorted(chosen[1:], key=lambda c: (passage_order[c.hit_rank], c.position))]
    numbers: dict[int, int] = {}
    parts = []
    for candidate in chosen:
        n = numbers.setdefault(candidate.hit_rank, len(numbers) + 1)
        parts.append(f"{candidate.sentence} [{n}]")
    citations = tuple(citation_for(n, hits[rank]) for rank, n in numbers.items())
    text, check = verify(" ".join(parts), {citation.n: citation.text for citation in citations})
    return Answer(question, text, citations, verification=check)


def listing_answer(
    question: str, asked: ListingQuestion, hits: Sequence[Hit], rows: Sequence[TerritoryRow] = ()
) -> Answer | None:
    """The list ``asked`` from the passages (and the table rows), or None when they give none."""
    chunks = [hit.chunk for hit in hits]
    if asked.subject is Subject.TERRITORIES:
        listing = territory_listing(asked, chunks, [row_chunk(row) for row in rows])
    else:
        listing = topic_listing(asked, chunks)
    if listing is None:
        return None
    pool = [*hits, *(Hit(row_chunk(row), 1.0) for row in rows)]
    numbers: dict[int, int] = {}  # source index -> marker, in order of first appearance
    for item in listing.items:
        for source in item.sources:
            numbers.setdefault(source, len(numbers) + 1)
    citations = tuple(citation_for(n, pool[source]) for source, n in numbers.items())
    text, check = verify(listing_text(listing, numbers), {c.n: c.text for c in citations})
    return Answer(question, text, citations, verification=check)


def row_chunk(row: TerritoryRow) -> Chunk:
    """A table row as the passage it was indexed as (« Territoire : X. Attentes : … »)."""
    return Chunk(
        text=" ".join(f"{name} : {_with_period(value)}" for name, value in row.columns),
        doc_id=row.source,
        source=row.source,
        kind=row.kind,
        section=row.section,
        page_start=row.first_page,
        page_end=row.last_page,
        session=row.session,
        territory=row.territory,
        cells=row.columns,
    )


def _with_period(value: str) -> str:
    return value if value.endswith((".", "!", "?", "…")) else value + "."
