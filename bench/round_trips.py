"""What one question costs the store: Chroma round trips, revision reads, retrieval time.

    python -m bench.round_trips [--store /tmp/round-trips] [--questions tests/data/everyday_questions.jsonl]

Indexes the sample corpus (once, kept in ``--store``), asks every question of the file
once to warm up, then asks them all again, counting the calls each question makes to
the Chroma collections (``get``, ``query``, ``count``, ``upsert``…: one round trip each
to a ``chroma run`` server) and the reads of the store's revision, and timing the
retrieval (``HybridRetriever.search``) and the whole answer. Prints medians, p95 and
maxima as JSON. Counting wraps chromadb's ``Collection`` class, so it measures any
version of the engine the same way (run it on two checkouts to compare).
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from chromadb.api.models.Collection import Collection

from assistant.engine import Engine
from assistant.settings import Settings
from vectorstore.retrieval.hybrid import HybridRetriever
from vectorstore.store import ChromaStore

ROOT = Path(__file__).resolve().parents[1]
CALLS = ("get", "query", "count", "upsert", "add", "update", "delete", "modify", "peek")


class Meter:
    """Counts calls to wrapped functions, and the time spent in some of them."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()

    def counted(self, name: str, function: Callable[..., Any], timed: bool = False) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                if timed:
                    self.seconds[name] += time.perf_counter() - started

        return wrapper


@contextmanager
def metered(meter: Meter) -> Iterator[None]:
    """Wrap the Chroma collection methods, the revision read and the retrieval."""
    patched: list[tuple[type, str, Any]] = []

    def patch(owner: type, name: str, label: str, timed: bool = False) -> None:
        original = owner.__dict__[name]
        patched.append((owner, name, original))
        setattr(owner, name, meter.counted(label, original, timed))

    for name in CALLS:
        patch(Collection, name, "chroma")
    patch(ChromaStore, "revision", "revision")
    patch(HybridRetriever, "search", "search", timed=True)
    try:
        yield
    finally:
        for owner, name, original in patched:
            setattr(owner, name, original)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(engine: Engine, questions: list[str]) -> dict[str, Any]:
    for question in questions:  # warm: models loaded, indexes built, per-revision reads done
        engine.ask(question)
    round_trips, revisions, searches, retrieval_ms, answer_ms = [], [], [], [], []
    for question in questions:
        meter = Meter()
        with metered(meter):
            started = time.perf_counter()
            engine.ask(question)
            answer_ms.append((time.perf_counter() - started) * 1000)
        round_trips.append(meter.calls["chroma"])
        revisions.append(meter.calls["revision"])
        searches.append(meter.calls["search"])
        retrieval_ms.append(meter.seconds["search"] * 1000)

    def figures(values: list[float]) -> dict[str, float]:
        return {
            "median": round(statistics.median(values), 2),
            "p95": round(percentile(values, 0.95), 2),
            "max": round(max(values), 2),
        }

    return {
        "questions": len(questions),
        "chroma_round_trips": figures(round_trips),
        "revision_reads": figures(revisions),
        "searches": figures(searches),
        "retrieval_ms": figures(retrieval_ms),
        "answer_ms": figures(answer_ms),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path("/tmp/round-trips"))
    parser.add_argument("--questions", type=Path, default=ROOT / "tests/data/everyday_questions.jsonl")
    args = parser.parse_args(argv)
    engine = Engine(Settings(store=args.store))
    if not engine.store.count():
        engine.ingest([ROOT / "sample"])
    lines = args.questions.read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()]
    print(json.dumps(measure(engine, questions), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
