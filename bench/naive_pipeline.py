"""The naive LangChain tutorial pipeline, as the baseline every benchmark compares to.

PyPDFLoader, RecursiveCharacterTextSplitter(1000, 200), Chroma, the same
embedding model, top-k similarity search. Run as a process so its start-up and
model load count the same way as ours:

    python -m bench.naive_pipeline index PDF_DIR STORE
    python -m bench.naive_pipeline eval QUESTIONS STORE [--k 10]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from assistant.evaluation import load_questions, score_run
from vectorstore import Chunk, Hit, SentenceTransformerEmbeddings


def _vectorstore(store: Path):  # type: ignore[no-untyped-def]
    from langchain_chroma import Chroma

    return Chroma(
        collection_name="naive",
        embedding_function=SentenceTransformerEmbeddings(),
        persist_directory=str(store),
    )


def index(pdf_dir: Path, store: Path) -> dict[str, int]:
    from langchain_community.document_loaders import PyPDFLoader
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    pages = [page for pdf in sorted(pdf_dir.glob("*.pdf")) for page in PyPDFLoader(str(pdf)).load()]
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(pages)
    _vectorstore(store).add_documents(chunks)
    return {"pages": len(pages), "chunks": len(chunks)}


def evaluate(questions_path: Path, store: Path, k: int = 10) -> dict[str, float | int]:
    vectorstore = _vectorstore(store)
    vectorstore.similarity_search("initialisation", k=1)  # model load is not retrieval latency
    questions = load_questions(questions_path)
    results, latencies = [], []
    for item in questions:
        started = time.perf_counter()
        docs = vectorstore.similarity_search(item.question, k=k)
        latencies.append((time.perf_counter() - started) * 1000)
        results.append(
            [
                Hit(
                    Chunk(text=d.page_content, doc_id="", source=Path(d.metadata["source"]).name, kind=""),
                    0.0,
                )
                for d in docs
            ]
        )
    return score_run(questions, results, latencies)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["index", "eval"])
    parser.add_argument("path", type=Path)
    parser.add_argument("store", type=Path)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    result = (
        index(args.path, args.store) if args.command == "index" else evaluate(args.path, args.store, args.k)
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
