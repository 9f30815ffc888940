"""How retrieval cost grows with the store: about 1k, 10k and 100k passages.

A synthetic corpus is built from the PIAF dev paragraphs, each passage a paragraph whose
sentences are rotated and numbered so every passage is distinct. For each size the script
builds a store (embedding every passage, as ingestion does), then, in a fresh process that
only serves (so the build's memory does not count), runs the PIAF questions through hybrid
retrieval, query embedding included, and reports the build time, the store's size on disk,
latency p50/p95 and the serving process's peak memory.

    python -m bench.scale --squad ../shared/eval/piaf-dev.json --sizes 1000 10000 100000

Work in progress (issue 8): embedding full PIAF paragraphs runs at about 20 passages/s on
2 cores, so a 100k build takes over an hour; the naive side of the comparison is not here.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from vectorstore import ChromaStore, Chunk, DocumentRecord, HybridRetriever, SentenceTransformerEmbeddings

ROOT = Path(__file__).resolve().parents[1]
MODEL = "all-MiniLM-L6-v2"
PER_DOCUMENT = 100
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def load_squad(path: Path) -> tuple[list[str], list[str]]:
    """(paragraphs, questions) of a SQuAD-format file."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    paragraphs = [p["context"] for article in data for p in article["paragraphs"]]
    questions = [qa["question"] for a in data for p in a["paragraphs"] for qa in p["qas"]]
    return paragraphs, questions


def synthetic_chunks(paragraphs: list[str], count: int) -> list[Chunk]:
    """``count`` distinct passages: paragraph ``i mod n``, its sentences rotated by ``i div n``."""
    chunks = []
    for i in range(count):
        sentences = _SENTENCE.split(paragraphs[i % len(paragraphs)])
        turn = (i // len(paragraphs)) % len(sentences)
        text = " ".join(sentences[turn:] + sentences[:turn]) + f" (variante {i})"
        doc_id = f"synthetique-{i // PER_DOCUMENT:05d}"
        chunks.append(Chunk(text=text, doc_id=doc_id, source=f"{doc_id}.md", kind="notes", position=i))
    return chunks


def build(folder: Path, chunks: list[Chunk], embeddings: SentenceTransformerEmbeddings) -> float:
    """Write the passages document by document, ten documents per call; seconds taken."""
    shutil.rmtree(folder, ignore_errors=True)
    store = ChromaStore(folder / "store", embeddings, MODEL)
    started = time.perf_counter()
    documents = [chunks[start : start + PER_DOCUMENT] for start in range(0, len(chunks), PER_DOCUMENT)]
    for group in range(0, len(documents), 10):
        items = []
        for part in documents[group : group + 10]:
            doc_id = part[0].doc_id
            items.append(
                (
                    DocumentRecord(doc_id, f"{doc_id}.md", f"/synthetique/{doc_id}.md", doc_id, "notes", 0),
                    part,
                )
            )
        store.write_documents(items)
    HybridRetriever(store, folder / "store" / "lexical").lexical_index()  # built and saved, as ingest does
    return time.perf_counter() - started


def serve_queries(folder: Path, questions: list[str]) -> dict[str, float]:
    """In this (fresh) process: open the store, answer the questions, measure."""
    embeddings = SentenceTransformerEmbeddings(MODEL, onnx_folder=folder.parent / "onnx")
    store = ChromaStore(folder / "store", embeddings, MODEL)
    retriever = HybridRetriever(store, folder / "store" / "lexical")
    retriever.search("initialisation", 5)
    latencies = []
    for question in questions:
        started = time.perf_counter()
        retriever.search(question, 5)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return {
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def disk_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / (1 << 20)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=ROOT.parent / "shared/eval/piaf-dev.json")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-scale"))
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the measuring child
    args = parser.parse_args(argv)
    paragraphs, questions = load_squad(args.squad)
    questions = questions[: args.questions]
    if args.serve:
        print(json.dumps(serve_queries(args.serve, questions)))
        return 0
    embeddings = SentenceTransformerEmbeddings(MODEL, onnx_folder=args.work / "onnx")
    embeddings.prepare_onnx_queries()  # here, so the serving processes never load torch
    print("| passages | build | passages/s | disk | retrieval p50 | retrieval p95 | serving peak RSS |")
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes:
        folder = args.work / str(size)
        seconds = build(folder, synthetic_chunks(paragraphs, size), embeddings)
        child = subprocess.run(
            [sys.executable, "-m", "bench.scale", "--squad", str(args.squad), "--serve", str(folder),
             "--questions", str(args.questions)],
            capture_output=True, text=True, cwd=ROOT, check=True,
        )  # fmt: skip
        served = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"| {size} | {seconds:.0f} s | {size / seconds:.0f} | {disk_mib(folder / 'store'):.0f} MiB | "
            f"{served['p50_ms']:.1f} ms | {served['p95_ms']:.1f} ms | {served['peak_rss_mib']:.0f} MiB |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
