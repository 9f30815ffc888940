"""The naive LangChain tutorial pipeline, as the baseline every benchmark compares to.

PyPDFLoader, RecursiveCharacterTextSplitter(1000, 200), Chroma, the same
embedding model (through sentence-transformers, as the tutorials do), top-k
similarity search. Run as a process so its start-up and model load count the
same way as ours:

    python -m bench.naive_pipeline index PDF_DIR STORE
    python -m bench.naive_pipeline eval QUESTIONS STORE [--k 10]
    python -m bench.naive_pipeline ask QUESTION STORE
    python -m bench.naive_pipeline serve STORE [--port 7860]

Without a language model its "answer" is what the tutorial's retrieval chain
hands to one: the top passages, stuffed into the prompt.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from assistant.evaluation import load_questions, percentile, score_run
from vectorstore import Chunk, Hit
from vectorstore.encoders import EmbeddingConfig, build_embeddings

NAIVE_MODEL = "all-MiniLM-L6-v2"  # the tutorial's model; NAIVE_MODEL=multilingual-e5-small for ours

PROMPT = "Réponds à la question à partir du contexte.\n\nContexte :\n{context}\n\nQuestion : {question}"


def vectorstore(store: Path, embeddings: Any = None) -> Any:
    """The tutorial's Chroma store, with all-MiniLM-L6-v2 (or the model ``NAIVE_MODEL`` names,
    to compare the same model as ours), no vector cache."""
    from langchain_chroma import Chroma

    model = os.environ.get("NAIVE_MODEL", NAIVE_MODEL)
    return Chroma(
        collection_name="naive",
        embedding_function=embeddings or build_embeddings(EmbeddingConfig(model)),
        persist_directory=str(store),
    )


def index(pdf_dir: Path, store: Path) -> dict[str, int]:
    from langchain_community.document_loaders import PyPDFLoader
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    pages = [page for pdf in sorted(pdf_dir.glob("*.pdf")) for page in PyPDFLoader(str(pdf)).load()]
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(pages)
    vectorstore(store).add_documents(chunks)
    return {"pages": len(pages), "chunks": len(chunks)}


def answer(db: Any, question: str, k: int = 4) -> str:
    """The tutorial's chain without its model: retrieve, stuff the passages into the prompt."""
    docs = db.similarity_search(question, k=k)
    return PROMPT.format(context="\n\n".join(d.page_content for d in docs), question=question)


def evaluate(questions_path: Path, store: Path, k: int = 10) -> dict[str, float | int]:
    db = vectorstore(store)
    db.similarity_search("initialisation", k=1)  # model load is not retrieval latency
    questions = load_questions(questions_path)
    results, latencies, answer_ms = [], [], []
    for item in questions:
        started = time.perf_counter()
        docs = db.similarity_search(item.question, k=k)
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
        started = time.perf_counter()
        answer(db, item.question)
        answer_ms.append((time.perf_counter() - started) * 1000)
    figures = score_run(questions, results, latencies)
    figures["answer_total_ms_p50"] = round(statistics.median(answer_ms), 2)
    figures["answer_total_ms_p95"] = round(percentile(answer_ms, 0.95), 2)
    return figures


def serve(store: Path, port: int) -> None:
    import gradio as gr

    db = vectorstore(store)
    chat = gr.ChatInterface(lambda message, history: answer(db, message), title="Naive RAG")
    chat.launch(server_name="127.0.0.1", server_port=port)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["index", "eval", "ask", "serve"])
    parser.add_argument(
        "path", help="PDF folder (index), questions file (eval), question (ask), store (serve)"
    )
    parser.add_argument("store", nargs="?", type=Path)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--port", type=int, default=7860)
    args = parser.parse_args()
    if args.command == "serve":
        serve(Path(args.path), args.port)
    elif args.command == "ask":
        print(answer(vectorstore(args.store), args.path))
    elif args.command == "index":
        print(json.dumps(index(Path(args.path), args.store)))
    else:
        print(json.dumps(evaluate(Path(args.path), args.store, args.k)))


if __name__ == "__main__":
    main()
