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
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np

from assistant.verification import Verification, verify
from vectorstore.records import Hit
from vectorstore.sentence_vectors import sentence_matrix
from vectorstore.text import fold, terms

REFUSAL = (
    "Les documents indexés ne permettent pas de répondre à cette question. "
    "Voici les passages les plus proches, à vérifier."
)
NOTHING_INDEXED = "Aucun document n'est indexé : lancez d'abord « python -m assistant ingest »."

_MIN_COVERAGE = 0.34  # the word rule, for passages without sentence vectors
# Calibrated on bench/calibrate.py's data (README, "Refusals"); see meaning_strength.
MEANING_FLOOR = 0.78
KEEP_RATIO = 0.8  # a sentence joins the answer when it scores this share of the best one
# Logistic weights of Evidence.values() (meaning, coverage, relevance), then the bias.
GATE = (54.67, 0.46, 1.98, -49.21)
ANSWER_THRESHOLD = 0.15  # the extractive answer's bar (README, "Refusals")
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
    meaning: float = 0.0  # cosine of the sentence's vector with the question's (0: unknown)
    closeness: float = 0.0
    hit_score: float = 0.0
    number_fit: float = 0.0  # 1: a figure asked and given, -1: asked and missing, 0: not asked

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
                self.number_fit,
            ]
        )


# Weights of ``_Candidate.features``. Words alone: the rule measured before sentence vectors.
# With them: a logistic fit of "this sentence holds the answer" (bench/calibrate.py).
WORD_WEIGHTS = np.array([1.0, 0.0, 0.3, 0.25, 0.15, 0.0, 0.0, 0.0])
SENTENCE_WEIGHTS = np.array([1.0, 0.0, 0.3, 0.25, 0.15, 2.0, 0.0, 0.3])

# Questions that ask for a figure (an amount, a count, a share, a date, an hour): the
# sentence that answers them holds a digit. Folded forms.
_ASKS_FIGURE = re.compile(
    r"\b(?:combien|quel(?:le)?s? (?:est |etait |a ete |sont |etaient )?(?:le |la |l'|les )?"
    r"(?:prix|cout|montant|nombre|budget|taux|pourcentage|proportion|part|somme|duree|age|population"
    r"|superficie|surface|distance|annee|date|jour|heure|frequence|rythme|enveloppe|effectif)"
    r"|a quelle (?:heure|date|frequence)|en quelle annee|quand|depuis quand|a partir de quand)\b"
)
_DIGIT = re.compile(r"\d")


def asks_figure(question: str) -> bool:
    return bool(_ASKS_FIGURE.search(fold(question)))


def _scored(candidates: list[_Candidate]) -> list[_Candidate]:
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


def citation_for(n: int, hit: Hit) -> Citation:
    chunk = hit.chunk
    return Citation(n, chunk.source, chunk.page_label, chunk.section, chunk.text, hit.score, chunk.kind)


def _candidates(
    question_terms: set[str],
    hits: Sequence[Hit],
    stats: TermStatistics,
    question_vector: Vector = None,
    figure: bool = False,
) -> list[_Candidate]:
    """Every sentence that shares a term with the question or, when the passages carry
    sentence vectors, any sentence at all, scored by words, meaning and passage rank."""
    weight = stats.idf
    total = sum(weight(term) for term in question_terms) or 1.0
    found = []
    for rank, hit in enumerate(hits):
        heading_terms = set(terms(hit.chunk.context))  # "Journée 4 > Difficultés" frames each sentence
        sentences = hit.chunk.sentences  # a table row answers as a whole
        meanings = _meanings(hit, question_vector)
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
            fit = (1.0 if _DIGIT.search(sentence) else -1.0) if figure else 0.0
            found.append(
                _Candidate(0.0, coverage, own, rank, position, sentence, meaning, closeness, hit.score, fit)
            )
    return _scored(found)


def _meanings(hit: Hit, question_vector: Vector) -> np.ndarray | None:
    if question_vector is None:
        return None
    matrix = sentence_matrix(hit.chunk)
    return None if matrix is None else matrix @ np.asarray(question_vector, dtype=np.float32)


def meaning_strength(cosine: float) -> float:
    """A cosine of multilingual-e5 rescaled to [0, 1]: its cosines are compressed (unrelated
    French sentences still score about 0.75), so only the part above the floor counts."""
    return min(1.0, max(0.0, (cosine - MEANING_FLOOR) / (1.0 - MEANING_FLOOR)))


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


@dataclass(frozen=True)
class Evidence:
    """What the passages offer a question: its best sentence by meaning (cosine), by words
    (idf-weighted coverage), and the share of the question no passage contains."""

    meaning: float
    coverage: float
    unknown: float
    relevance: float  # the best sentence's relevance score

    def values(self) -> list[float]:
        """What the gate weighs. Not the unknown share: everyday words the documents do not
        use (« l'asso », « démarré ») are what meaning is for."""
        return [self.meaning, self.coverage, self.relevance]

    def strength(self) -> float:
        """Calibrated chance that the passages answer (logistic fit, see bench/calibrate.py)."""
        logit = float(np.dot(GATE[:-1], self.values()) + GATE[-1])
        return 1 / (1 + float(np.exp(-logit)))


def _evidence(candidates: Sequence[_Candidate], question_terms: set[str], stats: TermStatistics) -> Evidence:
    return Evidence(
        max((c.meaning for c in candidates), default=0.0),
        max((c.coverage for c in candidates), default=0.0),
        _unknown_share(question_terms, stats) if question_terms else 1.0,
        max((c.score for c in candidates), default=0.0),
    )


def _too_weak(
    candidates: Sequence[_Candidate],
    question_terms: set[str],
    stats: TermStatistics,
    threshold: float = ANSWER_THRESHOLD,
) -> bool:
    """Whether to refuse. With sentence vectors, the calibrated gate; without (passages
    indexed before them, hand-made tests), the word rule alone."""
    if not candidates:
        return True
    if any(c.meaning for c in candidates):
        return _evidence(candidates, question_terms, stats).strength() < threshold
    return (
        max(c.coverage for c in candidates) < _MIN_COVERAGE
        or _unknown_share(question_terms, stats) > _MAX_UNKNOWN
    )


def scored_sentences(
    question: str, hits: Sequence[Hit], stats: TermStatistics | None = None, question_vector: Vector = None
) -> list[_Candidate]:
    """Every candidate sentence with its features and relevance (for calibration)."""
    figure = asks_figure(question)
    return _candidates(asked_terms(question), hits, stats or UniformTerms(), question_vector, figure)


def evidence(
    question: str, hits: Sequence[Hit], stats: TermStatistics | None = None, question_vector: Vector = None
) -> Evidence:
    """The evidence ``hits`` offer ``question`` (for calibration and diagnostics)."""
    stats = stats or UniformTerms()
    question_terms = asked_terms(question)
    found = _candidates(question_terms, hits, stats, question_vector, asks_figure(question))
    return _evidence(found, question_terms, stats)


def weak_evidence(
    question: str,
    hits: Sequence[Hit],
    stats: TermStatistics | None = None,
    question_vector: Vector = None,
    threshold: float = MODEL_THRESHOLD,
) -> bool:
    """Whether evidence is clearly absent, before a language model is asked: a lower bar than
    the extractive answer's (the model reads whole passages and may decline itself)."""
    stats = stats or UniformTerms()
    question_terms = asked_terms(question)
    candidates = _candidates(question_terms, hits, stats, question_vector, asks_figure(question))
    return _too_weak(candidates, question_terms, stats, threshold)


def _select(candidates: Sequence[_Candidate], hits: Sequence[Hit], max_sentences: int) -> list[_Candidate]:
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
    question_vector: Vector = None,
) -> Answer:
    """The extractive answer to ``question`` from ``hits`` (best first).

    A sentence's relevance combines its coverage (the share of the question's
    terms it or its section heading contains, each weighted by its idf in
    ``stats``: a sentence naming a frequent territory but none of the rare
    words asked about does not pass for an answer), its meaning (the cosine
    of its stored vector with ``question_vector``) and its passage's rank.
    The answer is refused when the calibrated evidence is too weak.
    """
    if not hits:
        return Answer(question, NOTHING_INDEXED, (), refused=True)
    stats = stats or UniformTerms()
    question_terms = asked_terms(question)
    usable = question_terms or question_vector is not None
    figure = asks_figure(question)
    candidates = _candidates(question_terms, hits, stats, question_vector, figure) if usable else []
    if _too_weak(candidates, question_terms, stats):
        return refusal(question, hits)
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
