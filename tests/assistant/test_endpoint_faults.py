"""Model endpoint faults: every way the language model can fail ends in the extractive answer
with a French notice naming the fault, never in a raw error.

A stand-in server on loopback speaks both APIs (OpenAI-compatible SSE on ``/v1``, Ollama's
streamed JSON lines on ``/api/chat``) and misbehaves as the first segment of its URL says:
it hangs, answers 500/502/503/401, sends JSON that does not parse or an HTML page, cuts the
stream after two tokens (chunked, or a close-delimited body without its end mark), or
stalls after one token. The answers are compared with those of the same engine without a
model, on one real store of the sample notes indexed with the real embedding model.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import ClassVar

import pytest
from langchain_core.embeddings import Embeddings

from assistant.answering import Answer
from assistant.chat import CUT, DENIED, DOWN, SERVER, TIMEOUT, UNREADABLE, build_chat_model
from assistant.engine import Engine
from assistant.settings import Settings
from tests.conftest import SAMPLE, free_port, run_cli
from ui.chat_tab import ChatTab
from ui.escaping import escape_text

QUESTION = "Quel levier a été le plus discuté lors de la journée 2 ?"
EARLIER = "Quel levier a été le plus discuté lors de la journée 1 ?"  # not a list: the model answers
FOLLOW_UP = "et pour la journée 2 ?"
PIECES = ["Le budget ", "participatif "]
REPLY = [*PIECES, "a été le levier le plus discuté [1]."]
TIMEOUT_S = 1.0
# The faults that must end in a timeout get TIMEOUT_S; the others a wait no loaded machine
# reaches, so a slow reply under load is never taken for the timeout they do not test.
TIMED_OUT = ("hang", "stall")
GENEROUS_S = 15.0


def timeout_for(fault: str) -> float:
    return TIMEOUT_S if fault in TIMED_OUT else GENEROUS_S


def notice(reason: str) -> str:
    return f"Le modèle de langue n'a pas répondu ({reason}) : voici une réponse extraite des passages."


# -- the stand-in server -------------------------------------------------------


class OpenAIWire:
    content_type = "text/event-stream"
    garbage = b"data: {pas du json\n\n"

    @staticmethod
    def piece(text: str) -> bytes:
        delta = {"index": 0, "delta": {"content": text}, "finish_reason": None}
        event = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m", "choices": [delta]}
        return f"data: {json.dumps(event)}\n\n".encode()

    @staticmethod
    def end() -> bytes:
        last = {"index": 0, "delta": {}, "finish_reason": "stop"}
        event = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m", "choices": [last]}
        return f"data: {json.dumps(event)}\n\ndata: [DONE]\n\n".encode()


class OllamaWire:
    content_type = "application/x-ndjson"
    garbage = b'{"model": pas du json\n'

    @staticmethod
    def piece(text: str) -> bytes:
        line = {"model": "m", "message": {"role": "assistant", "content": text}, "done": False}
        return json.dumps(line).encode() + b"\n"

    @staticmethod
    def end() -> bytes:
        line = {"model": "m", "message": {"role": "assistant", "content": ""}, "done": True}
        return json.dumps(line | {"done_reason": "stop"}).encode() + b"\n"


Wire = type[OpenAIWire] | type[OllamaWire]


class StandIn(BaseHTTPRequestHandler):
    """``POST /FAULT/v1/chat/completions`` or ``POST /FAULT/api/chat``: a reply with FAULT."""

    protocol_version = "HTTP/1.1"
    calls: ClassVar[Counter[str]] = Counter()
    release = threading.Event()  # set at the end: hanging handlers return

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        fault, _, api = self.path.strip("/").partition("/")
        StandIn.calls[fault] += 1
        BEHAVIOURS[fault](self, OllamaWire if api.startswith("api/") else OpenAIWire)

    def start(self, wire: Wire, chunked: bool = False) -> None:
        self.send_response(200)
        self.send_header("Content-Type", wire.content_type)
        self.send_header("Transfer-Encoding" if chunked else "Connection", "chunked" if chunked else "close")
        self.end_headers()
        self.close_connection = True

    def chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def log_message(self, *args: object) -> None:
        pass


def replies(handler: StandIn, wire: Wire) -> None:
    handler.start(wire)
    handler.wfile.write(b"".join(wire.piece(piece) for piece in REPLY) + wire.end())


def hangs(handler: StandIn, wire: Wire) -> None:
    StandIn.release.wait(30)


def fails_with(status: int) -> Callable[[StandIn, Wire], None]:
    def fail(handler: StandIn, wire: Wire) -> None:
        body = json.dumps({"error": {"message": "panne"}}).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return fail


def sends_garbage(handler: StandIn, wire: Wire) -> None:
    handler.start(wire)
    handler.wfile.write(wire.garbage)


def sends_html(handler: StandIn, wire: Wire) -> None:
    handler.start(wire)
    handler.wfile.write(b"<html><body>Passerelle</body></html>")


def cuts(handler: StandIn, wire: Wire) -> None:
    """Two tokens in a chunked body, then the connection closes before the last chunk."""
    handler.start(wire, chunked=True)
    for piece in PIECES:
        handler.chunk(wire.piece(piece))


def cuts_quietly(handler: StandIn, wire: Wire) -> None:
    """Two tokens in a close-delimited body, then the end of the body without the end mark."""
    handler.start(wire)
    handler.wfile.write(b"".join(wire.piece(piece) for piece in PIECES))


def stalls(handler: StandIn, wire: Wire) -> None:
    handler.start(wire, chunked=True)
    handler.chunk(wire.piece(PIECES[0]))
    StandIn.release.wait(30)


BEHAVIOURS: dict[str, Callable[[StandIn, Wire], None]] = {
    "ok": replies,
    "hang": hangs,
    "500": fails_with(500),
    "502": fails_with(502),
    "503": fails_with(503),
    "401": fails_with(401),
    "garbage": sends_garbage,
    "html": sends_html,
    "cut": cuts,
    "cut-quietly": cuts_quietly,
    "stall": stalls,
}
# fault -> (reason named in the notice, text streamed before the failure)
FAULTS = {
    "down": (DOWN, ""),
    "hang": (TIMEOUT, ""),
    "500": (SERVER, ""),
    "502": (SERVER, ""),
    "503": (SERVER, ""),
    "401": (DENIED, ""),
    "garbage": (UNREADABLE, ""),
    "html": (UNREADABLE, ""),
    "cut": (CUT, "".join(PIECES)),
    "cut-quietly": (CUT, "".join(PIECES)),
    "stall": (TIMEOUT, PIECES[0]),
}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The stand-in's root URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    StandIn.release.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    StandIn.release.set()
    httpd.shutdown()
    httpd.server_close()


def model_url(server: str, provider: str, fault: str) -> str:
    root = f"http://127.0.0.1:{free_port()}" if fault == "down" else f"{server}/{fault}"
    return f"{root}/v1" if provider == "openai" else root


# -- the store and the engines ---------------------------------------------------


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, embeddings: Embeddings) -> Engine:
    """One engine for the module, on the four sample session notes indexed once."""
    store = tmp_path_factory.mktemp("faults") / "store"
    engine = Engine(Settings(_env_file=None, store=store))  # type: ignore[call-arg]
    engine.embeddings = embeddings  # the session's model, not a second load
    report = engine.ingest([SAMPLE / "notes"])
    assert report.ok and report.count("indexed") == 4
    return engine


@pytest.fixture(scope="module")
def extractive(engine: Engine) -> dict[str, Answer]:
    """The answers without any model: what every fault must end in."""
    assert engine.chat is None
    answers = {QUESTION: engine.ask(QUESTION), FOLLOW_UP: engine.ask(FOLLOW_UP, earlier=[EARLIER])}
    assert not any(answer.refused for answer in answers.values())  # the model would be asked
    return answers


EngineFor = Callable[..., Engine]


@pytest.fixture(scope="module")
def engine_for(engine: Engine, extractive: dict[str, Answer], server: str) -> EngineFor:
    """``engine_for(fault, provider)``: the engine, its model now the stand-in with ``fault``
    (a new chat model each time, as the settings would build it)."""

    def with_model(fault: str, provider: str = "openai") -> Engine:
        url = model_url(server, provider, fault)
        timeout = timeout_for(fault)
        llm = {"llm_model": "m", "llm_provider": provider, "llm_base_url": url, "llm_timeout": timeout}
        engine.chat = build_chat_model(Settings(_env_file=None, **llm))  # type: ignore[call-arg]
        return engine

    return with_model


def same_answer(answer: Answer, expected: Answer) -> None:
    assert answer.text == expected.text
    assert answer.citations == expected.citations
    assert answer.question == expected.question
    assert not answer.refused


# -- the tests -------------------------------------------------------------------


@pytest.mark.parametrize("provider", ["openai", "ollama"])
def test_a_working_stand_in_gives_the_models_answer_without_notice(
    engine_for: EngineFor, extractive: dict[str, Answer], provider: str
) -> None:
    engine = engine_for("ok", provider)
    *pieces, answer = engine.ask_stream(QUESTION)
    assert pieces == REPLY
    assert isinstance(answer, Answer)
    assert answer.notice == ""
    assert answer.text.startswith("Le budget participatif a été le levier le plus discuté [1].")
    assert answer.text != extractive[QUESTION].text


@pytest.mark.parametrize("provider", ["openai", "ollama"])
@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_failing_endpoint_gives_the_extractive_answer_with_a_french_notice(
    engine_for: EngineFor, extractive: dict[str, Answer], provider: str, fault: str
) -> None:
    reason, streamed = FAULTS[fault]
    engine = engine_for(fault, provider)
    before = StandIn.calls[fault]
    started = time.monotonic()
    *pieces, answer = engine.ask_stream(QUESTION)
    elapsed = time.monotonic() - started
    assert isinstance(answer, Answer)
    assert "".join(pieces) == streamed  # shown while written, then superseded by the answer
    same_answer(answer, extractive[QUESTION])
    assert answer.notice == notice(reason)
    assert answer.to_dict()["notice"] == notice(reason)
    if fault != "down":
        assert StandIn.calls[fault] - before == 1  # no retry multiplies the wait
    assert elapsed < timeout_for(fault) + 3


@pytest.mark.parametrize("fault", ["hang", "500", "cut"])
def test_a_follow_up_falls_back_to_the_rule_based_rewrite(
    engine_for: EngineFor, extractive: dict[str, Answer], fault: str
) -> None:
    engine = engine_for(fault)
    before = StandIn.calls[fault]
    started = time.monotonic()
    answer = engine.ask(FOLLOW_UP, earlier=[EARLIER])
    elapsed = time.monotonic() - started
    same_answer(answer, extractive[FOLLOW_UP])
    assert answer.notice == notice(FAULTS[fault][0])
    # After a timeout the model rests: the answer does not wait a second time.
    assert StandIn.calls[fault] - before == (1 if fault == "hang" else 2)
    assert elapsed < timeout_for(fault) + 3


def test_the_chat_replaces_its_draft_with_the_notice_and_the_extractive_answer(
    engine_for: EngineFor, extractive: dict[str, Answer]
) -> None:
    tab = SimpleNamespace(engine=engine_for("cut"))
    tab.filters = partial(ChatTab.filters, tab)  # the real menu checks, against this engine
    tab.menu_choices = partial(ChatTab.menu_choices, tab)
    updates = list(ChatTab.respond(tab, QUESTION, [], [], "Tous", "Tous", "Tous", "Tous", "Tous"))  # type: ignore[arg-type]
    drafts = [chatbot[-1]["content"] for chatbot, *_ in updates[:-1]]
    assert drafts and all("▌" in draft for draft in drafts)
    chatbot, question_box, answers = updates[-1]
    final = chatbot[-1]["content"]
    assert final.startswith(f"*{escape_text(notice(CUT))}*\n\n")
    assert "▌" not in final
    assert [message["role"] for message in chatbot] == ["user", "assistant"]
    assert answers[-1]["answer"] == extractive[QUESTION].text
    assert answers[-1]["notice"] == notice(CUT)
    assert question_box == ""


def test_the_cli_prints_the_stream_then_the_notice_and_the_extractive_answer(
    engine: Engine, extractive: dict[str, Answer], server: str
) -> None:
    env = {"ASSISTANT_LLM_MODEL": "m", "ASSISTANT_LLM_BASE_URL": f"{server}/cut/v1"}
    result = run_cli("ask", QUESTION, store=engine.settings.store, env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "erreur" not in result.stderr
    expected = f"{''.join(PIECES)}\n\n{notice(CUT)}\n\n{extractive[QUESTION].text}\n\nSources :\n[1]"
    assert result.stdout.startswith(expected)
    assert "Réponse vérifiée" not in result.stdout
