"""Which sentences of the retrieved passages answer a question, and whether any does.

Pure: passages and the question in, scored sentences and a decision out. A sentence's
relevance weighs its coverage of the question's terms (idf-weighted, its section heading
counting with it), how close together the asked words sit, its meaning (the cosine of its
stored vector with the question's), its passage's score and rank, and whether it has the
shape of answer asked (an hour, a date, a sum…: ``answer_kinds``). Whether to answer at all
is a calibrated gate over the best sentence's evidence. Both were fitted on multilingual-e5-small's cosines
(``bench/calibrate.py``, README "Refusals, calibrated"); passages without sentence vectors
keep the word rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from assistant.answer_kinds import AnswerKind, expected_kind, fits
from vectorstore.french_text import fold, terms
from vectorstore.records import Hit
from vectorstore.sentence_vectors import similarities, strength

_MIN_COVERAGE = 0.34  # the word rule, for passages without sentence vectors
# Calibrated on bench/calibrate.py's data (README, "Refusals"); see meaning_strength.
MEANING_FLOOR = 0.78
# Logistic weights of Evidence.values() (meaning, coverage, relevance), then the bias.
GATE = (50.8, 0.15, 2.31, -46.38)
ANSWER_THRESHOLD = 0.10  # the extractive answer's bar (README, "Refusals")
MODEL_THRESHOLD = 0.05  # a language model is asked unless evidence is clearly absent
_MAX_UNKNOWN = 0.5  # share of the question's weight carried by words no passage contains


Vector = Sequence[float] | None  # the question's embedding, when sentence vectors are to be used


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
class Candidate:
    score: float
    coverage: float
    own_coverage: float  # coverage by the sentence itself, its heading left out
    hit_rank: int
    position: int
    sentence: str
    meaning: float = 0.0  # cosine of the sentence's vector with the question's (0: unknown)
    closeness: float = 0.0
    hit_score: float = 0.0
    kind_fit: float = 0.0  # 1: the asked kind of answer given, -1: missing, 0: none asked (answer_kinds)

    def features(self, best_meaning: float) -> np.ndarray:
        """What a sentence's relevance is computed from (``best_meaning``: the highest cosine
        among the question's candidate sentences)."""
        return np.array(
            [
                self.coverage,
                self.own_coverage,
                self.closeness,
                self.hit_score,
                1.0 / (self.hit_rank + 1),
                meaning_strength(self.meaning),
                self.meaning - best_meaning if self.meaning else 0.0,
                self.kind_fit,
            ]
        )


# Weights of ``Candidate.features``. Words alone: the rule measured before sentence vectors.
# With them: a logistic fit of "this sentence holds the answer" (bench/calibrate.py).
WORD_WEIGHTS = np.array([1.0, 0.0, 0.3, 0.25, 0.15, 0.0, 0.0, 0.0])
SENTENCE_WEIGHTS = np.array([1.0, 0.0, 0.3, 0.25, 0.15, 2.0, 0.0, 0.3])


def _scored(candidates: list[Candidate]) -> list[Candidate]:
    """Candidates with their relevance: the weighted features."""
    best = max((c.meaning for c in candidates), default=0.0)
    weights = SENTENCE_WEIGHTS if best else WORD_WEIGHTS
    return [replace(c, score=float(weights @ c.features(best))) for c in candidates]


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


def sentence_candidates(
    question_terms: set[str],
    hits: Sequence[Hit],
    stats: TermStatistics,
    question_vector: Vector = None,
    kind: AnswerKind | None = None,
) -> list[Candidate]:
    """Every sentence that shares a term with the question or, when the passages carry
    sentence vectors, any sentence at all, scored by words, meaning and passage rank."""
    weight = stats.idf
    total = sum(weight(term) for term in question_terms) or 1.0
    found = []
    for rank, hit in enumerate(hits):
        heading_terms = set(terms(hit.chunk.context))  # "Journée 4 > Difficultés" frames each sentence
        sentences = hit.chunk.sentences  # a table row answers as a whole
        meanings = None if question_vector is None else similarities(hit.chunk, question_vector)
        for position, sentence in enumerate(sentences):
            if looks_like_instruction(sentence):
                continue
            sentence_terms = terms(sentence)
            shared = question_terms & (set(sentence_terms) | heading_terms)
            meaning = float(meanings[position]) if meanings is not None else 0.0
            if not shared and meanings is None:
                continue
            coverage = sum(weight(term) for term in shared) / total
            own = sum(weight(term) for term in shared & set(sentence_terms)) / total
            closeness = proximity(sentence_terms, question_terms)
            found.append(
                Candidate(
                    0.0,
                    coverage,
                    own,
                    rank,
                    position,
                    sentence,
                    meaning,
                    closeness,
                    hit.score,
                    fits(kind, sentence),
                )
            )
    return _scored(found)


def meaning_strength(cosine: float) -> float:
    """A sentence's cosine rescaled above the answers' floor (see ``sentence_vectors.strength``)."""
    return float(strength(cosine, MEANING_FLOOR))


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


@dataclass(frozen=True)
class Evidence:
    """What the passages offer a question: its best sentence by meaning (cosine), by words
    (idf-weighted coverage) and by relevance (the sentence score)."""

    meaning: float
    coverage: float
    relevance: float  # the best sentence's relevance score

    def values(self) -> list[float]:
        """What the gate weighs. Not the unknown share: everyday words the documents do not
        use (« l'asso », « démarré ») are what meaning is for."""
        return [self.meaning, self.coverage, self.relevance]

    def strength(self) -> float:
        """Calibrated chance that the passages answer (logistic fit, see bench/calibrate.py)."""
        logit = float(np.dot(GATE[:-1], self.values()) + GATE[-1])
        return 1 / (1 + float(np.exp(-logit)))


def _evidence(candidates: Sequence[Candidate]) -> Evidence:
    return Evidence(
        max((c.meaning for c in candidates), default=0.0),
        max((c.coverage for c in candidates), default=0.0),
        max((c.score for c in candidates), default=0.0),
    )


def too_weak(
    candidates: Sequence[Candidate],
    question_terms: set[str],
    stats: TermStatistics,
    threshold: float | None = None,
) -> bool:
    """Whether to refuse. With sentence vectors, the calibrated gate (at ``threshold``, the
    extractive answer's bar by default); without (passages indexed before them, hand-made
    tests), the word rule alone."""
    if not candidates:
        return True
    if any(c.meaning for c in candidates):
        bar = ANSWER_THRESHOLD if threshold is None else threshold
        return _evidence(candidates).strength() < bar
    return (
        max(c.coverage for c in candidates) < _MIN_COVERAGE
        or _unknown_share(question_terms, stats) > _MAX_UNKNOWN
    )


def scored_sentences(
    question: str, hits: Sequence[Hit], stats: TermStatistics | None = None, question_vector: Vector = None
) -> list[Candidate]:
    """Every candidate sentence with its features and relevance (for calibration)."""
    kind = expected_kind(question)
    return sentence_candidates(asked_terms(question), hits, stats or UniformTerms(), question_vector, kind)


def evidence(
    question: str, hits: Sequence[Hit], stats: TermStatistics | None = None, question_vector: Vector = None
) -> Evidence:
    """The evidence ``hits`` offer ``question`` (for calibration and diagnostics)."""
    stats = stats or UniformTerms()
    question_terms = asked_terms(question)
    found = sentence_candidates(question_terms, hits, stats, question_vector, expected_kind(question))
    return _evidence(found)


def weak_evidence(
    question: str,
    hits: Sequence[Hit],
    stats: TermStatistics | None = None,
    question_vector: Vector = None,
    threshold: float | None = None,
) -> bool:
    """Whether evidence is clearly absent, before a language model is asked: a lower bar than
    the extractive answer's (the model reads whole passages and may decline itself)."""
    stats = stats or UniformTerms()
    question_terms = asked_terms(question)
    candidates = sentence_candidates(question_terms, hits, stats, question_vector, expected_kind(question))
    return too_weak(candidates, question_terms, stats, MODEL_THRESHOLD if threshold is None else threshold)
