"""Extractive answering: retrieved passages in, a short cited French answer out.

Pure functions, no model: the sentences of the retrieved passages that cover
most of the question (idf-weighted terms, close together) are kept (at most a
few), the passage of the best one first and each passage's sentences in reading
order, and marked ``[n]`` with the passage they come from. When no
sentence shares enough with the question, the answer is an honest refusal that
still shows the closest passages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from assistant.verification import Verification, verify
from vectorstore.records import Hit
from vectorstore.text import fold, terms

REFUSAL = (
    "Les documents indexés ne permettent pas de répondre à cette question. "
    "Voici les passages les plus proches, à vérifier."
)
NOTHING_INDEXED = "Aucun document n'est indexé : lancez d'abord « python -m assistant ingest »."

_SENTENCE_END = re.compile(r"(?<=[.!?…»])\s+(?=[«A-ZÀ-ÖØ-Ý0-9\"-])|\n+")
_MIN_COVERAGE = 0.34
_LABEL_WORDS = 3  # a "sentence" this short that ends with a period is a run-in label
_MAX_UNKNOWN = 0.5  # share of the question's weight carried by words no passage contains


class TermStatistics(Protocol):
    """Corpus statistics of analysed terms (the lexical index provides them)."""

    def idf(self, term: str) -> float: ...

    def document_frequency(self, term: str) -> int: ...


class UniformTerms:
    """Every term weighs the same and is assumed known: for tests and empty corpora."""

    def idf(self, term: str) -> float:
        return 1.0

    def document_frequency(self, term: str) -> int:
        return 1


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

    def to_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "source": self.source,
            "page": self.page,
            "section": self.section,
            "text": self.text,
            "score": round(self.score, 4),
            "kind": self.kind,
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


@dataclass(frozen=True)
class _Candidate:
    score: float
    coverage: float
    own_coverage: float  # coverage by the sentence itself, its heading left out
    hit_rank: int
    position: int
    sentence: str


# Sentences addressed to the assistant rather than to readers: document text is
# data, so an instruction found in it is never quoted as an answer.
_INSTRUCTION = re.compile(
    r"\b(?:ignore[rsz]?|oublie[rsz]?|ne tiens? pas compte)\b.{0,40}\b(?:consignes?|instructions?|regles?|"
    r"precedent\w*|ci-dessus)\b"
    r"|\b(?:reponds|repondez|reponde)\b"
    r"|\b(?:tu es|vous etes|en tant qu)\W*(?:un |une |qu )?(?:assistant|ia|intelligence|modele)\b"
    r"|\b(?:system prompt|prompt systeme|instructions systeme)\b"
)


def looks_like_instruction(sentence: str) -> bool:
    """Whether a sentence speaks to the assistant ("ignore les consignes…", "réponds que…")."""
    return bool(_INSTRUCTION.search(fold(sentence)))


# Verbs that frame a question ("quels leviers ont été évoqués ?") say what kind of
# answer is wanted, not what it is about: a sentence is not chosen for holding them.
_FRAMING_TERMS = frozenset(
    terms(
        "évoqué évoquée évoqués évoquées évoquer abordé abordés abordée abordées aborder discuté discutés "
        "discutée discutées discuter mentionné mentionnés mentionnée mentionnées mentionner"
    )
)


def asked_terms(question: str) -> set[str]:
    """The question's analysed terms that a sentence must cover, framing verbs left out
    (unless the question has nothing else)."""
    found = set(terms(question))
    return found - _FRAMING_TERMS or found


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage; a run-in label ("Leviers identifiés.") stays with the
    sentence it introduces, since alone it says nothing."""
    sentences: list[str] = []
    label = ""
    for piece in _SENTENCE_END.split(text):
        part = piece.strip() if piece else ""
        if not part:
            continue
        if _is_label(part):
            label = f"{label} {part}".strip()
            continue
        sentences.append(f"{label} {part}".strip())
        label = ""
    return [*sentences, label] if label else sentences


def _is_label(part: str) -> bool:
    return part.endswith(".") and len(part.split()) <= _LABEL_WORDS and not part[:1].isdigit()


def citation_for(n: int, hit: Hit) -> Citation:
    chunk = hit.chunk
    return Citation(n, chunk.source, chunk.page_label, chunk.section, chunk.text, hit.score, chunk.kind)


def _candidates(question_terms: set[str], hits: Sequence[Hit], stats: TermStatistics) -> list[_Candidate]:
    weight = stats.idf
    total = sum(weight(term) for term in question_terms) or 1.0
    found = []
    for rank, hit in enumerate(hits):
        heading_terms = set(terms(hit.chunk.context))  # "Journée 4 > Difficultés" frames each sentence
        # A table row ("Territoire : X. Attentes : …") answers as a whole.
        sentences = [hit.chunk.text] if hit.chunk.cells else split_sentences(hit.chunk.text)
        for position, sentence in enumerate(sentences):
            if looks_like_instruction(sentence):
                continue
            sentence_terms = terms(sentence)
            shared = question_terms & (set(sentence_terms) | heading_terms)
            if not shared:
                continue
            coverage = sum(weight(term) for term in shared) / total
            own = sum(weight(term) for term in shared & set(sentence_terms)) / total
            closeness = proximity(sentence_terms, question_terms)
            score = coverage + 0.3 * closeness + 0.25 * hit.score + 0.15 / (rank + 1)
            found.append(_Candidate(score, coverage, own, rank, position, sentence))
    return found


def proximity(sentence_terms: Sequence[str], question_terms: set[str]) -> float:
    """How tightly the question's terms sit together in the sentence, in (0, 1].

    The number of distinct question terms found, divided by the length of the
    shortest run of sentence terms holding them all: "47 participants au total"
    scores 1, "le coût total … par participant" much less. 0 when fewer than two
    question terms are in the sentence.
    """
    wanted = question_terms & set(sentence_terms)
    if len(wanted) < 2:
        return 0.0
    best = len(sentence_terms)
    for start, term in enumerate(sentence_terms):
        if term not in wanted:
            continue
        seen: set[str] = set()
        for end in range(start, min(len(sentence_terms), start + best)):
            if sentence_terms[end] in wanted:
                seen.add(sentence_terms[end])
            if seen == wanted:
                best = min(best, end - start + 1)
                break
    return len(wanted) / best


def _unknown_share(question_terms: set[str], stats: TermStatistics) -> float:
    total = sum(stats.idf(term) for term in question_terms) or 1.0
    return sum(stats.idf(term) for term in question_terms if stats.document_frequency(term) == 0) / total


def refusal(question: str, hits: Sequence[Hit]) -> Answer:
    """The honest "the documents do not say", with the closest passages to check."""
    if not hits:
        return Answer(question, NOTHING_INDEXED, (), refused=True)
    closest = tuple(citation_for(n, hit) for n, hit in enumerate(hits[:3], start=1))
    return Answer(question, REFUSAL, closest, refused=True)


def _too_weak(candidates: Sequence[_Candidate], question_terms: set[str], stats: TermStatistics) -> bool:
    return (
        not candidates
        or max(c.coverage for c in candidates) < _MIN_COVERAGE
        or _unknown_share(question_terms, stats) > _MAX_UNKNOWN
    )


def weak_evidence(question: str, hits: Sequence[Hit], stats: TermStatistics | None = None) -> bool:
    """Whether no sentence of ``hits`` covers enough of the question to answer it.

    The same gate as the extractive answer's, so that both modes refuse the same
    questions before any model is asked.
    """
    stats = stats or UniformTerms()
    question_terms = asked_terms(question)
    candidates = _candidates(question_terms, hits, stats) if question_terms else []
    return _too_weak(candidates, question_terms, stats)


def _select(candidates: Sequence[_Candidate], hits: Sequence[Hit], max_sentences: int) -> list[_Candidate]:
    """The best sentences covering at least half as much as the best one.

    When they all come from one kind of document (report or notes) and the other
    kind has a sentence nearly as good (three quarters of the best coverage, and
    half the own words of the sentence it would replace), its best one replaces
    the last choice: the answer can then say how the report and the notes relate.
    """
    best = sorted(candidates, key=lambda c: -c.score)
    qualifying = [c for c in best if c.coverage >= best[0].coverage / 2]
    chosen: list[_Candidate] = []
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
) -> Answer:
    """The extractive answer to ``question`` from ``hits`` (best first).

    A sentence's coverage is the share of the question's terms it (or its
    section heading) contains, each weighted by its idf in ``stats``: a
    sentence naming a frequent territory but none of the rare words asked
    about does not pass for an answer. A question mostly made of words no
    passage contains is refused outright.
    """
    if not hits:
        return Answer(question, NOTHING_INDEXED, (), refused=True)
    stats = stats or UniformTerms()
    question_terms = asked_terms(question)
    candidates = _candidates(question_terms, hits, stats) if question_terms else []
    if _too_weak(candidates, question_terms, stats):
        return refusal(question, hits)
    chosen = _select(candidates, hits, max_sentences)
    # The passage holding the best sentence comes first; within a passage, reading order.
    passage_order = {rank: i for i, rank in enumerate(dict.fromkeys(c.hit_rank for c in chosen))}
    chosen.sort(key=lambda c: (passage_order[c.hit_rank], c.position))
    numbers: dict[int, int] = {}
    parts = []
    for candidate in chosen:
        n = numbers.setdefault(candidate.hit_rank, len(numbers) + 1)
        parts.append(f"{candidate.sentence} [{n}]")
    citations = tuple(citation_for(n, hits[rank]) for rank, n in numbers.items())
    text, check = verify(" ".join(parts), {citation.n: citation.text for citation in citations})
    return Answer(question, text, citations, verification=check)
