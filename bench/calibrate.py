"""Calibrate the sentence choice and the refusal gate of the extractive answers.

    python -m bench.calibrate --sample-store /tmp/s14 --piaf-store /tmp/piaf/store \
        --piaf-questions /tmp/piaf/questions.jsonl [--piaf-limit 600]

Answerable questions: the everyday-words set and the sample questions on the sample
store, and PIAF dev questions on the PIAF store. Unanswerable ones: the off-corpus sets
on the sample store, and each PIAF question asked of its store with its own article's
passages taken out (as a store lacking the article would answer). For each question the
evidence the top passages offer (best sentence by meaning, by words, unknown share) is
measured; a logistic model is fitted on them and the refusal curve printed: for each
threshold, the share of answerable questions refused and of unanswerable ones answered.
Then the sentence-scoring constants are swept on the answerable questions (gate off).
Run it on dev data only; held-out sets check that the choice generalises.
"""

from __future__ import annotations

import argparse
import json
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant import answering, relevance
from assistant.engine import Engine
from assistant.evaluation import EvalQuestion, contains_gold, first_sentence, load_questions
from assistant.settings import Settings
from vectorstore.records import Hit

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


@dataclass(frozen=True)
class Case:
    question: EvalQuestion
    hits: tuple[Hit, ...]
    vector: tuple[float, ...]
    answerable: bool
    engine: Engine
    group: str

    @property
    def stats(self) -> relevance.TermStatistics:
        return self.engine.snapshot()


def _cases(
    engine: Engine, questions: Sequence[EvalQuestion], group: str, drop_own: bool = False
) -> list[Case]:
    top_k = engine.settings.top_k
    cases = []
    for item in questions:
        hits = engine.retrieve(item.question, top_k + (30 if drop_own else 0))
        if drop_own:  # the store without the question's article
            hits = [hit for hit in hits if hit.chunk.source != item.source]
        vector = tuple(engine.store.query_vector(item.question))
        answerable = not item.unanswerable and not drop_own
        cases.append(Case(item, tuple(hits[:top_k]), vector, answerable, engine, group))
    return cases


def features(case: Case) -> np.ndarray:
    found = relevance.evidence(case.question.question, case.hits, case.stats, case.vector)
    return np.array(found.values())


def fit_logistic(x: np.ndarray, y: np.ndarray, steps: int = 20000, rate: float = 0.5) -> np.ndarray:
    """Weights (one per feature, then the bias) of a logistic regression, by gradient descent
    on standardised features, mapped back to the raw ones."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    balance = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))  # both classes weigh the same
    for _ in range(steps):
        p = 1 / (1 + np.exp(-z @ w))
        w -= rate * (z.T @ ((p - y) * balance)) / len(y)
    raw = w[:-1] / scale
    return np.append(raw, w[-1] - float((w[:-1] * mean / scale).sum()))


def curve(cases: Sequence[Case], probabilities: np.ndarray) -> None:
    print("| threshold | " + " | ".join(f"{g} refused" for g in _groups(cases)) + " |")
    print("|---" * (len(_groups(cases)) + 1) + "|")
    for threshold in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7):
        cells = []
        for group in _groups(cases):
            chosen = [p for c, p in zip(cases, probabilities, strict=True) if c.group == group]
            cells.append(f"{np.mean(np.array(chosen) < threshold):.3f}")
        print(f"| {threshold} | " + " | ".join(cells) + " |")


def _groups(cases: Sequence[Case]) -> list[str]:
    return list(dict.fromkeys(c.group for c in cases))


def fit_sentences(cases: Sequence[Case]) -> np.ndarray:
    """Weights of the sentence features: a logistic fit of "this sentence holds a gold
    answer" over the candidate sentences of the answerable questions."""
    x, y = [], []
    for case in cases:
        if not case.answerable:
            continue
        candidates = relevance.scored_sentences(case.question.question, case.hits, case.stats, case.vector)
        best = max((c.meaning for c in candidates), default=0.0)
        for candidate in candidates:
            x.append(candidate.features(best))
            y.append(1.0 if contains_gold(candidate.sentence, case.question.answers) else 0.0)
    weights = fit_logistic(np.array(x), np.array(y))
    return weights[:-1]  # a ranking needs no bias


def first_sentences(cases: Sequence[Case]) -> str:
    """Share of answerable questions whose answer's first sentence holds a gold answer, per
    group, with the gate off."""
    per_group: dict[str, list[bool]] = {}
    for case in cases:
        if case.answerable:
            answer = answering.compose_answer(
                case.question.question, case.hits, stats=case.stats, question_vector=case.vector
            )
            found = contains_gold(first_sentence(answer.text), case.question.answers)
            per_group.setdefault(case.group, []).append(found)
    return " ".join(f"{group}={np.mean(found):.3f}" for group, found in per_group.items())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sample-store", type=Path, required=True)
    parser.add_argument("--piaf-store", type=Path, required=True)
    parser.add_argument("--piaf-questions", type=Path, required=True)
    parser.add_argument("--piaf-limit", type=int, default=600)
    parser.add_argument("--gate", action="store_true", help="only the refusal gate")
    parser.add_argument("--cache", type=Path, help="keep the retrieved passages here between runs")
    args = parser.parse_args()
    relevance.ANSWER_THRESHOLD = relevance.MODEL_THRESHOLD = 0.0  # gate off while measuring
    sample = Engine(Settings(store=args.sample_store, _env_file=None))
    piaf = Engine(Settings(store=args.piaf_store, _env_file=None))
    piaf_questions = load_questions(args.piaf_questions)[:: max(1, 2061 // args.piaf_limit)][
        : args.piaf_limit
    ]
    cache = args.cache
    if cache and cache.exists():
        stored = pickle.loads(cache.read_bytes())
        engines = {"sample": sample, "piaf": piaf}
        cases = [Case(q, h, v, a, engines[e], g) for q, h, v, a, e, g in stored]
    else:
        cases = _all_cases(sample, piaf, piaf_questions)
        if cache:
            rows = [
                (
                    c.question,
                    c.hits,
                    c.vector,
                    c.answerable,
                    "sample" if c.engine is sample else "piaf",
                    c.group,
                )
                for c in cases
            ]
            cache.write_bytes(pickle.dumps(rows))
    _report(cases, args.gate)


def _all_cases(sample: Engine, piaf: Engine, piaf_questions: list[EvalQuestion]) -> list[Case]:
    return [
        *_cases(sample, load_questions(DATA / "everyday_questions.jsonl"), "everyday"),
        *_cases(sample, load_questions(DATA / "sample_questions.jsonl"), "sample"),
        *_cases(sample, load_questions(DATA / "everyday_unanswerable.jsonl"), "off-corpus"),
        *_cases(piaf, piaf_questions, "piaf"),
        *_cases(piaf, piaf_questions, "piaf-without-article", drop_own=True),
    ]


VARIANTS = {  # sentence weights tried side by side (features: see relevance.Candidate.features)
    "words only": [1.0, 0.0, 0.3, 0.25, 0.15, 0.0, 0.0, 0.0],
    "+ meaning": [1.0, 0.0, 0.3, 0.25, 0.15, 1.0, 0.0, 0.0],
    "+ meaning, answer kind": [1.0, 0.0, 0.3, 0.25, 0.15, 1.0, 0.0, 0.3],
    "+ meaning x2, answer kind": [1.0, 0.0, 0.3, 0.25, 0.15, 2.0, 0.0, 0.3],
    "own words half, meaning, answer kind": [0.5, 0.5, 0.3, 0.25, 0.15, 1.0, 0.0, 0.3],
    "own words half, meaning x2, answer kind": [0.5, 0.5, 0.3, 0.25, 0.15, 2.0, 0.0, 0.3],
    "own words half, meaning x2, relative, answer kind": [0.5, 0.5, 0.3, 0.25, 0.15, 2.0, 5.0, 0.3],
    "own words half, meaning x3, answer kind": [0.5, 0.5, 0.3, 0.25, 0.15, 3.0, 0.0, 0.3],
}


def _report(cases: list[Case], gate_only: bool) -> None:
    default = relevance.SENTENCE_WEIGHTS.copy()
    if not gate_only:
        for name, weights in VARIANTS.items():
            relevance.SENTENCE_WEIGHTS = np.array(weights)
            print(f"first sentence holds the gold, {name}:", first_sentences(cases))
    relevance.SENTENCE_WEIGHTS = default
    print("first sentence holds the gold, current weights:", first_sentences(cases))
    if not gate_only:
        fitted = fit_sentences(cases)
        print("sentence weights:", json.dumps([round(float(w), 3) for w in fitted]))
        relevance.SENTENCE_WEIGHTS = fitted
        print("first sentence holds the gold, fitted weights:", first_sentences(cases))
    relevance.SENTENCE_WEIGHTS = default  # the gate is fitted for the weights in use
    x = np.array([features(case) for case in cases])
    y = np.array([1.0 if case.answerable else 0.0 for case in cases])
    weights = fit_logistic(x, y)
    print(
        "gate weights (meaning, coverage, relevance, bias):",
        json.dumps([round(float(w), 2) for w in weights]),
    )
    probabilities = 1 / (1 + np.exp(-(x @ weights[:-1] + weights[-1])))
    curve(cases, probabilities)


if __name__ == "__main__":
    main()
