"""Chat-model adapters: settings to a model, streaming, and network failures as one French line.

The OpenAI-compatible path runs against a real llama.cpp server in
``test_llm_integration.py``. Ollama itself cannot be installed here (it is on
neither PyPI nor Debian), so its native API is served by a small stand-in on
loopback that speaks ``/api/chat`` as Ollama documents it (streamed JSON lines).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from assistant.chat import build_chat_model
from assistant.errors import UserFacingError
from assistant.settings import Settings


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_no_model_means_extractive_mode() -> None:
    assert build_chat_model(settings()) is None


def test_an_unreachable_openai_compatible_server_is_one_french_error_not_a_hang() -> None:
    url = f"http://127.0.0.1:{closed_port()}/v1"
    model = build_chat_model(settings(llm_model="smollm2", llm_base_url=url, llm_timeout=5))
    assert model is not None
    started = time.monotonic()
    with pytest.raises(UserFacingError) as caught:
        list(model.stream([("user", "Bonjour")]))
    assert time.monotonic() - started < 10
    assert str(caught.value).startswith(f"Le modèle de langue (smollm2 sur {url}) n'a pas répondu : ")
    assert "\n" not in str(caught.value)


class OllamaStandIn(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict]] = []  # type: ignore[type-arg]
    pieces: ClassVar[list[str]] = ["Le budget ", "participatif ", "a été voté [1]."]

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        OllamaStandIn.requests.append({"path": self.path, **body})
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.end_headers()
        for piece in self.pieces:
            line = {"model": body["model"], "message": {"role": "assistant", "content": piece}, "done": False}
            self.wfile.write(json.dumps(line).encode() + b"\n")
            self.wfile.flush()
        end = {"model": body["model"], "message": {"role": "assistant", "content": ""}, "done": True}
        self.wfile.write(json.dumps(end | {"done_reason": "stop"}).encode() + b"\n")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def ollama_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), OllamaStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    OllamaStandIn.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_ollama_native_api_streams_the_reply(ollama_url: str) -> None:
    model = build_chat_model(
        settings(llm_model="mistral", llm_provider="ollama", llm_base_url=ollama_url, llm_max_tokens=64)
    )
    assert model is not None
    pieces = list(model.stream([("system", "Règles."), ("user", "Quel budget ?")]))
    assert pieces == OllamaStandIn.pieces
    (request,) = OllamaStandIn.requests
    assert request["path"] == "/api/chat"
    assert request["model"] == "mistral"
    assert request["stream"] is True
    assert [(m["role"], m["content"]) for m in request["messages"]] == [
        ("system", "Règles."),
        ("user", "Quel budget ?"),
    ]
    assert request["options"]["num_predict"] == 64


def test_an_unreachable_ollama_is_one_french_error() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    model = build_chat_model(settings(llm_model="mistral", llm_provider="ollama", llm_base_url=url))
    assert model is not None
    with pytest.raises(UserFacingError, match=r"^Le modèle de langue \(mistral sur .* \(Ollama\)\) n'a pas"):
        list(model.stream([("user", "Bonjour")]))
