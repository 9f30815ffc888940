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

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.coverage import Assessment, assess, units_counted
from assistant.day_facts import DayFact, day_fact, run_in_fields
from assistant.listing import (
    ListingQuestion,
    Subject,
    listing_text,
    territory_listing,
    topic_listing,
)
from assistant.relevance import (
    Candidate,
    TermStatistics,
    UniformTerms,
    Vector,
    sentence_candidates,
    too_weak,
)
from assistant.rows import TerritoryRow
from assistant.understanding import Question, as_question
from assistant.verification import Verification, verify
from vectorstore.records import Chunk, Hit
from vectorstore.retrieval.snapshot import Snapshot

REFUSAL = (
    "Les documents indexés ne permettent pas de répondre à cette question. "
    "Voici les passages les plus proches, à vérifier."
)
NOTHING_INDEXED = "Aucun document n'est indexé : lancez d'abord « python -m bilan ingest »."
GAP_INTRO = "Voici ce qu'ils en disent :"
LISTED = "la liste, lue dans les documents"  # what a listing answer gives (assistant.listing)
# A sentence joins the answer when it scores this share of the best one: a sentence of the
# lead's passage more readily (it cites no other passage) than one of another passage
# (README, "How the answer is chosen").
KEEP_RATIO = 0.84
KEEP_RATIO_SAME_PASSAGE = 0.35
# When the best sentence shares under a third of the question's words (an everyday
# paraphrase), the answer is less sure of its lead: other passages' sentences join sooner.
KEEP_RATIO_UNSURE = 0.6
SURE_COVERAGE = 0.3
MAX_SENTENCES = 5  # the lead, the sentences around it that it needs, and the best others
# A sentence that goes on about the one before it (« Il… », « Cette voiture… », « En effet… »):
# shown with it, since alone it says less than it seems (README, "How the answer is chosen").
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_CONTINUES = re.compile(
    r"^(?:Il|Elle|Ils|Elles|Ce|Cette|Ces|Cet|Son|Sa|Ses|Leur|Leurs|Celui|Celle|Ceux|Celles|On|Lui|Là"
    r"|Cela|Ceci|Ainsi|Alors|Puis|Mais|En effet|De plus|Toutefois|Cependant|Pourtant|Le lendemain|Après"
    r"|Ensuite|Enfin|Depuis)\b"
)


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
    # The sentence saying what the documents do not give (« Les documents ne donnent pas le
    # nombre d'habitants de … »), which opens a partial answer; "" when the answer gives it.
    gap: str = ""
    # What the answer was checked to give (« le montant », « le nom de la personne »); "" when
    # the question asked for nothing a sentence can be checked for (an explanation, a list).
    checked: str = ""

    @property
    def partial(self) -> bool:
        """Whether the answer says the documents do not give the thing asked, and shows what
        they do say."""
        return bool(self.gap) and not self.refused

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "partial": self.partial,
            "citations": [citation.to_dict() for citation in self.citations],
            "verification": self.verification.to_dict(),
        }
        extra = {"notice": self.notice, "gap": self.gap, "checked": self.checked}
        return data | {key: value for key, value in extra.items() if value}

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
                paraphrased=bool(check.get("paraphrased", False)),
            ),
            str(data.get("notice", "")),
            str(data.get("gap", "")),
            str(data.get("checked", "")),
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


def _select(
    candidates: Sequence[Candidate], hits: Sequence[Hit], max_sentences: int, lead: Candidate | None = None
) -> list[Candidate]:
    """The lead sentence (``lead``, the sentence that gives the thing asked, or the best),
    the sentences next to it that it needs (``_context``), then the best others: nearly as
    good as the best one (with sentence vectors), or covering at least half as much of the
    question (words alone); ``max_sentences`` besides the context, ``MAX_SENTENCES`` in all.

    When they all come from one kind of document (report or notes) and the other
    kind has a sentence nearly as good (three quarters of the best coverage, and
    half the own words of the sentence it would replace), its best one replaces
    the last choice: the answer can then say how the report and the notes relate.
    """
    best = sorted(candidates, key=lambda c: -c.score)
    lead = lead or best[0]
    if best[0].meaning:  # words and meaning: sentences scoring nearly as well as the best
        top = best[0].score
        other = KEEP_RATIO if best[0].coverage >= SURE_COVERAGE else KEEP_RATIO_UNSURE
        qualifying = [
            c
            for c in best
            if c.score >= (KEEP_RATIO_SAME_PASSAGE if c.hit_rank == lead.hit_rank else other) * top
        ]
    else:
        qualifying = [c for c in best if c.coverage >= best[0].coverage / 2]
    qualifying = [lead, *(c for c in qualifying if c is not lead)]
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
    context = [c for c in _context(lead, candidates, hits) if c.sentence not in {x.sentence for x in chosen}]
    return [chosen[0], *context, *chosen[1:]][:MAX_SENTENCES]


def _context(lead: Candidate, candidates: Sequence[Candidate], hits: Sequence[Hit]) -> list[Candidate]:
    """The sentences of the lead's passage it needs: the one before when the lead goes on
    about it (« Cette voiture marque… »), the one after when it goes on about the lead
    (« Il est remplacé par… » then « Le général Leclerc meurt… » does not, « Il meurt… » does)
    or when the lead ends by announcing it (« … : »)."""
    sentences = hits[lead.hit_rank].chunk.sentences
    if hits[lead.hit_rank].chunk.cells:
        return []
    known = {(c.hit_rank, c.position): c for c in candidates}

    def at(position: int) -> Candidate:
        return known.get((lead.hit_rank, position)) or Candidate(
            0.0, 0.0, 0.0, lead.hit_rank, position, sentences[position]
        )

    found = []
    if lead.position > 0 and _CONTINUES.match(lead.sentence):
        found.append(at(lead.position - 1))
    following = lead.position + 1
    if following < len(sentences) and (
        _CONTINUES.match(sentences[following]) or lead.sentence.rstrip().endswith(":")
    ):
        found.append(at(following))
    return found


def compose_answer(
    question: str | Question,
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

    The answer is then checked against what was asked (``coverage.assess``): the sentence
    that gives the thing asked leads; when none does, the answer says first what the
    documents do not give, then what they say (a partial answer).

    A listing question is answered as a list when the passages (or, for the
    territories, ``rows``: every row of the participants tables) give one; the
    territories' rows are authoritative, so they need not pass the evidence gate.
    """
    asked = as_question(question)
    if not hits:
        return Answer(asked.text, NOTHING_INDEXED, (), refused=True)
    listing = asked.listing
    if listing and rows and listing.subject is Subject.TERRITORIES:
        listed = listing_answer(asked.text, listing, hits, rows)
        if listed is not None:
            return listed
    stats = stats or UniformTerms()
    question_terms = set(asked.terms)
    usable = question_terms or question_vector is not None
    candidates = (
        sentence_candidates(question_terms, hits, stats, question_vector, asked.kind) if usable else []
    )
    if too_weak(candidates, question_terms, stats):
        return refusal(asked.text, hits)
    if listing:
        listed = listing_answer(asked.text, listing, hits)
        if listed is not None:
            return listed
    check = assess(asked, candidates, hits, stats, counted_in(stats, hits))
    chosen = _select(candidates, hits, max_sentences, check.lead)
    # The sentence that answers best leads; then its passage's others and the other
    # passages', each passage in reading order.
    lead = chosen[0]
    passage_order = {rank: i for i, rank in enumerate(dict.fromkeys(c.hit_rank for c in chosen))}
    chosen = [lead, *sorted(chosen[1:], key=lambda c: (passage_order[c.hit_rank], c.position))]
    fact = day_fact(asked.kind, asked.target.focus, asked.day, [hit.chunk for hit in hits])
    if fact is not None:
        return _day_fact_answer(asked, fact, chosen, hits, check.checked)
    return _sentences_answer(asked, chosen, hits, check)


def _sentences_answer(
    asked: Question, chosen: Sequence[Candidate], hits: Sequence[Hit], check: Assessment
) -> Answer:
    """The chosen sentences, each cited; a partial answer says first what is missing."""
    numbers: dict[int, int] = {}
    parts = []
    for candidate in chosen:
        n = numbers.setdefault(candidate.hit_rank, len(numbers) + 1)
        parts.append(f"{without_run_in_label(candidate.sentence)} [{n}]")
    citations = tuple(citation_for(n, hits[rank]) for rank, n in numbers.items())
    passages = {citation.n: citation.text for citation in citations}
    if check.lead is None:  # partial: what is missing first, then what the documents say
        body, verified = verify("\n".join(f"- {_BULLET.sub('', part)}" for part in parts), passages)
        text = f"{check.gap} {GAP_INTRO}\n{body}"
        return Answer(asked.text, text, citations, verification=verified, gap=check.gap)
    text, verified = verify(" ".join(parts), passages)
    return Answer(asked.text, text, citations, verification=verified, checked=check.checked)


def _day_fact_answer(
    asked: Question, fact: DayFact, chosen: Sequence[Candidate], hits: Sequence[Hit], checked: str
) -> Answer:
    """The day's fact as the lead sentence, cited to the passage of its fields; then the
    sentences chosen, but for lines of fields and table rows (glued labels, no sentence)."""
    numbers = {fact.rank: 1}
    parts = [f"{fact.sentence} [1]"]
    for candidate in chosen:
        if run_in_fields(candidate.sentence) or hits[candidate.hit_rank].chunk.cells:
            continue
        n = numbers.setdefault(candidate.hit_rank, len(numbers) + 1)
        parts.append(f"{without_run_in_label(candidate.sentence)} [{n}]")
    citations = tuple(citation_for(n, hits[rank]) for rank, n in numbers.items())
    text, verified = verify(" ".join(parts), {citation.n: citation.text for citation in citations})
    return Answer(asked.text, text, citations, verification=verified, checked=checked or asked.kind.value)


# « Leviers identifiés. Les participants ont retenu… »: a run-in label of a few words, kept
# with its sentence when the text was cut into sentences, is not said in an answer.
_RUN_IN_LABEL = re.compile(r"^(?:\*\*)?(?P<label>[^.:;!?\d*]{3,40}?)(?:\*\*)?\.(?:\*\*)?\s+(?=[A-ZÀ-ÖØ-Ý«])")
_RUN_IN_LABEL_WORDS = 4


def without_run_in_label(sentence: str) -> str:
    """``sentence`` without the run-in label that opens it (still a verbatim part of it)."""
    match = _RUN_IN_LABEL.match(sentence)
    if match is None or len(match.group("label").split()) > _RUN_IN_LABEL_WORDS:
        return sentence
    return sentence[match.end() :]


_COUNTED: dict[str, frozenset[str]] = {}  # units counted by the documents, per store revision


def counted_in(stats: TermStatistics, hits: Sequence[Hit]) -> frozenset[str]:
    """The units the documents count (``coverage.units_counted``): every passage of the
    snapshot's revision, computed once per revision; without a snapshot, the passages given."""
    if not isinstance(stats, Snapshot):
        return units_counted(hit.chunk.text for hit in hits)
    if stats.revision not in _COUNTED:
        if len(_COUNTED) >= 4:
            _COUNTED.pop(next(iter(_COUNTED)))
        _COUNTED[stats.revision] = units_counted(chunk.text for chunk in stats.chunks)
    return _COUNTED[stats.revision]


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
    return Answer(question, text, citations, verification=check, checked=LISTED)


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
