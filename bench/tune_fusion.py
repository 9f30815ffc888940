"""Sweep the hybrid-ranking settings on an indexed benchmark store, without re-indexing.

    python -m bench.tune_fusion --store /tmp/piaf/store --questions /tmp/piaf/questions.jsonl

Dense and BM25 candidates are fetched once per question; every fusion variant
is then scored in memory with the same hit@k / MRR definitions as ``eval``. BM25
parameters are swept by rebuilding the lexical index in memory. Run it on the
dev set only: the held-out set is for checking that the choice generalises.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from assistant.evaluation import EvalQuestion, load_questions, score_run
from vectorstore import BM25Params, ChromaStore, Hit, LexicalIndex
from vectorstore.encoders import DEFAULT_MODEL, EmbeddingConfig, build_embeddings
from vectorstore.retrieval.fusion import CONVEX, RRF, drop_near_duplicates, fuse

POOL = 40


def _row(name: str, questions: list[EvalQuestion], results: list[list[Hit]]) -> str:
    figures = score_run(questions, results, [0.0] * len(questions))
    cells = [f"{figures[key]:.4f}" for key in ("hit@1", "hit@5", "hit@10", "mrr@10")]
    return f"| {name} | " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "assistant-fabrique")
    args = parser.parse_args()

    questions = load_questions(args.questions)
    embeddings = build_embeddings(EmbeddingConfig(args.model, cache_dir=args.cache))
    store = ChromaStore(args.store, embeddings, args.model)
    chunks = store.all_chunks()
    dense = [store.search(item.question, POOL) for item in questions]
    print("| variant | hit@1 | hit@5 | hit@10 | mrr@10 |\n|---|---|---|---|---|")
    print(_row("dense only", questions, dense))
    best: tuple[float, list[list[Hit]]] = (-1.0, [])
    for k1, b in itertools.product((0.9, 1.2, 1.5), (0.5, 0.75, 0.9)):
        index = LexicalIndex.build(chunks, "sweep", BM25Params(k1=k1, b=b))
        lexical = [index.search(item.question, POOL) for item in questions]
        print(_row(f"BM25 only k1={k1} b={b}", questions, lexical))
        mrr = float(score_run(questions, lexical, [0.0] * len(questions))["mrr@10"])
        best = max(best, (mrr, lexical), key=lambda pair: pair[0])
    lexical = best[1]
    weights = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
    for method, weight, pool in itertools.product((RRF, CONVEX), weights, (20, POOL)):
        fused = [
            drop_near_duplicates(fuse(d[:pool], lex[:pool], method, weight), limit=10)
            for d, lex in zip(dense, lexical, strict=True)
        ]
        print(_row(f"{method} lexical_weight={weight} candidates={pool} (best BM25)", questions, fused))


if __name__ == "__main__":
    main()
