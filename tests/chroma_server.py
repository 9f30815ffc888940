"""A real Chroma server (``chroma run``, from the chromadb package) on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import free_port
from tests.servers import installed_command, running


@contextmanager
def chroma_server(data: Path, timeout: float = 60.0) -> Iterator[str]:
    """Run ``chroma run`` on 127.0.0.1 with its data in ``data``; yields its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [installed_command("chroma", "chromadb"), "run", "--path", str(data),
               "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    with running(command, f"{url}/api/v2/heartbeat", data.parent / f"{data.name}.log", timeout):
        yield url
