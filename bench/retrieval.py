"""Retrieval benchmark: our pipeline against the naive LangChain one, same PDFs, same run.

    python -m bench.retrieval --squad ../shared/eval/piaf-dev.json [--work /tmp/piaf] [--limit N]

Builds one PDF per article and a questions file (bench/piaf_corpus.py), indexes
them with ``python -m assistant ingest`` and scores them with
``python -m assistant eval``, does the same with the naive pipeline
(bench/naive_pipeline.py), and prints both side by side with their ratio.
Indexing times are process wall times (start-up and model load included, on
both sides).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.piaf_corpus import build_corpus

ROOT = Path(__file__).resolve().parents[1]
METRICS = ("hit@1", "hit@5", "hit@10", "mrr@10", "latency_ms_p50", "latency_ms_p95")


def timed(args: list[str], env: dict[str, str] | None = None) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return elapsed, json.loads(result.stdout)


def run_ours(pdf_dir: Path, questions: Path, store: Path, env: dict[str, str]) -> dict[str, Any]:
    seconds, report = timed(["-m", "assistant", "ingest", str(pdf_dir), "--store", str(store), "--json"], env)
    _, figures = timed(
        ["-m", "assistant", "eval", "--questions", str(questions), "--store", str(store), "--json"], env
    )
    pages = sum(item["pages"] for item in report["files"])
    return {**figures, "index_s": seconds, "pages": pages, "chunks": report["chunks_in_store"]}


def run_naive(pdf_dir: Path, questions: Path, store: Path) -> dict[str, Any]:
    seconds, report = timed(["-m", "bench.naive_pipeline", "index", str(pdf_dir), str(store)])
    _, figures = timed(["-m", "bench.naive_pipeline", "eval", str(questions), str(store)])
    return {**figures, "index_s": seconds, **report}


def table(naive: dict[str, Any], ours: dict[str, Any]) -> str:
    columns = [*METRICS, "index_s", "chunks"]
    lines = [
        "| pipeline | " + " | ".join(columns) + " |",
        "|---" * (len(columns) + 1) + "|",
    ]
    for name, row in (("naive LangChain", naive), ("this project", ours)):
        lines.append(
            f"| {name} | " + " | ".join(f"{row[c]:.3f}".rstrip("0").rstrip(".") for c in columns) + " |"
        )
    ratios = [f"{ours[c] / naive[c]:.2f}x" if naive[c] else "-" for c in columns]
    lines.append("| ratio (this / naive) | " + " | ".join(ratios) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--squad", type=Path, required=True, help="SQuAD-format JSON (e.g. PIAF)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-retrieval"))
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument(
        "--set", action="append", default=[], metavar="ASSISTANT_X=V", help="setting for our side"
    )
    args = parser.parse_args()

    pdf_dir, questions, articles = build_corpus(args.squad, args.work, args.limit)
    env = dict(pair.split("=", 1) for pair in args.set)
    for store in ("store", "naive-store"):
        shutil.rmtree(args.work / store, ignore_errors=True)
    ours = run_ours(pdf_dir, questions, args.work / "store", env)
    print(f"ours: {json.dumps(ours)}", file=sys.stderr)
    if args.skip_naive:
        return
    naive = run_naive(pdf_dir, questions, args.work / "naive-store")
    print(f"{articles} articles, {ours['questions']} questions, {ours['pages']} pages\n")
    print(table(naive, ours))


if __name__ == "__main__":
    main()
